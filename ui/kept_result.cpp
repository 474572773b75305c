#include "ui/kept_result.h"

#include <algorithm>

namespace sdm::ui {

QJsonObject KeptResult::recipeJson() const {
  QJsonObject json{{"seed", seed}, {"steps", steps}, {"guidance", guidance}, {"deep_cache", deep_cache}, {"edit", edit}};
  if (detail_seed) {
    json["detail_seed"] = *detail_seed;
    json["detail_steps"] = detail_steps;
    json["detail_guidance"] = detail_guidance;
  }
  return json;
}

KeptResult KeptResult::fromRecipeJson(const QJsonObject& json) {
  KeptResult result;
  result.seed = json.value("seed").toInteger();
  result.steps = json.value("steps").toString();
  result.guidance = json.value("guidance").toDouble(result.guidance);
  result.deep_cache = std::max(1, json.value("deep_cache").toInt(result.deep_cache));
  result.edit = json.value("edit").toBool();
  if (json.contains("detail_seed")) {
    result.detail_seed = json.value("detail_seed").toInteger();
    result.detail_steps = json.value("detail_steps").toString();
    result.detail_guidance = json.value("detail_guidance").toDouble(result.detail_guidance);
  }
  return result;
}

}  // namespace sdm::ui
