// Reading and writing torch.save state dicts, and refusing everything that is not one.
#include "core/base/error.h"
#include "core/checkpoint/checkpoint_file.h"
#include "core/checkpoint/model_file.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>

using namespace sdm;

namespace {

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The error loading `path` gives; fails the test when it loads. The message must be one line
// naming the file.
std::string load_error(const std::filesystem::path& path) {
  try {
    load_model(path);
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find(path.string()) == 0);
    CHECK(message.find('\n') == std::string::npos);
    return message;
  }
  FAIL("loaded without an error: ", path.string());
  return {};
}

bool same_tensors(const StateDict& a, const StateDict& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].first != b[i].first || a[i].second.scalar_type() != b[i].second.scalar_type() || !a[i].second.equal(b[i].second))
      return false;
  return true;
}

}  // namespace

TEST_CASE("the reference's tiny checkpoint reads with every key and shape, in order") {
  const auto state = read_state_dict(test::data_path("tiny.pt"));
  const auto expected = test::read_json(test::data_path("tiny.json"))["keys"];
  REQUIRE(state.size() == expected.size());
  size_t i = 0;
  for (const auto& [key, shape] : expected.items()) {
    CHECK(state[i].first == key);
    CHECK(state[i].second.sizes().vec() == shape.get<std::vector<int64_t>>());
    ++i;
  }
  // Weights were drawn from N(0, 0.05²): a sanity check that the bytes are the right ones.
  const auto& w = state[0].second;
  CHECK(w.std().item<double>() == doctest::Approx(0.05).epsilon(0.05));
}

TEST_CASE("write then read gives identical tensors in the same order") {
  test::TemporaryDirectory dir;
  const auto original = read_state_dict(test::data_path("tiny.pt"));
  write_state_dict(dir / "copy.pt", original);
  CHECK(same_tensors(read_state_dict(dir / "copy.pt"), original));
  // Non-contiguous views and other dtypes survive too.
  StateDict mixed{{"transposed", torch::arange(12, torch::kFloat).reshape({3, 4}).t()},
                  {"half", torch::linspace(-1, 1, 5).to(torch::kHalf)},
                  {"counts", torch::arange(3, torch::kLong)}};
  write_state_dict(dir / "mixed.pt", mixed);
  CHECK(same_tensors(read_state_dict(dir / "mixed.pt"), mixed));
}

TEST_CASE("save_model writes a checkpoint and sidecar that load back to the same model") {
  test::TemporaryDirectory dir;
  auto tiny = load_model(test::data_path("tiny.pt"));
  save_model(dir / "model.pt", tiny.model, tiny.diffusion, {{"classes", "celeba"}, {"provenance", "test"}});
  CHECK(std::filesystem::exists(dir / "model.json"));
  auto again = load_model(dir / "model.pt");
  CHECK(again.config == tiny.config);
  CHECK(again.dataset == std::string("celeba"));
  CHECK(again.sidecar["provenance"].get<std::string>() == "test");
  const auto a = tiny.model->named_parameters(), b = again.model->named_parameters();
  for (const auto& item : a) CHECK(item.value().equal(b[item.key()]));
  // No temporary files are left beside the results.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 2);
}

TEST_CASE("a float16 checkpoint loads into the float32 model") {
  test::TemporaryDirectory dir;
  auto state = read_state_dict(test::data_path("tiny.pt"));
  for (auto& entry : state) entry.second = entry.second.to(torch::kHalf);
  write_state_dict(dir / "half.pt", state);
  std::filesystem::copy_file(test::data_path("tiny.json"), dir / "half.json");
  auto loaded = load_model(dir / "half.pt");
  CHECK((loaded.checkpoint_dtype == torch::kHalf));
  const auto parameters = loaded.model->named_parameters();
  for (const auto& [key, tensor] : state) {
    CHECK((parameters[key].scalar_type() == torch::kFloat));
    CHECK(parameters[key].equal(tensor.to(torch::kFloat)));
  }
}

TEST_CASE("state dicts saved from DataParallel load with their module. prefix removed") {
  test::TemporaryDirectory dir;
  auto state = read_state_dict(test::data_path("tiny.pt"));
  for (auto& entry : state) entry.first = "module." + entry.first;
  write_state_dict(dir / "wrapped.pt", state);
  std::filesystem::copy_file(test::data_path("tiny.json"), dir / "wrapped.json");
  CHECK(load_model(dir / "wrapped.pt").parameters == test::parameter_count(test::read_json(test::data_path("tiny.json"))));
}

