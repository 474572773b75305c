#include "ui/generation_settings.h"

#include "core/base/error.h"

#include <algorithm>

namespace sdm::ui {

namespace {
// The sampler as a project's settings name it.
const char* samplerName(Solver sampler) {
  switch (sampler) {
    case Solver::Ddim: return "ddim";
    case Solver::DpmSolverPlusPlus: return "dpm++";
    case Solver::Ddpm: return "ddpm";
  }
  return "ddim";
}
}  // namespace

QString GenerationSettings::stepSpec() const { return QString::fromStdString(StepPlan::of(sampler, steps).spec()); }

bool GenerationSettings::setStepSpec(const QString& spec) {
  StepPlan plan;
  try {
    plan = parse_step_spec(spec.trimmed().toStdString());
  } catch (const Error&) {
    return false;
  }
  // The panel sets a solver and a count: sections ("10,10,30") it cannot show.
  const int count = plan.count();
  if (count < 1 || count > 1000) return false;
  sampler = plan.solver;
  steps = count;
  return true;
}

QString GenerationSettings::detailStepSpec(const QString& recommended) const {
  if (detail_steps <= 0) return recommended;
  GenerationSettings spec;
  if (!spec.setStepSpec(recommended)) spec.sampler = Solver::Ddim;
  spec.steps = detail_steps;
  return spec.stepSpec();
}

QJsonObject GenerationSettings::toJson() const {
  return {{"sampler", samplerName(sampler)}, {"steps", steps},         {"guidance", guidance}, {"seed", seed},
          {"seed_locked", seed_locked},      {"variations", variations}, {"live", live},
          {"jump_length", jump_length},      {"jump_n", jump_n},         {"layout_only", layout_only},
          {"detail_steps", detail_steps},    {"deep_cache", deep_cache}};
}

GenerationSettings GenerationSettings::fromJson(const QJsonObject& json) {
  GenerationSettings settings;
  const QString sampler = json.value("sampler").toString();
  if (sampler == "dpm++") settings.sampler = Solver::DpmSolverPlusPlus;
  else if (sampler == "ddpm") settings.sampler = Solver::Ddpm;
  settings.steps = std::clamp(json.value("steps").toInt(settings.steps), 1, 1000);
  settings.guidance = std::clamp(json.value("guidance").toDouble(settings.guidance), 0.0, 20.0);
  settings.seed = std::max<qint64>(0, json.value("seed").toInteger(settings.seed));
  settings.seed_locked = json.value("seed_locked").toBool(settings.seed_locked);
  settings.variations = std::clamp(json.value("variations").toInt(settings.variations), 1, 16);
  settings.live = json.value("live").toBool(settings.live);
  settings.layout_only = json.value("layout_only").toBool(settings.layout_only);
  settings.detail_steps = std::clamp(json.value("detail_steps").toInt(settings.detail_steps), 0, 1000);
  settings.jump_length = std::clamp(json.value("jump_length").toInt(settings.jump_length), 0, GenerationSettings::kMaxJumpLength);
  settings.jump_n = std::clamp(json.value("jump_n").toInt(settings.jump_n), 1, GenerationSettings::kMaxJumps);
  settings.deep_cache = std::clamp(json.value("deep_cache").toInt(settings.deep_cache), 1, GenerationSettings::kMaxDeepCache);
  return settings;
}

}  // namespace sdm::ui
