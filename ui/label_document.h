#pragma once

#include "core/io/class_set.h"

#include <QImage>
#include <QObject>
#include <QUndoStack>

#include <functional>
#include <optional>

namespace sdm::ui {

// The document people paint: a class id per pixel (the label map), the mask of the region to
// regenerate, and an optional photo underneath. The map is kept at the model's size times a whole
// factor, so it comes down to the model's size with nearest neighbour exactly while the strokes
// painted on it stay smooth. Its layers change only through its edit methods, each a
// LayerEditCommand on the undo stack; the document stores pixels and says what changed.
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

  // Counts every change of the map, the mask or the photo (edits, undo, redo, resets): work
  // started on one state (a smart selection) can tell whether that state is still there.
  quint64 revision() const { return revision_; }

  // Edits, each one undo step. A tool opens an edit of a layer, paints into it while the user
  // drags (each piece shown at once) and commits it; the undo step stores the changed rectangle's
  // pixels before and after. Why one snapshot per gesture rather than a command per mouse move
  // merged with QUndoCommand::mergeWith: the undo stack then changes once per stroke, so what
  // listens to it (the modified flag, the scan of the mask for Regenerate, live mode's draft)
  // runs once per stroke, not at every mouse move; and the snapshot, one byte a pixel of one
  // layer, costs 256 KB at 512², copied once when the gesture starts.
  using Operation = std::function<QRect(QImage& layer)>;  // paints; returns the rectangle it changed
  void beginEdit(Layer layer);
  void applyToEdit(const Operation& operation);  // without an open edit (reset meanwhile): nothing
  bool commitEdit(const QString& text);          // false: nothing changed, no undo step
  // An edit of one operation: begin, apply, commit.
  bool edit(Layer layer, const Operation& operation, const QString& text);
  // Replaces a whole layer (Grayscale8, the document's size) as one undo step.
  void replaceLayer(Layer layer, const QImage& replacement, const QString& text);

  // Replaces the map, mask and photo (new, open, project load, recovery) and clears the history.
  // `labels` and `mask` must have the document's size; a null mask means none.
  void reset(const QImage& labels, const QImage& mask, const QImage& photo);
  // Puts a photo under the map (null removes it). Its aspect ratio must be the model's.
  void setPhoto(const QImage& photo);

  // The label map at `size` (nearest neighbour: each block's centre pixel), as a model of that
  // size takes it; of `region` only (canvas pixels) when one is given.
  QImage labelsAt(QSize size, QRect region = {}) const;
  QImage modelLabels() const { return labelsAt(model_size_); }

  // The bounding box of the mask (canvas pixels); null without one.
  QRect maskBounds() const;
  // The square (the model's aspect ratio) of a large photo a masked regeneration works on, in
  // canvas pixels; null: the whole photo. Not an undo step: it chooses what an edit covers, and
  // goes with a new photo or document.
  QRect editRegion() const { return edit_region_; }
  void setEditRegion(QRect region);

  static QSize canvasSize(QSize model_size);

Q_SIGNALS:
  void changed(const QRect& rect);
  void photoChanged();
  void documentReset();
  void editRegionChanged();

private:
  friend class LayerEditCommand;
  // Writes `region` into `layer` at `top_left`: what LayerEditCommand's undo and redo do.
  void writeRegion(Layer layer, QPoint top_left, const QImage& region);
  QImage& pixels(Layer layer) { return layer == Layer::Labels ? labels_ : mask_; }
  void markChanged(const QRect& rect);  // a new revision, and `changed`

  // The edit in progress.
  struct OpenEdit {
    Layer layer;
    QImage before;  // the whole layer when the edit began
    QRect changed;
  };

  ClassSet classes_;
  QSize model_size_;
  QImage labels_;
  QImage mask_;
  QImage photo_;
  QRect edit_region_;
  QUndoStack undo_stack_;
  std::optional<OpenEdit> open_edit_;
  quint64 revision_ = 0;
};

// `grey` (one byte a pixel) resampled to `size` with nearest neighbour from `source`, its pixel
// centres mapped onto the pixels under them: whole-factor reductions take each block's centre.
QImage nearestSample(const QImage& grey, QRectF source, QSize size);

}  // namespace sdm::ui
