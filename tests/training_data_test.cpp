// The dataset readers on small fixture folders in each of the reference's layouts.
#include "core/error.h"
#include "core/image_io.h"
#include "core/landscape_scene.h"
#include "core/training_data.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;

namespace {

ClassSet landscape_classes() {
  return ClassSet::load(std::filesystem::path(SDM_TEST_DATA) / "../../resources/classes/ade20k-landscape.json");
}

// Scene i's picture at `image` and its label ids at `labels` (folders created).
void write_pair(int i, const std::filesystem::path& image, const std::filesystem::path& labels) {
  const auto scene = generate_landscape(uint64_t(i), 40);
  std::filesystem::create_directories(image.parent_path());
  std::filesystem::create_directories(labels.parent_path());
  write_png(image, scene.image);
  write_png(labels, scene.labels);
}

}  // namespace

TEST_CASE("every layout of the reference's datasets pairs its images with their labels") {
  test::TemporaryDirectory dir;
  const auto classes = landscape_classes();
  struct Case {
    const char* name;
    std::function<void(const std::filesystem::path&, int)> write;
  };
  const Case cases[] = {
      {"ade20k", [](const auto& root, int i) {
         write_pair(i, root / "images/training" / ("ADE_" + std::to_string(i) + ".png"), root / "annotations/training" / ("ADE_" + std::to_string(i) + ".png"));
       }},
      {"celeba", [](const auto& root, int i) {
         write_pair(i, root / "images" / (std::to_string(i) + ".png"), root / "labels" / (std::to_string(i) + ".png"));
       }},
      {"coco", [](const auto& root, int i) {
         write_pair(i, root / "train_img" / (std::to_string(i) + ".png"), root / "train_label" / (std::to_string(i) + ".png"));
       }},
      {"cityscapes", [](const auto& root, int i) {
         const std::string stem = "aachen_0000" + std::to_string(i) + "_000019";
         write_pair(i, root / "leftImg8bit/train/aachen" / (stem + "_leftImg8bit.png"), root / "gtFine/train/aachen" / (stem + "_gtFine_labelIds.png"));
         // Cityscapes' other per-image files must not be taken for labels.
         write_png(root / "gtFine/train/aachen" / (stem + "_gtFine_color.png"), cv::Mat(40, 40, CV_8UC3, cv::Scalar(255, 0, 0)));
         write_png(root / "gtFine/train/aachen" / (stem + "_gtFine_instanceIds.png"), cv::Mat(40, 40, CV_8UC1, cv::Scalar(200)));
       }},
      {"pairs", [](const auto& root, int i) {
         write_pair(i, root / (std::to_string(i) + ".jpg"), root / (std::to_string(i) + ".png"));
       }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto root = dir / c.name;
    for (int i = 0; i < 2; ++i) c.write(root, i);
    const TrainingData data(root, classes);
    REQUIRE(data.size() == 2);
    std::mt19937 rng(1);
    const auto example = data.load(1, 32, 32, rng);
    CHECK(example.image.sizes() == torch::IntArrayRef{3, 32, 32});
    CHECK(example.channels.sizes() == torch::IntArrayRef{32, 32});
    CHECK(example.channels.max().item<int64_t>() < classes.num_classes);
    const auto batch = data.load_batch(3, 32, 32, rng);
    CHECK(batch.image.sizes() == torch::IntArrayRef{3, 3, 32, 32});
  }
  std::filesystem::create_directories(dir / "empty");
  CHECK_THROWS_WITH_AS(TrainingData(dir / "empty", classes), doctest::Contains("no image/label pairs"), Error);
  CHECK_THROWS_WITH_AS(TrainingData(dir / "missing", classes), doctest::Contains("no such folder"), Error);
}
