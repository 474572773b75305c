#include "core/diffusion/batch_parts.h"

#include "core/base/error.h"

#include <c10/util/Exception.h>
#include <torch/torch.h>

#include <vector>

namespace sdm {

SamplingResult sample_in_parts(int64_t batch, const StepCallback& on_step, const PartSampler& sample_part,
                               const std::function<void(int64_t)>& on_smaller_parts, int64_t first_part_size) {
  std::vector<torch::Tensor> done;
  torch::Tensor previews;  // the whole batch's, once split
  int64_t first = 0, part = first_part_size > 0 ? std::min(first_part_size, batch) : batch, parts_done = 0;
  while (first < batch) {
    const int64_t count = std::min(part, batch - first);
    const int64_t parts = parts_done + (batch - first + part - 1) / part;
    StepCallback part_step;
    if (on_step)
      part_step = [&](const StepProgress& p) {
        if (part == batch) return on_step(p);
        if (!previews.defined()) previews = torch::zeros({batch, p.preview.size(1), p.preview.size(2), p.preview.size(3)}, p.preview.options());
        previews.narrow(0, first, count).copy_(p.preview);
        return on_step({static_cast<int>(parts_done * p.total + p.step), static_cast<int>(parts * p.total), p.timestep, previews});
      };
    SamplingResult result;
    try {
      result = sample_part(first, count, part_step);
    } catch (const c10::OutOfMemoryError& e) {
      if (count == 1)
        throw Error(std::string("out of memory even for one picture at a time: ") + e.what_without_backtrace() +
                    " — free memory on that device (close other programs using it) or run on the CPU");
      part = (count + 1) / 2;
      if (on_smaller_parts) on_smaller_parts(part);
      continue;
    }
    if (result.cancelled) return result;
    done.push_back(result.images);
    first += count;
    ++parts_done;
  }
  return {done.size() == 1 ? done.front() : torch::cat(done), false};
}

}  // namespace sdm
