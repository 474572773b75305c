#include "core/io/label_map.h"

#include "core/base/error.h"
#include "core/io/image_io.h"
#include "core/io/label_ids.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <map>

namespace sdm {

namespace {

torch::Tensor to_tensor(const cv::Mat& ids) {
  return torch::from_blob(ids.data, {ids.rows, ids.cols}, torch::kInt).to(torch::kLong);
}

}  // namespace

torch::Tensor label_map_channels(const cv::Mat& map, const std::filesystem::path& path, int num_classes, const ClassSet* classes,
                                 int height, int width, LabelMapNotes* notes) {
  cv::Mat channels = label_ids(fit_label_map(map, path, height, width, notes), path, classes, num_classes);
  if (classes) {
    // Dataset ids → the model's channels (label_ids has checked that every id is in the set).
    const auto channel_of = classes->channel_of_id();
    for (int y = 0; y < channels.rows; ++y)
      for (int x = 0; x < channels.cols; ++x) channels.at<int>(y, x) = channel_of[static_cast<size_t>(channels.at<int>(y, x))];
  }
  return to_tensor(channels);
}

torch::Tensor read_label_map(const std::filesystem::path& path, int num_classes, const ClassSet* classes, int height,
                             int width, LabelMapNotes* notes) {
  return label_map_channels(read_image_unchanged(path), path, num_classes, classes, height, width, notes);
}

cv::Mat channel_colors(const torch::Tensor& channels, const ClassSet& classes) {
  std::map<int64_t, cv::Vec3b> color_of;
  for (const auto& c : classes.classes) color_of[c.channel] = cv::Vec3b(c.color[0], c.color[1], c.color[2]);
  const auto map = channels.to(torch::kLong).contiguous().cpu();
  const auto* data = map.data_ptr<int64_t>();
  cv::Mat colors(static_cast<int>(map.size(0)), static_cast<int>(map.size(1)), CV_8UC3, cv::Scalar(0, 0, 0));
  for (int y = 0; y < colors.rows; ++y)
    for (int x = 0; x < colors.cols; ++x)
      if (auto it = color_of.find(data[y * colors.cols + x]); it != color_of.end()) colors.at<cv::Vec3b>(y, x) = it->second;
  return colors;
}

cv::Mat channel_ids(const torch::Tensor& channels, const ClassSet* classes) {
  std::vector<uint16_t> id_of;
  if (classes) {
    id_of.resize(size_t(classes->num_classes));
    for (const auto& c : classes->classes) id_of[size_t(c.channel)] = static_cast<uint16_t>(c.id);
  }
  const auto map = channels.to(torch::kLong).contiguous().cpu();
  const auto* data = map.data_ptr<int64_t>();
  cv::Mat ids(static_cast<int>(map.size(0)), static_cast<int>(map.size(1)), CV_16U);
  for (int y = 0; y < ids.rows; ++y)
    for (int x = 0; x < ids.cols; ++x) {
      const int64_t channel = data[y * ids.cols + x];
      ids.at<uint16_t>(y, x) = classes ? id_of.at(size_t(channel)) : static_cast<uint16_t>(channel);
    }
  return ids;
}

cv::Mat instance_ids(const cv::Mat& image) {
  cv::Mat ids;
  if (image.channels() == 1) {
    image.convertTo(ids, CV_32S);
    return ids;
  }
  // One colour per instance: number the colours.
  ids.create(image.rows, image.cols, CV_32S);
  std::map<std::array<uint8_t, 3>, int> numbering;
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      const auto& p = image.at<cv::Vec3b>(y, x);
      ids.at<int>(y, x) = numbering.emplace(std::array<uint8_t, 3>{p[0], p[1], p[2]}, static_cast<int>(numbering.size())).first->second;
    }
  return ids;
}

torch::Tensor instance_map_ids(const cv::Mat& image, const std::filesystem::path& path, int height, int width, LabelMapNotes* notes) {
  return to_tensor(instance_ids(fit_label_map(image, path, height, width, notes)));
}

torch::Tensor read_instance_map(const std::filesystem::path& path, int height, int width, LabelMapNotes* notes) {
  return instance_map_ids(read_image_unchanged(path), path, height, width, notes);
}

}  // namespace sdm
