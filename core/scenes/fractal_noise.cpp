#include "core/scenes/fractal_noise.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace sdm {

cv::Mat fractal_noise(int rows, int cols, std::mt19937& rng, int octaves, double persistence, int base_cells) {
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  cv::Mat sum = cv::Mat::zeros(rows, cols, CV_32F);
  double amplitude = 1.0;
  int cells = base_cells;
  for (int octave = 0; octave < octaves; ++octave, cells *= 2, amplitude *= persistence) {
    cv::Mat grid(rows == 1 ? 1 : cells + 1, cells + 1, CV_32F);
    for (int y = 0; y < grid.rows; ++y)
      for (int x = 0; x < grid.cols; ++x) grid.at<float>(y, x) = uniform(rng);
    cv::Mat layer;
    cv::resize(grid, layer, cv::Size(cols, rows), 0, 0, cv::INTER_CUBIC);
    sum += amplitude * layer;
  }
  cv::normalize(sum, sum, 0.0, 1.0, cv::NORM_MINMAX);
  return sum;
}

}  // namespace sdm
