#include "core/scenes/fractal_noise.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <limits>

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

uint32_t lattice_hash(int x, int y, uint32_t salt) {
  uint32_t h = salt ^ (static_cast<uint32_t>(x) * 0x8DA6B343u) ^ (static_cast<uint32_t>(y) * 0xD8163841u);
  // MurmurHash3's finaliser: every input bit flips about half the output bits.
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

float lattice_uniform(int x, int y, uint32_t salt) { return static_cast<float>(lattice_hash(x, y, salt) >> 8) / 16777216.0f; }

float value_noise(float u, float v, uint32_t salt) {
  const float u0 = std::floor(u), v0 = std::floor(v);
  const int x = static_cast<int>(u0), y = static_cast<int>(v0);
  const float s = u - u0, t = v - v0;
  const float su = s * s * (3 - 2 * s), tv = t * t * (3 - 2 * t);
  const float top = lattice_uniform(x, y, salt) * (1 - su) + lattice_uniform(x + 1, y, salt) * su;
  const float bottom = lattice_uniform(x, y + 1, salt) * (1 - su) + lattice_uniform(x + 1, y + 1, salt) * su;
  return top * (1 - tv) + bottom * tv;
}

NearestPoint nearest_point(float u, float v, uint32_t salt) {
  const int x = static_cast<int>(std::floor(u)), y = static_cast<int>(std::floor(v));
  NearestPoint nearest{{0, 0}, 0, 0};
  float first = std::numeric_limits<float>::max(), second = first;
  for (int j = y - 1; j <= y + 1; ++j)
    for (int i = x - 1; i <= x + 1; ++i) {
      const uint32_t h = lattice_hash(i, j, salt);
      const cv::Vec2f offset(u - (i + float(h & 0xFFFF) / 65536.0f), v - (j + float(h >> 16) / 65536.0f));
      const float distance = std::sqrt(offset.dot(offset));
      if (distance < first) {
        second = first, first = distance;
        nearest.offset = offset, nearest.id = lattice_hash(i, j, ~salt);
      } else if (distance < second) {
        second = distance;
      }
    }
  nearest.margin = second - first;
  return nearest;
}

}  // namespace sdm
