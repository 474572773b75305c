#include "ui/label_document.h"

#include "ui/layer_edit_command.h"

#include <QPainter>

#include <stdexcept>
#include <utility>

namespace sdm::ui {

namespace {
QImage filled(QSize size, int value) {
  QImage image(size, QImage::Format_Grayscale8);
  image.fill(QColor(value, value, value));
  return image;
}
}  // namespace

QSize LabelDocument::canvasSize(QSize model_size) {
  const int long_side = std::max(model_size.width(), model_size.height());
  const int factor = std::max(1, (512 + long_side - 1) / long_side);
  return model_size * factor;
}

LabelDocument::LabelDocument(ClassSet classes, QSize model_size, QObject* parent)
    : QObject(parent), classes_(std::move(classes)), model_size_(model_size) {
  const int background = classes_.classes.empty() ? 0 : classes_.classes.front().id;
  labels_ = filled(canvasSize(model_size), background);
  mask_ = filled(labels_.size(), 0);
}

bool LabelDocument::hasMask() const {
  for (int y = 0; y < mask_.height(); ++y) {
    const uchar* row = mask_.constScanLine(y);
    for (int x = 0; x < mask_.width(); ++x)
      if (row[x]) return true;
  }
  return false;
}

void LabelDocument::markChanged(const QRect& rect) {
  ++revision_;
  Q_EMIT changed(rect);
}

void LabelDocument::beginEdit(Layer layer) { open_edit_ = OpenEdit{layer, pixels(layer).copy(), QRect()}; }

void LabelDocument::applyToEdit(const Operation& operation) {
  if (!open_edit_) return;
  const QRect rect = operation(pixels(open_edit_->layer));
  if (rect.isEmpty()) return;
  open_edit_->changed |= rect;
  markChanged(rect);
}

bool LabelDocument::commitEdit(const QString& text) {
  if (!open_edit_) return false;
  const OpenEdit edit = *std::exchange(open_edit_, std::nullopt);
  if (edit.changed.isEmpty()) return false;
  undo_stack_.push(new LayerEditCommand(this, edit.layer, edit.changed.topLeft(), edit.before.copy(edit.changed),
                                        pixels(edit.layer).copy(edit.changed), text));
  return true;
}

bool LabelDocument::edit(Layer layer, const Operation& operation, const QString& text) {
  beginEdit(layer);
  applyToEdit(operation);
  return commitEdit(text);
}

void LabelDocument::replaceLayer(Layer layer, const QImage& replacement, const QString& text) {
  if (replacement.size() != size()) throw std::invalid_argument("a layer must have the document's size");
  edit(layer, [&](QImage& target) {
    target = replacement.convertToFormat(QImage::Format_Grayscale8);
    return target.rect();
  }, text);
}

void LabelDocument::writeRegion(Layer layer, QPoint top_left, const QImage& region) {
  QImage& target = pixels(layer);
  for (int y = 0; y < region.height(); ++y)
    std::copy_n(region.constScanLine(y), region.width(), target.scanLine(top_left.y() + y) + top_left.x());
  markChanged(QRect(top_left, region.size()));
}

void LabelDocument::reset(const QImage& labels, const QImage& mask, const QImage& photo) {
  if (labels.size() != labels_.size() || (!mask.isNull() && mask.size() != labels_.size()))
    throw std::invalid_argument("label map and mask must have the document's size");
  labels_ = labels.convertToFormat(QImage::Format_Grayscale8);
  mask_ = mask.isNull() ? filled(labels_.size(), 0) : mask.convertToFormat(QImage::Format_Grayscale8);
  photo_ = photo.isNull() ? QImage() : photo.convertToFormat(QImage::Format_RGB888);
  undo_stack_.clear();
  open_edit_.reset();
  ++revision_;
  Q_EMIT documentReset();
}

void LabelDocument::setPhoto(const QImage& photo) {
  photo_ = photo.isNull() ? QImage() : photo.convertToFormat(QImage::Format_RGB888);
  ++revision_;
  Q_EMIT photoChanged();
}

QImage LabelDocument::modelLabels() const {
  // A whole factor apart: sample the centre pixel of each block, as nearest neighbour does.
  const int factor = labels_.width() / model_size_.width();
  QImage model(model_size_, QImage::Format_Grayscale8);
  for (int y = 0; y < model.height(); ++y)
    for (int x = 0; x < model.width(); ++x)
      model.scanLine(y)[x] = labels_.constScanLine(y * factor + factor / 2)[x * factor + factor / 2];
  return model;
}

}  // namespace sdm::ui
