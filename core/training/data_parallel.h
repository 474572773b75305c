#pragma once

#include <torch/types.h>

#include <memory>
#include <optional>
#include <vector>

namespace sdm {

// Data-parallel training over PyTorch's c10d: processes started torchrun-style (RANK,
// WORLD_SIZE, MASTER_ADDR, MASTER_PORT) meet at rank 0's TCPStore and average their gradients
// with all-reduce — Gloo on the CPU, NCCL on CUDA where this build has it.
class DataParallel {
public:
  // The group described by the environment; none when WORLD_SIZE is unset or 1. Throws sdm::Error
  // when the variables are incomplete or this build has no c10d.
  static std::optional<DataParallel> from_environment(bool cuda);

  DataParallel(int rank, int world_size, const std::string& master_addr, int master_port, bool cuda);
  ~DataParallel();
  DataParallel(DataParallel&&) noexcept;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }

  // Every process starts from rank 0's weights.
  void broadcast(const std::vector<torch::Tensor>& tensors);
  // Replaces each gradient by its mean over the processes.
  void average_gradients(const std::vector<torch::Tensor>& parameters);

private:
  struct Group;
  int rank_ = 0;
  int world_size_ = 1;
  std::unique_ptr<Group> group_;
};

}  // namespace sdm
