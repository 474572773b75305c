#pragma once

#include <QImage>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace sdm::ui {

// A picture in the gallery with everything that reproduces it byte for byte: the base model's
// seed, steps and guidance (the layout), and, once upscaled, the upscaler's (the detail). The
// layout picture is kept with it, so a 64² variation can be upscaled later — or again with
// another detail seed — without running the base model.
struct KeptResult {
  QImage image;   // what is shown and saved: the upscaled picture, the layout, or the edited photo
  QImage layout;  // the base model's picture at its size; null for a photo edit
  qint64 seed = 0;
  QString steps;  // the base model's step spec ("dpm++10"); empty in version-1 projects
  double guidance = 1.5;
  int deep_cache = 1;  // the layout's DeepCache interval (1: off; see GenerationSettings)
  std::optional<qint64> detail_seed;  // none: not upscaled
  QString detail_steps;
  double detail_guidance = 1.0;
  bool edit = false;  // a masked regeneration of the photo under the map

  bool upscaled() const { return detail_seed.has_value(); }
  bool canUpscale() const { return !edit && !layout.isNull() && !upscaled(); }

  // The numbers only: a project embeds the images beside them.
  QJsonObject recipeJson() const;
  // Missing members keep their defaults (a version-1 project's result has only its seed).
  static KeptResult fromRecipeJson(const QJsonObject& json);
};

}  // namespace sdm::ui

Q_DECLARE_METATYPE(sdm::ui::KeptResult)
