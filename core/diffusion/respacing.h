#pragma once

#include <string>
#include <vector>

namespace sdm {

// The timesteps of the original `steps`-step process that a respaced sampler visits, ascending,
// for the reference's syntax: "250" (evenly spread), "10,10,30" (counts per equal section),
// "ddim25" (DDIM's fixed integer stride). "" keeps every step. Throws sdm::Error when impossible.
std::vector<int> space_timesteps(int steps, const std::string& spec);

// The count nearest `wanted` that "ddimN" can take of `steps` (its integer strides reach only
// some: of 1000, 59 and 63 but not 60), looking from `from`: `wanted` itself when it can, else the
// next one past it in the direction from `from` to `wanted`, or the last one that way.
int ddim_step_count_toward(int wanted, int from, int steps);

}  // namespace sdm
