#pragma once

#include "ui/label_document.h"

#include <QObject>

namespace sdm::ui {

// What the tools paint with, shared by all of them as before they were classes: the current
// class, the eraser's background class, one brush size for brush and eraser ([ and ]), and mask
// mode, in which every tool paints the regeneration mask instead of the labels.
class PaintOptions : public QObject {
  Q_OBJECT

public:
  using QObject::QObject;

  int currentClass() const { return current_class_; }
  void setCurrentClass(int id);
  int eraserClass() const { return eraser_class_; }
  void setEraserClass(int id);
  double brushRadius() const { return brush_radius_; }  // image pixels
  void setBrushRadius(double radius);                   // clamped to 0.5…256
  bool maskMode() const { return mask_mode_; }
  void setMaskMode(bool on);
  // The layer the tools paint: the mask in mask mode.
  LabelDocument::Layer layer() const { return mask_mode_ ? LabelDocument::Layer::Mask : LabelDocument::Layer::Labels; }

Q_SIGNALS:
  void changed();

private:
  int current_class_ = 0;
  int eraser_class_ = 0;
  double brush_radius_ = 8.0;
  bool mask_mode_ = false;
};

}  // namespace sdm::ui
