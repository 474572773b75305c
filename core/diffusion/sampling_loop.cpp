#include "core/diffusion/sampling_loop.h"

#include "core/base/error.h"
#include "core/base/system_memory.h"
#include "core/diffusion/batch_parts.h"
#include "core/diffusion/guided_denoiser.h"
#include "core/diffusion/low_res_conditioning.h"
#include "core/diffusion/noise_source.h"
#include "core/diffusion/respacing.h"
#include "core/diffusion/solver.h"
#include "core/model/memory_estimate.h"

#include <torch/torch.h>

#include <cmath>
#include <map>

namespace sdm {

namespace {

// The noise levels a sample passes through, from steps−1 down to −1 (the clean image). Without
// jumps it is a plain countdown; with them, RePaint's schedule: after reaching every multiple of
// `jump_length`, go back up that many levels, `jump_n − 1` times.
std::vector<int> visit_order(int steps, int jump_length, int jump_n) {
  std::map<int, int> jumps_left;
  if (jump_length > 0)
    for (int t = 0; t + jump_length < steps; t += jump_length) jumps_left[t] = jump_n - 1;
  std::vector<int> order{steps - 1};
  int t = steps - 1;
  while (t >= 0) {
    order.push_back(--t);
    if (t >= 0 && jumps_left[t] > 0) {
      --jumps_left[t];
      for (int k = 0; k < jump_length; ++k) order.push_back(++t);
    }
  }
  return order;
}

// The steps a visit order takes: its descents (a resampling jump is no step).
int descents(const std::vector<int>& order) {
  int count = 0;
  for (size_t k = 1; k < order.size(); ++k) count += order[k] < order[k - 1];
  return count;
}

// The respaced index a request's sample starts at, of a process with `steps` steps: the last one,
// unless a super-resolution stage samples only the last part of the trajectory.
int first_index(const SamplingRequest& request, int steps) {
  if (request.low_res_start >= 1) return steps - 1;
  return std::max(0, static_cast<int>(std::lround(request.low_res_start * steps)) - 1);
}

// `sample` for one part of the batch, all in memory at once.
SamplingResult sample_together(const SamplingRequest& request) {
  const auto& config = request.model->config();
  const auto plan = parse_step_spec(request.steps);
  const auto process = DiffusionProcess::create(request.diffusion, plan.respacing,
                                                config.learn_sigma ? VarianceType::LearnedRange : VarianceType::FixedLarge);
  const auto low_res = request.low_res.defined() ? gaussian_blur(request.low_res, request.low_res_blur) : request.low_res;
  GuidedDenoiser denoise(request.model, request.labels, request.guidance, request.cache_modulation, low_res);
  denoise.set_feature_reuse(request.feature_reuse);
  MultistepHistory history;

  const auto& labels = request.labels;
  const int64_t batch = labels.size(0);
  const std::vector<int64_t> image_shape{3, labels.size(2), labels.size(3)};
  NoiseSource noise(request.seed, batch, labels.device());
  const KnownRegion* known = request.known ? &*request.known : nullptr;
  // Replaces the known region by the photo at noise level `level` (−1: the photo itself).
  auto impose_known = [&](const torch::Tensor& x, int level) {
    if (!known) return x;
    const auto photo = level < 0 ? known->image : process.q_sample(known->image, level, noise.draw(image_shape));
    return known->mask * x + (1 - known->mask) * photo;
  };

  const int first = first_index(request, process.steps());
  const auto order = visit_order(first + 1, known ? known->jump_length : 0, known ? known->jump_n : 1);
  const int total = descents(order);

  // Steps at respaced indices ≥ this keep the low-res picture's low frequencies.
  const int consistent_from = request.low_res.defined() && request.low_res_consistency > 0
                                  ? process.steps() - static_cast<int>(std::lround(request.low_res_consistency * process.steps()))
                                  : process.steps();
  auto x = noise.draw(image_shape);
  if (first < process.steps() - 1) x = process.q_sample(keep_low_frequencies(torch::zeros_like(x), request.low_res), first, x);
  x = impose_known(x, first);
  int step = 0;
  for (size_t k = 1; k < order.size(); ++k) {
    const int from = order[k - 1], to = order[k];
    if (to > from) {  // a resampling jump: one forward-noising step; a multistep solver starts afresh
      x = impose_known(process.renoise_one_step(x, to, noise.draw(image_shape)), to);
      history = {};
      continue;
    }
    auto prediction = process.predict(denoise(x, process.original_timestep(from)), x, from, request.clip_denoised);
    if (from >= consistent_from) {
      auto x0 = keep_low_frequencies(prediction.pred_x0, request.low_res);
      prediction = process.with_x0(std::move(prediction), x, from, request.clip_denoised ? x0.clamp(-1, 1) : x0);
    }
    x = impose_known(solver_step(plan.solver, process, x, from, prediction, noise.draw(image_shape), request.eta, history), to);
    ++step;
    if (request.on_step) {
      const auto preview = known ? known->mask * prediction.pred_x0 + (1 - known->mask) * known->image : prediction.pred_x0;
      if (!request.on_step({step, total, process.original_timestep(from), preview})) return {{}, true};
    }
  }
  return {x, false};
}

// On a CPU, how many of `wanted` pictures fit in the memory this machine has free; none is an
// Error saying how much is needed, before any step. Linux overcommits memory, so running out would
// not be an exception to catch but the kernel killing the process mid-run.
int64_t pictures_that_fit(const SamplingRequest& request, int64_t wanted) {
  const auto available = available_memory_bytes();
  if (!available) return wanted;
  const auto& config = request.model->config();
  const auto dtype = request.model->torso_dtype();
  auto layout = sampling_layout(request, torch::kCPU);
  for (layout.pictures = wanted; layout.pictures > 0; --layout.pictures)
    if (estimate_sampling_memory(config, dtype, layout).total() <= *available) return layout.pictures;
  layout.pictures = 1;
  const int64_t needed = estimate_sampling_memory(config, dtype, layout).total();
  std::string hint;
  if (dtype == torch::kFloat)
    hint = " (in bf16 about " + format_gigabytes(estimate_sampling_memory(config, torch::kBFloat16, layout).total()) + ")";
  throw Error("sampling at " + std::to_string(config.image_height) + "x" + std::to_string(config.image_width) + " needs about " +
              format_gigabytes(needed) + " besides the model" + hint + "; this machine has " + format_gigabytes(*available) +
              " free: close other programs or use a machine with more memory");
}

}  // namespace

SamplingResult sample(const SamplingRequest& request) {
  torch::NoGradGuard no_grad;
  if (request.feature_reuse.enabled()) request.model->check_deep_feature_depth(request.feature_reuse.depth_in(request.model->config()));
  const auto& labels = request.labels;
  int64_t part_size = 0;  // the whole batch, in smaller parts when it runs out of memory
  if (labels.device().is_cpu()) part_size = pictures_that_fit(request, 1);  // one picture a part (sampling_loop.h)
  const auto& known = request.known;
  // Checked for the whole batch, before it may be split into parts.
  if (known && (known->image.sizes() != at::IntArrayRef({labels.size(0), 3, labels.size(2), labels.size(3)}) ||
                known->mask.size(0) != labels.size(0) || known->mask.size(2) != labels.size(2) || known->mask.size(3) != labels.size(3)))
    throw Error("the photo and mask must match the label map's size");
  if (request.low_res.defined() && (request.low_res.dim() != 4 || request.low_res.size(0) != labels.size(0)))
    throw Error("one low-res picture per label map is needed");
  if (request.low_res_start < 1 && !request.low_res.defined()) throw Error("only a super-resolution stage starts from its low-res pictures");
  auto sample_part = [&](int64_t first, int64_t count, const StepCallback& on_step) {
    auto part = request;
    part.labels = labels.narrow(0, first, count);
    part.seed = request.seed + first;
    if (request.low_res.defined()) part.low_res = request.low_res.narrow(0, first, count);
    part.on_step = on_step;
    if (known) part.known = KnownRegion{known->image.narrow(0, first, count), known->mask.narrow(0, first, count), known->jump_length, known->jump_n};
    return sample_together(part);
  };
  return sample_in_parts(labels.size(0), request.on_step, sample_part, request.on_smaller_parts, part_size);
}

int planned_steps(const SamplingRequest& request) {
  const auto plan = parse_step_spec(request.steps);
  const int steps = static_cast<int>(space_timesteps(request.diffusion.diffusion_steps, plan.respacing).size());
  const auto& known = request.known;
  return descents(visit_order(first_index(request, steps) + 1, known ? known->jump_length : 0, known ? known->jump_n : 1));
}

SamplingLayout sampling_layout(const SamplingRequest& request, const c10::Device& device) {
  const auto& reuse = request.feature_reuse;
  return {.pictures = request.labels.size(0),
          .guided = request.guidance != 1.0,
          .batched_guidance = batches_guidance_passes(request.model, device),
          .deep_feature_depth = reuse.enabled() ? reuse.depth_in(request.model->config()) : 0,
          .cpu = device.is_cpu()};
}

}  // namespace sdm
