// The sampler against the reference: both shared runs of image_sample.py reproduced, plus the
// properties the app relies on (variations, guidance, cancellation, masked regeneration).
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/diffusion/low_res_conditioning.h"
#include "core/diffusion/batch_parts.h"
#include "core/diffusion/sampling_loop.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "test_support.h"
#include "tests/tiny_upscaler_model.h"

#include <doctest/doctest.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <tuple>
#include <iterator>
#include <numeric>

using namespace sdm;

namespace {

torch::Tensor reference_sample(const std::string& run) {
  std::ifstream in(test::data_path(run + ".pt"), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return torch::pickle_load(bytes).toGenericDict().at("sample").toTensor();
}

// One of the shared reference sampling runs (seed 7) of a model, in one layout of the network.
struct ReferenceRun {
  std::string name;  // the stem of its .pt and .png files
  std::string steps;
  double guidance;
  c10::MemoryFormat format;
  std::string label() const { return name + " (" + test::layout_name(format) + ")"; }
};

// The two shared runs of `model` ("tiny" or "tiny-sr"), each in NCHW and in channels-last with
// the fused norms (how load_generator samples on a CPU).
std::vector<ReferenceRun> reference_runs(const std::string& model) {
  std::vector<ReferenceRun> runs;
  for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
    runs.push_back({model + "-sample-seed7-50-s1.5", "50", 1.5, format});
    runs.push_back({model + "-sample-seed7-ddim25-s2.0", "ddim25", 2.0, format});
  }
  return runs;
}

// The tiny reference model and its label map + instance edges, `count` copies.
struct Tiny {
  LoadedModel model = load_model(test::data_path("tiny.pt"));
  torch::Tensor labels(int64_t count = 1) const {
    const auto ids = read_label_map(test::data_path("tiny-labels.png"), 19, nullptr, 32, 32);
    const auto instances = read_instance_map(test::data_path("tiny-instances.png"), 32, 32);
    return encode_label_map(ids, 19, true, instances).expand({count, -1, -1, -1}).contiguous();
  }
  // The tiny model's request for `count` copies of its map.
  SamplingRequest request(const std::string& steps, double guidance, int64_t seed, int64_t count = 1) const {
    SamplingRequest request;
    request.model = model.model;
    request.diffusion = model.diffusion;
    request.labels = labels(count);
    request.steps = steps;
    request.guidance = guidance;
    request.seed = seed;
    return request;
  }
  SamplingResult run(const std::string& steps, double guidance, int64_t seed, int64_t count = 1,
                     const StepCallback& on_step = {}, const KnownRegion* known = nullptr) const {
    auto r = request(steps, guidance, seed, count);
    r.on_step = on_step;
    if (known) r.known = *known;
    return sample(r);
  }
};

using test::max_diff;

}  // namespace

