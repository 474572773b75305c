#pragma once

#include "core/diffusion/step_spec.h"

#include <QJsonObject>
#include <QString>

namespace sdm::ui {

// What the generation panel sets, saved in projects and settings.
struct GenerationSettings {
  static constexpr int kMaxJumpLength = 1000;  // the most steps a schedule has
  static constexpr int kMaxJumps = 20;


  Solver sampler = Solver::Ddim;
  int steps = 25;
  double guidance = 1.5;
  qint64 seed = 0;
  bool seed_locked = false;  // unlocked: a new seed for every Generate
  int variations = 4;
  bool live = false;         // redraw a draft after every stroke
  // "Variations at 64²": Generate runs the base model alone, a second or so a picture, and the
  // gallery's Upscale spends the detail stage only on the pictures kept.
  bool layout_only = false;
  int detail_steps = 0;      // the upscaler's steps; 0: its recommendation
  // RePaint resampling for Regenerate in mask, as `sdm edit --jump-length/--jump-n`: every
  // `jump_length` steps the sampler goes back that many and repeats them, `jump_n` passes in all,
  // so the regenerated region fits its surroundings better, for jump_n times the time there.
  int jump_length = 0;       // 0: off
  int jump_n = 1;
  static constexpr int kMaxDeepCache = 5;
  // DeepCache, as `sdm generate --deep-cache N`: of every N of the base model's steps, N − 1 reuse
  // the first one's deep features and run only the full-resolution blocks. 1: off, the exact
  // pictures. The upscaler never reuses: its few steps lie too far apart (it leaves grain).
  int deep_cache = 1;

  // The sampler's step specification ("ddim25", "dpm++20", "50"), as `sdm generate --steps` takes it.
  QString stepSpec() const;
  // Takes a step specification of that form; false (nothing changed) for any other.
  bool setStepSpec(const QString& spec);
  // The upscaler's step specification: its recommendation, with `detail_steps` steps when set.
  QString detailStepSpec(const QString& recommended) const;
  QJsonObject toJson() const;
  // Missing or malformed members keep their defaults.
  static GenerationSettings fromJson(const QJsonObject& json);
};

}  // namespace sdm::ui
