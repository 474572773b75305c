#pragma once

#include "core/class_set.h"

#include <torch/types.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace sdm {

// One training example at the model's size: image [3, H, W] in [−1, 1], channels [H, W] int64.
struct TrainingExample {
  torch::Tensor image;
  torch::Tensor channels;
};

// Image/label pairs from a folder in one of the reference's layouts — ADE20K (images/ +
// annotations/), CelebAMask-HQ (images/ + labels/), COCO-Stuff (train_img/ + train_label/),
// Cityscapes (leftImg8bit/ + gtFine/, X_leftImg8bit.png with X_gtFine_labelIds.png) — subfolders
// allowed, matched by file stem; or a plain pairs folder (x.png beside x.png is ambiguous, so
// pairs are x.jpg + x.png). Label pixels are the class set's ids.
class TrainingData {
public:
  TrainingData(const std::filesystem::path& root, ClassSet classes);

  size_t size() const { return pairs_.size(); }
  // Example `index`, resized so its shorter side is the model's, randomly cropped and flipped
  // with `rng` (labels with nearest neighbour), as the reference's loader augments.
  TrainingExample load(size_t index, int height, int width, std::mt19937& rng) const;
  // `count` examples picked at random, every choice drawn from `rng`: images [N, 3, H, W], channels [N, H, W].
  TrainingExample load_batch(int count, int height, int width, std::mt19937& rng) const;

private:
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> pairs_;  // image, labels
  ClassSet classes_;
};

}  // namespace sdm
