#include "ui/canvas_view.h"

#include "ui/label_image_file.h"
#include "ui/paint_operations.h"
#include "ui/tools/tool_manager.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sdm::ui {

namespace {
constexpr double kMinZoom = 0.1;
constexpr double kMaxZoom = 32.0;
}  // namespace

CanvasView::CanvasView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMinimumSize(320, 240);
  setObjectName("canvas");
}

void CanvasView::setDocument(LabelDocument* document) {
  if (document_) document_->disconnect(this);
  document_ = document;
  panning_ = false;
  if (tools_) tools_->setDocument(document);
  if (document_) {
    connect(document_, &LabelDocument::changed, this, &CanvasView::refresh);
    connect(document_, &LabelDocument::documentReset, this, &CanvasView::refreshAll);
    connect(document_, &LabelDocument::photoChanged, this, &CanvasView::refreshPhoto);
    connect(document_, &LabelDocument::documentReset, this, &CanvasView::refreshPhoto);
    connect(document_, &LabelDocument::editRegionChanged, this, qOverload<>(&QWidget::update));
  }
  refreshAll();
  refreshPhoto();
  zoomToFit();
}

void CanvasView::setToolManager(ToolManager* tools) {
  if (tools_) tools_->disconnect(this);
  tools_ = tools;
  if (tools_) {
    tools_->setDocument(document_);
    connect(tools_, &ToolManager::currentToolChanged, this, &CanvasView::updateCursor);
    connect(tools_, &ToolManager::cursorChanged, this, &CanvasView::updateCursor);
    // The brush outline follows the brush size.
    connect(tools_->options(), &PaintOptions::changed, this, qOverload<>(&QWidget::update));
  }
  updateCursor();
}

AbstractTool* CanvasView::currentTool() const { return tools_ ? tools_->currentTool() : nullptr; }

void CanvasView::updateCursor() {
  if (panning_) setCursor(Qt::ClosedHandCursor);
  else if (space_held_) setCursor(Qt::OpenHandCursor);
  else setCursor(currentTool() ? currentTool()->cursor() : QCursor(Qt::CrossCursor));
  update();
}

void CanvasView::setLabelOpacity(double opacity) {
  label_opacity_ = std::clamp(opacity, 0.0, 1.0);
  update();
}

void CanvasView::setOutlines(bool on) {
  outlines_ = on;
  update();
}

// --- Coordinates and zoom ---

QPointF CanvasView::widgetToImage(QPointF point) const { return (point - offset_) / zoom_; }
QPointF CanvasView::imageToWidget(QPointF point) const { return point * zoom_ + offset_; }

void CanvasView::setZoom(double zoom, QPointF anchor) {
  zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
  const QPointF image_point = widgetToImage(anchor);
  zoom_ = zoom;
  offset_ = anchor - image_point * zoom_;
  fitted_ = false;
  update();
  Q_EMIT zoomChanged(zoom_);
}

void CanvasView::zoomToFit() {
  fitted_ = true;
  if (!document_) return;
  const QSizeF size = document_->size();
  zoom_ = std::clamp(std::min(width() / size.width(), height() / size.height()), kMinZoom, kMaxZoom);
  offset_ = QPointF((width() - size.width() * zoom_) / 2, (height() - size.height() * zoom_) / 2);
  update();
  Q_EMIT zoomChanged(zoom_);
}

void CanvasView::resizeEvent(QResizeEvent*) {
  if (fitted_) zoomToFit();
}

// --- Drawing ---

void CanvasView::refreshPhoto() {
  const QImage& photo = document_ ? document_->photo() : QImage();
  const QSize most = document_ ? document_->size() * 2 : QSize();
  photo_view_ = photo.isNull() || photo.width() <= most.width() ? photo
                                                                : photo.scaled(most, Qt::KeepAspectRatio, Qt::SmoothTransformation);
  update();
}

void CanvasView::refreshAll() {
  if (!document_) return;
  colors_ = QImage(document_->size(), QImage::Format_RGB32);
  outline_ = QImage(document_->size(), QImage::Format_ARGB32_Premultiplied);
  hatch_ = QImage(document_->size(), QImage::Format_ARGB32_Premultiplied);
  refresh(QRect(QPoint(0, 0), document_->size()));
}

