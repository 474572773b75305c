#include "core/scenes/landscape_scene.h"

#include "core/scenes/fractal_noise.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
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

class SceneBuilder {
public:
  SceneBuilder(uint64_t seed, int size)
      : size_(size), rng_(static_cast<std::mt19937::result_type>(seed ^ (seed >> 32))),
        image_(size, size, CV_32FC3, cv::Scalar::all(0)), labels_(size, size, CV_8U, cv::Scalar(ade20k::sky)) {
    sun_ = uniform(-1, 1);
    horizon_ = static_cast<int>(size * uniform(0.32f, 0.55f));
  }

  LandscapeScene build() {
    paint_sky();
    if (chance(0.75f)) paint_ridge(ade20k::mountain, 0.10f, 0.30f, Color(0.42f, 0.46f, 0.55f), 0.55f);
    if (chance(0.6f)) paint_ridge(ade20k::hill, 0.02f, 0.10f, Color(0.33f, 0.45f, 0.22f), 0.25f);
    paint_ground();
    paint_water_body();
    paint_objects();
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

  void set(int x, int y, uint8_t label, const Color& color) {
    labels_.at<uchar>(y, x) = label;
    image_.at<Color>(y, x) = color;
  }

  void paint_sky() {
    zenith_ = Color(uniform(0.15f, 0.3f), uniform(0.35f, 0.5f), uniform(0.75f, 0.95f));
    haze_ = Color(uniform(0.75f, 0.85f), uniform(0.82f, 0.9f), uniform(0.9f, 0.97f));
    const cv::Mat clouds = fractal_noise(size_, size_, rng_, 6, 0.55, 3);
    const float cover = uniform(0.45f, 0.75f);
    const float sun_x = (sun_ + 1) / 2 * size_;
    for (int y = 0; y < horizon_; ++y)
      for (int x = 0; x < size_; ++x) {
        const float t = float(y) / float(horizon_);
        Color c = mix(zenith_, haze_, std::pow(t, 0.7f));
        const float glow = std::exp(-std::pow((x - sun_x) / (0.3f * size_), 2.0f)) * t;
        c += Color(0.12f, 0.08f, 0.0f) * glow;
        // Clouds: thicker where the noise is high, lit on the sun's side, flattened near the horizon.
        const float density = smoothstep(cover, cover + 0.2f, clouds.at<float>(y, x)) * (1 - 0.6f * t);
        const float lit = 0.85f + 0.15f * std::clamp((x - sun_x) / size_ * -sun_, -1.0f, 1.0f);
        c = mix(c, Color(0.96f, 0.96f, 0.97f) * lit, density);
        set(x, y, ade20k::sky, c);
      }
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
    for (int x = 0; x < size_; ++x) {
      const float slope = float(top[std::min(x + reach, size_ - 1)] - top[std::max(x - reach, 0)]) / reach;
      const float lean = std::clamp(-slope, -1.0f, 1.0f);  // faces right when the ridge falls rightward
      for (int y = std::max(top[x], 0); y < horizon_; ++y) {
        // Faces are lit near the ridge; lower down the slope's direction says little about the surface.
        const float face = lean * std::exp(-float(y - top[x]) / (0.08f * size_));
        Color c = base * light(face) * (0.85f + 0.3f * texture.at<float>(y, x));
        if (snow && y < peak + (horizon_ - peak) / 5 + 3 * texture.at<float>(y, x)) c = Color(0.92f, 0.93f, 0.96f) * light(face);
        set(x, y, label, mix(c, haze_, haze * (1 - float(y - top[x]) / float(std::max(horizon_ - top[x], 1)) * 0.5f)));
      }
    }
  }

  void paint_ground() {
    const bool field = chance(0.3f);
    const cv::Mat texture = fractal_noise(size_, size_, rng_, 6, 0.6, 6);
    const cv::Mat patches = fractal_noise(size_, size_, rng_, 4, 0.5, 3);
    const Color grass(uniform(0.22f, 0.35f), uniform(0.42f, 0.55f), uniform(0.12f, 0.2f));
    const Color crop(uniform(0.65f, 0.8f), uniform(0.58f, 0.68f), 0.25f);
    std::uniform_int_distribution<int> petal(0, 2);
    const Color petals[] = {Color(0.85f, 0.15f, 0.2f), Color(0.95f, 0.85f, 0.2f), Color(0.65f, 0.35f, 0.8f)};
    for (int y = horizon_; y < size_; ++y)
      for (int x = 0; x < size_; ++x) {
        const float near = nearness(y), shade = 0.75f + 0.35f * texture.at<float>(y, x);
        const float p = patches.at<float>(y, x);
        // Rows of a field converge toward a vanishing point on the horizon.
        const float row = (x - size_ / 2.0f) / (0.05f + near);
        if (field && p > 0.35f) {
          set(x, y, ade20k::field, mix(crop, grass, 0.5f + 0.5f * std::sin(row * 0.08f)) * shade);
        } else if (p > 0.82f) {
          set(x, y, ade20k::earth, Color(0.45f, 0.35f, 0.25f) * shade);
        } else if (p < 0.14f && near > 0.15f) {
          const bool bloom = texture.at<float>(y, x) > 0.55f && (x * 7 + y * 13) % 3 == 0;
          set(x, y, ade20k::flower, bloom ? petals[petal(rng_)] : grass * shade);
        } else {
          set(x, y, ade20k::grass, mix(grass * shade, haze_, 0.3f * (1 - near)));
        }
      }
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
        set(x, y, label, reflective ? reflection(x, y, color) : color * (0.85f + 0.2f * near));
    }
  }

