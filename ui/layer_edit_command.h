#pragma once

#include "ui/label_document.h"

#include <QUndoCommand>

namespace sdm::ui {

// One edit of a layer — a brush stroke, a fill, a shape, a smart selection — as the rectangle's
// pixels before and after, so undo and redo restore the layer byte for byte.
class LayerEditCommand : public QUndoCommand {
public:
  LayerEditCommand(LabelDocument* document, LabelDocument::Layer layer, QPoint top_left, QImage before, QImage after,
                   const QString& text);

  void undo() override;
  void redo() override;

private:
  LabelDocument* document_;
  LabelDocument::Layer layer_;
  QPoint top_left_;
  QImage before_;
  QImage after_;
};

}  // namespace sdm::ui
