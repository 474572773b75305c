#pragma once

#include <QImage>
#include <QPainterPath>
#include <QRect>

namespace sdm::ui {

// What the tools do to a Grayscale8 layer. Each returns the rectangle it changed (empty when none)
// so the canvas repaints and the undo step stores only that much. Pixel (x, y) covers the square
// from (x, y) to (x + 1, y + 1) in image coordinates; shapes take the pixels whose centres they contain.

// The pixel covering an image point.
QPoint pixelAt(QPointF point);

// A round brush dragged from `from` to `to`: every pixel whose centre lies within `radius` of the segment.
QRect paintSegment(QImage& layer, QPointF from, QPointF to, double radius, int value);
// The 4-connected region of `seed`'s value.
QRect floodFill(QImage& layer, QPoint seed, int value);
// The inside of a closed path (rectangle, ellipse, lasso).
QRect fillPath(QImage& layer, const QPainterPath& path, int value);
// Every pixel where `selection` (Grayscale8, the layer's size) is non-zero.
QRect fillSelection(QImage& layer, const QImage& selection, int value);

}  // namespace sdm::ui
