// The network must compute what the reference computes: tiny-forward.pt holds the reference's
// inputs and output for the tiny checkpoint (two timesteps, label map + instance edges).
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/model/attention_block.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>

using namespace sdm;

namespace {

c10::Dict<c10::IValue, c10::IValue> read_reference_dict(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return torch::pickle_load(bytes).toGenericDict();
}

}  // namespace

TEST_CASE("tiny forward agrees with the reference's output") {
  torch::NoGradGuard no_grad;
  auto loaded = load_model(test::data_path("tiny.pt"));
  auto reference = read_reference_dict(test::data_path("tiny-forward.pt"));
  const auto x = reference.at("x").toTensor();
  const auto t = reference.at("t").toTensor();
  const auto y = reference.at("y").toTensor();
  const auto expected = reference.at("out").toTensor();

  // NCHW, as training runs, and channels-last with the fused norms, as sampling on a CPU runs.
  for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
    loaded.model->set_memory_format(format);
    const auto out = loaded.model->forward(x, t, y);
    REQUIRE(out.sizes() == expected.sizes());
    const double max_diff = (out - expected).abs().max().item<double>();
    MESSAGE("max |diff| vs reference (", test::layout_name(format), "): ", max_diff);
    CHECK(max_diff < 1e-4);
  }
  // The output is not trivially small: the comparison means something.
  CHECK(expected.abs().max().item<double>() > 0.1);
}

TEST_CASE("the super-resolution stage's forward agrees with the reference's SuperResModel") {
  torch::NoGradGuard no_grad;
  auto loaded = load_model(test::data_path("tiny-sr.pt"));
  REQUIRE(loaded.config.super_resolution());
  auto reference = read_reference_dict(test::data_path("tiny-sr-forward.pt"));
  const auto x = reference.at("x").toTensor(), low_res = reference.at("low_res").toTensor();
  const auto t = reference.at("t").toTensor(), y = reference.at("y").toTensor();
  const auto expected = reference.at("out").toTensor();

  for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
    loaded.model->set_memory_format(format);
    const auto out = loaded.model->forward(x, t, y, low_res);
    REQUIRE(out.sizes() == expected.sizes());
    const double max_diff = (out - expected).abs().max().item<double>();
    MESSAGE("super-resolution max |diff| vs reference (", test::layout_name(format), "): ", max_diff);
    CHECK(max_diff < 1e-4);
  }
  CHECK(expected.abs().max().item<double>() > 0.1);
  // The low-res picture matters: another one gives another output.
  CHECK((loaded.model->forward(x, t, y, -low_res) - expected).abs().max().item<double>() > 1e-2);
  // Without it, or a base model given one: a clear refusal.
  CHECK_THROWS_WITH_AS(loaded.model->forward(x, t, y), doctest::Contains("needs the low-res picture"), Error);
  auto base = load_model(test::data_path("tiny.pt"));
  CHECK_THROWS_WITH_AS(base.model->forward(torch::zeros({1, 3, 32, 32}), torch::zeros({1}, torch::kLong),
                                           torch::zeros({1, 20, 32, 32}), torch::zeros({1, 3, 8, 8})),
                       doctest::Contains("takes no low-res picture"), Error);
}

TEST_CASE("each batch element is computed independently") {
  torch::NoGradGuard no_grad;
  auto loaded = load_model(test::data_path("tiny.pt"));
  auto reference = read_reference_dict(test::data_path("tiny-forward.pt"));
  const auto x = reference.at("x").toTensor(), t = reference.at("t").toTensor(), y = reference.at("y").toTensor();
  const auto batched = loaded.model->forward(x, t, y);
  const auto second = loaded.model->forward(x.narrow(0, 1, 1), t.narrow(0, 1, 1), y.narrow(0, 1, 1));
  CHECK((batched.narrow(0, 1, 1) - second).abs().max().item<double>() < 1e-5);
}

TEST_CASE("one encoding decoded under several maps gives each map's forward") {
  torch::NoGradGuard no_grad;
  auto loaded = load_model(test::data_path("tiny.pt"));
  auto reference = read_reference_dict(test::data_path("tiny-forward.pt"));
  const auto x = reference.at("x").toTensor(), t = reference.at("t").toTensor(), y = reference.at("y").toTensor();
  auto& model = loaded.model;
  const auto encoding = model->encode(x, t);
  REQUIRE(static_cast<int>(encoding.skips.size()) == model->input_blocks());
  // A decoding of a copy leaves the caller's skips as they were, for the next map.
  const auto top_skip = encoding.skips.front().clone();
  LabelConditioning maps(y, false), shifted(y.roll(8, 3), false);
  CHECK(torch::equal(model->decode(encoding, maps), model->forward(x, t, y)));
  REQUIRE(encoding.skips.size() == static_cast<size_t>(model->input_blocks()));
  CHECK(torch::equal(encoding.skips.front(), top_skip));
  const auto under_shifted = model->decode(encoding, shifted);
  CHECK(torch::equal(under_shifted, model->forward(x, t, y.roll(8, 3))));
  CHECK(test::max_diff(under_shifted, model->forward(x, t, y)) > 1e-3);
  // Decoded for two passes at once (maps, then null maps): each picture's encoding serves both,
  // as both pictures' forwards on [maps; zero maps] would.
  LabelConditioning with_null_maps(y, false, 2);
  const auto both = model->decode(encoding, with_null_maps);
  REQUIRE(both.size(0) == 4);
  const auto expected = model->forward(torch::cat({x, x}), torch::cat({t, t}), torch::cat({y, torch::zeros_like(y)}));
  CHECK(test::max_diff(both, expected) < 1e-5);
  // A label batch that is not a whole number of passes is refused.
  LabelConditioning three(torch::cat({y, y.narrow(0, 0, 1)}), false);
  CHECK_THROWS_WITH_AS(model->decode(encoding, three), doctest::Contains("do not fit 2 encoded"), Error);
}

