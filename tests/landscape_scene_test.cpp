// Procedural landscapes: deterministic per seed, ADE20K landscape ids only, every class of the
// landscape set appearing across seeds, and label maps that agree with the pictures.
#include "core/scenes/landscape_scene.h"

#include <doctest/doctest.h>
#include <opencv2/core.hpp>

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
