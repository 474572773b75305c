#include "core/io/label_ids.h"

#include "core/base/error.h"

#include <opencv2/imgproc.hpp>

#include <map>
#include <set>

namespace sdm {

namespace {

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

}  // namespace

cv::Mat fit_label_map(const cv::Mat& map, const std::filesystem::path& path, int height, int width, LabelMapNotes* notes) {
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

cv::Mat label_ids(const cv::Mat& image, const std::filesystem::path& path, const ClassSet* classes, int num_classes) {
  cv::Mat ids;
  if (image.channels() == 1) {
    if (image.depth() != CV_8U && image.depth() != CV_16U) throw Error(path.string() + ": label maps must be 8- or 16-bit");
    image.convertTo(ids, CV_32S);  // single-channel maps hold the ids directly
    std::set<int> known;
    if (classes)
      for (const auto& c : classes->classes) known.insert(c.id);
    else
      for (int channel = 0; channel < num_classes; ++channel) known.insert(channel);
    std::map<int, int64_t> unknown;
    for (int y = 0; y < ids.rows; ++y)
      for (int x = 0; x < ids.cols; ++x)
        if (const int id = ids.at<int>(y, x); !known.contains(id)) ++unknown[id];
    if (!unknown.empty())
      throw Error(path.string() + ": class ids the model does not have (" + (classes ? classes->title + ", " : std::string()) +
                  std::to_string(num_classes) + " classes): " +
                  list_offenders(unknown, [](int id) { return "id " + std::to_string(id); }));
  } else {
    if (!classes) throw Error(path.string() + ": a colour label map needs the model's class set; give a single-channel map of class ids");
    if (image.depth() != CV_8U) throw Error(path.string() + ": colour label maps must be 8-bit");
    ids = cv::Mat(image.rows, image.cols, CV_32S);
    std::map<std::array<uint8_t, 3>, int> known;  // emplace keeps the first class of a repeated colour
    for (const auto& c : classes->classes) known.emplace(c.color, c.id);
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
  return ids;
}

}  // namespace sdm
