#include "app/bench_command.h"

#include "app/model_options.h"
#include "app/option_checks.h"
#include "core/base/device.h"
#include "core/base/error.h"
#include "core/base/process_malloc.h"
#include "core/diffusion/guided_denoiser.h"
#include "core/diffusion/sampling_loop.h"
#include "core/generation/generator.h"
#include "core/model/memory_estimate.h"
#ifdef SDM_WITH_IMAGES
#include "core/generation/generation_context.h"
#include "core/io/label_map.h"
#endif

#include <torch/torch.h>
#if __has_include(<torch/csrc/autograd/profiler_legacy.h>)
#include <torch/csrc/autograd/profiler_legacy.h>
#define SDM_HAVE_FLOP_PROFILER 1
#endif
#ifdef SDM_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace sdm::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
  ModelOptions model;
  std::string labels;
  std::string steps;  // empty: the model's recommendation
  std::string upscaler;
  bool no_upscale = false;
  std::string upscale_steps;
  double guidance = 1.5;
  int batch = 1;
  std::string device = "auto";
  std::string dtype = "fp32";
  bool no_cache = false;
  FeatureReuse feature_reuse;
  int upscale_deep_cache = 1;
  int repeats = 5;
  bool json = false;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

// Milliseconds of `run`, median of `repeats` after one warm-up.
template <typename Run>
double time_ms(const torch::Device& device, int repeats, Run run) {
  run();
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    synchronize(device);
    const auto start = Clock::now();
    run();
    synchronize(device);
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return median(times);
}

double peak_memory_mb(const torch::Device& device) {
#ifdef SDM_WITH_CUDA
  if (device.is_cuda()) {
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index() < 0 ? 0 : device.index());
    return static_cast<double>(stats.allocated_bytes[0].peak) / (1 << 20);
  }
#endif
  // Peak resident set size of the process.
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0.0;
}

// Starts peak_memory_mb's CPU figure afresh (Linux: writing 5 to clear_refs resets VmHWM), so
// that each phase — loading, timed forwards, the sample — reports its own peak.
void reset_peak_memory(const torch::Device& device) {
  if (device.is_cpu()) std::ofstream("/proc/self/clear_refs") << "5";
}

// The matmul throughput this device reaches: the practical limit for a conv-heavy network.
double gemm_peak_gflops(const torch::Device& device, torch::ScalarType dtype) {
  const int64_t n = device.is_cuda() ? 8192 : 2048;
  const auto options = torch::TensorOptions().device(device).dtype(dtype);
  const auto a = torch::randn({n, n}, options), b = torch::randn({n, n}, options);
  const double ms = time_ms(device, 5, [&] { torch::mm(a, b); });
  return 2.0 * n * n * n / (ms * 1e6);
}

// One call of `run` under LibTorch's profiler: its floating-point operations as the profiler
// counts them (convolutions and matrix products, the bulk), and milliseconds by operator, the
// outermost operators of the calling thread only (nested ones are inside their time). Empty where
// this LibTorch has no such profiler.
struct ForwardProfile {
  double flops = 0;
  std::map<std::string, double> ms_by_op;
};

template <typename Run>
ForwardProfile profile_forward(Run run) {
  ForwardProfile profile;
#ifdef SDM_HAVE_FLOP_PROFILER
  namespace profiler = torch::autograd::profiler;
  profiler::enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(
      torch::profiler::impl::ProfilerState::CPU, /*report_input_shapes=*/true, false, false, /*with_flops=*/true));
  run();
  const auto threads = profiler::disableProfilerLegacy();
  for (const auto& events : threads)
    for (const auto& event : events) profile.flops += static_cast<double>(const_cast<profiler::LegacyEvent&>(event).flops());
  auto total = [](const std::map<std::string, double>& m) {
    double sum = 0;
    for (const auto& [name, ms] : m) sum += ms;
    return sum;
  };
  // The calling thread's list is the one whose outermost operators take the longest.
  for (const auto& events : threads) {
    std::map<std::string, double> by_op;
    std::vector<const profiler::LegacyEvent*> open;
    for (const auto& event : events) {
      if (event.kind() == profiler::EventKind::PushRange) {
        open.push_back(&event);
      } else if (event.kind() == profiler::EventKind::PopRange && !open.empty()) {
        const auto* start = open.back();
        open.pop_back();
        if (open.empty()) by_op[start->name()] += start->cpuElapsedUs(event) / 1000.0;
      }
    }
    if (total(by_op) > total(profile.ms_by_op)) profile.ms_by_op = std::move(by_op);
  }
