#include "core/diffusion/respacing.h"

#include "core/base/error.h"
#include "core/model/model_config.h"

#include <cmath>
#include <numeric>
#include <iterator>
#include <set>

namespace sdm {

std::vector<int> space_timesteps(int steps, const std::string& spec) {
  if (spec.empty()) {
    std::vector<int> all(steps);
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  if (spec.rfind("ddim", 0) == 0) {
    const auto counts = parse_int_list(spec.substr(4), "steps '" + spec + "'");
    if (counts.size() != 1 || counts[0] <= 0) throw Error("steps '" + spec + "': ddim takes one positive count");
    // Strides 1, …, T − 1 (the reference's search) never keep a single step; said here, where the
    // command line checks a spec before it knows the model's step count.
    if (counts[0] == 1) throw Error("steps '" + spec + "': ddim takes at least 2 steps");
    for (int stride = 1; stride < steps; ++stride) {
      if ((steps + stride - 1) / stride != counts[0]) continue;
      std::vector<int> kept;
      for (int t = 0; t < steps; t += stride) kept.push_back(t);
      return kept;
    }
    throw Error("steps '" + spec + "': cannot take exactly " + std::to_string(counts[0]) + " of " + std::to_string(steps) +
                " steps with an integer stride");
  }
  const auto sections = parse_int_list(spec, "steps '" + spec + "'");
  if (sections.empty()) throw Error("steps '" + spec + "': no step counts");
  const int count = static_cast<int>(sections.size());
  const int size_per = steps / count, extra = steps % count;
  std::set<int> kept;
  int start = 0;
  for (int i = 0; i < count; ++i) {
    const int size = size_per + (i < extra ? 1 : 0);
    const int wanted = sections[i];
    if (wanted < 0 || size < wanted)
      throw Error("steps '" + spec + "': cannot divide a section of " + std::to_string(size) + " steps into " + std::to_string(wanted));
    const double stride = wanted <= 1 ? 1.0 : (size - 1.0) / (wanted - 1.0);
    double position = 0.0;
    for (int k = 0; k < wanted; ++k) {
      // Python's round(): halves go to the even neighbour.
      kept.insert(start + static_cast<int>(std::nearbyint(position)));
      position += stride;
    }
    start += size;
  }
  // No steps at all would hand back the starting noise as the picture.
  if (kept.empty()) throw Error("steps '" + spec + "': no steps to take");
  return {kept.begin(), kept.end()};
}

int ddim_step_count_toward(int wanted, int from, int steps) {
  std::set<int> counts;  // ⌈steps / stride⌉, as space_timesteps searches them
  for (int stride = 1; stride < steps; ++stride) counts.insert((steps + stride - 1) / stride);
  counts.erase(1);
  if (counts.empty() || counts.contains(wanted)) return wanted;
  if (wanted > from) {
    const auto above = counts.upper_bound(wanted);
    return above != counts.end() ? *above : *counts.rbegin();
  }
  const auto below = counts.lower_bound(wanted);
  return below != counts.begin() ? *std::prev(below) : *counts.begin();
}

}  // namespace sdm