  // Water colour at (x, y): its own tint mixed with the mirror image of what is above the horizon.
  Color reflection(int x, int y, const Color& tint) {
    const int mirrored = 2 * horizon_ - y - 1;
    // Ripples: horizontal streaks, finer toward the horizon.
    const float near = nearness(y);
    const float ripple = 0.95f + 0.05f * std::sin(y * (2.5f - 2.0f * near) * 64.0f / size_ + std::sin(x * 0.05f) * 2.0f);
    const Color above = mirrored >= 0 ? image_.at<Color>(mirrored, x) : zenith_;
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
        for (int y = horizon_; y < std::min(edge, size_); ++y) set(x, y, ade20k::sea, reflection(x, y, tint));
        for (int y = std::max(edge, horizon_); y < std::min(edge + int(size_ * 0.12f), size_); ++y)
          set(x, y, ade20k::sand, Color(0.8f, 0.72f, 0.52f) * (0.9f + 0.1f * coast.at<float>(0, (x + y) % size_)));
      }
    } else if (kind < 0.45f) {  // a lake: an ellipse on the ground touching the horizon
      const float cx = uniform(0.25f, 0.75f) * size_, rx = uniform(0.25f, 0.5f) * size_;
      const float ry = (size_ - horizon_) * uniform(0.25f, 0.5f);
      for (int y = horizon_; y < size_; ++y)
        for (int x = 0; x < size_; ++x)
          if (std::pow((x - cx) / rx, 2.0f) + std::pow((y - horizon_) / ry, 2.0f) < 1.0f) set(x, y, ade20k::water, reflection(x, y, tint));
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

  // A shaded blob: pixels inside the noisy ellipse get `label`, lit from the sun's side.
  void paint_blob(int cx, int cy, int rx, int ry, uint8_t label, const Color& color) {
    const cv::Mat edge = fractal_noise(2 * ry + 1, 2 * rx + 1, rng_, 3, 0.5, 3);
    for (int dy = -ry; dy <= ry; ++dy)
      for (int dx = -rx; dx <= rx; ++dx) {
        const int x = cx + dx, y = cy + dy;
        if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
        const float r = std::pow(float(dx) / rx, 2.0f) + std::pow(float(dy) / ry, 2.0f);
        const float n = edge.at<float>(dy + ry, dx + rx);
        if (r > 0.75f + 0.35f * n) continue;
        const float lean = float(dx) / rx - 0.4f * float(dy) / ry;
        set(x, y, label, color * light(lean) * (0.8f + 0.3f * n));
      }
  }

  void paint_tree(int x, int base, float near) {
    const int height = int(size_ * (0.06f + 0.3f * near) * uniform(0.8f, 1.2f));
    const int trunk_w = std::max(1, height / 12), trunk_h = height / 3;
    for (int y = std::max(0, base - trunk_h); y < base; ++y)
      for (int dx = -trunk_w / 2; dx <= trunk_w / 2; ++dx)
        if (x + dx >= 0 && x + dx < size_) set(x + dx, y, ade20k::tree, Color(0.3f, 0.2f, 0.12f) * light(dx > 0 ? 1.0f : -1.0f));
    const bool conifer = chance(0.4f);
    const Color leaves = conifer ? Color(0.1f, 0.25f, 0.12f) : Color(uniform(0.15f, 0.3f), uniform(0.35f, 0.5f), 0.12f);
    const int crown = height - trunk_h;
    if (conifer)
      for (int k = 0; k < 3; ++k) paint_blob(x, base - trunk_h - crown * (k + 1) / 4, crown / (4 + 2 * k) + 1, crown / 5 + 1, ade20k::tree, leaves);
    else
      paint_blob(x, base - trunk_h - crown / 2, crown / 2 + 1, crown / 2 + 1, ade20k::tree, leaves);
  }

  void paint_house(int x, int base, float near) {
    const bool tall = chance(0.35f);
    const int w = int(size_ * (0.05f + 0.15f * near)), h = tall ? int(w * uniform(1.2f, 2.0f)) : int(w * 0.7f);
    const uint8_t label = tall ? ade20k::building : ade20k::house;
    const Color wall = tall ? Color(0.6f, 0.58f, 0.55f) : Color(0.82f, 0.75f, 0.62f);
    for (int y = std::max(0, base - h); y < base; ++y)
      for (int dx = 0; dx < w && x + dx < size_; ++dx) {
        const bool window = ((dx / std::max(1, w / 6)) % 2 == 1) && (((base - y) / std::max(1, w / 6)) % 3 == 1);
        set(x + dx, y, label, window ? Color(0.2f, 0.25f, 0.3f) : wall * light(float(dx) / w - 0.5f));
      }
    if (!tall) {
      const int roof = w / 2;
      for (int dy = 0; dy < roof; ++dy)
        for (int dx = dy; dx < w - dy && x + dx < size_; ++dx)
          if (base - h - dy >= 0) set(x + dx, base - h - dy, label, Color(0.55f, 0.2f, 0.15f) * light(dx < w / 2 ? -1.0f : 1.0f));
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
  cv::Mat image_, labels_;
  float sun_ = 0;
  int horizon_ = 0;
  Color zenith_, haze_;
};

}  // namespace

LandscapeScene generate_landscape(uint64_t seed, int size) { return SceneBuilder(seed, size).build(); }

}  // namespace sdm
