#pragma once

#include "core/model/label_conditioning.h"

namespace sdm {

// Turns a SPADE layer's per-pixel modulation of the label maps — `scale` and `shift`, [N, C, H, W]
// contiguous in channels-last on a CPU — into palettes of their distinct (scale, shift) vectors
// with a per-pixel offset table (SpadeModulation::pixel_offsets), the same values.
//
// γ and β at a pixel depend only on the label map within the reach of SPADE's two 3×3 convs, so
// inside a region of one class, and along an edge of the picture, the vectors repeat: on a
// landscape map most of the picture takes a few hundred distinct ones. Vectors are compared by
// their bits, so nothing is merged that differs.
void to_modulation_palette(SpadeModulation& modulation);

}  // namespace sdm
