// The trainer on a few procedural scenes with a very small model: the loss falls, the state
// resumes exactly, and what it saves loads as a reference-format checkpoint with its class set.
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/training/trainer.h"
#include "scene_folder.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <numeric>

using namespace sdm;

namespace {

// `count` 48² scenes in dir/scenes.
std::filesystem::path write_scenes(const test::TemporaryDirectory& dir, int count) { return test::write_scenes(dir / "scenes", 0, count, 48); }

TrainingOptions small_run(const std::filesystem::path& data, const std::filesystem::path& out, int64_t steps) {
  TrainingOptions o;
  o.data = data;
  o.out = out;
  o.classes = test::class_set("ade20k-landscape");
  o.model.image_height = o.model.image_width = 32;
  o.model.num_channels = 32;
  o.model.channel_mult = {1, 2};
  o.model.num_res_blocks = 1;
  o.model.attention_resolutions = {16};
  o.model.num_head_channels = 32;
  o.model.num_classes = o.classes.num_classes;
  o.model.instance_edges = false;
  o.model.spade_hidden = 32;
  o.batch = 2;
  o.learning_rate = 2e-4;
  o.ema_rate = 0.9;
  o.steps = steps;
  o.save_every = 2;
  o.sample_every = 0;
  o.device = "cpu";
  return o;
}

}  // namespace

TEST_CASE("a resumed run ends with exactly the weights of an uninterrupted one") {
  test::TemporaryDirectory dir;
  const auto data = write_scenes(dir, 6);
  const std::atomic<bool> never{false};
  Trainer(small_run(data, dir / "straight", 4)).run({}, never);

  Trainer(small_run(data, dir / "interrupted", 2)).run({}, never);
  auto resumed = small_run(data, dir / "interrupted", 4);
  resumed.resume = true;
  CHECK(Trainer(resumed).run({}, never) == 4);

  for (const char* file : {"model.pt", "ema.pt"}) {
    const auto a = load_model(dir / "straight" / file), b = load_model(dir / "interrupted" / file);
    CHECK(a.dataset == "ade20k-landscape");
    const auto pa = a.model->named_parameters(), pb = b.model->named_parameters();
    for (const auto& item : pa) CHECK(item.value().equal(pb[item.key()]));
  }
}

TEST_CASE("a resumed run trains at the rate it is given, not the saved one") {
  test::TemporaryDirectory dir;
  const auto data = write_scenes(dir, 4);
  const std::atomic<bool> never{false};
  Trainer(small_run(data, dir / "run", 2)).run({}, never);
  const auto before = load_model(dir / "run" / "model.pt");
  auto frozen = small_run(data, dir / "run", 3);
  frozen.resume = true;
  frozen.learning_rate = 0.0;  // a step that changes nothing, unless the saved 2e-4 were used
  CHECK(Trainer(frozen).run({}, never) == 3);
  const auto after = load_model(dir / "run" / "model.pt");
  const auto pa = before.model->named_parameters(), pb = after.model->named_parameters();
  for (const auto& item : pa) CHECK(item.value().equal(pb[item.key()]));
}

TEST_CASE("a run initialised from a milestone starts from its weights") {
  test::TemporaryDirectory dir;
  const auto data = write_scenes(dir, 4);
  const std::atomic<bool> never{false};
  Trainer(small_run(data, dir / "milestone", 2)).run({}, never);
  auto from_milestone = small_run(data, dir / "continued", 1);
  from_milestone.init = dir / "milestone" / "ema.pt";
  from_milestone.learning_rate = 0.0;  // one step that changes nothing: the weights are the milestone's
  Trainer(from_milestone).run({}, never);
  const auto milestone = load_model(dir / "milestone" / "ema.pt"), continued = load_model(dir / "continued" / "model.pt");
  const auto pa = milestone.model->named_parameters(), pb = continued.model->named_parameters();
  for (const auto& item : pa) CHECK(item.value().equal(pb[item.key()]));
  CHECK(continued.sidecar["provenance"]["initialised_from"] == (dir / "milestone" / "ema.pt").string());
}

