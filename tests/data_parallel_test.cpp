// Data-parallel training: two `sdm train` processes over loopback, batch 4 each, make the same
// update as one process with batch 8 (and not the update of one process with batch 4).
#include "core/checkpoint/model_file.h"
#include "scene_folder.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <unistd.h>

using namespace sdm;

namespace {

std::string train_command(const std::filesystem::path& data, const std::filesystem::path& out, int batch) {
  return std::string(SDM_CLI) + " train --data " + data.string() + " --out " + out.string() + " --batch " + std::to_string(batch) +
         " --steps 2 --save-every 2 --sample-every 0 --image-size 32 --channels 32 --channel-mult 1,2 --res-blocks 1"
         " --attention 16 --head-channels 32 --spade-hidden 32 --lr 1e-3 --device cpu --threads 1 > " +
         (out.string() + ".log") + " 2>&1";
}

// ‖a − b‖ over all weights. (Not the largest single difference: Adam divides each update by the
// gradient's own size, so a weight whose gradient is near ε moves by a rounding-sensitive amount.)
double distance(const std::filesystem::path& a, const std::filesystem::path& b) {
  auto x = load_model(a).model, y = load_model(b).model;
  double sum = 0;
  auto px = x->parameters(), py = y->parameters();
  for (size_t i = 0; i < px.size(); ++i) sum += (px[i] - py[i]).pow(2).sum().item<double>();
  return std::sqrt(sum);
}

}  // namespace

TEST_CASE("two processes with batch 4 each make the update of one with batch 8") {
  test::TemporaryDirectory dir;
  const auto data = test::write_scenes(dir / "scenes", 0, 16, 40);
  REQUIRE(std::system(train_command(data, dir / "one-8", 8).c_str()) == 0);
  REQUIRE(std::system(train_command(data, dir / "one-4", 4).c_str()) == 0);
  const int port = 20000 + int(::getpid() % 20000);
  const std::string environment = "WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port);
  const std::string both = "sh -c '" + environment + " RANK=1 " + train_command(data, dir / "two-4", 4) + " & " + environment +
                           " RANK=0 " + train_command(data, dir / "two-4", 4) + "; rank0=$?; wait $!; rank1=$?; " +
                           "test $rank0 -eq 0 -a $rank1 -eq 0'";
  REQUIRE(std::system(both.c_str()) == 0);

  const double parallel = distance(dir / "one-8" / "model.pt", dir / "two-4" / "model.pt");
  const double half_batch = distance(dir / "one-8" / "model.pt", dir / "one-4" / "model.pt");
  MESSAGE("‖Δw‖: 2×4 vs 1×8 " << parallel << ", 1×4 vs 1×8 " << half_batch);
  CHECK(half_batch > 1e-2);
  CHECK(parallel < 0.01 * half_batch);
  CHECK(distance(dir / "one-8" / "ema.pt", dir / "two-4" / "ema.pt") < 0.01 * distance(dir / "one-8" / "ema.pt", dir / "one-4" / "ema.pt"));
}
