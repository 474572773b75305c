#pragma once

#include <QImage>
#include <QPoint>
#include <QRect>

namespace sdm::ui {

// Smart select on the photo under the map: the object a user points at, as a Grayscale8
// selection (255 = selected) of `canvas_size`, to be filled with the current class at once.
// Rectangles and points are in canvas coordinates; the photo has the canvas's aspect ratio.
// OpenCV's GrabCut does the segmentation, on a copy at most 256 px on its long side (fast enough
// to feel immediate, and objects worth a label are larger than that resolution's pixels).

// The object inside a dragged rectangle.
QImage selectObjectInRect(const QImage& photo, QSize canvas_size, const QRect& rect);
// The object under a click: the region of similar colour around the point seeds GrabCut.
QImage selectObjectAt(const QImage& photo, QSize canvas_size, QPoint point);

}  // namespace sdm::ui
