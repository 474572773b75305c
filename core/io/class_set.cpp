#include "core/io/class_set.h"

#include "core/base/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace sdm {

const SemanticClass* ClassSet::find_color(const std::array<uint8_t, 3>& color) const {
  for (const auto& c : classes)
    if (c.color == color) return &c;
  return nullptr;
}

std::string hex_color(const std::array<uint8_t, 3>& color) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", color[0], color[1], color[2]);
  return text;
}

std::vector<int> ClassSet::channel_of_id() const {
  std::vector<int> table(65536, -1);
  for (const auto& c : classes) table[static_cast<size_t>(c.id)] = c.channel;
  return table;
}

const SemanticClass* ClassSet::find_id(int id) const {
  for (const auto& c : classes)
    if (c.id == id) return &c;
  return nullptr;
}

ClassSet ClassSet::load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(path.string() + ": cannot open class set");
  try {
    const auto json = nlohmann::json::parse(in);
    ClassSet set;
    set.name = json.at("name").get<std::string>();
    set.title = json.at("title").get<std::string>();
    set.num_classes = json.at("num_classes").get<int>();
    set.instance_edges = json.at("instance_edges").get<bool>();
    std::vector<bool> channel_used(static_cast<size_t>(std::max(set.num_classes, 0)), false);
    for (const auto& entry : json.at("classes")) {
      SemanticClass c{entry.at("id").get<int>(), entry.at("channel").get<int>(), entry.at("name").get<std::string>(),
                      entry.at("color").get<std::array<uint8_t, 3>>()};
      if (c.channel < 0 || c.channel >= set.num_classes || channel_used[static_cast<size_t>(c.channel)])
        throw Error("channel " + std::to_string(c.channel) + " of '" + c.name + "' is out of range or repeated");
      if (set.find_id(c.id)) throw Error("id " + std::to_string(c.id) + " is repeated");
      channel_used[static_cast<size_t>(c.channel)] = true;
      set.classes.push_back(std::move(c));
    }
    if (static_cast<int>(set.classes.size()) != set.num_classes) throw Error("num_classes does not match the class list");
    return set;
  } catch (const nlohmann::json::exception& e) {
    throw Error(path.string() + ": malformed class set: " + e.what());
  } catch (const Error& e) {
    throw Error(path.string() + ": malformed class set: " + e.what());
  }
}

}  // namespace sdm
