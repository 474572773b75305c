#include "core/evaluation/segmenter_training.h"

#include "core/base/error.h"
#include "core/evaluation/photometric_distortion.h"
#include "core/evaluation/segmentation_metrics.h"
#include "core/evaluation/segmenter.h"
#include "core/training/training_data.h"

#include <torch/torch.h>

#include <cmath>
#include <numbers>

namespace sdm {

namespace {

// Dataset ids → the segmenter's classes are the class set's channels, as the diffusion model's.
double validation_miou(Segmenter& segmenter, const TrainingData& data, int image_size) {
  torch::NoGradGuard no_grad;
  segmenter->eval();
  const int classes = segmenter->num_classes();
  auto confusion = torch::zeros({classes, classes}, torch::kLong);
  for (size_t first = 0; first < data.size(); first += 32) {
    std::vector<torch::Tensor> images, truths;
    for (size_t i = first; i < std::min(data.size(), first + 32); ++i) {
      std::mt19937 rng(static_cast<std::mt19937::result_type>(i));
      auto example = data.load(i, image_size, image_size, rng);
      images.push_back(example.image);
      truths.push_back(example.channels);
    }
    const auto predicted = segmenter->forward(torch::stack(images)).argmax(1);
    confusion += confusion_matrix(predicted, torch::stack(truths), classes);
  }
  return mean_iou(confusion);
}

}  // namespace

double train_segmenter(const SegmenterTrainingOptions& o, const std::function<void(int64_t, double)>& on_step) {
  const TrainingData data(o.data, o.classes);
  const TrainingData held_out(o.validation, o.classes);
  if (data.size() == 0) throw Error(o.data.string() + ": no image/label pairs");
  if (held_out.size() == 0) throw Error(o.validation.string() + ": no image/label pairs");
  torch::manual_seed(o.seed);
  Segmenter segmenter(o.classes.num_classes, o.width);
  torch::optim::AdamW optimizer(segmenter->parameters(), torch::optim::AdamWOptions(o.learning_rate).weight_decay(1e-4));
  for (int64_t step = 0; step < o.steps; ++step) {
    std::mt19937 rng(static_cast<std::mt19937::result_type>(o.seed * 0x9E3779B9ull + uint64_t(step)));
    const auto batch = data.load_batch(o.batch, o.image_size, o.image_size, rng);
    const auto images = o.photometric_distortion ? distort_photometrically(batch.image, rng) : batch.image;
    const double rate = o.learning_rate * 0.5 * (1 + std::cos(std::numbers::pi * double(step) / double(o.steps)));
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(rate);
    segmenter->train();
    const auto loss = torch::nn::functional::cross_entropy(segmenter->forward(images), batch.channels);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (on_step) on_step(step + 1, loss.item<double>());
  }
  const double miou = validation_miou(segmenter, held_out, o.image_size);
  save_segmenter(o.out, segmenter, o.classes.name, o.image_size, miou);
  return miou;
}

double segmenter_miou(const std::filesystem::path& folder, const ClassSet& classes, int image_size,
                      const std::filesystem::path& path) {
  auto loaded = load_segmenter(path);
  return validation_miou(loaded.segmenter, TrainingData(folder, classes), image_size);
}

}  // namespace sdm