TEST_CASE("the label map encoding equals the reference's conditioning input") {
  std::ifstream in(test::data_path("tiny-forward.pt"), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto y = torch::pickle_load(bytes).toGenericDict().at("y").toTensor();
  CHECK(Tiny().labels().equal(y.narrow(0, 0, 1)));
}

TEST_CASE("both shared reference runs are reproduced: DDPM 50 steps s = 1.5 and ddim25 s = 2.0, seed 7") {
  Tiny tiny;
  for (const auto& run : reference_runs("tiny")) {
    INFO(run.label());
    tiny.model.model->set_memory_format(run.format);
    const auto images = tiny.run(run.steps, run.guidance, 7).images;
    const double diff = max_diff(images, reference_sample(run.name));
    MESSAGE(run.label(), ": max |diff| vs reference: ", diff);
    CHECK(diff < 1e-3);
    // And the PNG we write is the reference's PNG (a value on a rounding boundary may differ by one).
    const cv::Mat theirs = read_rgb_image(test::data_path(run.name + ".png"));
    CHECK(cv::norm(tensor_to_rgb(images[0]), theirs, cv::NORM_INF) <= 1.0);
  }
}

TEST_CASE("in bf16 the shared reference runs stay within bf16's tolerance of the reference's fp32 pictures") {
  // bf16 keeps 8 significant bits: each convolution's output is rounded to ~0.4 %, over 25–50
  // steps. The tolerance is on the picture as it is saved, where one 8-bit level is 2/255 of the
  // [-1, 1] range: the mean error under a quarter of a level and 99 % of the values within one
  // (measured: mean 0.0003–0.0004, 99th percentile 0.0013–0.0022). Single values may differ
  // more (measured up to 0.18) where a step's rounding tips a pixel of an edge the other way.
  Tiny tiny;
  tiny.model.model->convert_torso(torch::kBFloat16);
  for (const auto& run : reference_runs("tiny")) {
    INFO(run.label());
    tiny.model.model->set_memory_format(run.format);
    const auto images = tiny.run(run.steps, run.guidance, 7).images;
    const auto error = (images - reference_sample(run.name)).abs().flatten();
    const double mean = error.mean().item<double>(), p99 = std::get<0>(error.kthvalue(static_cast<int64_t>(error.numel() * 0.99))).item<double>();
    MESSAGE(run.label(), ": bf16 vs the reference's fp32: mean |diff| ", mean, ", 99th percentile ", p99, ", max ",
            error.max().item<double>());
    CHECK(mean < 0.25 * 2 / 255);
    CHECK(p99 < 2.0 / 255);
  }
}

TEST_CASE("both super-resolution reference runs are reproduced, the low-res picture kept in both guidance passes") {
  auto model = load_model(test::data_path("tiny-sr.pt"));
  const auto ids = read_label_map(test::data_path("tiny-sr-labels.png"), 12, nullptr, 64, 64);
  const auto low_res = rgb_to_tensor(read_rgb_image(test::data_path("tiny-sr-low.png"))).unsqueeze(0);
  REQUIRE(low_res.sizes() == at::IntArrayRef({1, 3, 16, 16}));
  for (const auto& run : reference_runs("tiny-sr")) {
    INFO(run.label());
    model.model->set_memory_format(run.format);
    SamplingRequest request;
    request.model = model.model;
    request.diffusion = model.diffusion;
    request.labels = encode_label_map(ids, 12, false, {});
    request.low_res = low_res;
    request.steps = run.steps;
    request.guidance = run.guidance;
    request.seed = 7;
    const auto images = sample(request).images;
    const double diff = max_diff(images, reference_sample(run.name));
    MESSAGE(run.label(), ": max |diff| vs reference: ", diff);
    CHECK(diff < 2.0 / 255);
    const cv::Mat theirs = read_rgb_image(test::data_path(run.name + ".png"));
    CHECK(cv::norm(tensor_to_rgb(images[0]), theirs, cv::NORM_INF) <= 2.0);
  }
}

namespace {
UNetModel tiny_upscaler() { return test::tiny_upscaler(test::data_path("tiny-sr.json")); }

// The tiny upscaler's request to refine the tiny model's `count` pictures of seed 40 (ddim10,
// s = 1.5), at twice their size; `base` receives those pictures.
SamplingRequest tiny_detail_request(const Tiny& tiny, int64_t count, torch::Tensor& base) {
  base = tiny.run("ddim10", 1.5, 40, count).images;
  SamplingRequest detail;
  detail.model = tiny_upscaler();
  detail.labels = torch::nn::functional::interpolate(
      tiny.labels(count), torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{64, 64}).mode(torch::kNearest));
  detail.low_res = base;
  detail.seed = 40;
  return detail;
}
}  // namespace

TEST_CASE("a super-resolution stage follows its low-res input, the blur its sidecar asks for, and its consistency") {
  Tiny tiny;
  torch::Tensor base;
  auto detail = tiny_detail_request(tiny, 2, base);
  detail.steps = "ddim5";
  detail.guidance = 2.0;
  detail.low_res_blur = 0.5;
  const auto refined = sample(detail).images;
  REQUIRE(refined.sizes() == at::IntArrayRef({2, 3, 64, 64}));
  // The low-res input matters (not a no-op stage), and so does the blur the sidecar asks for.
  detail.low_res = -base;
  CHECK(max_diff(sample(detail).images, refined) > 0.1);
  detail.low_res = base;
  detail.low_res_blur = 0;
  CHECK(max_diff(sample(detail).images, refined) > 1e-3);

  // With low-res consistency on every step (and no clipping, which would bend it), the stage's
  // picture area-downsamples to its input exactly: it adds detail, not new colours.
  detail.low_res_blur = 0.5;
  detail.low_res_consistency = 1.0;
  detail.clip_denoised = false;
  const auto consistent = sample(detail).images;
  CHECK(max_diff(area_downsample(consistent, 2), base) < 1e-4);
  CHECK(max_diff(consistent, refined) > 1e-2);
}