void CanvasView::refresh(const QRect& changed) {
  if (!document_ || colors_.isNull()) return;
  const QImage& labels = document_->labels();
  const QImage& mask = document_->mask();
  // Outlines depend on the neighbours: one pixel more around the change.
  const QRect rect = changed.adjusted(-1, -1, 1, 1).intersected(labels.rect());
  const QImage colors = labelColors(labels.copy(rect), document_->classes());
  QPainter(&colors_).drawImage(rect.topLeft(), colors);
  const QRgb hatched = qRgba(150, 0, 0, 150), clear = qRgba(60, 0, 0, 60);
  for (int y = rect.top(); y <= rect.bottom(); ++y) {
    const uchar* row = labels.constScanLine(y);
    const uchar* above = labels.constScanLine(std::max(0, y - 1));
    const uchar* below = labels.constScanLine(std::min(labels.height() - 1, y + 1));
    const uchar* masked = mask.constScanLine(y);
    auto* outline = reinterpret_cast<QRgb*>(outline_.scanLine(y));
    auto* hatch = reinterpret_cast<QRgb*>(hatch_.scanLine(y));
    for (int x = rect.left(); x <= rect.right(); ++x) {
      const int v = row[x];
      const bool edge = (x > 0 && row[x - 1] != v) || (x + 1 < labels.width() && row[x + 1] != v) || above[x] != v || below[x] != v;
      outline[x] = edge ? qRgba(0, 0, 0, 200) : 0;
      hatch[x] = !masked[x] ? 0 : ((x + y) / 4) % 2 == 0 ? hatched : clear;
    }
  }
  update(QRectF(imageToWidget(rect.topLeft()), imageToWidget(rect.bottomRight() + QPoint(1, 1))).toAlignedRect().adjusted(-2, -2, 2, 2));
}

void CanvasView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Dark));
  if (!document_) return;
  const QRectF target(imageToWidget(QPointF(0, 0)), QSizeF(document_->size()) * zoom_);
  const bool has_photo = !document_->photo().isNull();
  if (has_photo) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, photo_view_);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.setOpacity(label_opacity_);
  }
  painter.drawImage(target, colors_);
  painter.setOpacity(1.0);
  if (outlines_) painter.drawImage(target, outline_);
  painter.drawImage(target, hatch_);

  // The square of a large photo that Regenerate in mask works on.
  if (const QRect region = document_->editRegion(); !region.isNull() && has_photo) {
    const QRectF frame(imageToWidget(region.topLeft()), QSizeF(region.size()) * zoom_);
    painter.setPen(QPen(Qt::white, 2, Qt::SolidLine));
    painter.drawRect(frame);
    painter.setPen(QPen(QColor(255, 140, 0), 2, Qt::DashLine));
    painter.drawRect(frame);
  }

  // What the tool's gesture will do, or its brush under the cursor.
  if (const auto* tool = currentTool()) {
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(Qt::NoBrush);
    const QTransform image_to_widget(zoom_, 0, 0, zoom_, offset_.x(), offset_.y());
    tool->drawOverlay(painter, image_to_widget, hovering_ ? std::optional(widgetToImage(hover_)) : std::nullopt);
  }
}

// --- Events: panning is the view's, the left button's the tool's ---

void CanvasView::mousePressEvent(QMouseEvent* event) {
  if (!document_) return;
  if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && space_held_)) {
    panning_ = true;
    pan_origin_ = event->position();
    updateCursor();
    return;
  }
  if (event->button() == Qt::LeftButton && currentTool()) currentTool()->mousePressed({widgetToImage(event->position()), zoom_});
  update();
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) {
  hover_ = event->position();
  hovering_ = true;
  if (!document_) return;
  const QPointF point = widgetToImage(event->position());
  const QPoint pixel = pixelAt(point);
  Q_EMIT hoveredPixel(pixel, document_->labels().rect().contains(pixel) ? document_->labels().constScanLine(pixel.y())[pixel.x()] : -1);
  if (panning_) {
    offset_ += event->position() - pan_origin_;
    pan_origin_ = event->position();
    fitted_ = false;
  } else if (currentTool()) {
    currentTool()->mouseMoved({point, zoom_});
  }
  update();
}

void CanvasView::mouseReleaseEvent(QMouseEvent* event) {
  if (!document_) return;
  if (panning_) {
    panning_ = false;
    updateCursor();
    return;
  }
  if (event->button() == Qt::LeftButton && currentTool()) currentTool()->mouseReleased({widgetToImage(event->position()), zoom_});
  update();
}

void CanvasView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  setZoom(zoom_ * std::pow(1.25, steps), event->position());
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    space_held_ = true;
    updateCursor();
    return;
  }
  QWidget::keyPressEvent(event);
}

void CanvasView::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    space_held_ = false;
    updateCursor();
    return;
  }
  QWidget::keyReleaseEvent(event);
}

void CanvasView::leaveEvent(QEvent*) {
  hovering_ = false;
  Q_EMIT hoveredPixel(QPoint(-1, -1), -1);
  update();
}

}  // namespace sdm::ui