TEST_CASE("files that are not SDM checkpoints get one line naming the problem") {
  const std::vector<std::pair<std::string, std::string>> corpus = {
      {"empty.pt", "empty file"},
      {"image.pt", "a PNG image, not a checkpoint"},
      {"notes.pt", "not a PyTorch checkpoint"},
      {"legacy.pt", "re-save with torch >= 1.6"},
      {"other-zip.pt", "not a readable torch.save archive"},
      {"garbage-pickle.pt", "pickle"},
      {"torchscript.pt", "TorchScript"},
      {"training-state.pt", "entry 'model' is not a tensor"},
      {"foreign-mlp.pt", "not an SDM U-Net state dict: missing key time_embed.0.weight"},
  };
  for (const auto& [name, problem] : corpus) {
    INFO(name);
    CHECK(load_error(test::data_path("bad/" + name)).find(problem) != std::string::npos);
  }
  CHECK(load_error(test::data_path("bad/no-such-file.pt")).find("no such file") != std::string::npos);
}

TEST_CASE("a state dict of another SDM architecture names the key or shape that differs") {
  test::TemporaryDirectory dir;
  const auto tiny = read_state_dict(test::data_path("tiny.pt"));
  auto variant = [&](const std::string& name, auto edit) {
    StateDict state = tiny;
    edit(state);
    write_state_dict(dir / name, state);
    std::filesystem::copy_file(test::data_path("tiny.json"), dir / (std::filesystem::path(name).stem().string() + ".json"));
    return load_error(dir / name);
  };
  auto erase = [](StateDict& s, const std::string& key) {
    s.erase(std::find_if(s.begin(), s.end(), [&](const auto& e) { return e.first == key; }));
  };
  CHECK(variant("missing.pt", [&](StateDict& s) { erase(s, "middle_block.1.proj_out.weight"); })
            .find("missing keys (1): middle_block.1.proj_out.weight") != std::string::npos);
  CHECK(variant("extra.pt", [](StateDict& s) { s.emplace_back("label_emb.weight", torch::zeros({4, 4})); })
            .find("unexpected keys (1): label_emb.weight") != std::string::npos);
  CHECK(variant("shape.pt", [](StateDict& s) {
          for (auto& [key, t] : s)
            if (key == "output_blocks.0.0.out_layers.2.weight") t = torch::zeros({64, 64, 1, 1});
        }).find("shape mismatch (1): output_blocks.0.0.out_layers.2.weight is [64, 64, 1, 1] in the file, [64, 64, 3, 3]") !=
        std::string::npos);
}

TEST_CASE("fuzz: truncated and corrupted copies of tiny.pt fail cleanly or load unchanged") {
  test::TemporaryDirectory dir;
  const std::string original = read_bytes(test::data_path("tiny.pt"));
  const auto reference = read_state_dict(test::data_path("tiny.pt"));
  std::filesystem::copy_file(test::data_path("tiny.json"), dir / "fuzz.json");
  const auto path = dir / "fuzz.pt";

  // Dense near the start (first record headers, data.pkl) and the end (central directory),
  // spread through the tensor data between.
  std::vector<size_t> offsets;
  for (size_t o = 0; o < 4096; o += 61) offsets.push_back(o);
  for (size_t o = 4096; o + 4096 < original.size(); o += original.size() / 40) offsets.push_back(o);
  for (size_t o = original.size() - 4096; o < original.size(); o += 53) offsets.push_back(o);

  int truncated_refused = 0, corrupted_refused = 0, corrupted_harmless = 0;
  for (size_t offset : offsets) {
    INFO("offset ", offset);
    write_bytes(path, original.substr(0, offset));
    load_error(path);
    ++truncated_refused;

    std::string corrupted = original;
    corrupted[offset] = static_cast<char>(corrupted[offset] ^ 0x5a);
    write_bytes(path, corrupted);
    try {
      const auto state = read_state_dict(path);
      // Only bytes nothing reads (alignment padding, unused header fields) may change silently.
      CHECK(same_tensors(state, reference));
      ++corrupted_harmless;
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find(path.string()) == 0);
      ++corrupted_refused;
    }
  }
  MESSAGE(truncated_refused, " truncations refused; ", corrupted_refused, " corruptions refused, ", corrupted_harmless,
          " hit bytes nothing reads");
  CHECK(corrupted_refused > corrupted_harmless);
}
