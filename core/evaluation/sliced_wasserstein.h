#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace sdm {

// How far apart two sets of pictures are at each scale: ProGAN's sliced Wasserstein distance of
// 7×7 neighbourhoods of a Laplacian pyramid (Karras et al. 2018, appendix D). Each picture's
// pyramid is built with a 5-tap binomial filter (OpenCV's pyrDown/pyrUp); from every level of
// each set the same number of 7×7×3 neighbourhoods is drawn at random positions, normalised per
// channel by the mean and standard deviation of both sets together (a set of its own statistics
// would hide a colour cast), and projected on random unit directions; the distance is the mean
// absolute difference of the sorted projections, averaged over 4 × 128 directions.
//
// `a` and `b`: [N, 3, H, W] in [-1, 1] (sets may differ in size; pictures are read in 8-bit
// levels; both sets are drawn from with the same random numbers); returns one distance per level, finest first: `levels` levels, the coarsest one the
// Gaussian picture itself, the others band-pass. Identical sets give 0; blurring one set raises
// the finest levels, shifting its colours the coarsest. The same `seed` draws the same
// neighbourhoods and directions.
std::vector<double> sliced_wasserstein_distances(const torch::Tensor& a, const torch::Tensor& b, int levels, uint64_t seed = 0);

}  // namespace sdm
