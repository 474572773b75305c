// Diffusion maths against closed forms and against the reference's own arrays
// (tests/data/reference-schedules.json, written by make_reference_schedules.py).
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/diffusion/beta_schedule.h"
#include "core/diffusion/diffusion_process.h"
#include "core/diffusion/guided_denoiser.h"
#include "core/diffusion/respacing.h"
#include "core/model/label_conditioning.h"
#include "core/model/memory_estimate.h"
#include "core/model/spade_group_norm.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>

using namespace sdm;

namespace {

double max_relative_diff(const Eigen::ArrayXd& ours, const std::vector<double>& reference) {
  REQUIRE(static_cast<size_t>(ours.size()) == reference.size());
  double worst = 0;
  for (size_t i = 0; i < reference.size(); ++i)
    worst = std::max(worst, std::abs(ours[static_cast<Eigen::Index>(i)] - reference[i]) / std::max(1e-300, std::abs(reference[i])));
  return worst;
}

}  // namespace

TEST_CASE("linear and cosine schedules match their closed forms") {
  const auto linear = named_beta_schedule("linear", 1000);
  CHECK(linear[0] == doctest::Approx(1e-4));
  CHECK(linear[999] == doctest::Approx(0.02));
  CHECK(linear[500] == doctest::Approx(1e-4 + 500 * (0.02 - 1e-4) / 999));
  // Scaled to other step counts so the total noise stays comparable.
  CHECK(named_beta_schedule("linear", 250)[0] == doctest::Approx(4e-4));

  const auto cosine = named_beta_schedule("cosine", 1000);
  auto alpha_bar = [](double t) { return std::pow(std::cos((t + 0.008) / 1.008 * M_PI / 2), 2); };
  double product = 1;
  for (int i = 0; i < 999; ++i) product *= 1 - cosine[i];
  CHECK(product == doctest::Approx(alpha_bar(0.999) / alpha_bar(0)).epsilon(1e-9));
  CHECK(cosine[999] == doctest::Approx(0.999));  // clipped
  CHECK_THROWS_AS(named_beta_schedule("sigmoid", 1000), Error);
}

TEST_CASE("respaced processes equal the reference's arrays and timestep maps") {
  const auto cases = test::read_json(test::data_path("reference-schedules.json"));
  REQUIRE(cases.size() == 12);
  for (const auto& c : cases) {
    const std::string schedule = c["schedule"], spec = c["spec"];
    INFO(schedule, " '", spec, "'");
    const auto process = DiffusionProcess::create({schedule, 1000}, spec, VarianceType::LearnedRange);
    CHECK(process.timestep_map() == c["timestep_map"].get<std::vector<int>>());
    CHECK(max_relative_diff(process.betas(), c["betas"]) < 1e-10);
    CHECK(max_relative_diff(process.alphas_cumprod(), c["alphas_cumprod"]) < 1e-10);
    CHECK(max_relative_diff(process.posterior_variance(), c["posterior_variance"]) < 1e-10);
    CHECK(max_relative_diff(process.posterior_log_variance_clipped(), c["posterior_log_variance_clipped"]) < 1e-10);
    CHECK(max_relative_diff(process.posterior_mean_coef1(), c["posterior_mean_coef1"]) < 1e-10);
    CHECK(max_relative_diff(process.posterior_mean_coef2(), c["posterior_mean_coef2"]) < 1e-10);
  }
}

TEST_CASE("respacing index sets for every syntax") {
  CHECK(space_timesteps(10, "").size() == 10);
  CHECK(space_timesteps(1000, "ddim25").front() == 0);
  CHECK(space_timesteps(1000, "ddim25")[1] == 40);
  CHECK(space_timesteps(1000, "4") == std::vector<int>{0, 333, 666, 999});
  CHECK(space_timesteps(300, "1,2,3") == std::vector<int>{0, 100, 199, 200, 250, 299});
  CHECK_THROWS_WITH_AS(space_timesteps(10, "20"), doctest::Contains("cannot divide a section of 10 steps into 20"), Error);
  CHECK_THROWS_WITH_AS(space_timesteps(1000, "ddim999"), doctest::Contains("integer stride"), Error);
  CHECK_THROWS_WITH_AS(space_timesteps(1000, "ddim1"), doctest::Contains("at least 2 steps"), Error);
  CHECK(space_timesteps(1000, "ddim2") == std::vector<int>{0, 500});
  CHECK_THROWS_WITH_AS(space_timesteps(1000, "ten"), doctest::Contains("not a comma-separated list"), Error);
}

