#include "core/label_map.h"

#include "core/error.h"
#include "core/image_io.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <map>

namespace sdm {

namespace {

// Brings a map to height×width with nearest neighbour when the aspect ratio agrees.
cv::Mat fit_to_model(const cv::Mat& map, const std::filesystem::path& path, int height, int width, LabelMapNotes* notes) {
  if (map.rows == height && map.cols == width) return map;
  if (static_cast<int64_t>(map.rows) * width != static_cast<int64_t>(map.cols) * height)
    throw Error(path.string() + ": is " + std::to_string(map.cols) + "x" + std::to_string(map.rows) +
                " (WxH), which does not have the model's aspect ratio " + std::to_string(width) + "x" + std::to_string(height));
  cv::Mat scaled;
  cv::resize(map, scaled, cv::Size(width, height), 0, 0, cv::INTER_NEAREST_EXACT);
  if (notes)
    notes->lines.push_back(path.string() + ": scaled " + std::to_string(map.cols) + "x" + std::to_string(map.rows) + " to " +
                           std::to_string(width) + "x" + std::to_string(height) + " with nearest neighbour");
  return scaled;
}

std::string hex_color(const std::array<uint8_t, 3>& c) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", c[0], c[1], c[2]);
  return text;
}

// "a (n px), b (m px), …" for at most 8 offenders, most frequent first.
template <typename Key, typename Describe>
std::string list_offenders(const std::map<Key, int64_t>& counts, Describe describe) {
  std::vector<std::pair<Key, int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text;
  for (size_t i = 0; i < sorted.size() && i < 8; ++i)
    text += (i ? ", " : "") + describe(sorted[i].first) + " (" + std::to_string(sorted[i].second) + " px)";
  if (sorted.size() > 8) text += ", and " + std::to_string(sorted.size() - 8) + " more";
  return text;
}

// Single-channel maps hold ids directly; returns them as int32.
cv::Mat grey_ids(const cv::Mat& image) {
  cv::Mat ids;
  image.convertTo(ids, CV_32S);
  return ids;
}

torch::Tensor to_tensor(const cv::Mat& ids) {
  return torch::from_blob(ids.data, {ids.rows, ids.cols}, torch::kInt).to(torch::kLong);
}

}  // namespace

torch::Tensor read_label_map(const std::filesystem::path& path, int num_classes, const ClassSet* classes, int height,
                             int width, LabelMapNotes* notes) {
  const cv::Mat image = fit_to_model(read_image_unchanged(path), path, height, width, notes);
  cv::Mat ids;
  if (image.channels() == 1) {
    if (image.depth() != CV_8U && image.depth() != CV_16U) throw Error(path.string() + ": label maps must be 8- or 16-bit");
    ids = grey_ids(image);
    // Dataset ids → model channels, through the class set when there is one.
    std::map<int, int> channel_of;
    if (classes)
      for (const auto& c : classes->classes) channel_of[c.id] = c.channel;
    else
      for (int channel = 0; channel < num_classes; ++channel) channel_of[channel] = channel;
    std::map<int, int64_t> unknown;
    for (int y = 0; y < ids.rows; ++y)
      for (int x = 0; x < ids.cols; ++x) {
        int& id = ids.at<int>(y, x);
        auto it = channel_of.find(id);
        if (it == channel_of.end()) ++unknown[id];
        else id = it->second;
      }
    if (!unknown.empty())
      throw Error(path.string() + ": class ids the model does not have (" + (classes ? classes->title + ", " : std::string()) +
                  std::to_string(num_classes) + " classes): " +
                  list_offenders(unknown, [](int id) { return "id " + std::to_string(id); }));
  } else {
    if (!classes) throw Error(path.string() + ": a colour label map needs the model's class set; give a single-channel map of class ids");
    if (image.depth() != CV_8U) throw Error(path.string() + ": colour label maps must be 8-bit");
    ids = cv::Mat(image.rows, image.cols, CV_32S);
    std::map<std::array<uint8_t, 3>, int> known;  // emplace keeps the first class of a repeated colour
    for (const auto& c : classes->classes) known.emplace(c.color, c.channel);
    std::map<std::array<uint8_t, 3>, int64_t> unknown;
    for (int y = 0; y < image.rows; ++y)
      for (int x = 0; x < image.cols; ++x) {
        const auto& p = image.at<cv::Vec3b>(y, x);
        const std::array<uint8_t, 3> color{p[0], p[1], p[2]};
        auto it = known.find(color);
        if (it == known.end()) ++unknown[color];
        else ids.at<int>(y, x) = it->second;
      }
    if (!unknown.empty())
      throw Error(path.string() + ": colours not in the " + classes->title + " palette: " + list_offenders(unknown, hex_color));
  }
  return to_tensor(ids);
}

torch::Tensor read_instance_map(const std::filesystem::path& path, int height, int width, LabelMapNotes* notes) {
  const cv::Mat image = fit_to_model(read_image_unchanged(path), path, height, width, notes);
  if (image.channels() == 1) return to_tensor(grey_ids(image));
  // One colour per instance: number the colours.
  cv::Mat ids(image.rows, image.cols, CV_32S);
  std::map<std::array<uint8_t, 3>, int> numbering;
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      const auto& p = image.at<cv::Vec3b>(y, x);
      ids.at<int>(y, x) = numbering.emplace(std::array<uint8_t, 3>{p[0], p[1], p[2]}, static_cast<int>(numbering.size())).first->second;
    }
  return to_tensor(ids);
}

torch::Tensor instance_edges(const torch::Tensor& instances) {
  using torch::indexing::Slice;
  auto edges = torch::zeros(instances.sizes(), torch::kBool);
  const auto horizontal = instances.index({Slice(), Slice(1)}) != instances.index({Slice(), Slice(0, -1)});
  const auto vertical = instances.index({Slice(1), Slice()}) != instances.index({Slice(0, -1), Slice()});
  edges.index({Slice(), Slice(1)}) |= horizontal;
  edges.index({Slice(), Slice(0, -1)}) |= horizontal;
  edges.index({Slice(1), Slice()}) |= vertical;
  edges.index({Slice(0, -1), Slice()}) |= vertical;
  return edges.to(torch::kFloat);
}

torch::Tensor encode_label_map(const torch::Tensor& channels, int num_classes, bool with_edges, const torch::Tensor& instances) {
  const auto height = channels.size(0), width = channels.size(1);
  auto one_hot = torch::zeros({1, num_classes, height, width});
  one_hot.scatter_(1, channels.view({1, 1, height, width}), 1.0);
  if (!with_edges) return one_hot;
  const auto edges = instances.defined() ? instance_edges(instances) : torch::zeros({height, width});
  return torch::cat({one_hot, edges.view({1, 1, height, width})}, 1);
}

}  // namespace sdm
