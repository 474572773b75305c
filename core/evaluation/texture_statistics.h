#pragma once

#include <torch/types.h>

#include <vector>

namespace sdm {

// What a set of pictures does where its maps say something simple, in 8-bit levels: the
// artefacts a detail stage leaves (grain, a 4×4 grid) and the edges it should keep. Compare a
// set with the real pictures of the same maps.
struct TextureStatistics {
  // Grain: the RMS of the picture minus its Gaussian blur (σ 1.5 px) inside the flat classes'
  // regions, eroded by 3 px so that no edge counts. NaN when no flat region is left.
  double grain = 0;
  // Sharpness: the mean gradient magnitude (central differences of the grey picture) on the
  // pixels where the map changes class. NaN when the maps have no boundary.
  double boundary_gradient = 0;
  // Blocks: the mean squared difference between neighbouring pixels across the 4-pixel grid
  // (between columns or rows 4k + 3 and 4k + 4) over that elsewhere; 1 without a grid.
  double block_ratio = 0;
};

// `pictures`: [N, 3, H, W] in [-1, 1]; `maps`: [N, H, W] class channels; `flat`: the channels of
// the flat classes (sky, water, sea). Throws sdm::Error when the sizes do not match.
TextureStatistics texture_statistics(const torch::Tensor& pictures, const torch::Tensor& maps, const std::vector<int64_t>& flat);

}  // namespace sdm
