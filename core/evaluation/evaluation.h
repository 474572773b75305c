#pragma once

#include "core/diffusion/feature_reuse.h"
#include "core/evaluation/input_gain.h"
#include "core/evaluation/segmenter.h"
#include "core/evaluation/texture_statistics.h"
#include "core/generation/generation_context.h"
#include "core/io/class_set.h"

#include <array>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sdm {

// The paper's questions for a model: do its pictures follow the map (mIoU of a segmenter's
// reading of them against the map), how different are the pictures of one map (diversity), and
// how does guidance trade one for the other. A generator with an upscaler is graded as the
// cascade at its final size: mIoU, diversity and colours by the base-size segmenter on the
// pictures area-downsampled to the base size, and the detail measure (detail_measure.h) on the
// full pictures, against the real pictures at the same size.
struct EvaluationOptions {
  std::filesystem::path maps;  // held-out image/label pairs
  int count = 100;             // maps used
  int samples_per_map = 2;
  std::vector<double> guidance{1.0, 1.5, 2.0, 3.0, 4.0};
  std::string steps;           // empty: the model's recommendation
  std::string upscale_steps;   // a cascade's second stage; empty: the upscaler's recommendation
  int64_t seed = 0;
  int batch = 16;              // pictures per batch the segmenter reads
  // DeepCache in the base model's and the upscaler's steps: to measure what it costs.
  FeatureReuse feature_reuse, upscale_feature_reuse;
};

using Rgb = std::array<double, 3>;

struct GuidanceEvaluation {
  double guidance = 0;
  double miou = 0;
  double perceptual_diversity = 0;  // mean LPIPS-style distance between pictures of the same map
  double pixel_diversity = 0;       // mean absolute pixel difference, in [0, 1]
  double detail = 0;                // mean detail share above the base size's band (detail_measure.h)
  double seconds = 0;
  std::vector<double> class_iou;    // per class channel, NaN where a class never occurs
  std::vector<Rgb> class_colors;    // mean colour of each class's regions in the pictures
  torch::Tensor examples;           // the first maps' pictures, [maps × samples_per_map, 3, H, W]
  // Against the real pictures of the same maps, at the final size (sliced_wasserstein.h): per
  // Laplacian level, finest first.
  std::vector<double> swd;
  TextureStatistics texture;        // grain, boundary sharpness and the 4×4 grid (texture_statistics.h)
};

struct Evaluation {
  double real_miou = 0;             // the segmenter on the real pictures of the same maps: the ceiling
  double mismatched_miou = 0;       // the real pictures each against another map: the floor
  double real_detail = 0;           // the detail share of the real pictures at the final size
  int final_height = 0, final_width = 0;  // the size the pictures were made at
  InputGain noise_gain;             // the network's noise prediction at the largest t (see input_gain.h)
  // The real pictures against as many other real scenes of the folder, per level: the distance
  // two samples of the data are apart, what a model's can at best come to. Empty when the folder
  // has fewer than twice `count` scenes.
  std::vector<double> swd_floor;
  TextureStatistics real_texture;   // of the real pictures of the maps
  std::vector<Rgb> real_colors;     // mean colour of each class in the real pictures
  torch::Tensor example_maps;       // the first few maps [E, H, W] and their real pictures [E, 3, H, W]
  torch::Tensor example_reals;
  std::vector<GuidanceEvaluation> sweep;
};

// `on_batch(guidance, done, total)` reports progress.
Evaluation evaluate(GenerationContext& context, Segmenter& segmenter, const ClassSet& classes, const EvaluationOptions& options,
                    const std::function<void(double, int, int)>& on_batch = {});

}  // namespace sdm
