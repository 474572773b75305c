#pragma once

#include <torch/types.h>

namespace sdm {

// Sinusoidal embedding of (possibly fractional) timesteps, [N] → [N, dim]: cosines first, then
// sines, frequencies exp(-ln(max_period)·i/half) — the reference's order, which its weights expect.
torch::Tensor timestep_embedding(const torch::Tensor& timesteps, int64_t dim, double max_period = 10000.0);

}  // namespace sdm
