#include "core/evaluation/evaluation.h"

#include "core/base/error.h"
#include "core/diffusion/low_res_conditioning.h"
#include "core/evaluation/detail_measure.h"
#include "core/evaluation/segmentation_metrics.h"
#include "core/evaluation/sliced_wasserstein.h"
#include "core/generation/generator.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/training/training_data.h"

#include <torch/torch.h>

#include <chrono>

namespace sdm {

namespace {

// Sum of RGB (0…255) and pixel count per class channel.
struct ColorSums {
  torch::Tensor sums, counts;  // [C, 3], [C]
  explicit ColorSums(int classes) : sums(torch::zeros({classes, 3}, torch::kDouble)), counts(torch::zeros({classes}, torch::kDouble)) {}
  void add(const torch::Tensor& images, const torch::Tensor& channels) {
    const auto rgb = ((images.to(torch::kDouble) + 1) * 127.5).clamp(0, 255).permute({0, 2, 3, 1}).reshape({-1, 3});
    const auto index = channels.reshape({-1}).to(torch::kLong);
    sums.index_add_(0, index, rgb);
    counts.index_add_(0, index, torch::ones({index.size(0)}, torch::kDouble));
  }
  std::vector<Rgb> means() const {
    std::vector<Rgb> result(size_t(counts.size(0)));
    for (int64_t c = 0; c < counts.size(0); ++c) {
      const double n = counts[c].item<double>();
      for (int k = 0; k < 3; ++k) result[size_t(c)][size_t(k)] = n > 0 ? sums[c][k].item<double>() / n : std::nan("");
    }
    return result;
  }
};

// The network's conditioning input for each map of [N, H, W].
torch::Tensor conditions_of(const Generator& generator, const torch::Tensor& maps) {
  std::vector<torch::Tensor> conditions;
  for (int64_t i = 0; i < maps.size(0); ++i) conditions.push_back(generator.condition(maps[i], 1));
  return torch::cat(conditions);
}

// The network's view of a picture's mean colour: the gains of its noise prediction at the
// largest t, on these maps, with fresh noise as x_T.
InputGain noise_prediction_gain(const Generator& generator, const torch::Tensor& maps, int64_t seed) {
  auto model = generator.model.model;  // a handle: forward is not const
  const auto device = model->parameters().front().device();
  const auto labels = conditions_of(generator, maps).to(device);
  const int64_t n = maps.size(0);
  const auto t = torch::full({n}, generator.model.diffusion.diffusion_steps - 1, torch::TensorOptions(torch::kLong).device(device));
  auto noise = at::make_generator<at::CPUGeneratorImpl>(uint64_t(seed));
  const auto& c = generator.model.config;
  const auto x = at::randn({n, 3, c.image_height, c.image_width}, noise, torch::kFloat).to(device);
  return input_gain([&](const torch::Tensor& v) { return model->forward(v, t, labels).narrow(1, 0, 3); }, x);
}

}  // namespace

Evaluation evaluate(GenerationContext& context, Segmenter& segmenter, const ClassSet& classes, const EvaluationOptions& o,
                    const std::function<void(double, int, int)>& on_batch) {
  torch::NoGradGuard no_grad;
  segmenter->eval();
  const Generator& generator = context.generator();
  const auto& c = generator.model.config;
  if (segmenter->num_classes() != c.num_classes)
    throw Error("the segmenter has " + std::to_string(segmenter->num_classes()) + " classes, the model " + std::to_string(c.num_classes));
  const TrainingData data(o.maps, classes);
  const int count = std::min<int>(o.count, int(data.size()));
  if (count == 0) throw Error(o.maps.string() + ": no image/label pairs");
  const Generator* upscaler = generator.upscaler.get();
  const auto& final_config = upscaler ? upscaler->model.config : c;
  const int factor = final_config.image_height / c.image_height;

  // The held-out maps and their real pictures at the final size, fixed crops; the base's maps
  // are those scaled down by nearest neighbour, and the segmenter reads pictures area-averaged
  // to the base size.
  std::vector<torch::Tensor> real_images, maps;
  for (int i = 0; i < count; ++i) {
    std::mt19937 rng(static_cast<std::mt19937::result_type>(i));
    auto example = data.load(size_t(i), final_config.image_height, final_config.image_width, rng);
    real_images.push_back(example.image);
    maps.push_back(example.channels);
  }
  const auto real_full = torch::stack(real_images), truth_full = torch::stack(maps);
  // A second sample of the data, disjoint from the first, for the distributions' floor.
  std::vector<torch::Tensor> other_images;
  if (data.size() >= 2 * size_t(count))
    for (int i = count; i < 2 * count; ++i) {
      std::mt19937 rng(static_cast<std::mt19937::result_type>(i));
      other_images.push_back(data.load(size_t(i), final_config.image_height, final_config.image_width, rng).image);
    }
  // As many levels as keep the coarsest at least 32 pixels, and at most four.
  int levels = 1;
  while (levels < 4 && (std::min(final_config.image_height, final_config.image_width) >> levels) >= 32) ++levels;
  std::vector<int64_t> flat;
  for (const auto& c : classes.classes)
    if (c.name == "sky" || c.name == "water" || c.name == "sea") flat.push_back(c.channel);
  const auto to_base_size = [&](const torch::Tensor& images) { return area_downsample(images, factor); };
  const auto real = to_base_size(real_full);
  const auto truth = truth_full.index({torch::indexing::Slice(), torch::indexing::Slice(factor / 2, torch::indexing::None, factor),
                                       torch::indexing::Slice(factor / 2, torch::indexing::None, factor)})
                         .contiguous();

  Evaluation evaluation;
  evaluation.final_height = final_config.image_height;
  evaluation.final_width = final_config.image_width;
  evaluation.real_detail = detail_share(real_full, c.image_height, c.image_width).mean().item<double>();
  evaluation.real_texture = texture_statistics(real_full, truth_full, flat);
  if (!other_images.empty()) evaluation.swd_floor = sliced_wasserstein_distances(torch::stack(other_images), real_full, levels, uint64_t(o.seed));
  std::vector<torch::Tensor> real_readings;
  for (int first = 0; first < count; first += o.batch)
    real_readings.push_back(segmenter->forward(real.narrow(0, first, std::min(o.batch, count - first))).argmax(1));
  const auto real_reading = torch::cat(real_readings);
  evaluation.real_miou = mean_iou(confusion_matrix(real_reading, truth, c.num_classes));
  // Picture i against map i + 1: what a picture that ignores its map scores.
  evaluation.mismatched_miou = mean_iou(confusion_matrix(real_reading, truth.roll(1, 0), c.num_classes));
  evaluation.noise_gain = noise_prediction_gain(generator, truth.narrow(0, 0, std::min(count, 8)), o.seed);
  ColorSums real_colors(c.num_classes);
  real_colors.add(real, truth);
  evaluation.real_colors = real_colors.means();

  constexpr int kExamples = 6;
  const int examples = std::min(count, kExamples);
  evaluation.example_maps = truth.narrow(0, 0, examples);
  evaluation.example_reals = real.narrow(0, 0, examples);
  const int k = std::max(1, o.samples_per_map);
  for (const double guidance : o.guidance) {
    const auto start = std::chrono::steady_clock::now();
    GuidanceEvaluation result;
    result.guidance = guidance;
    auto confusion = torch::zeros({c.num_classes, c.num_classes}, torch::kLong);
    ColorSums colors(c.num_classes);
    double perceptual = 0, pixel = 0, detail = 0;
    int64_t pairs = 0;
    std::vector<torch::Tensor> kept, generated;
    for (int i = 0; i < count; ++i) {
      // Each map k times, as `sdm generate --count k` paints it; variation seeds distinct across the run.
      GenerationPlan plan;
      plan.labels = channel_ids(truth_full[i], generator.class_set());
      plan.labels_name = o.maps.string() + ": map " + std::to_string(i);
      if (!o.steps.empty()) plan.steps = parse_step_spec(o.steps);
      plan.guidance = guidance;  // the sweep is the base's guidance; the detail stage keeps its recommended one
      plan.seed = o.seed + int64_t(i) * k;
      plan.count = k;
      if (!o.upscale_steps.empty()) plan.detail_steps = parse_step_spec(o.upscale_steps);
      plan.feature_reuse = o.feature_reuse;
      plan.detail_feature_reuse = o.upscale_feature_reuse;
      std::vector<torch::Tensor> pictures;
      for (const auto& picture : context.run(plan).pictures) pictures.push_back(rgb_to_tensor(picture.image));
      const auto full = torch::stack(pictures);
      generated.push_back(full);
      const auto map = truth.narrow(0, i, 1).expand({k, -1, -1});
      detail += detail_share(full, c.image_height, c.image_width).sum().item<double>();
      const auto images = to_base_size(full);
      confusion += confusion_matrix(segmenter->forward(images).argmax(1), map, c.num_classes);
      colors.add(images, map);
      if (i < examples) kept.push_back(images);
      const auto features = segmenter->features(images);
      for (int a = 0; a < k; ++a)
        for (int b = a + 1; b < k; ++b) {
          std::vector<torch::Tensor> fa, fb;
          for (const auto& f : features) {
            fa.push_back(f.narrow(0, a, 1));
            fb.push_back(f.narrow(0, b, 1));
          }
          perceptual += perceptual_distance(fa, fb).sum().item<double>();
          pixel += (images[a] - images[b]).abs().mean().item<double>() / 2.0;
          ++pairs;
        }
      if (on_batch) on_batch(guidance, i + 1, count);
    }
    const auto all = torch::cat(generated);
    result.swd = sliced_wasserstein_distances(all, real_full, levels, uint64_t(o.seed));
    result.texture = texture_statistics(all, truth_full.repeat_interleave(k, 0), flat);
    result.miou = mean_iou(confusion, &result.class_iou);
    result.perceptual_diversity = pairs ? perceptual / double(pairs) : 0.0;
    result.pixel_diversity = pairs ? pixel / double(pairs) : 0.0;
    result.detail = detail / double(count * k);
    result.class_colors = colors.means();
    result.examples = torch::cat(kept);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    evaluation.sweep.push_back(result);
  }
  return evaluation;
}

}  // namespace sdm
