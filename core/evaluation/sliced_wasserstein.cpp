#include "core/evaluation/sliced_wasserstein.h"

#include "core/base/error.h"
#include "core/io/image_io.h"

#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <random>

namespace sdm {

namespace {

constexpr int kNeighbourhood = 7;
constexpr int kPerPicture = 128;  // neighbourhoods drawn per picture of the smaller set, per level
constexpr int kRepeats = 4, kDirections = 128;

// A picture's Laplacian pyramid in 8-bit levels, finest first; the last level is the Gaussian one.
std::vector<cv::Mat> laplacian_pyramid(const torch::Tensor& picture, int levels) {
  cv::Mat gaussian;
  tensor_to_rgb(picture).convertTo(gaussian, CV_32FC3);
  std::vector<cv::Mat> pyramid;
  for (int level = 0; level + 1 < levels; ++level) {
    cv::Mat down, up;
    cv::pyrDown(gaussian, down);
    cv::pyrUp(down, up, gaussian.size());
    pyramid.push_back(gaussian - up);
    gaussian = down;
  }
  pyramid.push_back(gaussian);
  return pyramid;
}

// `count` neighbourhoods of one level of a set's pyramids, each from a picture and position
// drawn with `rng`: [count, 3 · 7 · 7].
torch::Tensor neighbourhoods(const std::vector<std::vector<cv::Mat>>& pyramids, int level, int64_t count, std::mt19937_64& rng) {
  auto descriptors = torch::empty({count, kNeighbourhood * kNeighbourhood * 3});
  auto* out = descriptors.data_ptr<float>();
  std::uniform_int_distribution<size_t> picture(0, pyramids.size() - 1);
  for (int64_t n = 0; n < count; ++n) {
    const cv::Mat& image = pyramids[picture(rng)][size_t(level)];
    std::uniform_int_distribution<int> row(0, image.rows - kNeighbourhood), col(0, image.cols - kNeighbourhood);
    const int y0 = row(rng), x0 = col(rng);
    for (int y = 0; y < kNeighbourhood; ++y)
      for (int x = 0; x < kNeighbourhood; ++x) {
        const auto& p = image.at<cv::Vec3f>(y0 + y, x0 + x);
        for (int c = 0; c < 3; ++c) *out++ = p[c];
      }
  }
  return descriptors;
}

}  // namespace

std::vector<double> sliced_wasserstein_distances(const torch::Tensor& a, const torch::Tensor& b, int levels, uint64_t seed) {
  if (a.dim() != 4 || b.dim() != 4 || a.size(0) == 0 || b.size(0) == 0 || a.sizes().slice(1) != b.sizes().slice(1))
    throw Error("sliced Wasserstein distance: two non-empty sets of pictures of one size are needed");
  if (levels < 1 || (std::min(a.size(2), a.size(3)) >> (levels - 1)) < kNeighbourhood)
    throw Error("sliced Wasserstein distance: " + std::to_string(levels) + " levels leave the coarsest smaller than a neighbourhood");
  torch::NoGradGuard no_grad;
  auto pyramids_of = [levels](const torch::Tensor& set) {
    std::vector<std::vector<cv::Mat>> pyramids;
    const auto pictures = set.cpu();
    for (int64_t i = 0; i < pictures.size(0); ++i) pyramids.push_back(laplacian_pyramid(pictures[i], levels));
    return pyramids;
  };
  const auto pyramids_a = pyramids_of(a), pyramids_b = pyramids_of(b);
  const int64_t count = kPerPicture * std::min(a.size(0), b.size(0));
  auto directions_rng = torch::make_generator<at::CPUGeneratorImpl>(seed);
  std::vector<double> distances;
  for (int level = 0; level < levels; ++level) {
    // The same draws for both sets: sets of as many pictures compare at the same positions, and
    // identical sets are exactly 0 apart.
    std::mt19937_64 rng_a(seed + uint64_t(level)), rng_b(seed + uint64_t(level));
    auto da = neighbourhoods(pyramids_a, level, count, rng_a), db = neighbourhoods(pyramids_b, level, count, rng_b);
    // Per channel (a descriptor interleaves RGB): the mean and deviation of both sets together.
    const auto both = torch::cat({da, db}).view({-1, 3});
    const auto mean = both.mean(0), deviation = both.std(0).clamp_min(1e-8);
    da = ((da.view({count, -1, 3}) - mean) / deviation).view({count, -1});
    db = ((db.view({count, -1, 3}) - mean) / deviation).view({count, -1});
    double sum = 0;
    for (int repeat = 0; repeat < kRepeats; ++repeat) {
      auto directions = at::randn({da.size(1), kDirections}, directions_rng, torch::kFloat);
      directions = directions / directions.norm(2, 0, true);
      const auto pa = std::get<0>(da.matmul(directions).sort(0)), pb = std::get<0>(db.matmul(directions).sort(0));
      sum += (pa - pb).abs().mean().item<double>();
    }
    distances.push_back(sum / kRepeats);
  }
  return distances;
}

}  // namespace sdm
