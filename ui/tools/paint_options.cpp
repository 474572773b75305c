#include "ui/tools/paint_options.h"

#include <algorithm>

namespace sdm::ui {

void PaintOptions::setCurrentClass(int id) {
  current_class_ = id;
  Q_EMIT changed();
}

void PaintOptions::setEraserClass(int id) {
  eraser_class_ = id;
  Q_EMIT changed();
}

void PaintOptions::setBrushRadius(double radius) {
  brush_radius_ = std::clamp(radius, 0.5, 256.0);
  Q_EMIT changed();
}

void PaintOptions::setMaskMode(bool on) {
  mask_mode_ = on;
  Q_EMIT changed();
}

}  // namespace sdm::ui
