#pragma once

#include "core/io/class_set.h"

#include <QImage>
#include <QString>

namespace sdm::ui {

// Label maps as files and as colours on screen. Errors are sdm::Error naming the file.

// Reads a label map (8/16-bit grey class ids, or colours in `classes`' palette) and brings it to
// `size` with nearest neighbour; its aspect ratio must be `size`'s. Unknown ids or colours are
// listed with their pixel counts. Returns Grayscale8 ids.
QImage readLabelImage(const QString& path, const ClassSet& classes, QSize size);
// Writes ids as an indexed (grey ids) or colour PNG, atomically.
void writeLabelImage(const QString& path, const QImage& ids, const ClassSet& classes, bool colour);
// Reads a mask (white = regenerate, any image format) and brings it to `size` with nearest
// neighbour; its aspect ratio must be `size`'s. Returns Grayscale8, 0 or 255.
QImage readMaskImage(const QString& path, QSize size);
// Reads a photo as RGB888.
QImage readPhoto(const QString& path);

// The map in its classes' colours (RGB32); ids without a class are black.
QImage labelColors(const QImage& ids, const ClassSet& classes);

}  // namespace sdm::ui
