#pragma once

#include "core/model/model_config.h"

namespace sdm {

// DeepCache over a sample (see DeepFeatureCache): of every `interval` consecutive steps the first
// computes the whole network and the others reuse its deep features, running only the encoder's
// first `depth` blocks and the decoder's last `depth`. Off by default: it trades some fidelity to
// the label map and some diversity for speed (benchmarks/README.md has both costs measured).
struct FeatureReuse {
  int interval = 1;  // 1: off, every step computes the whole network
  // 1 … the network's input blocks; 1 skips the most. 0: the top level's blocks (the input
  // convolution and the res blocks at full resolution), which keeps the pictures close to the
  // exact ones on every network measured while skipping most of the lower levels' work.
  int depth = 0;

  bool enabled() const { return interval > 1; }
  // The depth a network of configuration `c` runs at.
  int depth_in(const ModelConfig& c) const { return depth > 0 ? depth : c.num_res_blocks + 1; }
};

}  // namespace sdm