#else
  (void)run;
#endif
  return profile;
}

// A label map for timing when none is given: vertical bands of the first classes.
torch::Tensor banded_labels(const ModelConfig& c) {
  auto labels = torch::zeros({1, c.condition_channels(), c.image_height, c.image_width});
  const int bands = std::min(c.num_classes, 6);
  for (int b = 0; b < bands; ++b)
    labels.index_put_({0, b, torch::indexing::Slice(), torch::indexing::Slice(b * c.image_width / bands, (b + 1) * c.image_width / bands)}, 1.0);
  return labels;
}

torch::Tensor bench_labels(const BenchOptions& options, const Generator& generator) {
  const auto& c = generator.model.config;
  if (options.labels.empty()) return banded_labels(c).expand({options.batch, -1, -1, -1}).contiguous().to(generator.device);
#ifdef SDM_WITH_IMAGES
  return generator.condition(read_label_map(options.labels, c.num_classes, generator.class_set(), c.image_height, c.image_width),
                             options.batch);
#else
  throw Error("--labels needs a build with OpenCV");
#endif
}

// A super-resolution stage's input for timing: a smooth gradient at its low-res size.
torch::Tensor bench_low_res(const Generator& generator, int64_t batch) {
  const auto& c = generator.model.config;
  if (!c.super_resolution()) return {};
  const auto ramp = torch::linspace(-1, 1, c.low_res_width, torch::TensorOptions().device(generator.device));
  return ramp.view({1, 1, 1, -1}).expand({batch, 3, c.low_res_height, -1}).contiguous();
}

// Bytes of the network's parameters in the dtypes they are held in.
int64_t weight_bytes(const UNetModel& model) {
  int64_t bytes = 0;
  for (const auto& p : model->parameters()) bytes += p.numel() * static_cast<int64_t>(p.element_size());
  return bytes;
}