TEST_CASE("a DDIM count moves to the next one its integer stride takes, in the direction asked") {
  CHECK(ddim_step_count_toward(60, 59, 1000) == 63);  // strides 17 and 16 of 1000
  CHECK(ddim_step_count_toward(60, 63, 1000) == 59);
  CHECK(ddim_step_count_toward(25, 1, 1000) == 25);
  CHECK(ddim_step_count_toward(1, 2, 1000) == 2);
  CHECK(ddim_step_count_toward(999, 998, 1000) == 1000);
  for (int wanted = 1; wanted <= 1000; ++wanted)
    for (const int from : {wanted - 1, wanted + 1}) {
      const int count = ddim_step_count_toward(wanted, from, 1000);
      CHECK(space_timesteps(1000, "ddim" + std::to_string(count)).size() == size_t(count));
    }
}

TEST_CASE("respacing keeps the original noise levels at the kept steps") {
  const auto full = DiffusionProcess::create({}, "", VarianceType::LearnedRange);
  const auto spaced = DiffusionProcess::create({}, "10,10,30", VarianceType::LearnedRange);
  for (int k = 0; k < spaced.steps(); ++k)
    CHECK(spaced.alphas_cumprod()[k] == doctest::Approx(full.alphas_cumprod()[spaced.original_timestep(k)]).epsilon(1e-12));
}

TEST_CASE("x0 predicted from the true noise recovers x0; q_sample is the closed form") {
  const auto process = DiffusionProcess::create({}, "50", VarianceType::FixedSmall);
  torch::manual_seed(1);
  const auto x0 = torch::rand({2, 3, 8, 8}) * 2 - 1, eps = torch::randn({2, 3, 8, 8});
  for (int index : {0, 17, 49}) {
    const auto xt = process.q_sample(x0, index, eps);
    const double ab = process.alphas_cumprod()[index];
    CHECK((xt - (std::sqrt(ab) * x0 + std::sqrt(1 - ab) * eps)).abs().max().item<double>() < 1e-5);
    const auto p = process.predict(eps, xt, index, false);
    CHECK((p.pred_x0 - x0).abs().max().item<double>() < 2e-3);
    CHECK((process.eps_from_x0(xt, index, x0) - eps).abs().max().item<double>() < 2e-3);
  }
}

TEST_CASE("learned-range variance interpolates between the posterior's and beta's log-variance") {
  const auto process = DiffusionProcess::create({}, "50", VarianceType::LearnedRange);
  const auto x = torch::zeros({1, 3, 2, 2});
  for (double v : {-1.0, 0.0, 1.0}) {
    auto output = torch::cat({torch::zeros({1, 3, 2, 2}), torch::full({1, 3, 2, 2}, v)}, 1);
    const auto p = process.predict(output, x, 10, true);
    const double frac = (v + 1) / 2;
    const double expected = frac * std::log(process.betas()[10]) + (1 - frac) * process.posterior_log_variance_clipped()[10];
    CHECK(p.log_variance.mean().item<double>() == doctest::Approx(expected).epsilon(1e-6));
  }
}

TEST_CASE("a super-resolution stage's guidance gives the same ε batched or one forward per picture and pass") {
  torch::NoGradGuard no_grad;
  auto sr = load_model(test::data_path("tiny-sr.pt"));
  const auto& c = sr.model->config();
  torch::manual_seed(5);
  const auto x = torch::randn({2, 3, c.image_height, c.image_width});
  const auto low_res = torch::rand({2, 3, c.low_res_height, c.low_res_width}) * 2 - 1;
  auto labels = torch::zeros({2, c.condition_channels(), c.image_height, c.image_width});
  labels.index_put_({0, 2}, 1.0);
  labels.index_put_({1, 4}, 1.0);
  GuidedDenoiser one_by_one(sr.model, labels, 2.0, true, low_res, GuidedDenoiser::Batching::OneByOne);
  GuidedDenoiser batched(sr.model, labels, 2.0, true, low_res, GuidedDenoiser::Batching::Batched);
  const auto out = one_by_one(x, 300);
  CHECK((batched(x, 300) - out).abs().max().item<double>() < 1e-4);
  // Each picture saw its own low-res picture: swapping them changes the result.
  GuidedDenoiser swapped(sr.model, labels, 2.0, true, low_res.flip(0), GuidedDenoiser::Batching::OneByOne);
  CHECK((swapped(x, 300) - out).abs().max().item<double>() > 1e-3);
}

