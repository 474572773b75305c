#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <filesystem>
#include <vector>

namespace sdm {

// A small U-shaped segmentation network (three levels, GroupNorm, skip connections), trained on
// the procedural landscapes to judge generated pictures the way the paper judges its samples with
// a pretrained segmenter: does the picture show the classes where the map put them?
class SegmenterImpl : public torch::nn::Module {
public:
  SegmenterImpl(int num_classes, int width);

  // x: [N, 3, H, W] in [−1, 1] (H, W divisible by 4) → class logits [N, num_classes, H, W].
  torch::Tensor forward(const torch::Tensor& x);
  // The three encoder levels' activations, for perceptual (LPIPS-style) distances.
  std::vector<torch::Tensor> features(const torch::Tensor& x);

  int num_classes() const { return num_classes_; }
  int width() const { return width_; }

private:
  int num_classes_, width_;
  torch::nn::Sequential enc1_{nullptr}, enc2_{nullptr}, enc3_{nullptr}, dec2_{nullptr}, dec1_{nullptr};
  torch::nn::Conv2d head_{nullptr};
};
TORCH_MODULE(Segmenter);

// Saved as the module's archive plus a sidecar (`name.json`: classes, width, image size, training
// figures). Throws sdm::Error naming the file.
void save_segmenter(const std::filesystem::path& path, Segmenter& segmenter, const std::string& classes, int image_size,
                    double validation_miou);
struct LoadedSegmenter {
  Segmenter segmenter{nullptr};
  std::string classes;
  int image_size = 0;
  double validation_miou = 0;
};
LoadedSegmenter load_segmenter(const std::filesystem::path& path);

}  // namespace sdm
