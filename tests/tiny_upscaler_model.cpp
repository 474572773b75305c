#include "tests/tiny_upscaler_model.h"

#include "core/checkpoint/reference_flags.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>

namespace sdm::test {

UNetModel tiny_upscaler(const std::filesystem::path& tiny_sr_json) {
  std::ifstream in(tiny_sr_json);
  ModelConfig config = ReferenceFlags(nlohmann::json::parse(in)["flags"]).to_model_config();
  config.num_classes = 19;
  config.instance_edges = true;
  config.low_res_height = config.low_res_width = 32;
  torch::manual_seed(3);
  UNetModel model(config);
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters()) p.normal_(0, 0.05);
  model->eval();
  return model;
}

}  // namespace sdm::test