TEST_CASE("guidance combines its two passes as eps_u + s (eps_c - eps_u), variance from the conditional pass") {
  torch::NoGradGuard no_grad;
  auto tiny = load_model(test::data_path("tiny.pt"));
  torch::manual_seed(3);
  const auto x = torch::randn({2, 3, 32, 32});
  auto labels = torch::zeros({2, 20, 32, 32});
  labels.index_put_({torch::indexing::Slice(), 5}, 1.0);
  const auto t = torch::full({2}, 500, torch::kLong);
  const auto cond = tiny.model->forward(x, t, labels), uncond = tiny.model->forward(x, t, torch::zeros_like(labels));

  // Batched (as this small network runs on a CPU) and one forward per picture and pass, the
  // unconditional one on null maps alone (as a released-size one does): in NCHW and in
  // channels-last with the fused norms.
  for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
    INFO(test::layout_name(format));
    tiny.model->set_memory_format(format);
    GuidedDenoiser guided(tiny.model, labels, 2.5, true, {}, GuidedDenoiser::Batching::OneByOne);
    const auto out = guided(x, 500);
    const auto expected_eps = uncond.narrow(1, 0, 3) + 2.5 * (cond.narrow(1, 0, 3) - uncond.narrow(1, 0, 3));
    CHECK((out.narrow(1, 0, 3) - expected_eps).abs().max().item<double>() < 1e-4);
    CHECK((out.narrow(1, 3, 3) - cond.narrow(1, 3, 3)).abs().max().item<double>() < 1e-5);
    CHECK(guided.cached_bytes() > 0);
    // Both passes of both pictures in one batch give the same ε: with the doubled batch encoded,
    // as a CPU runs it, and with each picture encoded once for both passes, as a GPU does.
    GuidedDenoiser batched(tiny.model, labels, 2.5);
    CHECK((batched(x, 500) - out).abs().max().item<double>() < 1e-4);
    GuidedDenoiser shared(tiny.model, labels, 2.5, true, {}, GuidedDenoiser::Batching::Batched);
    CHECK((shared(x, 500) - out).abs().max().item<double>() < 1e-4);
  }
  tiny.model->set_memory_format(torch::MemoryFormat::Contiguous);
  // s ≤ 1 means no guidance: the conditional output itself.
  GuidedDenoiser unguided(tiny.model, labels, 1.0);
  CHECK((unguided(x, 500) - cond).abs().max().item<double>() < 1e-5);
}

TEST_CASE("null maps give the forward of explicit all-zero maps, their modulation a few values per layer") {
  auto tiny = load_model(test::data_path("tiny.pt"));
  torch::manual_seed(5);
  auto labels = torch::zeros({1, 20, 32, 32});
  labels.index_put_({0, 3}, 1.0);
  labels.index_put_({0, 3, torch::indexing::Slice(0, 12)}, 0.0);
  labels.index_put_({0, 7, torch::indexing::Slice(0, 12)}, 1.0);
  const auto zero_maps = torch::cat({labels, torch::zeros_like(labels)});
  LabelConditioning with_zero_maps(zero_maps, true), with_null_maps(labels, true, 1);
  CHECK(with_null_maps.batch() == 2);
  for (int64_t t : {999, 300}) {
    const auto x = torch::randn({2, 3, 32, 32});
    const auto timesteps = torch::full({2}, t, torch::kLong);
    torch::Tensor expected, got;
    {
      torch::NoGradGuard no_grad;
      expected = tiny.model->forward(x, timesteps, with_zero_maps);
      got = tiny.model->forward(x, timesteps, with_null_maps);
    }
    // Same sums in another order (convs on a 3×3 pattern instead of the whole map): float rounding only.
    CHECK((got - expected).abs().max().item<double>() < 1e-5);
    // With autograd on, the null maps' modulation is spelled out and gradients flow as before.
    LabelConditioning uncached(labels, false, 1);
    const auto graded = tiny.model->forward(x, timesteps, uncached);
    CHECK(graded.requires_grad());
    CHECK((graded.detach() - expected).abs().max().item<double>() < 1e-5);
  }
  // The zero maps' half of the cache is gone: a [1, C, ≤3, ≤3] pattern per layer.
  CHECK(with_null_maps.cached_layers() == with_zero_maps.cached_layers());
  CHECK(with_null_maps.cached_bytes() < 0.51 * with_zero_maps.cached_bytes());
}

