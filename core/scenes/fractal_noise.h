#pragma once

#include <opencv2/core/mat.hpp>

#include <random>

namespace sdm {

// Fractal (fBm) value noise: octaves of random grids, each twice as fine and `persistence` times
// as strong, smoothly interpolated. Returns CV_32F in [0, 1]. A 1-row request gives a 1-D profile.
cv::Mat fractal_noise(int rows, int cols, std::mt19937& rng, int octaves = 5, double persistence = 0.5, int base_cells = 3);

}  // namespace sdm
