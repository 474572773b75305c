// Label maps as users give them: id PNGs, colour PNGs, other sizes, and the errors for bad ones.
#include "core/base/error.h"
#include "core/io/class_set.h"
#include "core/io/label_map.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

using namespace sdm;

namespace {

using test::class_set;

std::filesystem::path write_grey(const test::TemporaryDirectory& dir, const std::string& name, const cv::Mat& image) {
  const auto path = dir / name;
  cv::imwrite(path.string(), image);
  return path;
}

}  // namespace

TEST_CASE("every shipped class set loads, with the dataset's size and channel layout") {
  CHECK(class_set("ade20k").num_classes == 151);
  CHECK(class_set("celeba").instance_edges);
  CHECK(class_set("coco").num_classes == 182);
  CHECK(class_set("cityscapes").num_classes == 35);
  // ADE20K files store 0 = other, 1…150 = classes; the model's channels are id − 1, other last.
  const auto ade = class_set("ade20k");
  CHECK(ade.find_id(0)->channel == 150);
  CHECK(ade.find_id(3)->name == "sky");
  CHECK(ade.find_id(3)->channel == 2);
}

TEST_CASE("grey maps are read through the class set's ids; without one, as channels") {
  test::TemporaryDirectory dir;
  cv::Mat map(4, 4, CV_8U, cv::Scalar(3));  // ADE20K sky
  map.at<uchar>(0, 0) = 0;                  // other
  const auto path = write_grey(dir, "map.png", map);
  const auto ade = class_set("ade20k");
  const auto channels = read_label_map(path, 151, &ade, 4, 4);
  CHECK(channels[0][0].item<int64_t>() == 150);
  CHECK(channels[1][1].item<int64_t>() == 2);
  CHECK(read_label_map(path, 151, nullptr, 4, 4)[1][1].item<int64_t>() == 3);

  cv::Mat wide(4, 4, CV_16U, cv::Scalar(300));
  CHECK_THROWS_WITH_AS(read_label_map(write_grey(dir, "wide.png", wide), 151, &ade, 4, 4),
                       doctest::Contains("id 300 (16 px)"), Error);
}

TEST_CASE("unknown ids and colours are listed with their pixel counts") {
  test::TemporaryDirectory dir;
  cv::Mat map(4, 4, CV_8U, cv::Scalar(1));
  map.at<uchar>(0, 0) = 40;
  map.at<uchar>(0, 1) = 40;
  map.at<uchar>(3, 3) = 25;
  const auto ids_path = write_grey(dir, "ids.png", map);
  try {
    read_label_map(ids_path, 19, nullptr, 4, 4);
    FAIL("accepted ids beyond the classes");
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find(ids_path.string()) == 0);
    CHECK(message.find("id 40 (2 px), id 25 (1 px)") != std::string::npos);
  }

  const auto celeba = class_set("celeba");
  cv::Mat colour(2, 2, CV_8UC3, cv::Scalar(0, 0, 0));  // background
  colour.at<cv::Vec3b>(0, 0) = cv::Vec3b(1, 2, 3);     // BGR in OpenCV: #030201
  const auto path = dir / "colour.png";
  cv::imwrite(path.string(), colour);
  CHECK_THROWS_WITH_AS(read_label_map(path, 19, &celeba, 2, 2), doctest::Contains("#030201 (1 px)"), Error);
  CHECK_THROWS_WITH_AS(read_label_map(path, 19, nullptr, 2, 2), doctest::Contains("needs the model's class set"), Error);
}

TEST_CASE("colour maps use the dataset's palette") {
  test::TemporaryDirectory dir;
  const auto celeba = class_set("celeba");
  const auto& hair = *std::find_if(celeba.classes.begin(), celeba.classes.end(), [](const auto& c) { return c.name == "hair"; });
  cv::Mat colour(2, 2, CV_8UC3, cv::Scalar(hair.color[2], hair.color[1], hair.color[0]));
  const auto path = dir / "hair.png";
  cv::imwrite(path.string(), colour);
  CHECK(read_label_map(path, 19, &celeba, 2, 2).eq(hair.channel).all().item<bool>());
}

TEST_CASE("other sizes: same aspect is scaled with nearest neighbour, another aspect is an error naming both") {
  test::TemporaryDirectory dir;
  cv::Mat map(8, 8, CV_8U, cv::Scalar(2));
  map(cv::Rect(0, 0, 4, 8)) = 5;  // left half
  LabelMapNotes notes;
  const auto channels = read_label_map(write_grey(dir, "big.png", map), 19, nullptr, 4, 4, &notes);
  CHECK(channels.index({torch::indexing::Slice(), torch::indexing::Slice(0, 2)}).eq(5).all().item<bool>());
  CHECK(channels.index({torch::indexing::Slice(), torch::indexing::Slice(2, 4)}).eq(2).all().item<bool>());
  REQUIRE(notes.lines.size() == 1);
  CHECK(notes.lines[0].find("scaled 8x8 to 4x4") != std::string::npos);
  cv::Mat odd(4, 6, CV_8U, cv::Scalar(0));
  CHECK_THROWS_WITH_AS(read_label_map(write_grey(dir, "odd.png", odd), 19, nullptr, 4, 4),
                       doctest::Contains("is 6x4 (WxH), which does not have the model's aspect ratio 4x4"), Error);
  CHECK_THROWS_WITH_AS(read_label_map(dir / "missing.png", 19, nullptr, 4, 4), doctest::Contains("missing.png: no such file"), Error);
}

TEST_CASE("instance edges mark both sides of every boundary; one-hot plus edges is the model input") {
  const auto instances = torch::tensor({0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 2}, torch::kLong).reshape({3, 4});
  const auto edges = instance_edges(instances);
  const auto expected = torch::tensor({0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1}, torch::kFloat).reshape({3, 4});
  CHECK(edges.equal(expected));
  const auto input = encode_label_map(torch::tensor({0, 2, 1, 1}, torch::kLong).reshape({2, 2}), 3, true);
  CHECK(input.sizes() == at::IntArrayRef({1, 4, 2, 2}));
  CHECK(input.sum(1).eq(1).all().item<bool>());  // one class per pixel, edges all zero without instances
  CHECK(input[0][2][0][1].item<float>() == 1.0f);
}
