#include "core/checkpoint/model_file.h"

#include "core/base/error.h"
#include "core/checkpoint/model_presets.h"
#include "core/checkpoint/reference_flags.h"
#include "core/io/atomic_file.h"
#include "core/io/sidecar_path.h"
#include "core/model/parameter_init.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace sdm {

namespace {

nlohmann::json read_sidecar(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  try {
    auto json = nlohmann::json::parse(in);
    if (!json.is_object()) throw Error("not a JSON object");
    return json;
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": invalid sidecar JSON: " + e.what());
  } catch (const Error& e) {
    throw Error(path.string() + ": invalid sidecar JSON: " + e.what());
  }
}

// State dicts saved from DataParallel / DistributedDataParallel prefix every key with "module.".
void strip_module_prefix(StateDict& state) {
  const std::string prefix = "module.";
  for (const auto& [key, tensor] : state)
    if (key.compare(0, prefix.size(), prefix) != 0) return;
  for (auto& entry : state) entry.first.erase(0, prefix.size());
}

// Lists what differs between the file's keys and shapes and the network's, a few of each kind.
std::string describe_mismatch(const StateDict& state, const torch::OrderedDict<std::string, torch::Tensor>& expected) {
  std::map<std::string, torch::Tensor> found(state.begin(), state.end());
  std::vector<std::string> missing, unexpected, shapes;
  for (const auto& item : expected) {
    auto it = found.find(item.key());
    if (it == found.end()) missing.push_back(item.key());
    else if (it->second.sizes() != item.value().sizes())
      shapes.push_back(item.key() + " is " + c10::str(it->second.sizes()) + " in the file, " + c10::str(item.value().sizes()) + " in the network");
  }
  for (const auto& [key, tensor] : state)
    if (!expected.contains(key)) unexpected.push_back(key);
  std::string text;
  auto list = [&](const char* what, const std::vector<std::string>& items) {
    if (items.empty()) return;
    text += (text.empty() ? "" : "; ") + std::string(what) + " (" + std::to_string(items.size()) + "): ";
    for (size_t i = 0; i < std::min<size_t>(items.size(), 3); ++i) text += (i ? ", " : "") + items[i];
    if (items.size() > 3) text += ", …";
  };
  list("missing keys", missing);
  list("unexpected keys", unexpected);
  list("shape mismatch", shapes);
  return text;
}

std::filesystem::path upscaler_in_sidecar(const std::filesystem::path& model, const nlohmann::json& sidecar) {
  if (!sidecar.is_object() || !sidecar.contains("upscaler")) return {};
  if (!sidecar["upscaler"].is_string() || sidecar["upscaler"].get<std::string>().empty())
    throw Error(sidecar_path(model).string() + ": \"upscaler\" must name a checkpoint file");
  return model.parent_path() / sidecar["upscaler"].get<std::string>();
}

}  // namespace

std::filesystem::path named_upscaler(const std::filesystem::path& model) {
  return upscaler_in_sidecar(model, read_sidecar(sidecar_path(model)));
}

LoadedModel load_model(const std::filesystem::path& path, const HeadOptions& heads) {
  StateDict state = read_state_dict(path);
  strip_module_prefix(state);

  LoadedModel loaded;
  loaded.path = path;
  loaded.sidecar = read_sidecar(sidecar_path(path));
  const nlohmann::json flags = loaded.sidecar.is_object() ? loaded.sidecar.value("flags", loaded.sidecar) : nlohmann::json::object();

  InferredConfig inferred;
  try {
    inferred = infer_model_config(state, flags, heads);
    const SkipParameterInit every_weight_comes_from_the_file;
    loaded.model = UNetModel(inferred.config);
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
  loaded.config = inferred.config;
  try {
    const ReferenceFlags reference_flags(flags);
    loaded.diffusion.noise_schedule = reference_flags.text("noise_schedule").value_or("linear");
    loaded.diffusion.diffusion_steps = reference_flags.integer("diffusion_steps").value_or(1000);
  } catch (const Error& e) {
    throw Error(sidecar_path(path).string() + ": " + e.what());
  }
  loaded.assumptions = std::move(inferred.assumptions);

  auto parameters = loaded.model->named_parameters();
  if (const std::string mismatch = describe_mismatch(state, parameters); !mismatch.empty())
    throw Error(path.string() + ": weights do not fit the SDM U-Net inferred from them: " + mismatch);

  torch::NoGradGuard no_grad;
  std::map<c10::ScalarType, int64_t> elements_by_dtype;
  for (const auto& [key, tensor] : state) {
    if (!tensor.is_floating_point()) throw Error(path.string() + ": " + key + " holds " + std::string(c10::toString(tensor.scalar_type())) + ", not floating-point weights");
    auto parameter = parameters[key];
    // A tensor that owns its whole storage in the parameter's dtype becomes the parameter: the
    // file was read straight into it, and copying would hold the weights twice for a moment.
    const bool whole_storage = tensor.is_contiguous() && tensor.storage_offset() == 0 &&
                               tensor.storage().nbytes() == static_cast<size_t>(tensor.nbytes());
    if (whole_storage && tensor.scalar_type() == parameter.scalar_type())
      parameter.set_data(tensor);
    else
      parameter.copy_(tensor);
    loaded.parameters += tensor.numel();
    elements_by_dtype[tensor.scalar_type()] += tensor.numel();
  }
  loaded.checkpoint_dtype = std::max_element(elements_by_dtype.begin(), elements_by_dtype.end(),
                                             [](const auto& a, const auto& b) { return a.second < b.second; })->first;
  loaded.model->eval();

  if (loaded.sidecar.is_object() && loaded.sidecar.contains("classes") && loaded.sidecar["classes"].is_string())
    loaded.dataset = loaded.sidecar["classes"];
  else if (const auto* preset = preset_with_label_space(loaded.config))
    loaded.dataset = preset->name;
  else
    loaded.dataset = "custom";
  loaded.upscaler = upscaler_in_sidecar(path, loaded.sidecar);
  if (!loaded.upscaler.empty() && loaded.config.super_resolution())
    throw Error(sidecar_path(path).string() + ": a super-resolution stage names no \"upscaler\"");
  return loaded;
}

void save_model(const std::filesystem::path& path, UNetModel& model, const DiffusionConfig& diffusion,
                const nlohmann::json& extra) {
  StateDict state;
  for (const auto& item : model->named_parameters()) state.emplace_back(item.key(), item.value());
  write_state_dict(path, state);
  nlohmann::json sidecar = extra;
  sidecar["flags"] = model->config().to_reference_flags();
  sidecar["flags"]["noise_schedule"] = diffusion.noise_schedule;
  sidecar["flags"]["diffusion_steps"] = diffusion.diffusion_steps;
  write_file_atomically(sidecar_path(path), sidecar.dump(1) + "\n");
}

}  // namespace sdm
