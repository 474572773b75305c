#include "core/training/training_data.h"

#include "core/base/error.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"

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

// The reference's dataset layouts: image, label and instance folders (none: no instance maps),
// and the file-name endings that differ between an image, its labels and its instances.
struct Layout {
  const char* images;
  const char* labels;
  const char* instances;
  const char* image_ending;
  const char* label_ending;
  const char* instance_ending;
};
constexpr Layout kLayouts[] = {
    {"images", "annotations", nullptr, "", "", ""},                                             // ADE20K
    {"images", "labels", nullptr, "", "", ""},                                                  // CelebAMask-HQ (a split's folder)
    {"train_img", "train_label", "train_inst", "", "", ""},                                     // COCO-Stuff
    {"leftImg8bit", "gtFine", "gtFine", "_leftImg8bit", "_gtFine_labelIds", "_gtFine_instanceIds"},  // Cityscapes
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

TrainingData::TrainingData(const std::filesystem::path& root, ClassSet classes)
    : classes_(std::move(classes)), channel_of_id_(classes_.channel_of_id()) {
  if (!std::filesystem::is_directory(root)) throw Error(root.string() + ": no such folder");
  const auto layout = std::find_if(std::begin(kLayouts), std::end(kLayouts), [&](const Layout& l) {
    return std::filesystem::is_directory(root / l.images) && std::filesystem::is_directory(root / l.labels);
  });
  if (layout != std::end(kLayouts)) {
    const auto labels = files_by_stem(root / layout->labels, true, layout->label_ending);
    has_instances_ = layout->instances && std::filesystem::is_directory(root / layout->instances);
    const auto instances = has_instances_ ? files_by_stem(root / layout->instances, true, layout->instance_ending)
                                          : std::map<std::string, std::filesystem::path>{};
    for (const auto& [stem, image] : files_by_stem(root / layout->images, false, layout->image_ending))
      if (auto it = labels.find(stem); it != labels.end()) {
        const auto instance = instances.find(stem);
        examples_.push_back({image, it->second, instance != instances.end() ? instance->second : std::filesystem::path{}});
      }
  } else {
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      const auto& p = entry.path();
      if (p.extension() != ".jpg" && p.extension() != ".jpeg") continue;
      auto labels = p;
      labels.replace_extension(".png");
      if (std::filesystem::exists(labels)) examples_.push_back({p, labels, {}});
    }
  }
  std::sort(examples_.begin(), examples_.end(), [](const Files& a, const Files& b) { return a.image < b.image; });
  if (examples_.empty())
    throw Error(root.string() +
                ": no image/label pairs (expected images/ + annotations/ (ADE20K), images/ + labels/ (CelebAMask-HQ), "
                "train_img/ + train_label/ (COCO-Stuff), leftImg8bit/ + gtFine/ (Cityscapes), or x.jpg beside x.png)");
}

TrainingExample TrainingData::load(size_t index, int height, int width, std::mt19937& rng, cv::Size crop) const {
  const auto& files = examples_.at(index);
  const auto& label_path = files.labels;
  cv::Mat image = read_rgb_image(files.image);
  cv::Mat ids = read_image_unchanged(label_path);
  if (ids.channels() != 1) throw Error(label_path.string() + ": training labels must be single-channel class ids");
  auto check_size = [&](const cv::Mat& map, const std::filesystem::path& path) {
    if (map.size() != image.size())
      throw Error(path.string() + ": it is " + std::to_string(map.cols) + "x" + std::to_string(map.rows) + " but the image is " +
                  std::to_string(image.cols) + "x" + std::to_string(image.rows));
  };
  check_size(ids, label_path);
  cv::Mat instances;
  if (has_instances_) {
    // Without its own instance map, an example of a dataset that has them gets one instance: no edges.
    instances = files.instances.empty() ? cv::Mat::zeros(image.size(), CV_32S) : instance_ids(read_image_unchanged(files.instances));
    check_size(instances, files.instances);
  }
  // Shorter side to the model's, then a random crop and flip; label and instance maps with
  // nearest neighbour.
  const double scale = std::max(double(height) / image.rows, double(width) / image.cols);
  const cv::Size scaled(std::max(width, int(std::lround(image.cols * scale))), std::max(height, int(std::lround(image.rows * scale))));
  if (crop.empty()) crop = cv::Size(width, height);
  if (crop.width > width || crop.height > height)
    throw Error("crops of " + std::to_string(crop.width) + "x" + std::to_string(crop.height) + " are larger than the model's " +
                std::to_string(width) + "x" + std::to_string(height));
  height = crop.height;
  width = crop.width;
  const int x0 = std::uniform_int_distribution<int>(0, scaled.width - width)(rng);
  const int y0 = std::uniform_int_distribution<int>(0, scaled.height - height)(rng);
  const bool flip = std::uniform_int_distribution<int>(0, 1)(rng);
  auto place = [&](const cv::Mat& in, int interpolation) {
    cv::Mat out;
    cv::resize(in, out, scaled, 0, 0, interpolation);
    out = out(cv::Rect(x0, y0, width, height)).clone();
    if (flip) cv::flip(out, out, 1);
    return out;
  };
  image = place(image, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  ids = place(ids, cv::INTER_NEAREST_EXACT);
  if (has_instances_) instances = place(instances, cv::INTER_NEAREST_EXACT);
  auto channels = torch::empty({height, width}, torch::kLong);
  auto* out = channels.data_ptr<int64_t>();
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const int id = ids.depth() == CV_16U ? ids.at<uint16_t>(y, x) : ids.at<uchar>(y, x);
      const int channel = channel_of_id_[static_cast<size_t>(id)];
      if (channel < 0)
        throw Error(label_path.string() + ": class id " + std::to_string(id) + " is not in the " + classes_.title + " class set");
      out[y * width + x] = channel;
    }
  TrainingExample example{rgb_to_tensor(image), channels, {}};
  if (has_instances_) example.instances = torch::from_blob(instances.data, {height, width}, torch::kInt).to(torch::kLong);
  return example;
}

TrainingExample TrainingData::load_batch(int count, int height, int width, std::mt19937& rng, cv::Size crop) const {
  std::uniform_int_distribution<size_t> pick(0, examples_.size() - 1);
  std::vector<torch::Tensor> images, channels, instances;
  for (int i = 0; i < count; ++i) {
    auto example = load(pick(rng), height, width, rng, crop);
    images.push_back(example.image);
    channels.push_back(example.channels);
    if (has_instances_) instances.push_back(example.instances);
  }
  return {torch::stack(images), torch::stack(channels), has_instances_ ? torch::stack(instances) : torch::Tensor()};
}

}  // namespace sdm
