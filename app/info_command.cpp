#include "app/info_command.h"

#include "app/model_options.h"
#include "app/option_checks.h"
#include "core/checkpoint/model_file.h"
#include "core/checkpoint/model_presets.h"

#include <torch/torch.h>

#include <iostream>
#include <memory>

namespace sdm::cli {

namespace {

struct InfoOptions {
  ModelOptions model;
  bool json = false;
};

std::string dtype_name(c10::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat: return "float32";
    case torch::kHalf: return "float16";
    case torch::kBFloat16: return "bfloat16";
    case torch::kDouble: return "float64";
    default: return c10::toString(dtype);
  }
}

nlohmann::json describe(const LoadedModel& m) {
  const auto& c = m.config;
  const auto warning = c.colour_cast_warning();
  ModelConfig same_heads = c;
  const ModelPreset* preset = preset_with_label_space(c);
  if (preset) {
    same_heads.num_heads = preset->config.num_heads;
    same_heads.num_head_channels = preset->config.num_head_channels;
    same_heads.num_heads_upsample = preset->config.num_heads_upsample;
    same_heads.dropout = preset->config.dropout;
  }
  return {
      {"model", m.path.string()},
      {"image_size", {c.image_height, c.image_width}},
      {"super_resolution", c.super_resolution()},
      {"low_res_size", c.super_resolution() ? nlohmann::json{c.low_res_height, c.low_res_width} : nlohmann::json(nullptr)},
      {"upscaler", m.upscaler.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.upscaler.string())},
      {"num_classes", c.num_classes},
      {"instance_edges", c.instance_edges},
      {"num_channels", c.num_channels},
      {"channel_mult", c.channel_mult},
      {"num_res_blocks", c.num_res_blocks},
      {"attention_resolutions", c.attention_resolutions},
      {"num_heads", c.num_heads},
      {"num_head_channels", c.num_head_channels},
      {"num_heads_upsample", c.num_heads_upsample},
      {"use_new_attention_order", c.use_new_attention_order},
      {"learn_sigma", c.learn_sigma},
      {"use_scale_shift_norm", c.use_scale_shift_norm},
      {"resblock_updown", c.resblock_updown},
      {"spade_hidden", c.spade_hidden},
      {"spade_kernel", c.spade_kernel},
      {"parameters", m.parameters},
      {"dtype", dtype_name(m.checkpoint_dtype)},
      {"dataset", m.dataset},
      // The released configuration this one is, layer for layer, if any.
      {"preset", preset && same_heads == preset->config ? nlohmann::json(preset->name) : nlohmann::json(nullptr)},
      {"assumptions", m.assumptions},
      {"warnings", warning.empty() ? nlohmann::json::array() : nlohmann::json::array({warning})},
  };
}

std::string yes_no(bool value) { return value ? "yes" : "no"; }

void print_text(const nlohmann::json& d) {
  auto list = [](const nlohmann::json& values) {
    std::string text;
    for (const auto& v : values) text += (text.empty() ? "" : ",") + std::to_string(v.get<int>());
    return text.empty() ? std::string("none") : text;
  };
  const int head_channels = d["num_head_channels"];
  std::cout << "model:          " << d["model"].get<std::string>() << "\n"
            << "dataset:        " << d["dataset"].get<std::string>()
            << (d["preset"].is_null() ? "" : " (the released " + d["preset"].get<std::string>() + " configuration)") << "\n"
            << "image size:     " << d["image_size"][0] << "x" << d["image_size"][1] << " (HxW)\n"
            << "stage:          "
            << (d["super_resolution"].get<bool>()
                    ? "super-resolution from " + std::to_string(d["low_res_size"][0].get<int>()) + "x" + std::to_string(d["low_res_size"][1].get<int>())
                    : "base" + (d["upscaler"].is_null() ? std::string() : ", upscaled by " + d["upscaler"].get<std::string>()))
            << "\n"
            << "classes:        " << d["num_classes"] << (d["instance_edges"].get<bool>() ? " + instance-edge channel" : "") << "\n"
            << "channels:       " << d["num_channels"] << " x (" << list(d["channel_mult"]) << "), "
            << d["num_res_blocks"] << " res blocks per level\n"
            << "attention at:   " << list(d["attention_resolutions"]) << " px, "
            << (head_channels != -1 ? std::to_string(head_channels) + " channels per head"
                                    : std::to_string(d["num_heads"].get<int>()) + " heads")
            << (d["use_new_attention_order"].get<bool>() ? "" : " (legacy order)") << "\n"
            << "learned sigma:  " << yes_no(d["learn_sigma"]) << "\n"
            << "scale-shift:    " << yes_no(d["use_scale_shift_norm"]) << "\n"
            << "resblock up/down: " << yes_no(d["resblock_updown"]) << "\n"
            << "SPADE:          " << d["spade_hidden"] << " hidden, " << d["spade_kernel"] << "x" << d["spade_kernel"] << " kernel\n"
            << "parameters:     " << d["parameters"] << " (" << d["dtype"].get<std::string>() << ")\n";
  for (const auto& assumption : d["assumptions"]) std::cout << "assumed:        " << assumption.get<std::string>() << "\n";
  for (const auto& warning : d["warnings"]) std::cout << "warning:        " << warning.get<std::string>() << "\n";
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  auto* command = app.add_subcommand("info", "Describe a checkpoint: its inferred config, size and dataset");
  command->add_option("model", options->model.path, "checkpoint (.pt); default: the shipped model")->check(readable_file);
  command->add_flag("--json", options->json, "print one JSON object");
  options->model.add_head_options(*command);
  command->callback([options] {
    const auto description = describe(options->model.load());
    if (options->json)
      std::cout << description.dump(2) << "\n";
    else
      print_text(description);
  });
}

}  // namespace sdm::cli
