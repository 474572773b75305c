#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>

namespace sdm {

// The ADE20K ids (label-file values) procedural landscapes use, so maps painted for the shipped
// model also work with the released ADE20K checkpoint.
namespace ade20k {
constexpr uint8_t building = 2, sky = 3, tree = 5, grass = 10, earth = 14, mountain = 17, plant = 18, water = 22,
                  house = 26, sea = 27, field = 30, rock = 35, sand = 47, path = 53, river = 61, flower = 67, hill = 69;
}

struct LandscapeScene {
  cv::Mat image;   // CV_8UC3, RGB
  cv::Mat labels;  // CV_8U, ADE20K ids
};

// An outdoor scene and its label map, the same for the same seed: sky with clouds, far mountains
// and hills above a horizon, a ground of grass, field, lake, sea with beach, river or path, rocks,
// flowers, houses and trees placed far to near so nearer things occlude farther ones, water
// reflecting what stands above it, and one light direction shading everything.
LandscapeScene generate_landscape(uint64_t seed, int size);

}  // namespace sdm
