#pragma once

#include "core/io/class_set.h"

#include <QImage>
#include <QObject>
#include <QUndoStack>

namespace sdm::ui {

// The document people paint: a class id per pixel (the label map), the mask of the region to
// regenerate, and an optional photo underneath. The map is kept at the model's size times a whole
// factor, so it comes down to the model's size with nearest neighbour exactly while the strokes
// painted on it stay smooth. Edits are LayerEditCommands on the undo stack; the document stores
// pixels and says what changed.
class LabelDocument : public QObject {
  Q_OBJECT

public:
  enum class Layer { Labels, Mask };

  // An empty map (every pixel `background` — by default the class set's first) at a canvas size
  // that is the model's times the whole factor bringing its long side to at least 512.
  LabelDocument(ClassSet classes, QSize model_size, QObject* parent = nullptr);

  const ClassSet& classes() const { return classes_; }
  QSize modelSize() const { return model_size_; }
  QSize size() const { return labels_.size(); }
  const QImage& labels() const { return labels_; }  // Grayscale8: the dataset's class ids
  const QImage& mask() const { return mask_; }      // Grayscale8: 255 = regenerate
  const QImage& photo() const { return photo_; }    // RGB888 at its own resolution, or null
  const QImage& layer(Layer layer) const { return layer == Layer::Labels ? labels_ : mask_; }
  QUndoStack* undoStack() { return &undo_stack_; }
  bool hasMask() const;

  // Tools draw into a layer while the user drags (notifyChanged after each piece), then
  // commitEdit records the stroke as one undo step, `before` being the rectangle's old pixels.
  QImage& editableLayer(Layer layer) { return layer == Layer::Labels ? labels_ : mask_; }
  void notifyChanged(const QRect& rect);
  void commitEdit(Layer layer, const QRect& rect, const QImage& before, const QString& text);
  // Writes `pixels` into `layer` at `top_left`; what LayerEditCommand's undo and redo do.
  void writeRegion(Layer layer, QPoint top_left, const QImage& pixels);

  // Replaces the map, mask and photo (new, open, project load, recovery) and clears the history.
  // `labels` and `mask` must have the document's size; a null mask means none.
  void reset(const QImage& labels, const QImage& mask, const QImage& photo);
  // Puts a photo under the map (null removes it). Its aspect ratio must be the model's.
  void setPhoto(const QImage& photo);

  // The label map at the model's size (nearest neighbour: each block's centre pixel), as the
  // sampler takes it.
  QImage modelLabels() const;

  static QSize canvasSize(QSize model_size);

Q_SIGNALS:
  void changed(const QRect& rect);
  void photoChanged();
  void documentReset();

private:
  ClassSet classes_;
  QSize model_size_;
  QImage labels_;
  QImage mask_;
  QImage photo_;
  QUndoStack undo_stack_;
};

}  // namespace sdm::ui
