#include "core/scenes/landscape_scene.h"

#include "core/scenes/fractal_noise.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace sdm {

namespace {

using Color = cv::Vec3f;  // RGB in [0, 1]

Color mix(const Color& a, const Color& b, float t) { return a * (1.0f - t) + b * t; }
float smoothstep(float edge0, float edge1, float x) {
  const float t = std::clamp((x - edge0) / (edge1 - edge0), 0.0f, 1.0f);
  return t * t * (3 - 2 * t);
}

// Texture has a generator of its own, so drawing texture leaves the draws that decide a layout alone.
std::mt19937 texture_generator(uint64_t seed) {
  std::seed_seq sequence{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), 0x9E3779B9u};
  return std::mt19937(sequence);
}

// The hash-noise layers of texture, each with a salt of its own so they are independent.
enum class Layer : uint32_t { ripples = 1, crops, flowers, soil, gravel, sand, bark, shrubs };

class SceneBuilder {
public:
  SceneBuilder(uint64_t seed, int size)
      : size_(size), rng_(static_cast<std::mt19937::result_type>(seed ^ (seed >> 32))), texture_rng_(texture_generator(seed)),
        texture_salt_(texture_rng_()),
        // Texture a 64² picture cannot hold: none up to the 72² renders the base model learnt from,
        // all of it from 256², where `unit_` is one pixel.
        detail_(smoothstep(72.0f, 256.0f, float(size))), unit_(size / 256.0f),
        // Lengths tuned in pixels of a 72² render grow with larger pictures, which then show the same scene.
        tuned_scale_(std::max(1.0f, size / 72.0f)),
        image_(size, size, CV_32FC3, cv::Scalar::all(0)), labels_(size, size, CV_8U, cv::Scalar(ade20k::sky)),
        relief_(size, size, CV_32F, cv::Scalar(0)) {
    sun_ = uniform(-1, 1);
    horizon_ = static_cast<int>(size * uniform(0.32f, 0.55f));
    toward_sun_ = cv::Vec2f(sun_, -1) / std::sqrt(sun_ * sun_ + 1);
  }

