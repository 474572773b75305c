#pragma once

#include <torch/types.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sdm {

// A model's weights by their Python state-dict names, in file order.
using StateDict = std::vector<std::pair<std::string, torch::Tensor>>;

// Reads a `torch.save(model.state_dict())` file (the zip format of torch ≥ 1.6), the released SDM
// checkpoints included, with tensors in the dtype they were saved in. Anything else — empty,
// truncated, corrupt, legacy, an image, a TorchScript module — is refused with one sdm::Error line
// naming the file and the problem.
StateDict read_state_dict(const std::filesystem::path& path);

// Writes a name→tensor dict that Python's torch.load + load_state_dict accept; atomically.
void write_state_dict(const std::filesystem::path& path, const StateDict& state);

}  // namespace sdm
