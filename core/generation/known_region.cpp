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

PhotoEdit add_photo_edit(SamplingRequest& layout, SamplingRequest* detail, const Generator& generator, const cv::Mat& photo,
                         const cv::Mat& mask, int jump_length, int jump_n) {
  const int64_t count = layout.labels.size(0);
  const auto& base = generator.model.config;
  PhotoEdit edit = prepare_photo_edit(photo, mask, base.image_height, base.image_width);
  layout.known = known_region(edit, count, generator.device, jump_length, jump_n);
  if (detail) {
    // The base has settled the layout and harmonised the border; the detail stage only has to
    // fill in its mask, so it runs without jumps.
    const auto& fine = generator.upscaler->model.config;
    edit = prepare_photo_edit(photo, mask, fine.image_height, fine.image_width);
    detail->known = known_region(edit, count, generator.device);
  }
  return edit;
}

}  // namespace sdm
