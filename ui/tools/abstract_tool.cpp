#include "ui/tools/abstract_tool.h"

#include "ui/tools/paint_options.h"

namespace sdm::ui {

AbstractTool::AbstractTool(QString name, QKeySequence shortcut, QString description, PaintOptions* options, QObject* parent)
    : QObject(parent), name_(std::move(name)), shortcut_(std::move(shortcut)), description_(std::move(description)),
      options_(options) {}

void AbstractTool::setDocument(LabelDocument* document) {
  deactivate();
  document_ = document;
}

int AbstractTool::paintValue() const { return options_->maskMode() ? 255 : options_->currentClass(); }

QString AbstractTool::stepName(LabelDocument::Layer layer, const QString& text) const {
  return layer == LabelDocument::Layer::Mask ? tr("%1 (mask)").arg(text) : text;
}

void AbstractTool::commitEdit(LabelDocument::Layer layer, const QString& text) {
  if (document_ && document_->commitEdit(stepName(layer, text))) Q_EMIT editFinished();
}

void AbstractTool::editLayer(LabelDocument::Layer layer, const LabelDocument::Operation& operation, const QString& text) {
  if (document_ && document_->edit(layer, operation, stepName(layer, text))) Q_EMIT editFinished();
}

}  // namespace sdm::ui