TEST_CASE("a super-resolution stage that samples the trajectory's end starts from its low-res picture, enlarged and noised") {
  Tiny tiny;
  torch::Tensor base;
  auto detail = tiny_detail_request(tiny, 1, base);
  detail.steps = "ddim10";  // timesteps 0, 100, …, 900
  detail.guidance = 1.0;
  detail.clip_denoised = false;
  std::vector<int> timesteps;
  detail.on_step = [&](const StepProgress& p) {
    timesteps.push_back(p.timestep);
    return true;
  };
  // From pure noise, ten steps, and the untrained stage's picture is not the base's.
  CHECK(planned_steps(detail) == 10);
  const auto from_noise = sample(detail).images;
  CHECK(timesteps.front() == 900);
  CHECK(max_diff(area_downsample(from_noise, 2), base) > 0.2);

  // Half the trajectory: five steps, from timestep 400.
  detail.low_res_start = 0.5;
  timesteps.clear();
  CHECK(planned_steps(detail) == 5);
  sample(detail);
  CHECK(timesteps == std::vector<int>{400, 300, 200, 100, 0});

  // Only the last step, at timestep 0 (ᾱ = 1 − 10⁻⁴): the picture is the enlarged base picture
  // but for one step of 1 % noise, so it area-downsamples to the base's within that.
  detail.low_res_start = 0.1;
  timesteps.clear();
  const auto from_base = sample(detail).images;
  CHECK(timesteps == std::vector<int>{0});
  CHECK(max_diff(area_downsample(from_base, 2), base) < 0.05);

  // A base model has no low-res picture to start from.
  auto base_request = tiny.request("ddim10", 1.5, 40);
  base_request.low_res_start = 0.5;
  CHECK_THROWS_AS(sample(base_request), Error);
}

TEST_CASE("on a CPU variation i alone is variation i of a batch, bit for bit (sampling_loop.h's policy)") {
  Tiny tiny;
  for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
    tiny.model.model->set_memory_format(format);
    const auto batch = tiny.run("ddim10", 1.5, 100, 3).images;
    const auto alone = tiny.run("ddim10", 1.5, 102, 1).images;
    CAPTURE(test::layout_name(format));
    CHECK(torch::equal(batch[2], alone[0]));
  }
  const auto batch = tiny.run("ddim10", 1.5, 100, 3).images;
  // …and variations differ from each other.
  CHECK(max_diff(batch[0], batch[1]) > 0.1);
}

TEST_CASE("DDIM with eta 0 is deterministic and DDPM is seeded") {
  Tiny tiny;
  CHECK(tiny.run("ddim10", 1.5, 3).images.equal(tiny.run("ddim10", 1.5, 3).images));
  CHECK(tiny.run("10", 1.5, 3).images.equal(tiny.run("10", 1.5, 3).images));
  CHECK(max_diff(tiny.run("10", 1.5, 3).images, tiny.run("10", 1.5, 4).images) > 0.1);
}