// Seconds since `start`, after the device has finished.
double seconds_since(const torch::Device& device, Clock::time_point start) {
  synchronize(device);
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One stage alone: a network evaluation as a step runs it (with guidance, the conditional and
// unconditional halves in one batched forward), its FLOPs, and a whole sample with its steps.
nlohmann::json stage_figures(const Generator& generator, const torch::Tensor& labels, const std::string& steps, double guidance,
                             const FeatureReuse& reuse, const BenchOptions& options) {
  const auto device = generator.device;
  const auto& c = generator.model.config;
  const auto low_res = bench_low_res(generator, labels.size(0));
  double forward_ms = 0, forward_peak_mb = 0;
  ForwardProfile profile;
  int64_t cache_bytes = 0;
  {
    // Its cache is freed before the sample below builds its own.
    GuidedDenoiser denoise(generator.model.model, labels, guidance, !options.no_cache, low_res);
    const auto x = torch::randn({labels.size(0), 3, c.image_height, c.image_width}, torch::TensorOptions().device(device));
    auto forward = [&] { denoise(x, 500); };
    forward_ms = time_ms(device, options.repeats, forward);
    cache_bytes = denoise.cached_bytes();
    forward_peak_mb = peak_memory_mb(device);
    if (device.is_cpu()) profile = profile_forward(forward);  // after the peak: its records add their own
  }
  reset_peak_memory(device);

  std::vector<double> step_ms;
  auto request = generator.request(labels);
  request.low_res = low_res;
  request.steps = steps;
  request.guidance = guidance;
  request.cache_modulation = !options.no_cache;
  request.feature_reuse = reuse;
  auto last = Clock::now();
  request.on_step = [&](const StepProgress&) {
    synchronize(device);
    const auto now = Clock::now();
    step_ms.push_back(std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
    return true;
  };
  // The first step also computes SPADE's γ/β; the median is the steady-state step.
  const auto start = Clock::now();
  last = start;
  sample(request);
  const double sample_s = seconds_since(device, start);
  const auto estimate = estimate_sampling_memory(c, generator.model.model->torso_dtype(), sampling_layout(request, device));
  // With DeepCache, step k computes the whole network when k is a multiple of the interval.
  std::vector<double> full_ms, reused_ms;
  for (size_t k = 1; k < step_ms.size(); ++k) (k % reuse.interval == 0 ? full_ms : reused_ms).push_back(step_ms[k]);
  auto median_or_null = [](const std::vector<double>& ms) { return ms.empty() ? nlohmann::json(nullptr) : nlohmann::json(median(ms)); };
  return {
      {"model", generator.model.path.string()},
      {"image_size", {c.image_height, c.image_width}},
      {"num_channels", c.num_channels},
      {"parameters", generator.model.parameters},
      {"steps", steps},
      {"guidance", guidance},
      {"step_ms", median(step_ms)},
      {"first_step_ms", step_ms.empty() ? 0.0 : step_ms.front()},
      {"forward_ms", forward_ms},
      {"sample_s", sample_s},
      {"peak_mem_forward_mb", forward_peak_mb},
      {"peak_mem_sample_mb", peak_memory_mb(device)},
      {"gflops", profile.flops > 0 ? nlohmann::json(profile.flops / (forward_ms * 1e6)) : nlohmann::json(nullptr)},
      {"weights_mb", static_cast<double>(weight_bytes(generator.model.model)) / (1 << 20)},
      {"spade_cache_mb", static_cast<double>(cache_bytes) / (1 << 20)},
      {"deep_cache", {{"interval", reuse.interval}, {"depth", reuse.depth_in(c)}}},
      {"full_step_ms", median_or_null(full_ms)},
      {"reused_step_ms", median_or_null(reused_ms)},
      {"deep_cache_mb", static_cast<double>(estimate.deep_features) / (1 << 20)},
      {"estimated_mb", static_cast<double>(estimate.total()) / (1 << 20)},
      {"forward_gflop", profile.flops > 0 ? nlohmann::json(profile.flops / 1e9) : nlohmann::json(nullptr)},
      {"forward_ms_by_op", profile.ms_by_op},
  };
}

// The upscaler `sdm generate` would chain with these options.
UpscalerChoice upscaler_choice(const BenchOptions& options) {
  if (options.no_upscale) return {UpscalerChoice::Kind::None, {}};
  if (!options.upscaler.empty()) return {UpscalerChoice::Kind::File, options.upscaler};
  return {};
}

void run_bench(const BenchOptions& options) {
  torch::NoGradGuard no_grad;
  const auto load_start = Clock::now();
  auto generator = load_generator(options.model.checkpoint(), options.model.heads(), options.device, options.dtype);
  const double load_s = seconds_since(generator.device, load_start);
  const double loaded_rss_mb = peak_memory_mb(generator.device);
  reset_peak_memory(generator.device);
  const auto device = generator.device;
  const auto choice = upscaler_choice(options);
  if (!generator.model.config.super_resolution()) {
    const auto note = attach_chosen_upscaler(generator, choice, options.device, options.dtype);
    if (!note.empty()) std::cerr << "note: " << note << "\n";
  }
  const auto upscale_reuse = upscale_feature_reuse(options.feature_reuse, options.upscale_deep_cache);
  check_feature_reuse(options.feature_reuse, upscale_reuse, generator);
  const auto labels = bench_labels(options, generator);
  const auto steps = options.steps.empty() ? generator.default_steps() : options.steps;
  nlohmann::json result = stage_figures(generator, labels, steps, options.guidance, options.feature_reuse, options);
  result["device"] = device.str();
  result["threads"] = torch::get_num_threads();
  result["malloc"] = process_malloc();
  result["dtype"] = options.dtype;
  result["batch"] = options.batch;
  result["spade_cache"] = !options.no_cache;
  if (generator.upscaler) {
    // The detail stage alone, then the whole chain as `sdm generate` runs it.
    const auto& upscaler = *generator.upscaler;
    const auto& u = upscaler.model.config;
    const auto high_labels = torch::nn::functional::interpolate(
        labels, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{u.image_height, u.image_width}).mode(torch::kNearest));
    const auto upscale_steps = options.upscale_steps.empty() ? upscaler.default_steps() : options.upscale_steps;
    result["upscaler"] = stage_figures(upscaler, high_labels, upscale_steps, upscaler.default_guidance(), upscale_reuse, options);
#ifdef SDM_WITH_IMAGES
    GenerationPlan chain;
    chain.labels = channel_ids(labels[0].narrow(0, 0, generator.model.config.num_classes).argmax(0), generator.class_set());
    chain.count = options.batch;
    chain.steps = parse_step_spec(steps);
    chain.guidance = options.guidance;
    chain.detail_steps = parse_step_spec(upscale_steps);
    chain.feature_reuse = options.feature_reuse;
    chain.detail_feature_reuse = upscale_reuse;
    GenerationContext context(std::move(generator), {.model = options.model.checkpoint(), .heads = options.model.heads(), .upscaler = choice,
                                                     .device = options.device, .dtype = options.dtype});
    const auto start = Clock::now();
    context.run(chain);
    result["chain_s"] = seconds_since(device, start);
#endif
  }
  result["load_s"] = load_s;
  result["peak_mem_after_load_mb"] = loaded_rss_mb;
  // The whole run's peak: the largest of its phases' (each measured afresh on a CPU).
  result["peak_mem_mb"] = std::max({loaded_rss_mb, result["peak_mem_forward_mb"].get<double>(),
                                    result["peak_mem_sample_mb"].get<double>(), peak_memory_mb(device)});
  // What the peak holds besides the weights and the cache: activations, runtime, allocator slack.
  result["other_mb"] = result["peak_mem_sample_mb"].get<double>() - result["weights_mb"].get<double>() - result["spade_cache_mb"].get<double>();
  result["gemm_peak_gflops"] = gemm_peak_gflops(device, select_dtype(options.dtype, device));
  if (options.json) {
    std::cout << result.dump() << "\n";
    return;
  }
  for (const auto& [key, value] : result.items()) std::cout << key << ": " << value.dump() << "\n";
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  auto* command = app.add_subcommand("bench", "Measure sampling speed and memory on this machine");
  options->model.add_to(*command);
  command->add_option("--labels", options->labels, "label map PNG (default: bands of the first classes)")->check(readable_file);
  command->add_option("--steps", options->steps, "sampler and steps, as for generate; default: the model's recommendation")
      ->check(step_spec);
  command->add_option("--upscaler", options->upscaler, "also time this super-resolution stage and the chain; default: the model's own")
      ->check(readable_file);
  command->add_flag("--no-upscale", options->no_upscale, "time the base model alone");
  command->add_option("--upscale-steps", options->upscale_steps, "the upscaler's steps; default: its recommendation")->check(step_spec);
  command->add_option("--guidance", options->guidance, "guidance scale of the base model (≠ 1 runs both passes; an upscaler uses its own)")
      ->check(finite_range(0, kMaxGuidance))
      ->capture_default_str();
  command->add_option("--batch", options->batch, "variations per sample")->check(whole_range(1, 64))->capture_default_str();
  command->add_option("--device", options->device, "auto, cpu, cuda or cuda:N")->check(device_name)->capture_default_str();
  add_threads_option(*command);
  command->add_option("--dtype", options->dtype, "fp32, fp16 (CUDA) or bf16")->check(dtype_name)->capture_default_str();
  command->add_flag("--no-cache", options->no_cache, "recompute SPADE's γ/β every step (to measure the cache)");
  add_feature_reuse_options(*command, options->feature_reuse, &options->upscale_deep_cache);
  command->add_option("--repeats", options->repeats, "forwards timed after one warm-up (their median is forward_ms)")
      ->check(whole_range(1, 100))
      ->capture_default_str();
  command->add_flag("--json", options->json, "print one JSON object");
  command->callback([options] { run_bench(*options); });
}

}  // namespace sdm::cli