TEST_CASE("cached SPADE modulation gives the same forward as computing it every step") {
  torch::NoGradGuard no_grad;
  auto tiny = load_model(test::data_path("tiny.pt"));
  torch::manual_seed(4);
  auto labels = torch::zeros({2, 20, 32, 32});
  labels.index_put_({torch::indexing::Slice(), 3}, 1.0);
  LabelConditioning cached(labels, true);
  for (int64_t t : {999, 500, 10}) {
    const auto x = torch::randn({2, 3, 32, 32});
    const auto timesteps = torch::full({2}, t, torch::kLong);
    CHECK(tiny.model->forward(x, timesteps, cached).equal(tiny.model->forward(x, timesteps, labels)));
  }
  // The first forward filled the cache: one entry per SPADE layer.
  int64_t spade_layers = 0;
  for (const auto& item : tiny.model->named_modules())
    if (dynamic_cast<SpadeGroupNormImpl*>(item.value().get())) ++spade_layers;
  CHECK(spade_layers == 2 * 7);  // 2 middle + 5 decoder SDM ResBlocks (one up-sampling), two norms each
  CHECK(cached.cached_layers() == static_cast<size_t>(spade_layers));
}

TEST_CASE("in channels-last the cache keeps each map's distinct modulation vectors: the same forward to rounding, a fraction of the bytes") {
  torch::NoGradGuard no_grad;
  auto tiny = load_model(test::data_path("tiny.pt"));
  tiny.model->set_memory_format(torch::MemoryFormat::ChannelsLast);
  // Two maps of a few regions, and the null maps of the unconditional pass.
  auto labels = torch::zeros({2, 20, 32, 32});
  labels.index_put_({0, 3}, 1.0);
  labels.index_put_({0, 3, torch::indexing::Slice(0, 12)}, 0.0);
  labels.index_put_({0, 7, torch::indexing::Slice(0, 12)}, 1.0);
  labels.index_put_({1, 5}, 1.0);
  labels.index_put_({1, 5, torch::indexing::Slice(), torch::indexing::Slice(20, 32)}, 0.0);
  labels.index_put_({1, 9, torch::indexing::Slice(), torch::indexing::Slice(20, 32)}, 1.0);
  LabelConditioning cached(labels, true, 2), uncached(labels, false, 2);
  torch::manual_seed(6);
  for (int64_t t : {999, 500, 10}) {
    const auto x = torch::randn({4, 3, 32, 32});
    const auto timesteps = torch::full({4}, t, torch::kLong);
    // The palette's γ and β sum their terms in another order than the convolutions over the map.
    const auto with_palette = tiny.model->forward(x, timesteps, cached), with_maps = tiny.model->forward(x, timesteps, uncached);
    CHECK(((with_palette - with_maps).abs().max() / with_maps.abs().max()).item<double>() < 1e-5);
  }
  // Each layer's palette holds far fewer vectors than its map has pixels.
  const auto full = estimate_sampling_memory(tiny.model->config(), torch::kFloat, {.pictures = 2}).modulation_cache;
  CHECK(cached.cached_bytes() < full / 3);
  tiny.model->set_memory_format(torch::MemoryFormat::Contiguous);
  // A palette made for channels-last input is not read as a map.
  CHECK_THROWS(tiny.model->forward(torch::randn({4, 3, 32, 32}), torch::full({4}, 10, torch::kLong), cached));
}