TEST_CASE("previews arrive once per step, in order, and cancelling stops within one step") {
  Tiny tiny;
  std::vector<int> steps, timesteps;
  tiny.run("ddim10", 1.5, 0, 1, [&](const StepProgress& p) {
    steps.push_back(p.step);
    timesteps.push_back(p.timestep);
    CHECK(p.total == 10);
    CHECK(p.preview.sizes() == at::IntArrayRef({1, 3, 32, 32}));
    return true;
  });
  CHECK(steps == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(timesteps == std::vector<int>{900, 800, 700, 600, 500, 400, 300, 200, 100, 0});

  int calls = 0;
  const auto cancelled = tiny.run("ddim10", 1.5, 0, 1, [&](const StepProgress& p) { return ++calls < 3; });
  CHECK(cancelled.cancelled);
  CHECK(calls == 3);
  CHECK_FALSE(cancelled.images.defined());
}

TEST_CASE("masked regeneration keeps every unmasked pixel of the photo") {
  Tiny tiny;
  const auto photo = torch::linspace(-1, 1, 3 * 32 * 32).reshape({1, 3, 32, 32});
  auto mask = torch::zeros({1, 1, 32, 32});
  mask.index_put_({0, 0, torch::indexing::Slice(8, 20), torch::indexing::Slice(4, 28)}, 1.0);
  for (int jump_length : {0, 2}) {
    KnownRegion known{photo, mask, jump_length, jump_length ? 2 : 1};
    int steps = 0;
    const auto result = tiny.run("ddim10", 1.5, 5, 1, [&](const StepProgress&) { return ++steps > 0; }, &known).images;
    CHECK(steps == (jump_length ? 18 : 10));  // jumps revisit 2 levels in each of 4 segments
    CHECK(result.masked_select(mask == 0).equal(photo.masked_select(mask.expand({1, 3, 32, 32}) == 0)));
    CHECK(max_diff(result.masked_select(mask.expand({1, 3, 32, 32}) == 1), photo.masked_select(mask.expand({1, 3, 32, 32}) == 1)) > 0.1);
  }
}

TEST_CASE("unknown step specs are refused") {
  Tiny tiny;
  CHECK_THROWS_WITH_AS(tiny.run("fast", 1.5, 0), doctest::Contains("steps 'fast'"), Error);
  CHECK_THROWS_WITH_AS(tiny.run("ddim999", 1.5, 0), doctest::Contains("integer stride"), Error);
}

TEST_CASE("DPM-Solver++(2M) converges to the 1000-step DDIM solution, and beats DDIM at 20 steps") {
  Tiny tiny;
  auto run = [&](const std::string& steps) {
    auto request = tiny.request(steps, 1.0, 21);
    request.clip_denoised = false;  // the ODE without clipping, so all solvers solve the same problem
    return sample(request).images;
  };
  const auto exact = run("ddim1000");
  const double dpm10 = max_diff(run("dpm++10"), exact), dpm20 = max_diff(run("dpm++20"), exact),
               dpm50 = max_diff(run("dpm++50"), exact), ddim20 = max_diff(run("ddim20"), exact);
  MESSAGE("max |x - x_ddim1000|: dpm++10 ", dpm10, ", dpm++20 ", dpm20, ", dpm++50 ", dpm50, ", ddim20 ", ddim20);
  CHECK(dpm20 < dpm10);
  CHECK(dpm50 < dpm20);
  CHECK(dpm20 < ddim20);
}

TEST_CASE("a batch that runs out of memory is sampled in smaller parts, with the same pictures") {
  // As a GPU batches them (a CPU samples one picture a part): the whole batch fails to allocate,
  // then its first half, then parts of one succeed.
  Tiny tiny;
  const auto whole = tiny.run("ddim10", 1.5, 40, 3).images;
  const auto out_of_memory = [] { throw c10::OutOfMemoryError({__func__, __FILE__, __LINE__}, "CUDA out of memory (simulated)"); };
  int failures_left = 2;
  std::vector<int> steps, totals;
  torch::Tensor preview_at_5;
  const StepCallback on_step = [&](const StepProgress& p) {
    steps.push_back(p.step), totals.push_back(p.total);
    if (p.step == 5) preview_at_5 = p.preview.clone();
    return true;
  };
  std::vector<int64_t> part_sizes;
  const auto on_smaller_parts = [&](int64_t count) { part_sizes.push_back(count); };
  auto sample_part = [&](int64_t first, int64_t count, const StepCallback& part_step) {
    if (failures_left > 0 && failures_left--) out_of_memory();
    auto part = tiny.request("ddim10", 1.5, 40 + first, count);
    part.on_step = part_step;
    return sample(part);
  };
  const auto parts = sample_in_parts(3, on_step, sample_part, on_smaller_parts).images;

  CHECK(part_sizes == std::vector<int64_t>{2, 1});
  CHECK(max_diff(parts, whole) < 1e-5);
  std::vector<int> expected_steps(30);
  std::iota(expected_steps.begin(), expected_steps.end(), 1);
  CHECK(steps == expected_steps);  // three parts of 10 steps, counted together
  CHECK(totals == std::vector<int>(30, 30));
  REQUIRE(preview_at_5.size(0) == 3);  // the whole batch's previews, the ones not started grey
  CHECK(preview_at_5[0].abs().max().item<double>() > 0.1);
  CHECK(preview_at_5[2].abs().max().item<double>() == 0.0);

  failures_left = 1000;
  CHECK_THROWS_WITH_AS(sample_in_parts(2, on_step, sample_part), doctest::Contains("out of memory even for one picture"), Error);
}

TEST_CASE("deep feature reuse: interval 1 is the plain sample, longer ones an approximation of it, a bad depth refused first") {
  Tiny tiny;
  const auto plain = tiny.run("ddim10", 1.5, 3, 2).images;
  auto request = tiny.request("ddim10", 1.5, 3, 2);
  request.feature_reuse = {.interval = 1, .depth = 1};
  CHECK(torch::equal(sample(request).images, plain));
  // Reusing changes the pictures, by much less than another seed does.
  const double other_seed = (tiny.run("ddim10", 1.5, 5, 2).images - plain).abs().mean().item<double>();
  for (const FeatureReuse reuse : {FeatureReuse{2, 3}, FeatureReuse{3, 3}}) {
    CAPTURE(reuse.interval);
    request.feature_reuse = reuse;
    const auto reused = sample(request).images;
    CHECK(max_diff(reused, plain) > 1e-4);
    CHECK((reused - plain).abs().mean().item<double>() < 0.25 * other_seed);
  }
  // Depth 0 stands for the top level: the input convolution and the full-resolution res blocks.
  request.feature_reuse = {.interval = 3, .depth = 0};
  const auto top_level = sample(request).images;
  CHECK(max_diff(top_level, plain) > 1e-4);
  request.feature_reuse.depth = request.model->config().num_res_blocks + 1;
  CHECK(torch::equal(sample(request).images, top_level));
  // A depth the network does not have is refused before the first step.
  request.feature_reuse = {.interval = 2, .depth = request.model->input_blocks() + 1};
  int steps = 0;
  request.on_step = [&](const StepProgress&) { return ++steps > 0; };
  CHECK_THROWS_WITH_AS(sample(request), doctest::Contains("out of range"), Error);
  CHECK(steps == 0);
}
