#pragma once

#include "core/diffusion/sampling_request.h"
#include "core/model/memory_estimate.h"

namespace sdm {

// Whether a variation is the same alone or in a batch — the promise behind "variation i is seed
// + i" and every "make it again" — is decided here, once, for every stage:
//  - its random draws are its own (NoiseSource: seed + i), whatever part of the batch it is in;
//  - on a CPU each picture is sampled as a part of its own, because oneDNN picks a convolution's
//    algorithm by batch size and a batched picture differs from itself alone in the last bits,
//    which 8-bit pictures and a second stage turn into visible ones: alone and in a batch are
//    then the same computation, byte for byte;
//  - on a GPU pictures are batched for throughput, and agree with themselves alone to rounding.
//
// Runs a request: one image per label map, drawing random numbers in the reference's order (one
// full-shape draw, then one per step), each step a guided network evaluation (GuidedDenoiser)
// followed by the solver's step (solver.h). A batch that runs out of memory is sampled in smaller
// parts, with the same pictures (see batch_parts.h); cancelling returns nothing. Throws sdm::Error
// for a bad step spec, a reuse depth the network does not have, or a known region or low-res
// pictures that do not match the labels.
SamplingResult sample(const SamplingRequest& request);

// The steps one part of the request takes (what its step callback counts as `total` when the
// batch runs at once), RePaint's resampling included. Throws sdm::Error for a bad step spec.
int planned_steps(const SamplingRequest& request);

// How the request runs its network on `device`, all its pictures at once: what its
// memory estimate (estimate_sampling_memory) depends on.
SamplingLayout sampling_layout(const SamplingRequest& request, const c10::Device& device);

}  // namespace sdm
