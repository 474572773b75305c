#include "core/training/data_parallel.h"

#include "core/base/error.h"

#include <torch/torch.h>

#if __has_include(<gloo/algorithm.h>) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>)
#define SDM_HAVE_C10D 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>) && defined(USE_C10D_NCCL)
#define SDM_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <cstdlib>
#include <string>

namespace sdm {

namespace {
std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}
}  // namespace

#ifdef SDM_HAVE_C10D
// The concrete groups, not their base: Gloo and NCCL derive from ProcessGroup in LibTorch 1.x and
// from Backend in 2.x, with the same collective calls.
struct DataParallel::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#ifdef SDM_HAVE_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
  void allreduce(std::vector<at::Tensor>& tensors) {
#ifdef SDM_HAVE_NCCL
    if (nccl) return void(nccl->allreduce(tensors)->wait());
#endif
    gloo->allreduce(tensors)->wait();
  }
  void broadcast(std::vector<at::Tensor>& tensors) {
#ifdef SDM_HAVE_NCCL
    if (nccl) return void(nccl->broadcast(tensors)->wait());
#endif
    gloo->broadcast(tensors)->wait();
  }
};
#else
struct DataParallel::Group {};
#endif

std::optional<DataParallel> DataParallel::from_environment(bool cuda) {
  const std::string world = variable("WORLD_SIZE");
  if (world.empty() || world == "1") return std::nullopt;
  const std::string rank = variable("RANK"), addr = variable("MASTER_ADDR"), port = variable("MASTER_PORT");
  if (rank.empty() || addr.empty() || port.empty())
    throw Error("WORLD_SIZE=" + world + " needs RANK, MASTER_ADDR and MASTER_PORT too (as torchrun sets them)");
  try {
    return DataParallel(std::stoi(rank), std::stoi(world), addr, std::stoi(port), cuda);
  } catch (const std::logic_error&) {
    throw Error("RANK, WORLD_SIZE and MASTER_PORT must be numbers (RANK=" + rank + ", WORLD_SIZE=" + world + ", MASTER_PORT=" + port + ")");
  }
}

DataParallel::DataParallel(int rank, int world_size, const std::string& master_addr, int master_port, bool cuda)
    : rank_(rank), world_size_(world_size), group_(std::make_unique<Group>()) {
  if (rank < 0 || rank >= world_size) throw Error("RANK " + std::to_string(rank) + " is outside WORLD_SIZE " + std::to_string(world_size));
#ifdef SDM_HAVE_C10D
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(master_port);
  options.isServer = rank == 0;
  options.numWorkers = static_cast<std::size_t>(world_size);
  options.timeout = std::chrono::minutes(5);
  try {
    group_->store = c10::make_intrusive<c10d::TCPStore>(master_addr, options);
#ifdef SDM_HAVE_NCCL
    if (cuda) {
      group_->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(group_->store, rank, world_size);
      return;
    }
#endif
    auto gloo = c10d::ProcessGroupGloo::Options::create(std::chrono::minutes(5));
    gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(master_addr));
    group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, rank, world_size, gloo);
  } catch (const std::exception& e) {
    throw Error("data-parallel group (rank " + std::to_string(rank) + " of " + std::to_string(world_size) + " at " + master_addr + ":" +
                std::to_string(master_port) + "): " + std::string(e.what()).substr(0, 300));
  }
  (void)cuda;
#else
  (void)master_addr;
  (void)master_port;
  (void)cuda;
  throw Error("this build has no c10d (Gloo headers were missing): data-parallel training is unavailable");
#endif
}

DataParallel::~DataParallel() = default;
DataParallel::DataParallel(DataParallel&&) noexcept = default;

void DataParallel::broadcast(const std::vector<torch::Tensor>& tensors) {
#ifdef SDM_HAVE_C10D
  torch::NoGradGuard no_grad;
  for (const auto& tensor : tensors) {
    std::vector<at::Tensor> one{tensor};
    group_->broadcast(one);
  }
#else
  (void)tensors;
#endif
}

void DataParallel::average_gradients(const std::vector<torch::Tensor>& parameters) {
#ifdef SDM_HAVE_C10D
  torch::NoGradGuard no_grad;
  // One flat buffer: one all-reduce per step instead of one per parameter.
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters)
    grads.push_back(p.grad().defined() ? p.grad().reshape(-1) : torch::zeros({p.numel()}, p.options()));
  std::vector<at::Tensor> flat{torch::cat(grads)};
  group_->allreduce(flat);
  flat[0].div_(world_size_);
  int64_t offset = 0;
  for (const auto& p : parameters) {
    if (p.grad().defined()) p.mutable_grad().copy_(flat[0].narrow(0, offset, p.numel()).view_as(p));
    offset += p.numel();
  }
#else
  (void)parameters;
#endif
}

}  // namespace sdm
