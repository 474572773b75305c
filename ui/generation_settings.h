#pragma once

#include <QJsonObject>
#include <QString>

namespace sdm::ui {

// What the generation panel sets, saved in projects and settings.
struct GenerationSettings {
  enum class Sampler { Ddim, DpmSolver, Ddpm };

  Sampler sampler = Sampler::Ddim;
  int steps = 25;
  double guidance = 1.5;
  qint64 seed = 0;
  bool seed_locked = false;  // unlocked: a new seed for every Generate
  int variations = 4;
  bool live = false;         // redraw a draft after every stroke

  // The sampler's step specification ("ddim25", "dpm++20", "50"), as `sdm generate --steps` takes it.
  QString stepSpec() const;
  // Takes a step specification of that form; false (nothing changed) for any other.
  bool setStepSpec(const QString& spec);
  QJsonObject toJson() const;
  // Missing or malformed members keep their defaults.
  static GenerationSettings fromJson(const QJsonObject& json);
};

}  // namespace sdm::ui
