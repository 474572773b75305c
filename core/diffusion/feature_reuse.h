#pragma once

namespace sdm {

// DeepCache over a sample (see DeepFeatureCache): of every `interval` consecutive steps the first
// computes the whole network and the others reuse its deep features, running only the encoder's
// first `depth` blocks and the decoder's last `depth`. Off by default: it trades some fidelity to
// the label map and some diversity for speed (benchmarks/README.md has both costs measured).
struct FeatureReuse {
  int interval = 1;  // 1: off, every step computes the whole network
  int depth = 1;     // 1 … the network's input blocks; 1 skips the most

  bool enabled() const { return interval > 1; }
};

}  // namespace sdm
