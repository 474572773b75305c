#include "core/training_data.h"

#include "core/error.h"
#include "core/image_io.h"

#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <map>

namespace sdm {

namespace {

bool is_image(const std::filesystem::path& p) {
  const auto ext = p.extension().string();
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// The reference's dataset layouts: image folder, label folder, and the file-name endings that
// differ between an image and its labels.
struct Layout {
  const char* images;
  const char* labels;
  const char* image_ending;
  const char* label_ending;
};
constexpr Layout kLayouts[] = {
    {"images", "annotations", "", ""},                              // ADE20K
    {"images", "labels", "", ""},                                   // CelebAMask-HQ (a split's folder)
    {"train_img", "train_label", "", ""},                           // COCO-Stuff
    {"leftImg8bit", "gtFine", "_leftImg8bit", "_gtFine_labelIds"},  // Cityscapes
};

// Image files below `dir` by their stem less `ending`; with an ending, only the files that have it.
std::map<std::string, std::filesystem::path> files_by_stem(const std::filesystem::path& dir, bool labels, const std::string& ending) {
  std::map<std::string, std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || !is_image(entry.path()) || (labels && entry.path().extension() != ".png")) continue;
    std::string stem = entry.path().stem().string();
    if (!ending.empty()) {
      if (!stem.ends_with(ending)) continue;
      stem.resize(stem.size() - ending.size());
    }
    files[stem] = entry.path();
  }
  return files;
}

}  // namespace

TrainingData::TrainingData(const std::filesystem::path& root, ClassSet classes) : classes_(std::move(classes)) {
  if (!std::filesystem::is_directory(root)) throw Error(root.string() + ": no such folder");
  const auto layout = std::find_if(std::begin(kLayouts), std::end(kLayouts), [&](const Layout& l) {
    return std::filesystem::is_directory(root / l.images) && std::filesystem::is_directory(root / l.labels);
  });
  if (layout != std::end(kLayouts)) {
    const auto labels = files_by_stem(root / layout->labels, true, layout->label_ending);
    for (const auto& [stem, image] : files_by_stem(root / layout->images, false, layout->image_ending))
      if (auto it = labels.find(stem); it != labels.end()) pairs_.emplace_back(image, it->second);
  } else {
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      const auto& p = entry.path();
      if (p.extension() != ".jpg" && p.extension() != ".jpeg") continue;
      auto labels = p;
      labels.replace_extension(".png");
      if (std::filesystem::exists(labels)) pairs_.emplace_back(p, labels);
    }
  }
  std::sort(pairs_.begin(), pairs_.end());
  if (pairs_.empty())
    throw Error(root.string() +
                ": no image/label pairs (expected images/ + annotations/ (ADE20K), images/ + labels/ (CelebAMask-HQ), "
                "train_img/ + train_label/ (COCO-Stuff), leftImg8bit/ + gtFine/ (Cityscapes), or x.jpg beside x.png)");
}

TrainingExample TrainingData::load(size_t index, int height, int width, std::mt19937& rng) const {
  const auto& [image_path, label_path] = pairs_.at(index);
  cv::Mat image = read_rgb_image(image_path);
  cv::Mat ids = read_image_unchanged(label_path);
  if (ids.channels() != 1) throw Error(label_path.string() + ": training labels must be single-channel class ids");
  if (ids.size() != image.size())
    throw Error(label_path.string() + ": labels are " + std::to_string(ids.cols) + "x" + std::to_string(ids.rows) +
                " but the image is " + std::to_string(image.cols) + "x" + std::to_string(image.rows));
  // Shorter side to the model's, then a random crop and flip.
  const double scale = std::max(double(height) / image.rows, double(width) / image.cols);
  const cv::Size scaled(std::max(width, int(std::lround(image.cols * scale))), std::max(height, int(std::lround(image.rows * scale))));
  cv::resize(image, image, scaled, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  cv::resize(ids, ids, scaled, 0, 0, cv::INTER_NEAREST_EXACT);
  const int x0 = std::uniform_int_distribution<int>(0, scaled.width - width)(rng);
  const int y0 = std::uniform_int_distribution<int>(0, scaled.height - height)(rng);
  const cv::Rect crop(x0, y0, width, height);
  image = image(crop).clone();
  ids = ids(crop).clone();
  if (std::uniform_int_distribution<int>(0, 1)(rng)) {
    cv::flip(image, image, 1);
    cv::flip(ids, ids, 1);
  }
  std::vector<int> channel_of(65536, -1);
  for (const auto& c : classes_.classes) channel_of[static_cast<size_t>(c.id)] = c.channel;
  auto channels = torch::empty({height, width}, torch::kLong);
  auto* out = channels.data_ptr<int64_t>();
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const int id = ids.depth() == CV_16U ? ids.at<uint16_t>(y, x) : ids.at<uchar>(y, x);
      if (channel_of[static_cast<size_t>(id)] < 0)
        throw Error(label_path.string() + ": class id " + std::to_string(id) + " is not in the " + classes_.title + " class set");
      out[y * width + x] = channel_of[static_cast<size_t>(id)];
    }
  return {rgb_to_tensor(image), channels};
}

TrainingExample TrainingData::load_batch(int count, int height, int width, std::mt19937& rng) const {
  std::uniform_int_distribution<size_t> pick(0, pairs_.size() - 1);
  std::vector<torch::Tensor> images, channels;
  for (int i = 0; i < count; ++i) {
    auto example = load(pick(rng), height, width, rng);
    images.push_back(example.image);
    channels.push_back(example.channels);
  }
  return {torch::stack(images), torch::stack(channels)};
}

}  // namespace sdm
