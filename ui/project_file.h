#pragma once

#include "ui/generation_settings.h"
#include "ui/kept_result.h"

#include <QImage>
#include <QList>
#include <QRect>
#include <QString>

namespace sdm::ui {

// A whole session: what was painted, on which photo, for which model, with which settings, and
// the results kept. Saved as `.sdmp`: one JSON document with the images as embedded PNGs.
struct Project {
  QString model_path;  // empty: the shipped default model
  QString classes;     // the class set's name, checked on load against the model's
  QImage labels;       // Grayscale8 class ids at the canvas size
  QImage mask;         // Grayscale8, same size
  QImage photo;        // RGB888 at its own resolution, or null
  QRect edit_region;   // the part of the map a photo edit regenerates, in canvas pixels; null: all of it
  GenerationSettings settings;
  QList<KeptResult> results;
};

// Writes atomically (a crash mid-save leaves the previous file). Throws sdm::Error naming the file.
void saveProject(const QString& path, const Project& project);
// Throws sdm::Error naming the file and what is wrong with it (not JSON, not a project, a missing
// or undecodable image, a mask of another size).
Project loadProject(const QString& path);

}  // namespace sdm::ui
