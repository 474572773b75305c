#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sdm {

struct SemanticClass {
  int id;       // the value in the dataset's label PNGs
  int channel;  // the model's one-hot channel (ADE20K: id − 1, with "other" last, as the reference loads it)
  std::string name;
  std::array<uint8_t, 3> color;  // RGB, the dataset's own palette
};

// "#rrggbb", as palettes and messages write a colour.
std::string hex_color(const std::array<uint8_t, 3>& color);

// A dataset's label set: class ids, names and colours, from a resources/classes/*.json file.
struct ClassSet {
  std::string name;   // "ade20k"
  std::string title;  // "ADE20K"
  int num_classes = 0;
  bool instance_edges = false;
  std::vector<SemanticClass> classes;  // in id order; channels are a permutation of 0…num_classes−1

  // The class painted in `color` (the first, where a palette repeats a colour), or nullptr.
  const SemanticClass* find_color(const std::array<uint8_t, 3>& color) const;
  // The class with label-file value `id`, or nullptr.
  const SemanticClass* find_id(int id) const;
  // Label-file value (8 or 16 bit) → the model's channel, −1 for ids outside the set: a table
  // for converting whole maps.
  std::vector<int> channel_of_id() const;

  // Throws sdm::Error naming the file when it is missing or malformed.
  static ClassSet load(const std::filesystem::path& path);
};

}  // namespace sdm
