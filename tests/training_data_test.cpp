// The dataset readers on small fixture folders in each of the reference's layouts.
#include "core/base/error.h"
#include "core/io/image_io.h"
#include "core/scenes/landscape_scene.h"
#include "core/training/training_data.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

using namespace sdm;

namespace {


// Scene i's picture at `image` and its label ids at `labels` (folders created); with `instances`,
// an instance map there whose ids are the label ids, so a loaded example can be checked for
// instances cropped and flipped exactly as its labels.
void write_pair(int i, const std::filesystem::path& image, const std::filesystem::path& labels,
                const std::filesystem::path& instances = {}) {
  const auto scene = generate_landscape(uint64_t(i), 40);
  for (const auto& path : {image, labels, instances})
    if (!path.empty()) std::filesystem::create_directories(path.parent_path());
  write_png(image, scene.image);
  write_png(labels, scene.labels);
  if (!instances.empty()) {
    cv::Mat wide;
    scene.labels.convertTo(wide, CV_16U);
    write_png(instances, wide);
  }
}

}  // namespace

TEST_CASE("every layout of the reference's datasets pairs its images with their labels") {
  test::TemporaryDirectory dir;
  const auto classes = test::class_set("ade20k-landscape");
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
         write_pair(i, root / "train_img" / (std::to_string(i) + ".png"), root / "train_label" / (std::to_string(i) + ".png"),
                    root / "train_inst" / (std::to_string(i) + ".png"));
       }},
      {"cityscapes", [](const auto& root, int i) {
         const std::string stem = "aachen_0000" + std::to_string(i) + "_000019";
         write_pair(i, root / "leftImg8bit/train/aachen" / (stem + "_leftImg8bit.png"), root / "gtFine/train/aachen" / (stem + "_gtFine_labelIds.png"),
                    root / "gtFine/train/aachen" / (stem + "_gtFine_instanceIds.png"));
         // Cityscapes' other per-image files must not be taken for labels.
         write_png(root / "gtFine/train/aachen" / (stem + "_gtFine_color.png"), cv::Mat(40, 40, CV_8UC3, cv::Scalar(255, 0, 0)));
       }},
      {"pairs", [](const auto& root, int i) {
         write_pair(i, root / (std::to_string(i) + ".jpg"), root / (std::to_string(i) + ".png"));
       }},
  };
  auto channel_of_id = torch::full({256}, -1, torch::kLong);
  for (const auto& c : classes.classes) channel_of_id[c.id] = c.channel;
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
    const bool with_instances = std::string(c.name) == "coco" || std::string(c.name) == "cityscapes";
    CHECK(data.has_instances() == with_instances);
    CHECK(batch.instances.defined() == with_instances);
    if (with_instances) {
      CHECK(batch.instances.sizes() == torch::IntArrayRef{3, 32, 32});
      CHECK(channel_of_id.index({batch.instances}).equal(batch.channels));
      CHECK(batch.instances.max().item<int64_t>() > batch.instances.min().item<int64_t>());
    }
  }
  std::filesystem::create_directories(dir / "empty");
  CHECK_THROWS_WITH_AS(TrainingData(dir / "empty", classes), doctest::Contains("no image/label pairs"), Error);
  CHECK_THROWS_WITH_AS(TrainingData(dir / "missing", classes), doctest::Contains("no such folder"), Error);
}
