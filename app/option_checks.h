#pragma once

#include "core/diffusion/feature_reuse.h"
#include "core/generation/generator.h"

#include <CLI/CLI.hpp>

#include <cstdint>

namespace sdm::cli {

// Checks for option values, so that a bad value is refused when the command line is read — one
// line naming the option — before a model loads or a run starts. CLI11's own Range lets NaN
// through and says nothing of paths that cannot be written.

// A whole number in [min, max].
CLI::Validator whole_range(int64_t min, int64_t max);

// The largest classifier-free guidance scale accepted (the paper sweeps up to 5; far beyond, the
// pictures saturate).
inline constexpr double kMaxGuidance = 50;

// A finite number in [min, max].
CLI::Validator finite_range(double min, double max);

// An input file that exists and can be read ("PATH: no such file", as the readers say it).
extern const CLI::Validator readable_file;
// An input folder that exists.
extern const CLI::Validator existing_folder;

// An output file: not a folder, in a folder that exists (or can be made) and can be written.
extern const CLI::Validator writable_file;
// An output folder: one that exists and can be written, or can be made.
extern const CLI::Validator writable_folder;

// A sampler and steps as parse_step_spec and the respacing read them ("ddim25", "dpm++20",
// "50", "10,10,30"), with at least one step.
extern const CLI::Validator step_spec;
// The name of a class set in resources/classes ("ade20k-landscape").
extern const CLI::Validator class_set_name;
// Comma-separated positive integers ("1,2,3,4"); empty allowed where the option says so.
CLI::Validator positive_int_list(bool allow_empty);
// auto, cpu, cuda or cuda:N.
extern const CLI::Validator device_name;
// fp32, bf16 or fp16.
extern const CLI::Validator dtype_name;
extern const CLI::Validator dtype_or_auto;  // dtype_name, or "auto" (see automatic_dtype)

// --threads N: LibTorch's CPU threads for the command (default: all cores).
void add_threads_option(CLI::App& command);

// --deep-cache N and --deep-cache-depth D: DeepCache's interval and depth (FeatureReuse) for the
// command's model; with `upscale_interval`, --upscale-deep-cache N for a cascade's upscaler.
void add_feature_reuse_options(CLI::App& command, FeatureReuse& reuse, int* upscale_interval = nullptr);
// The upscaler's reuse: its own interval, at the base's depth.
inline FeatureReuse upscale_feature_reuse(const FeatureReuse& base, int interval) { return {interval, base.depth}; }
// Once the models are loaded: --deep-cache-depth within the skip levels of every stage that
// reuses, else sdm::Error naming the option and the model.
void check_feature_reuse(const FeatureReuse& base, const FeatureReuse& upscale, const Generator& generator);

}  // namespace sdm::cli
