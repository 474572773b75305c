#include "app/option_checks.h"

#include "core/base/device.h"
#include "core/base/error.h"
#include "core/diffusion/respacing.h"
#include "core/diffusion/solver.h"
#include "core/io/path_checks.h"
#include "core/io/resource_paths.h"
#include "core/model/model_config.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>

namespace sdm::cli {

namespace {

// A validator from a core check that throws sdm::Error: its message is the validator's.
CLI::Validator core_check(std::function<void(const std::string&)> check, const char* description) {
  return CLI::Validator(
      [check = std::move(check)](std::string& text) -> std::string {
        try {
          check(text);
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      description);
}

// A validator from one of path_checks.h's checks.
CLI::Validator path_check(std::string (*check)(const std::filesystem::path&), const char* description) {
  return CLI::Validator([check](std::string& text) { return check(text); }, description);
}

// A number of type T in [min, max]; NaN and infinities are never in range.
template <typename T>
CLI::Validator number_range(T min, T max, const char* kind, const char* name) {
  std::ostringstream written;
  written << "[" << min << ", " << max << "]";
  const std::string range = written.str();
  return CLI::Validator(
      [min, max, range, kind](std::string& text) -> std::string {
        T value{};
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(static_cast<double>(value))) return "'" + text + "' is not " + kind;
        if (value < min || value > max) return text + " is outside " + range;
        return {};
      },
      std::string(name) + " in " + range);
}

}  // namespace

CLI::Validator finite_range(double min, double max) { return number_range(min, max, "a number", "NUMBER"); }

CLI::Validator whole_range(int64_t min, int64_t max) { return number_range(min, max, "a whole number", "INTEGER"); }

const CLI::Validator readable_file = path_check(unreadable_file, "FILE");
const CLI::Validator existing_folder = path_check(missing_folder, "FOLDER");
const CLI::Validator writable_file = path_check(unwritable_file, "FILE (writable)");
const CLI::Validator writable_folder = path_check(unwritable_folder, "FOLDER (writable)");

// Syntax and counts, laid out over more steps than any model has: whether the model's own steps
// can be divided so is checked when it samples.
const CLI::Validator step_spec = core_check([](const std::string& text) { space_timesteps(1 << 20, parse_step_spec(text).respacing); }, "SPEC");
const CLI::Validator class_set_name = core_check([](const std::string& text) { required_class_set_path(text); }, "NAME");
const CLI::Validator device_name = core_check([](const std::string& text) { parse_device_name(text); }, "DEVICE");
const CLI::Validator dtype_name = core_check([](const std::string& text) { parse_dtype_name(text); }, "fp32|bf16|fp16");
const CLI::Validator dtype_or_auto = core_check(
    [](const std::string& text) {
      if (text != "auto") parse_dtype_name(text);
    },
    "auto|fp32|bf16|fp16");

CLI::Validator positive_int_list(bool allow_empty) {
  return core_check(
      [allow_empty](const std::string& text) {
        if (text.empty()) {
          if (!allow_empty) throw Error("give at least one number");
          return;
        }
        for (const int value : parse_int_list(text, "'" + text + "'"))
          if (value < 1) throw Error("'" + text + "': every number must be at least 1");
      },
      "N,N,…");
}

void add_threads_option(CLI::App& command) {
  command.add_option_function<int>("--threads", [](int threads) { torch::set_num_threads(threads); }, "CPU threads (default: all cores)")
      ->check(whole_range(1, 1024));
}

void add_feature_reuse_options(CLI::App& command, FeatureReuse& reuse, int* upscale_interval) {
  command
      .add_option("--deep-cache", reuse.interval,
                  "of every N steps, N-1 reuse the first one's deep features (DeepCache): faster, an approximation; 1 = off")
      ->check(whole_range(1, 1000))
      ->capture_default_str();
  command
      .add_option("--deep-cache-depth", reuse.depth,
                  "with --deep-cache, the encoder blocks a reusing step runs: 1 skips the most, at most the network's skip levels; "
                  "0 = its full-resolution blocks")
      ->check(whole_range(0, 1000))
      ->capture_default_str();
  if (upscale_interval)
    command
        .add_option("--upscale-deep-cache", *upscale_interval,
                    "--deep-cache for the upscaler's steps; off by default: its few steps lie too far apart, and reusing "
                    "leaves grain")
        ->check(whole_range(1, 1000))
        ->capture_default_str();
}

void check_feature_reuse(const FeatureReuse& base, const FeatureReuse& upscale, const Generator& generator) {
  for (const Generator* stage = &generator; stage; stage = stage->upscaler.get()) {
    const FeatureReuse& reuse = stage == &generator ? base : upscale;
    if (!reuse.enabled()) continue;
    const int levels = stage->model.model->input_blocks();
    if (reuse.depth > levels)
      throw Error("--deep-cache-depth " + std::to_string(reuse.depth) + ": " + stage->model.path.string() + " has " + std::to_string(levels) +
                  " skip levels (1 … " + std::to_string(levels) + ")");
  }
}

}  // namespace sdm::cli
