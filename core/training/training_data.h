#pragma once

#include "core/io/class_set.h"

#include <opencv2/core/types.hpp>
#include <torch/types.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace sdm {

// One training example at the model's size: image [3, H, W] in [−1, 1], channels [H, W] int64,
// instances [H, W] int64 (undefined when the dataset has no instance maps).
struct TrainingExample {
  torch::Tensor image;
  torch::Tensor channels;
  torch::Tensor instances;
};

// Image/label pairs from a folder in one of the reference's layouts — ADE20K (images/ +
// annotations/), CelebAMask-HQ (images/ + labels/), COCO-Stuff (train_img/ + train_label/),
// Cityscapes (leftImg8bit/ + gtFine/, X_leftImg8bit.png with X_gtFine_labelIds.png) — subfolders
// allowed, matched by file stem; or a plain pairs folder (x.png beside x.png is ambiguous, so
// pairs are x.jpg + x.png). Label pixels are the class set's ids. Instance maps are read where
// the reference reads them: COCO-Stuff's train_inst/ and Cityscapes' X_gtFine_instanceIds.png.
class TrainingData {
public:
  TrainingData(const std::filesystem::path& root, ClassSet classes);

  size_t size() const { return examples_.size(); }
  bool has_instances() const { return has_instances_; }
  // Example `index`, resized so that it covers the model's height × width, randomly cropped to
  // `crop` (the model's size when empty; a super-resolution stage trains on smaller crops of its
  // full-resolution pictures) and flipped with `rng` (labels and instances with nearest
  // neighbour), as the reference's loader augments.
  TrainingExample load(size_t index, int height, int width, std::mt19937& rng, cv::Size crop = {}) const;
  // `count` examples picked at random, every choice drawn from `rng`: images [N, 3, h, w],
  // channels and instances [N, h, w], of the crop size.
  TrainingExample load_batch(int count, int height, int width, std::mt19937& rng, cv::Size crop = {}) const;

private:
  struct Files {
    std::filesystem::path image, labels, instances;  // instances: empty when the example has none
  };
  std::vector<Files> examples_;
  bool has_instances_ = false;
  ClassSet classes_;
  std::vector<int> channel_of_id_;  // label id (8 or 16 bit) → the model's channel, −1 for ids outside the set
};

}  // namespace sdm
