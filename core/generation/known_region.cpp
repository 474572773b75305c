#include "core/generation/known_region.h"

#include "core/io/image_io.h"

#include <torch/torch.h>

namespace sdm {

KnownRegion known_region(const PhotoEdit& edit, int64_t count, c10::Device device, int jump_length, int jump_n) {
  KnownRegion known;
  known.image = rgb_to_tensor(edit.model_photo).unsqueeze(0).expand({count, -1, -1, -1}).contiguous().to(device);
  const cv::Mat mask = edit.model_mask.isContinuous() ? edit.model_mask : edit.model_mask.clone();
  known.mask = torch::from_blob(mask.data, {1, 1, mask.rows, mask.cols}, torch::kUInt8)
                   .to(torch::kFloat)
                   .div(255)
                   .expand({count, -1, -1, -1})
                   .contiguous()
                   .to(device);
  known.jump_length = jump_length;
  known.jump_n = jump_n;
  return known;
}

}  // namespace sdm
