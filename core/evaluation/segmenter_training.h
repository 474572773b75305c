#pragma once

#include "core/io/class_set.h"

#include <atomic>
#include <filesystem>
#include <functional>

namespace sdm {

struct SegmenterTrainingOptions {
  std::filesystem::path data;        // training pairs (see TrainingData)
  std::filesystem::path validation;  // held-out pairs, for the reported mIoU
  std::filesystem::path out;         // the segmenter file
  ClassSet classes;
  int image_size = 64;
  int width = 16;
  int batch = 16;
  int64_t steps = 1500;
  double learning_rate = 2e-3;
  uint64_t seed = 0;
  bool photometric_distortion = true;  // train on colour-jittered pictures (see photometric_distortion.h)
};

// Trains a Segmenter with cross-entropy (AdamW, cosine-decayed rate, the diffusion trainer's
// loader and per-step seeding), then measures its mIoU on the held-out pairs — the ceiling for
// generated pictures — and saves it with that figure. Returns the mIoU.
double train_segmenter(const SegmenterTrainingOptions& options, const std::function<void(int64_t step, double loss)>& on_step);

// The segmenter's mIoU on every pair of a folder, at `image_size`: each pair resized and cropped
// (and maybe flipped) at random as for training, from a generator seeded by its index, so the
// figure is the same on every run.
double segmenter_miou(const std::filesystem::path& folder, const ClassSet& classes, int image_size,
                      const std::filesystem::path& segmenter);

}  // namespace sdm
