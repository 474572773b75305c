#pragma once

#include "core/model/label_conditioning.h"

namespace sdm {

// Adds one label map's per-pixel SPADE modulation — `scale` and `shift`, [1, C, H, W] contiguous
// in channels-last on a CPU — to `modulation`'s palettes as its distinct (scale, shift) vectors
// and a per-pixel offset table (SpadeModulation::pixel_offsets): the same values, for the next
// picture of the batch.
//
// γ and β at a pixel depend only on the label map within the reach of SPADE's two 3×3 convs, so
// inside a region of one class, and along an edge of the picture, the vectors repeat: on a
// landscape map most of the picture takes a few hundred distinct ones. Vectors are compared by
// their bits, so nothing is merged that differs.
void add_to_modulation_palette(SpadeModulation& modulation, const torch::Tensor& scale, const torch::Tensor& shift);

}  // namespace sdm
