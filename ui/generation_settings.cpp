#include "ui/generation_settings.h"

#include <QRegularExpression>

#include <algorithm>

namespace sdm::ui {

namespace {
const char* samplerName(GenerationSettings::Sampler sampler) {
  switch (sampler) {
    case GenerationSettings::Sampler::Ddim: return "ddim";
    case GenerationSettings::Sampler::DpmSolver: return "dpm++";
    case GenerationSettings::Sampler::Ddpm: return "ddpm";
  }
  return "ddim";
}
}  // namespace

QString GenerationSettings::stepSpec() const {
  if (sampler == Sampler::Ddpm) return QString::number(steps);
  return QString::fromLatin1(samplerName(sampler)) + QString::number(steps);
}

bool GenerationSettings::setStepSpec(const QString& spec) {
  static const QRegularExpression form("^(ddim|dpm\\+\\+)?([0-9]+)$");
  const auto match = form.match(spec.trimmed());
  if (!match.hasMatch()) return false;
  const int count = match.captured(2).toInt();
  if (count < 1 || count > 1000) return false;
  sampler = match.captured(1) == "ddim" ? Sampler::Ddim : match.captured(1) == "dpm++" ? Sampler::DpmSolver : Sampler::Ddpm;
  steps = count;
  return true;
}

QString GenerationSettings::detailStepSpec(const QString& recommended) const {
  if (detail_steps <= 0) return recommended;
  GenerationSettings spec;
  if (!spec.setStepSpec(recommended)) spec.sampler = Sampler::Ddim;
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
  if (sampler == "dpm++") settings.sampler = Sampler::DpmSolver;
  else if (sampler == "ddpm") settings.sampler = Sampler::Ddpm;
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
