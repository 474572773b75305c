#pragma once

#include <string>
#include <vector>

namespace sdm {

// The timesteps of the original `steps`-step process that a respaced sampler visits, ascending,
// for the reference's syntax: "250" (evenly spread), "10,10,30" (counts per equal section),
// "ddim25" (DDIM's fixed integer stride). "" keeps every step. Throws sdm::Error when impossible.
std::vector<int> space_timesteps(int steps, const std::string& spec);

}  // namespace sdm