TEST_CASE("wrong input shapes are refused with a message naming them") {
  torch::NoGradGuard no_grad;
  auto loaded = load_model(test::data_path("tiny.pt"));
  auto x = torch::zeros({1, 3, 32, 32});
  auto t = torch::zeros({1}, torch::kLong);
  CHECK_THROWS_WITH_AS(loaded.model->forward(x, t, torch::zeros({1, 19, 32, 32})), doctest::Contains("20 label channels"), Error);
  CHECK_THROWS_WITH_AS(loaded.model->forward(torch::zeros({1, 3, 33, 33}), t, torch::zeros({1, 20, 33, 33})),
                       doctest::Contains("not divisible"), Error);
}

TEST_CASE("a bfloat16 torso stays close to the float32 forward") {
  torch::NoGradGuard no_grad;
  auto reference = read_reference_dict(test::data_path("tiny-forward.pt"));
  const auto x = reference.at("x").toTensor(), t = reference.at("t").toTensor(), y = reference.at("y").toTensor();
  auto full = load_model(test::data_path("tiny.pt"));
  auto half = load_model(test::data_path("tiny.pt"));
  half.model->convert_torso(torch::kBFloat16);
  CHECK((half.model->named_parameters()["input_blocks.1.0.in_layers.2.weight"].scalar_type() == torch::kBFloat16));
  CHECK((half.model->named_parameters()["time_embed.0.weight"].scalar_type() == torch::kFloat));
  const auto expected = full.model->forward(x, t, y), out = half.model->forward(x, t, y);
  CHECK((out.scalar_type() == torch::kFloat));
  const double relative = ((out - expected).norm() / expected.norm()).item<double>();
  MESSAGE("bf16 relative error: ", relative);
  CHECK(relative < 0.02);
}

TEST_CASE("attention over many positions gives the same result a query block at a time") {
  // Inference at ≥ 256 positions takes the blocked path; with autograd on, the whole-matrix one.
  // 24² = 576 positions: four full blocks of 128 queries and a partial one.
  torch::manual_seed(3);
  for (const bool legacy_order : {true, false}) {
    CAPTURE(legacy_order);
    AttentionBlock block(64, 2, legacy_order);
    for (auto& parameter : block->parameters()) parameter.data().normal_(0, 0.2);
    const auto x = torch::randn({2, 64, 24, 24});
    const auto whole = block->forward(x).detach();
    torch::NoGradGuard no_grad;
    const auto blocked = block->forward(x);
    CHECK((blocked - whole).abs().max().item<double>() < 1e-5 * whole.abs().max().item<double>());
    CHECK((blocked - x).abs().max().item<double>() > 0.1);  // the block did attend
  }
}

TEST_CASE("a forward reusing deep features runs only the shallow blocks, on the features it stored") {
  torch::NoGradGuard no_grad;
  auto reference = read_reference_dict(test::data_path("tiny-forward.pt"));
  const auto x = reference.at("x").toTensor(), t = reference.at("t").toTensor(), y = reference.at("y").toTensor();
  auto loaded = load_model(test::data_path("tiny.pt"));
  auto& model = loaded.model;
  const auto plain = model->forward(x, t, y);
  for (const int depth : {1, 2, model->input_blocks()}) {
    CAPTURE(depth);
    auto fresh = load_model(test::data_path("tiny.pt"));
    LabelConditioning labels(y, true);
    DeepFeatureCache cache{depth};
    // Storing changes nothing; reusing at the same input gives the same output.
    CHECK(torch::equal(fresh.model->forward(x, t, labels, {}, &cache), plain));
    REQUIRE(cache.features.defined());
    cache.reuse = true;
    CHECK(torch::equal(fresh.model->forward(x, t, labels, {}, &cache), plain));
    // The deep blocks are not run: zeroing the middle block leaves a reusing forward as it was.
    for (auto& p : fresh.model->named_children()["middle_block"]->parameters()) p.zero_();
    CHECK(torch::equal(fresh.model->forward(x, t, labels, {}, &cache), plain));
    CHECK((fresh.model->forward(x, t, y) - plain).abs().max().item<double>() > 1e-3);
    // The shallow blocks see the new input.
    CHECK((fresh.model->forward(x * 0.5, t, labels, {}, &cache) - plain).abs().max().item<double>() > 1e-3);
  }
  LabelConditioning labels(y, true);
  DeepFeatureCache too_deep{model->input_blocks() + 1};
  CHECK_THROWS_WITH_AS(model->forward(x, t, labels, {}, &too_deep), doctest::Contains("out of range"), Error);
}
