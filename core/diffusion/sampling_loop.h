#pragma once

#include "core/diffusion/sampling_request.h"
#include "core/model/memory_estimate.h"

namespace sdm {

// Runs a request: one image per label map, drawing random numbers in the reference's order (one
// full-shape draw, then one per step), each step a guided network evaluation (GuidedDenoiser)
// followed by the solver's step (solver.h). A batch that runs out of memory is sampled in smaller
// parts, with the same pictures (see batch_parts.h). A request with an `upscale` stage then runs
// that super-resolution request on its pictures (a cascade); cancelling in either stage returns
// nothing. Throws sdm::Error for a bad step spec or a
// known region that does not match the labels.
SamplingResult sample(const SamplingRequest& request);

// The steps one part of the request's stage takes (what its step callback counts as `total`
// when the batch runs at once), RePaint's resampling included; its `upscale` stage is not
// counted. Throws sdm::Error for a bad step spec.
int planned_steps(const SamplingRequest& request);

// How the request's stage runs its network on `device`, all its pictures at once: what its
// memory estimate (estimate_sampling_memory) depends on.
SamplingLayout sampling_layout(const SamplingRequest& request, const c10::Device& device);

}  // namespace sdm
