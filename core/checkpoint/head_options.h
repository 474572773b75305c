#pragma once

#include <optional>

namespace sdm {

// The attention head split, which weights cannot show. -1 means unused, as in the reference.
struct HeadOptions {
  std::optional<int> num_heads;
  std::optional<int> num_head_channels;
};

}  // namespace sdm