TEST_CASE("training lowers the loss on a fixed batch of scenes, in fp32 and in bf16 mixed precision") {
  test::TemporaryDirectory dir;
  const auto data = write_scenes(dir, 4);
  const std::atomic<bool> never{false};
  for (const std::string dtype : {"fp32", "bf16"}) {
    CAPTURE(dtype);
    std::vector<double> losses;
    auto options = small_run(data, dir / dtype, 60);
    options.save_every = 60;
    options.dtype = dtype;
    Trainer(options).run([&](const TrainingProgress& p) { losses.push_back(p.mse); }, never);
    REQUIRE(losses.size() == 60);
    // A new model predicts ε = 0 (MSE ≈ 1); it soon learns at least the noisy end of the chain.
    const double early = std::accumulate(losses.begin(), losses.begin() + 10, 0.0) / 10;
    const double late = std::accumulate(losses.end() - 10, losses.end(), 0.0) / 10;
    MESSAGE(dtype, ": mean ε-MSE over steps 1-10: ", early, ", over steps 51-60: ", late);
    CHECK(late < early);
    // Mixed precision keeps the weights themselves in fp32.
    for (const auto& parameter : load_model(dir / dtype / "model.pt").model->parameters()) CHECK((parameter.scalar_type() == torch::kFloat));
  }
}

TEST_CASE("a super-resolution stage trains on crops, resumes exactly and records its low-res size and augmentation") {
  test::TemporaryDirectory dir;
  const auto data = test::write_scenes(dir / "scenes", 0, 4, 64);
  const std::atomic<bool> never{false};
  auto stage = [&](const std::filesystem::path& out, int64_t steps) {
    auto o = small_run(data, out, steps);
    o.model.image_height = o.model.image_width = 64;
    o.model.low_res_height = o.model.low_res_width = 16;
    o.model.attention_resolutions = {};
    o.crop = 32;
    o.augmentation.probability = 0.5;
    o.augmentation.sampling_blur_sigma = 0.4;
    return o;
  };
  std::vector<double> losses;
  Trainer(stage(dir / "straight", 4)).run([&](const TrainingProgress& p) { losses.push_back(p.loss); }, never);
  CHECK(losses.size() == 4);
  Trainer(stage(dir / "interrupted", 2)).run({}, never);
  auto resumed = stage(dir / "interrupted", 4);
  resumed.resume = true;
  CHECK(Trainer(resumed).run({}, never) == 4);

  const auto a = load_model(dir / "straight" / "ema.pt"), b = load_model(dir / "interrupted" / "ema.pt");
  const auto pa = a.model->named_parameters(), pb = b.model->named_parameters();
  for (const auto& item : pa) CHECK(item.value().equal(pb[item.key()]));
  CHECK(a.config.super_resolution());
  CHECK(a.config.image_height == 64);
  CHECK(a.config.low_res_height == 16);
  CHECK(a.sidecar["low_res_augmentation"]["sampling_blur_sigma"] == 0.4);
  CHECK(a.sidecar["provenance"]["crop"] == 32);

  // Crops that the factor does not divide are refused.
  auto odd = stage(dir / "odd", 1);
  odd.crop = 30;
  CHECK_THROWS_WITH_AS(Trainer(odd).run({}, never), doctest::Contains("not a multiple of the super-resolution factor"), Error);
}

TEST_CASE("fp16 training is refused on the CPU with a message") {
  test::TemporaryDirectory dir;
  auto options = small_run(write_scenes(dir, 2), dir / "run", 1);
  options.dtype = "fp16";
  const std::atomic<bool> never{false};
  CHECK_THROWS_WITH_AS(Trainer(options).run({}, never), doctest::Contains("fp16 needs a CUDA device"), Error);
}
