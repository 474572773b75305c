#include "ui/layer_edit_command.h"

namespace sdm::ui {

LayerEditCommand::LayerEditCommand(LabelDocument* document, LabelDocument::Layer layer, QPoint top_left, QImage before,
                                   QImage after, const QString& text)
    : QUndoCommand(text), document_(document), layer_(layer), top_left_(top_left), before_(std::move(before)),
      after_(std::move(after)) {}

void LayerEditCommand::undo() { document_->writeRegion(layer_, top_left_, before_); }

// The first redo, on push, rewrites pixels the tool already drew: harmless, and it keeps one path.
void LayerEditCommand::redo() { document_->writeRegion(layer_, top_left_, after_); }

}  // namespace sdm::ui