TEST_CASE("the memory estimate's SPADE cache is what the cache holds after a forward") {
  torch::NoGradGuard no_grad;
  auto tiny = load_model(test::data_path("tiny.pt"));
  const auto& config = tiny.model->config();
  auto labels = torch::zeros({2, config.condition_channels(), config.image_height, config.image_width});
  labels.index_put_({torch::indexing::Slice(), 1}, 1.0);
  LabelConditioning cached(labels, true, 2);
  tiny.model->forward(torch::randn({4, 3, config.image_height, config.image_width}), torch::full({4}, 500, torch::kLong), cached);
  const auto estimate = estimate_sampling_memory(config, torch::kFloat, {.pictures = 2});
  // The null maps' 3×3 patterns are the only part the estimate leaves out.
  CHECK(estimate.modulation_cache <= cached.cached_bytes());
  CHECK(estimate.modulation_cache >= cached.cached_bytes() - static_cast<int64_t>(cached.cached_layers()) * 2 * 9 * 4 * 256);
  CHECK(estimate_sampling_memory(config, torch::kBFloat16, {.pictures = 2}).modulation_cache * 2 == estimate.modulation_cache);
  CHECK(estimate_sampling_memory(config, torch::kFloat, {.pictures = 4}).activations > estimate.activations);
  CHECK(estimate_sampling_memory(config, torch::kFloat, {.pictures = 2, .batched_guidance = false}).activations < estimate.activations);
  CHECK(estimate_sampling_memory(config, torch::kFloat, {.pictures = 2, .guided = false}).activations < estimate.activations);
}

TEST_CASE("deep feature reuse computes the whole network every interval-th call and after a timestep jump back up") {
  torch::NoGradGuard no_grad;
  auto tiny = load_model(test::data_path("tiny.pt"));
  torch::manual_seed(11);
  const auto x = torch::randn({2, 3, 32, 32});
  auto labels = torch::zeros({2, 20, 32, 32});
  labels.index_put_({0, 5}, 1.0);
  labels.index_put_({1, 2}, 1.0);
  // A call computed the whole network when it gives the plain denoiser's output bit for bit.
  const std::vector<int64_t> timesteps{900, 800, 700, 600, 500, 550, 450};
  const std::vector<bool> full{true, false, false, true, false, true, false};  // interval 3; 550 is a jump up
  for (const auto batching : {GuidedDenoiser::Batching::Batched, GuidedDenoiser::Batching::OneByOne}) {
    CAPTURE(static_cast<int>(batching));
    GuidedDenoiser plain(tiny.model, labels, 2.0, true, {}, batching), reusing(tiny.model, labels, 2.0, true, {}, batching);
    reusing.set_feature_reuse({.interval = 3, .depth = 2});
    for (size_t k = 0; k < timesteps.size(); ++k) {
      CAPTURE(timesteps[k]);
      const auto step = x * (1.0 - 0.05 * static_cast<double>(k));  // as a sample moves
      const auto expected = plain(step, timesteps[k]), got = reusing(step, timesteps[k]);
      if (full[k]) CHECK(torch::equal(got, expected));
      else CHECK(test::max_diff(got, expected) > 1e-5);
      // An approximation of the same thing, not another output.
      CHECK(test::max_diff(got, expected) < 0.5 * expected.abs().max().item<double>());
    }
  }
  GuidedDenoiser denoise(tiny.model, labels, 2.0);
  CHECK_THROWS_WITH_AS(denoise.set_feature_reuse({.interval = 0}), doctest::Contains("interval 0"), Error);
}

TEST_CASE("the memory estimate's deep features are what the passes keep, at every depth") {
  torch::NoGradGuard no_grad;
  auto tiny = load_model(test::data_path("tiny.pt"));
  const auto& config = tiny.model->config();
  auto labels = torch::zeros({2, config.condition_channels(), config.image_height, config.image_width});
  labels.index_put_({torch::indexing::Slice(), 1}, 1.0);
  const auto x = torch::randn({2, 3, config.image_height, config.image_width});
  for (int depth = 1; depth <= tiny.model->input_blocks(); ++depth) {
    CAPTURE(depth);
    for (const double guidance : {1.0, 2.0}) {
      GuidedDenoiser plain(tiny.model, labels, guidance, true, {}, GuidedDenoiser::Batching::OneByOne);
      GuidedDenoiser reusing(tiny.model, labels, guidance, true, {}, GuidedDenoiser::Batching::OneByOne);
      reusing.set_feature_reuse({.interval = 2, .depth = depth});
      plain(x, 500);
      reusing(x, 500);
      const auto estimate = estimate_sampling_memory(config, torch::kFloat, {.pictures = 2, .guided = guidance != 1.0, .deep_feature_depth = depth});
      CHECK(estimate.deep_features > 0);
      CHECK(reusing.cached_bytes() - plain.cached_bytes() == estimate.deep_features);
    }
  }
  CHECK(estimate_sampling_memory(config, torch::kFloat, {.pictures = 2}).deep_features == 0);
}