  LandscapeScene build() {
    paint_sky();
    if (chance(0.75f)) paint_ridge(ade20k::mountain, 0.10f, 0.30f, Color(0.42f, 0.46f, 0.55f), 0.55f);
    if (chance(0.6f)) paint_ridge(ade20k::hill, 0.02f, 0.10f, Color(0.33f, 0.45f, 0.22f), 0.25f);
    paint_ground();
    paint_water_body();
    paint_objects();
    apply_relief();
    LandscapeScene scene;
    cv::Mat grain = fractal_noise(size_, size_, rng_, 2, 0.5, size_ / 4);
    for (int y = 0; y < size_; ++y)
      for (int x = 0; x < size_; ++x) image_.at<Color>(y, x) *= 0.97f + 0.06f * grain.at<float>(y, x);
    image_.convertTo(scene.image, CV_8UC3, 255.0);
    scene.labels = labels_;
    return scene;
  }

private:
  float uniform(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng_); }
  bool chance(float p) { return uniform(0, 1) < p; }
  // 0 at the horizon, 1 at the bottom edge: how near a ground row is.
  float nearness(int y) const { return std::clamp(float(y - horizon_) / float(size_ - horizon_), 0.0f, 1.0f); }
  // Lambert-like light on a surface leaning `lean` (−1 left … 1 right) toward the sun's side.
  float light(float lean) const { return 0.8f + 0.25f * lean * sun_; }
  uint32_t salt(Layer layer) const { return texture_salt_ ^ (static_cast<uint32_t>(layer) * 0x9E3779B9u); }

  // `relief` is texture as a relative brightness change, see apply_relief.
  void set(int x, int y, uint8_t label, const Color& color, float relief = 0) {
    labels_.at<uchar>(y, x) = label;
    image_.at<Color>(y, x) = color;
    relief_.at<float>(y, x) = relief;
  }

  // Relief is texture finer than a 64² picture holds. Each class's relief is made zero-mean and its
  // coarse part taken out, so 4×4 blocks keep their flat colour on average and a 64² downsample
  // shows the scene a small render shows.
  void apply_relief() {
    std::array<double, 256> sum{}, count{};
    for (int y = 0; y < size_; ++y)
      for (int x = 0; x < size_; ++x) {
        const uchar label = labels_.at<uchar>(y, x);
        sum[label] += relief_.at<float>(y, x), ++count[label];
      }
    for (int y = 0; y < size_; ++y)
      for (int x = 0; x < size_; ++x) {
        const uchar label = labels_.at<uchar>(y, x);
        relief_.at<float>(y, x) -= float(sum[label] / count[label]);
      }
    cv::Mat coarse;
    cv::GaussianBlur(relief_, coarse, cv::Size(), 2 * unit_);
    for (int y = 0; y < size_; ++y)
      for (int x = 0; x < size_; ++x) image_.at<Color>(y, x) *= 1 + detail_ * (relief_.at<float>(y, x) - coarse.at<float>(y, x));
  }

  // Ground rows in perspective: a coordinate whose unit spans `far` pixels of a 256² render at the
  // horizon and `near` at the bottom edge, so ground texture shrinks with distance.
  float ground_depth(int y, float far, float near) const {
    const float growth = (near - far) / float(size_ - horizon_);  // of the unit per row, in pixels of a 256² render
    return std::log1p(growth * float(y - horizon_) / far) / (growth * unit_);
  }
  // The size in pixels of those units on row y, and the Worley point of ground texture at (x, y) in them.
  float ground_cell(int y, float far, float near) const { return unit_ * (far + (near - far) * nearness(y)); }
  NearestPoint ground_point(int x, int y, float far, float near, Layer layer) const {
    return nearest_point(float(x) / ground_cell(y, far, near), ground_depth(y, far, near), salt(layer));
  }

  // Lumps, rounded: each lit on the side facing the sun, darker toward its rim where the next one
  // overlaps, some a little lighter than others: leaf clumps, gravel, bushes.
  float lumps(const NearestPoint& lump) const {
    const float facing = std::clamp(lump.offset.dot(toward_sun_) / 0.6f, -1.0f, 1.0f);
    const float rim = std::min(lump.offset.dot(lump.offset) / 0.36f, 1.0f);
    return 0.35f * facing - 0.3f * rim + 0.2f * (float(lump.id >> 8) / 16777216.0f - 0.5f);
  }
  // Rock: flat facets, each turned its own way to the light, some split from their neighbours by a
  // crack about a pixel wide; `cell` is the facets' size in pixels.
  float facets(const NearestPoint& facet, float cell) const {
    const float turn = float(facet.id & 0xFFFF) / 65536.0f - 0.5f;
    const bool cracked = (facet.id >> 16) % 3 != 0;
    return 0.5f * turn - (cracked && facet.margin * cell < unit_ ? 0.5f : 0.0f);
  }

  void paint_sky() {
    zenith_ = Color(uniform(0.15f, 0.3f), uniform(0.35f, 0.5f), uniform(0.75f, 0.95f));
    haze_ = Color(uniform(0.75f, 0.85f), uniform(0.82f, 0.9f), uniform(0.9f, 0.97f));
    const cv::Mat clouds = fractal_noise(size_, size_, rng_, 6, 0.55, 3);
    const float cover = uniform(0.45f, 0.75f);
    const float sun_x = (sun_ + 1) / 2 * size_;
    // With detail, billows (puffs about 20 pixels of a 256² render across) make the clouds lumpy.
    const cv::Mat thickness = clouds + detail_ * 0.15f * (fractal_noise(size_, size_, texture_rng_, 3, 0.4, 12) - 0.5f);
    for (int y = 0; y < horizon_; ++y)
      for (int x = 0; x < size_; ++x) {
        const float t = float(y) / float(horizon_);
        Color c = mix(zenith_, haze_, std::pow(t, 0.7f));
        const float glow = std::exp(-std::pow((x - sun_x) / (0.3f * size_), 2.0f)) * t;
        c += Color(0.12f, 0.08f, 0.0f) * glow;
        // Clouds: thicker where the noise is high, lit on the sun's side, flattened near the horizon;
        // with detail, edges crisper, and each billow lit where it faces the light, most at the edges.
        const float density =
            smoothstep(cover + detail_ * 0.05f, cover + 0.2f - detail_ * 0.05f, thickness.at<float>(y, x)) * (1 - 0.6f * t);
        const float lit = 0.85f + 0.15f * std::clamp((x - sun_x) / size_ * -sun_, -1.0f, 1.0f);
        c = mix(c, Color(0.96f, 0.96f, 0.97f) * lit, density);
        set(x, y, ade20k::sky, c, (0.2f * density + 3 * density * (1 - density)) * 10 * facing_light(thickness, x, y));
      }
  }

  // How much a height field at (x, y) faces the light: its fall over a step toward the sun.
  float facing_light(const cv::Mat& height, int x, int y) const {
    const int toward_x = x + int(std::lround(2 * unit_ * toward_sun_[0])), toward_y = y + int(std::lround(2 * unit_ * toward_sun_[1]));
    return height.at<float>(y, x) - height.at<float>(std::clamp(toward_y, 0, size_ - 1), std::clamp(toward_x, 0, size_ - 1));
  }

  // A mountain's crags: sharp-crested ridged noise, twice as long down the slope as across it.
  cv::Mat crag_heights() {
    const cv::Mat noise = fractal_noise(size_, size_, texture_rng_, 3, 0.45, 24);
    cv::Mat stretched;
    cv::resize(noise(cv::Rect(0, 0, size_, std::max(1, size_ / 2))), stretched, noise.size(), 0, 0, cv::INTER_LINEAR);
    return 1 - cv::abs(2 * stretched - 1);
  }

  // A ridge line above the horizon, filled down to the horizon, faded toward the haze with distance.
  void paint_ridge(uint8_t label, float min_height, float max_height, Color base, float haze) {
    const cv::Mat profile = fractal_noise(1, size_, rng_, 6, 0.5, 2);
    const cv::Mat texture = fractal_noise(size_, size_, rng_, 5, 0.6, 4);
    std::vector<int> top(size_);
    for (int x = 0; x < size_; ++x)
      top[x] = horizon_ - static_cast<int>(size_ * (min_height + (max_height - min_height) * profile.at<float>(0, x)));
    const int peak = *std::min_element(top.begin(), top.end());
    const bool snow = label == ade20k::mountain && chance(0.5f);
    const int reach = std::max(2, size_ / 24);  // slope over a span, so shading follows faces, not pixels
    // With detail, a mountain shows crags, lit where they face the sun.
    const cv::Mat crags = label == ade20k::mountain ? crag_heights() : cv::Mat();
    for (int x = 0; x < size_; ++x) {
      const float slope = float(top[std::min(x + reach, size_ - 1)] - top[std::max(x - reach, 0)]) / reach;
      const float lean = std::clamp(-slope, -1.0f, 1.0f);  // faces right when the ridge falls rightward
      for (int y = std::max(top[x], 0); y < horizon_; ++y) {
        // Faces are lit near the ridge; lower down the slope's direction says little about the surface.
        const float face = lean * std::exp(-float(y - top[x]) / (0.08f * size_));
        Color c = base * light(face) * (0.85f + 0.3f * texture.at<float>(y, x));
        if (snow && y < peak + (horizon_ - peak) / 5 + 3 * tuned_scale_ * texture.at<float>(y, x))
          c = Color(0.92f, 0.93f, 0.96f) * light(face);
        const float fade = haze * (1 - float(y - top[x]) / float(std::max(horizon_ - top[x], 1)) * 0.5f);
        // A hill shows a scatter of bushes.
        const float relief = label == ade20k::mountain ? 1.2f * facing_light(crags, x, y) + 0.15f * (crags.at<float>(y, x) - 0.5f)
                                                       : lumps(nearest_point(x / (2.5f * unit_), y / (2.5f * unit_), salt(Layer::shrubs)));
        set(x, y, label, mix(c, haze_, fade), (1 - fade) * relief);
      }
    }
  }

  // Grass blades as relief: short strokes up from every ground row, longer nearby, leaning with the
  // wind, each lighter than the shadowed gaps between them by its own amount.
  cv::Mat grass_blades() {
    cv::Mat blades(size_, size_, CV_32F, cv::Scalar(-0.2));
    std::uniform_real_distribution<float> unit_interval(0.0f, 1.0f);
    const float wind = 0.5f * (unit_interval(texture_rng_) - 0.5f);
    const int thickness = std::max(1, int(std::lround(unit_)));
    for (int y = horizon_; y < size_; ++y) {
      const float length = unit_ * (1.5f + 9.0f * nearness(y));
      // Blades rooted on a row cover about 60% of it, so every row is as full as every other.
      const int count = int(0.6f * size_ / (length * thickness) + unit_interval(texture_rng_));
      for (int i = 0; i < count; ++i) {
        const float x = size_ * unit_interval(texture_rng_);
        const float lean = (wind + 0.6f * (unit_interval(texture_rng_) - 0.5f)) * length;
        cv::line(blades, cv::Point(int(x), y), cv::Point(int(x + lean), int(y - length)), 0.5f * unit_interval(texture_rng_), thickness);
      }
    }
    return blades;
  }

  // Crop rows as relief: ridges along the field's converging rows, each a line of plants; faded where
  // the rows close up to a few pixels apart, toward the horizon and where they slant to the sides.
  // `row` is the position across rows.
  float crop_rows(float row, int y) const {
    const float period = 5 * unit_;  // pixels from one row to the next at the bottom edge
    const float across = row / period, slant = row / float(size_ - horizon_);
    const float spacing = period * (0.05f + nearness(y)) / std::sqrt(1 + slant * slant);
    const float plants = value_noise(std::floor(across), ground_depth(y, 1.5f, 6.0f), salt(Layer::crops)) - 0.5f;
    return smoothstep(2.5f, 4.5f, spacing) * (0.3f * std::sin(2 * std::numbers::pi_v<float> * across) + 0.4f * plants);
  }

  // Soil: crumbs and clods, smaller far away.
  float soil(int x, int y) const {
    const float cell = ground_cell(y, 1.0f, 4.0f), depth = ground_depth(y, 1.0f, 4.0f);
    return 0.3f * (value_noise(x / cell, depth, salt(Layer::soil)) - 0.5f) +
           0.2f * (value_noise(2 * x / cell, 2 * depth, ~salt(Layer::soil)) - 0.5f);
  }

  void paint_ground() {
    const bool field = chance(0.3f);
    const cv::Mat texture = fractal_noise(size_, size_, rng_, 6, 0.6, 6);
    const cv::Mat patches = fractal_noise(size_, size_, rng_, 4, 0.5, 3);
    const Color grass(uniform(0.22f, 0.35f), uniform(0.42f, 0.55f), uniform(0.12f, 0.2f));
    const Color crop(uniform(0.65f, 0.8f), uniform(0.58f, 0.68f), 0.25f);
    std::uniform_int_distribution<int> petal(0, 2);
    const Color petals[] = {Color(0.85f, 0.15f, 0.2f), Color(0.95f, 0.85f, 0.2f), Color(0.65f, 0.35f, 0.8f)};
    const cv::Mat blades = grass_blades();
    for (int y = horizon_; y < size_; ++y)
      for (int x = 0; x < size_; ++x) {
        const float near = nearness(y), shade = 0.75f + 0.35f * texture.at<float>(y, x);
        const float p = patches.at<float>(y, x);
        const float blade = (0.15f + 0.85f * near) * blades.at<float>(y, x);
        // Rows of a field converge toward a vanishing point on the horizon.
        const float row = (x - size_ / 2.0f) / (0.05f + near);
        if (field && p > 0.35f) {
          set(x, y, ade20k::field, mix(crop, grass, 0.5f + 0.5f * std::sin(row * 0.08f / tuned_scale_)) * shade, crop_rows(row, y));
        } else if (p > 0.82f) {
          set(x, y, ade20k::earth, Color(0.45f, 0.35f, 0.25f) * shade, soil(x, y));
        } else if (p < 0.14f && near > 0.15f) {
          // Every bloom pixel takes a draw at every size, as the layout's later draws follow these.
          const bool bloom = texture.at<float>(y, x) > 0.55f && (x * 7 + y * 13) % 3 == 0;
          const Color speckle = bloom ? petals[petal(rng_)] : grass * shade;
          // With detail, flower heads: dots of colour over about a third of where the speckle blooms,
          // whole dots, as their centres decide, lit on top.
          const NearestPoint head = ground_point(x, y, 1.5f, 6.0f, Layer::flowers);
          const float cell = ground_cell(y, 1.5f, 6.0f);
          const int head_x = std::clamp(int(x - head.offset[0] * cell), 0, size_ - 1);
          const int head_y = std::clamp(int(y - head.offset[1] * cell), horizon_, size_ - 1);
          if (head.offset.dot(head.offset) < 0.36f * 0.36f && texture.at<float>(head_y, head_x) > 0.55f)
            set(x, y, ade20k::flower, mix(speckle, petals[head.id % 3], detail_), -head.offset[1]);
          else
            set(x, y, ade20k::flower, mix(speckle, grass * shade, detail_), blade);
        } else {
          set(x, y, ade20k::grass, mix(grass * shade, haze_, 0.3f * (1 - near)), blade);
        }
      }
  }

  // Water's ripple rows: thin streaks, finer toward the horizon; in [0, 1].
  float ripple_wave(int x, int y) const {
    const float length = unit_ * (6 + 24 * nearness(y));
    return value_noise(x / length, std::floor(ground_depth(y, 1.0f, 3.0f)), salt(Layer::ripples));
  }

  // A water pixel: its own tint mixed with the mirror image of what is above the horizon, broken
  // by ripples, whose crests glint.
  void paint_water(int x, int y, uint8_t label, const Color& tint) {
    const float wave = ripple_wave(x, y);
    set(x, y, label, reflection(x, y, tint, wave), 0.2f * (wave - 0.5f) + 0.35f * smoothstep(0.7f, 0.9f, wave));
  }

  // A winding band from the horizon to the bottom edge, widening with nearness: river or path.
  void paint_band(uint8_t label, float far_width, float near_width, const Color& color, bool reflective) {
    const cv::Mat wander = fractal_noise(1, size_, rng_, 4, 0.5, 2);
    const float centre = uniform(0.3f, 0.7f) * size_;
    for (int y = horizon_; y < size_; ++y) {
      const float near = nearness(y);
      const float cx = centre + (wander.at<float>(0, y) - 0.5f) * size_ * 0.6f * near;
      const float half = size_ * (far_width + (near_width - far_width) * near) / 2;
      for (int x = std::max(0, int(cx - half)); x < std::min(size_, int(cx + half)); ++x)
        if (reflective)
          paint_water(x, y, label, color);
        else
          set(x, y, label, color * (0.85f + 0.2f * near), 0.6f * lumps(ground_point(x, y, 0.8f, 2.5f, Layer::gravel)));
    }
  }

  // Water colour at (x, y): its own tint mixed with the mirror image of what is above the horizon;
  // `wave` is ripple_wave's there.
  Color reflection(int x, int y, const Color& tint, float wave) {
    // Ripples: horizontal streaks, finer toward the horizon.
    const float near = nearness(y);
    const float ripple =
        0.95f + 0.05f * std::sin(y * (2.5f - 2.0f * near) * 64.0f / size_ + std::sin(x * 0.05f / tuned_scale_) * 2.0f);
    // With detail, each ripple row mirrors from a little to the side and nearer the horizon.
    const int sideways = int(std::lround(detail_ * unit_ * (1 + 3 * near) * 2 * (wave - 0.5f)));
    const int lifted = int(std::lround(detail_ * unit_ * (1 + 2 * near) * wave));
    const int mirrored = 2 * horizon_ - y - 1 + lifted;
    const int mirrored_x = std::clamp(x + sideways, 0, size_ - 1);
    const Color above = mirrored >= 0 ? image_.at<Color>(std::min(mirrored, horizon_ - 1), mirrored_x) : zenith_;
    return mix(tint, above * 0.8f, 0.55f) * ripple;
  }

  void paint_water_body() {
    const float kind = uniform(0, 1);
    const Color tint(0.1f, 0.25f, 0.4f);
    if (kind < 0.22f) {  // sea to the horizon, a beach in front
      const cv::Mat coast = fractal_noise(1, size_, rng_, 5, 0.5, 3);
      const int shore = horizon_ + int((size_ - horizon_) * uniform(0.3f, 0.55f));
      for (int x = 0; x < size_; ++x) {
        const int edge = shore + int((coast.at<float>(0, x) - 0.5f) * size_ * 0.08f);
        for (int y = horizon_; y < std::min(edge, size_); ++y) paint_water(x, y, ade20k::sea, tint);
        for (int y = std::max(edge, horizon_); y < std::min(edge + int(size_ * 0.12f), size_); ++y) {
          // Sand: wind ripples across the beach, and grains.
          const float ripples = std::sin(2 * std::numbers::pi_v<float> * (ground_depth(y, 2.0f, 5.0f) +
                                                                          2 * value_noise(x / (20 * unit_), 0, salt(Layer::sand))));
          set(x, y, ade20k::sand, Color(0.8f, 0.72f, 0.52f) * (0.9f + 0.1f * coast.at<float>(0, (x + y) % size_)),
              0.08f * ripples + 0.2f * (lattice_uniform(int(x / unit_), int(y / unit_), salt(Layer::sand)) - 0.5f));
        }
      }
    } else if (kind < 0.45f) {  // a lake: an ellipse on the ground touching the horizon
      const float cx = uniform(0.25f, 0.75f) * size_, rx = uniform(0.25f, 0.5f) * size_;
      const float ry = (size_ - horizon_) * uniform(0.25f, 0.5f);
      for (int y = horizon_; y < size_; ++y)
        for (int x = 0; x < size_; ++x)
          if (std::pow((x - cx) / rx, 2.0f) + std::pow((y - horizon_) / ry, 2.0f) < 1.0f) paint_water(x, y, ade20k::water, tint);
    } else if (kind < 0.7f) {
      paint_band(ade20k::river, 0.02f, uniform(0.25f, 0.45f), tint, true);
    } else if (kind < 0.9f) {
      paint_band(ade20k::path, 0.005f, uniform(0.08f, 0.18f), Color(0.6f, 0.52f, 0.4f), false);
    }
  }

  bool on_land(int x, int y) const {
    const auto label = labels_.at<uchar>(std::clamp(y, 0, size_ - 1), std::clamp(x, 0, size_ - 1));
    return label == ade20k::grass || label == ade20k::field || label == ade20k::earth || label == ade20k::flower ||
           label == ade20k::sand;
  }

  // A shaded blob: pixels inside the noisy ellipse get `label`, lit from the sun's side; a rock
  // breaks into facets, foliage into leaf clumps, bigger on bigger blobs.
  void paint_blob(int cx, int cy, int rx, int ry, uint8_t label, const Color& color) {
    const cv::Mat edge = fractal_noise(2 * ry + 1, 2 * rx + 1, rng_, 3, 0.5, 3);
    const bool rock = label == ade20k::rock;
    const float cell = std::max(2.5f * unit_, (rock ? 0.45f : 0.22f) * rx);
    const uint32_t blob_salt = lattice_hash(cx, cy, texture_salt_);
    for (int dy = -ry; dy <= ry; ++dy)
      for (int dx = -rx; dx <= rx; ++dx) {
        const int x = cx + dx, y = cy + dy;
        if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
        const float r = std::pow(float(dx) / rx, 2.0f) + std::pow(float(dy) / ry, 2.0f);
        const float n = edge.at<float>(dy + ry, dx + rx);
        if (r > 0.75f + 0.35f * n) continue;
        const float lean = float(dx) / rx - 0.4f * float(dy) / ry;
        // Warped cells, so facets and clumps come in irregular shapes.
        const float u = dx / cell + 0.6f * (value_noise(dx / cell * 1.7f, dy / cell * 1.7f, blob_salt) - 0.5f);
        const float v = dy / cell + 0.6f * (value_noise(dx / cell * 1.7f, dy / cell * 1.7f, ~blob_salt) - 0.5f);
        const NearestPoint part = nearest_point(u, v, blob_salt);
        const float leaves = 0.2f * (lattice_uniform(int(x / unit_), int(y / unit_), blob_salt) - 0.5f);
        set(x, y, label, color * light(lean) * (0.8f + 0.3f * n), rock ? facets(part, cell) : lumps(part) + leaves);
      }
  }

  void paint_tree(int x, int base, float near) {
    const int height = int(size_ * (0.06f + 0.3f * near) * uniform(0.8f, 1.2f));
    const int trunk_w = std::max(1, height / 12), trunk_h = height / 3;
    for (int y = std::max(0, base - trunk_h); y < base; ++y)
      for (int dx = -trunk_w / 2; dx <= trunk_w / 2; ++dx)
        if (x + dx >= 0 && x + dx < size_) {
          // Bark: furrows running up the trunk.
          const float bark = value_noise((x + dx) / (0.8f * unit_), y / (5 * unit_), salt(Layer::bark)) - 0.5f;
          set(x + dx, y, ade20k::tree, Color(0.3f, 0.2f, 0.12f) * light(dx > 0 ? 1.0f : -1.0f), 0.5f * bark);
        }
    const bool conifer = chance(0.4f);
    const Color leaves = conifer ? Color(0.1f, 0.25f, 0.12f) : Color(uniform(0.15f, 0.3f), uniform(0.35f, 0.5f), 0.12f);
    const int crown = height - trunk_h;
    if (conifer)
      for (int k = 0; k < 3; ++k) paint_blob(x, base - trunk_h - crown * (k + 1) / 4, crown / (4 + 2 * k) + 1, crown / 5 + 1, ade20k::tree, leaves);
    else
      paint_blob(x, base - trunk_h - crown / 2, crown / 2 + 1, crown / 2 + 1, ade20k::tree, leaves);
  }

  // Window glass: a cross of glazing bars where a pane is large enough, and the sky's reflection
  // lighter toward the top; (across, up) is the pixel's place in the pane.
  static float glass(int across, int up, int pane) {
    if (pane >= 5 && (across == pane / 2 || up == pane / 2)) return 1.2f;
    return 0.8f * float(up) / float(pane) - 0.4f;
  }

  void paint_house(int x, int base, float near) {
    const bool tall = chance(0.35f);
    const int w = int(size_ * (0.05f + 0.15f * near)), h = tall ? int(w * uniform(1.2f, 2.0f)) : int(w * 0.7f);
    const uint8_t label = tall ? ade20k::building : ade20k::house;
    const Color wall = tall ? Color(0.6f, 0.58f, 0.55f) : Color(0.82f, 0.75f, 0.62f);
    const int pane = std::max(1, w / 6), board = std::max(2, int(std::lround(2.5f * unit_)));
    for (int y = std::max(0, base - h); y < base; ++y)
      for (int dx = 0; dx < w && x + dx < size_; ++dx) {
        const int up = base - y;
        const bool window = ((dx / pane) % 2 == 1) && ((up / pane) % 3 == 1);
        // Walls: a building's floors and panels; a house's weatherboards under the shadow of its eaves.
        const float wall_relief = tall ? (up % (3 * pane) == 0 ? -0.25f : dx % (2 * pane) == 0 ? -0.1f : 0.0f)
                                       : (up % board == 0 ? -0.2f : 0.05f) - (y - (base - h) < 2 * unit_ ? 0.35f : 0.0f);
        set(x + dx, y, label, window ? Color(0.2f, 0.25f, 0.3f) : wall * light(float(dx) / w - 0.5f),
            window ? glass(dx % pane, up % pane, pane) : wall_relief);
      }
    if (!tall) {
      // Roof tiles: courses with dark lower edges, the joints of each course halfway along the last's.
      const int roof = w / 2, tile = std::max(2, int(std::lround(2 * unit_)));
      for (int dy = 0; dy < roof; ++dy)
        for (int dx = dy; dx < w - dy && x + dx < size_; ++dx)
          if (base - h - dy >= 0) {
            const bool joint = (dx + (dy / tile) % 2 * tile) % (2 * tile) == 0;
            set(x + dx, base - h - dy, label, Color(0.55f, 0.2f, 0.15f) * light(dx < w / 2 ? -1.0f : 1.0f),
                dy % tile == 0 ? -0.35f : joint ? -0.2f : 0.1f);
          }
    }
  }

  // Rocks, plants, houses and trees, from the horizon toward the viewer so nearer ones occlude.
  void paint_objects() {
    struct Placement { int x, y, kind; };
    std::vector<Placement> objects;
    std::uniform_int_distribution<int> column(0, size_ - 1), row(horizon_ + 1, size_ - 1);
    const int trees = std::uniform_int_distribution<int>(0, 10)(rng_);
    const int rocks = std::uniform_int_distribution<int>(0, 4)(rng_);
    const int plants = std::uniform_int_distribution<int>(0, 6)(rng_);
    const int houses = chance(0.35f) ? std::uniform_int_distribution<int>(1, 3)(rng_) : 0;
    auto place = [&](int count, int kind) {
      for (int i = 0, tries = 0; i < count && tries < 50 * (count + 1); ++tries) {
        Placement p{column(rng_), row(rng_), kind};
        if (kind == 2) p.y = horizon_ + int((size_ - horizon_) * uniform(0.02f, 0.3f));
        if (on_land(p.x, p.y)) objects.push_back(p), ++i;
      }
    };
    place(trees, 0);
    place(rocks, 1);
    place(houses, 2);
    place(plants, 3);
    std::sort(objects.begin(), objects.end(), [](const auto& a, const auto& b) { return a.y < b.y; });
    for (const auto& o : objects) {
      const float near = nearness(o.y);
      const int r = std::max(1, int(size_ * (0.01f + 0.06f * near)));
      switch (o.kind) {
        case 0: paint_tree(o.x, o.y, near); break;
        case 1: paint_blob(o.x, o.y - r / 2, r, std::max(1, r * 2 / 3), ade20k::rock, Color(0.5f, 0.48f, 0.45f)); break;
        case 2: paint_house(o.x, o.y, near); break;
        default: paint_blob(o.x, o.y - r / 3, r, std::max(1, r / 2), ade20k::plant, Color(0.3f, 0.5f, 0.15f)); break;
      }
    }
  }

  int size_;
  std::mt19937 rng_;
  std::mt19937 texture_rng_;
  uint32_t texture_salt_;
  float detail_, unit_, tuned_scale_;
  cv::Mat image_, labels_, relief_;
  float sun_ = 0;
  int horizon_ = 0;
  cv::Vec2f toward_sun_;  // on screen, toward the light: the sun's side, and up
  Color zenith_, haze_;
};

}  // namespace

LandscapeScene generate_landscape(uint64_t seed, int size) { return SceneBuilder(seed, size).build(); }

}  // namespace sdm
