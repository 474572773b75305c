#pragma once

#include "core/model/convolution.h"
#include "core/model/label_conditioning.h"

namespace sdm {

// SPADE's convolutions as they act on one label map: the shared one (then ReLU) and γ's and β's,
// all stride 1 and zero-padded to keep the size.
struct SpadeConvolutions {
  const ConvolutionImpl &shared, &gamma, &beta;
};

// Adds one label map's SPADE modulation — 1 + γ and β, with `map` [1, L, H, W] already at the
// layer's size and dtype — to `modulation`'s palettes [K, C] with a per-pixel offset table
// (SpadeModulation::pixel_offsets), after the batch's earlier pictures.
//
// γ and β at a pixel depend only on the map within the reach of the two stacked k×k convolutions
// (and on where the picture's edge cuts that reach), so they are computed once per distinct
// neighbourhood, not once per pixel: a painted map has far fewer distinct neighbourhoods than
// pixels, and the first step's SPADE work shrinks as much. The sums run in another order
// than a convolution over the whole map, so values agree with one to rounding, not bits.
void add_to_modulation_palette(SpadeModulation& modulation, const torch::Tensor& map, const SpadeConvolutions& convolutions);

}  // namespace sdm
