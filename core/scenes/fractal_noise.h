#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <random>

namespace sdm {

// Fractal (fBm) value noise: octaves of random grids, each twice as fine and `persistence` times
// as strong, smoothly interpolated. Returns CV_32F in [0, 1]. A 1-row request gives a 1-D profile.
cv::Mat fractal_noise(int rows, int cols, std::mt19937& rng, int octaves = 5, double persistence = 0.5, int base_cells = 3);

// Hash noise: a random number per lattice point, from the point and a salt alone. It needs no
// generator, so texture can be looked up anywhere, in any order, without using up any draws.
uint32_t lattice_hash(int x, int y, uint32_t salt);
float lattice_uniform(int x, int y, uint32_t salt);  // in [0, 1)

// Value noise at (u, v) in lattice units: the lattice points' random values, smoothly
// interpolated. In [0, 1]; at whole v it varies along u only, which makes streaks.
float value_noise(float u, float v, uint32_t salt);

// Worley cells: one random point in each lattice square; a position belongs to the nearest point.
struct NearestPoint {
  cv::Vec2f offset;  // from the point to the position, in lattice units
  float margin;      // how much nearer the point is than the second-nearest: 0 on a border between cells
  uint32_t id;       // a random number of the point's cell
};
NearestPoint nearest_point(float u, float v, uint32_t salt);

}  // namespace sdm
