// Procedural landscapes: deterministic per seed, ADE20K landscape ids only, every class of the
// landscape set appearing across seeds, label maps that agree with the pictures, and at 256² detail
// that a 64² picture cannot hold.
#include "core/scenes/landscape_scene.h"

#include <doctest/doctest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <set>

using namespace sdm;

TEST_CASE("a seed always gives the same scene, another seed another") {
  const auto a = generate_landscape(42, 64), b = generate_landscape(42, 64), c = generate_landscape(43, 64);
  CHECK(cv::norm(a.image, b.image, cv::NORM_INF) == 0);
  CHECK(cv::norm(a.labels, b.labels, cv::NORM_INF) == 0);
  CHECK(cv::norm(a.image, c.image, cv::NORM_INF) > 0);
  CHECK(a.image.size() == cv::Size(64, 64));
  CHECK(a.image.type() == CV_8UC3);
}

TEST_CASE("scenes use the landscape classes, all of them across seeds, with sky on top") {
  namespace ade = ade20k;
  const std::set<int> landscape = {ade::sky,   ade::tree,  ade::grass, ade::earth, ade::mountain, ade::plant,
                                   ade::water, ade::house, ade::sea,   ade::field, ade::rock,     ade::sand,
                                   ade::path,  ade::river, ade::flower, ade::hill, ade::building};
  std::set<int> seen;
  double water_blue = 0, grass_blue = 0;
  int water_pixels = 0, grass_pixels = 0;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    const auto scene = generate_landscape(seed, 96);
    for (int y = 0; y < 96; ++y)
      for (int x = 0; x < 96; ++x) {
        const int id = scene.labels.at<uchar>(y, x);
        seen.insert(id);
        const auto& rgb = scene.image.at<cv::Vec3b>(y, x);
        if (id == ade::sea || id == ade::water || id == ade::river) water_blue += rgb[2] - rgb[1], ++water_pixels;
        if (id == ade::grass) grass_blue += rgb[2] - rgb[1], ++grass_pixels;
      }
    for (int x = 0; x < 96; ++x) CHECK(scene.labels.at<uchar>(0, x) == ade::sky);
  }
  for (int id : seen) CHECK(landscape.count(id) == 1);
  CHECK(seen == landscape);
  // The pictures follow the maps: water is bluer than grass.
  REQUIRE(water_pixels > 0);
  CHECK(water_blue / water_pixels > grass_blue / grass_pixels + 20);
}

TEST_CASE("a 256² scene has detail that its 64² downsample drops, and the downsample keeps the 64² colours") {
  auto to_64 = [](const cv::Mat& image) {
    cv::Mat small;
    cv::resize(image, small, {64, 64}, 0, 0, cv::INTER_AREA);
    return small;
  };
  // The share of a picture's variance lost by going down to 64² and back up. Flat-coloured regions
  // lose only their edges: without detail seeds 0–7 lose 1.3–4.3%, 2.3% on average; with it
  // 3.6–9.9%, 5.9% on average.
  auto lost_at_64 = [&](const cv::Mat& image) {
    cv::Mat picture, back;
    image.convertTo(picture, CV_32FC3);
    cv::resize(to_64(picture), back, picture.size(), 0, 0, cv::INTER_LINEAR);
    const cv::Mat centred = picture - cv::mean(picture);
    return std::pow(cv::norm(picture, back), 2) / std::pow(cv::norm(centred), 2);
  };
  double lost = 0;
  cv::Vec3d difference = 0;
  int blocks = 0;
  for (uint64_t seed = 0; seed < 8; ++seed) {
    const auto large = generate_landscape(seed, 256), small = generate_landscape(seed, 64);
    const double lost_here = lost_at_64(large.image);
    CHECK(lost_here > 0.03);
    lost += lost_here / 8;
    // Layouts can differ between sizes (how many pixels flower changes the later draws), so
    // colours are compared only where the 64² map agrees with a whole 4×4 block of the 256² one.
    const cv::Mat down = to_64(large.image);
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x) {
        const cv::Mat block = large.labels(cv::Rect(4 * x, 4 * y, 4, 4));
        if (cv::countNonZero(block != small.labels.at<uchar>(y, x)) > 0) continue;
        const auto &a = down.at<cv::Vec3b>(y, x), &b = small.image.at<cv::Vec3b>(y, x);
        for (int c = 0; c < 3; ++c) difference[c] += std::abs(a[c] - b[c]);
        ++blocks;
      }
  }
  CHECK(lost > 0.045);
  REQUIRE(blocks > 8 * 4096 / 2);
  // Measured: 4.0, 4.0, 2.9 levels (RGB); 3.9, 3.1, 2.4 without detail; 5.8, 6.2, 4.6 if the detail
  // kept its coarse part.
  for (int c = 0; c < 3; ++c) CHECK(difference[c] / blocks < 5);
}
