#include "core/evaluation/segmenter.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"
#include "core/io/sidecar_path.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>
#include <sstream>

namespace sdm {

namespace {

torch::nn::Sequential conv_block(int in, int out, int stride = 1) {
  const int groups = std::min(8, out / 4);
  return torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1)),
                               torch::nn::GroupNorm(groups, out), torch::nn::ReLU(),
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).padding(1)),
                               torch::nn::GroupNorm(groups, out), torch::nn::ReLU());
}

torch::Tensor up(const torch::Tensor& x) {
  return torch::nn::functional::interpolate(
      x, torch::nn::functional::InterpolateFuncOptions().scale_factor(std::vector<double>{2.0, 2.0}).mode(torch::kNearest));
}

}  // namespace

SegmenterImpl::SegmenterImpl(int num_classes, int width) : num_classes_(num_classes), width_(width) {
  enc1_ = register_module("enc1", conv_block(3, width));
  enc2_ = register_module("enc2", conv_block(width, 2 * width, 2));
  enc3_ = register_module("enc3", conv_block(2 * width, 4 * width, 2));
  dec2_ = register_module("dec2", conv_block(6 * width, 2 * width));
  dec1_ = register_module("dec1", conv_block(3 * width, width));
  head_ = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(width, num_classes, 1)));
}

std::vector<torch::Tensor> SegmenterImpl::features(const torch::Tensor& x) {
  auto f1 = enc1_->forward(x);
  auto f2 = enc2_->forward(f1);
  auto f3 = enc3_->forward(f2);
  return {f1, f2, f3};
}

torch::Tensor SegmenterImpl::forward(const torch::Tensor& x) {
  const auto f = features(x);
  auto d2 = dec2_->forward(torch::cat({up(f[2]), f[1]}, 1));
  auto d1 = dec1_->forward(torch::cat({up(d2), f[0]}, 1));
  return head_->forward(d1);
}

void save_segmenter(const std::filesystem::path& path, Segmenter& segmenter, const std::string& classes, int image_size,
                    double validation_miou) {
  std::ostringstream weights;
  torch::serialize::OutputArchive archive;
  segmenter->save(archive);
  archive.save_to(weights);
  write_file_atomically(path, weights.str());
  const nlohmann::json meta{{"classes", classes},
                            {"num_classes", segmenter->num_classes()},
                            {"width", segmenter->width()},
                            {"image_size", image_size},
                            {"validation_miou", validation_miou}};
  write_file_atomically(sidecar_path(path), meta.dump(1) + "\n");
}

LoadedSegmenter load_segmenter(const std::filesystem::path& path) {
  std::ifstream meta_file(sidecar_path(path));
  if (!meta_file) throw Error(sidecar_path(path).string() + ": missing (a segmenter needs its sidecar)");
  LoadedSegmenter loaded;
  try {
    const auto meta = nlohmann::json::parse(meta_file);
    loaded.segmenter = Segmenter(meta.at("num_classes").get<int>(), meta.at("width").get<int>());
    loaded.classes = meta.at("classes").get<std::string>();
    loaded.image_size = meta.at("image_size").get<int>();
    loaded.validation_miou = meta.value("validation_miou", 0.0);
  } catch (const nlohmann::json::exception& e) {
    throw Error(sidecar_path(path).string() + ": not a segmenter sidecar (" + e.what() + ")");
  }
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path.string());
    loaded.segmenter->load(archive);
  } catch (const c10::Error& e) {
    throw Error(path.string() + ": not a segmenter checkpoint (" + std::string(e.what_without_backtrace()).substr(0, 200) + ")");
  }
  loaded.segmenter->eval();
  return loaded;
}

}  // namespace sdm
