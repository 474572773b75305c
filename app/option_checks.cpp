#include "app/option_checks.h"

#include "core/base/error.h"
#include "core/diffusion/respacing.h"
#include "core/diffusion/solver.h"
#include "core/io/path_checks.h"
#include "core/io/resource_paths.h"
#include "core/model/model_config.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <sstream>

namespace sdm::cli {

namespace {

// A validator from one of path_checks.h's checks.
CLI::Validator path_check(std::string (*check)(const std::filesystem::path&), const char* description) {
  return CLI::Validator([check](std::string& text) { return check(text); }, description);
}

}  // namespace

CLI::Validator finite_range(double min, double max) {
  std::ostringstream written;
  written << "[" << min << ", " << max << "]";
  const std::string range = written.str();
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value)) return "'" + text + "' is not a number";
        if (value < min || value > max) return text + " is outside " + range;
        return {};
      },
      "NUMBER in " + range);
}

CLI::Validator whole_range(int64_t min, int64_t max) {
  const std::string range = "[" + std::to_string(min) + ", " + std::to_string(max) + "]";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        int64_t value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a whole number";
        if (value < min || value > max) return text + " is outside " + range;
        return {};
      },
      "INTEGER in " + range);
}

const CLI::Validator readable_file = path_check(unreadable_file, "FILE");
const CLI::Validator existing_folder = path_check(missing_folder, "FOLDER");
const CLI::Validator writable_file = path_check(unwritable_file, "FILE (writable)");
const CLI::Validator writable_folder = path_check(unwritable_folder, "FOLDER (writable)");

const CLI::Validator step_spec(
    [](std::string& text) -> std::string {
      try {
        // Syntax and counts, laid out over more steps than any model has: whether the model's
        // own steps can be divided so is checked when it samples.
        space_timesteps(1 << 20, parse_step_spec(text).respacing);
      } catch (const Error& e) {
        return e.what();
      }
      return {};
    },
    "SPEC");

const CLI::Validator class_set_name(
    [](std::string& text) -> std::string {
      try {
        required_class_set_path(text);
      } catch (const Error& e) {
        return e.what();
      }
      return {};
    },
    "NAME");

CLI::Validator positive_int_list(bool allow_empty) {
  return CLI::Validator(
      [allow_empty](std::string& text) -> std::string {
        if (text.empty()) return allow_empty ? "" : "give at least one number";
        try {
          for (const int value : parse_int_list(text, "'" + text + "'"))
            if (value < 1) return "'" + text + "': every number must be at least 1";
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      "N,N,…");
}

const CLI::Validator device_name(
    [](std::string& text) -> std::string {
      if (text == "auto") return {};
      try {
        const c10::Device device(text);
        if (device.is_cpu() || device.is_cuda()) return {};
      } catch (const c10::Error&) {
      }
      return "unknown device '" + text + "' (auto, cpu, cuda or cuda:N)";
    },
    "DEVICE");

const CLI::Validator dtype_name = CLI::IsMember({"fp32", "bf16", "fp16"});

void add_threads_option(CLI::App& command) {
  command.add_option_function<int>("--threads", [](int threads) { torch::set_num_threads(threads); }, "CPU threads (default: all cores)")
      ->check(whole_range(1, 1024));
}

}  // namespace sdm::cli
