#include "ui/label_document.h"

#include "ui/layer_edit_command.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

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
  setEditRegion({});
  ++revision_;
  Q_EMIT documentReset();
}

void LabelDocument::setPhoto(const QImage& photo) {
  photo_ = photo.isNull() ? QImage() : photo.convertToFormat(QImage::Format_RGB888);
  ++revision_;
  setEditRegion({});
  Q_EMIT photoChanged();
}

QImage LabelDocument::labelsAt(QSize size, QRect region) const {
  return nearestSample(labels_, region.isNull() ? QRectF(labels_.rect()) : QRectF(region), size);
}

QRect LabelDocument::maskBounds() const {
  int left = mask_.width(), right = -1, top = mask_.height(), bottom = -1;
  for (int y = 0; y < mask_.height(); ++y) {
    const uchar* row = mask_.constScanLine(y);
    for (int x = 0; x < mask_.width(); ++x)
      if (row[x]) {
        left = std::min(left, x);
        right = std::max(right, x);
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
  }
  return right < 0 ? QRect() : QRect(QPoint(left, top), QPoint(right, bottom));
}

void LabelDocument::setEditRegion(QRect region) {
  region = region.intersected(labels_.rect());
  if (region == edit_region_) return;
  edit_region_ = region;
  Q_EMIT editRegionChanged();
}

QImage nearestSample(const QImage& grey, QRectF source, QSize size) {
  QImage sampled(size, QImage::Format_Grayscale8);
  auto index = [](double start, double extent, int count, int i, int limit) {
    return std::clamp(int(std::floor(start + (i + 0.5) * extent / count)), 0, limit - 1);
  };
  std::vector<int> columns(size_t(size.width()));
  for (int x = 0; x < size.width(); ++x) columns[size_t(x)] = index(source.x(), source.width(), size.width(), x, grey.width());
  for (int y = 0; y < size.height(); ++y) {
    const uchar* row = grey.constScanLine(index(source.y(), source.height(), size.height(), y, grey.height()));
    uchar* out = sampled.scanLine(y);
    for (int x = 0; x < size.width(); ++x) out[x] = row[columns[size_t(x)]];
  }
  return sampled;
}

}  // namespace sdm::ui
