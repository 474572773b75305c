#include "ui/canvas_view.h"

#include "ui/label_image_file.h"
#include "ui/paint_operations.h"
#include "ui/smart_select.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sdm::ui {

namespace {
constexpr double kMinZoom = 0.1;
constexpr double kMaxZoom = 32.0;
// A press and release closer than this (widget pixels) is a click, not a drag.
constexpr double kClickDistance = 4.0;

// The pixel covering an image point.
QPoint pixelAt(QPointF point) { return QPoint(int(std::floor(point.x())), int(std::floor(point.y()))); }
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
  gesture_ = Gesture::None;
  if (document_) {
    connect(document_, &LabelDocument::changed, this, &CanvasView::refresh);
    connect(document_, &LabelDocument::documentReset, this, &CanvasView::refreshAll);
    connect(document_, &LabelDocument::photoChanged, this, qOverload<>(&QWidget::update));
  }
  refreshAll();
  zoomToFit();
}

void CanvasView::setTool(Tool tool) {
  tool_ = tool;
  setCursor(tool == Tool::Eyedropper ? Qt::PointingHandCursor : Qt::CrossCursor);
  update();
}

void CanvasView::setBrushRadius(double radius) {
  brush_radius_ = std::clamp(radius, 0.5, 256.0);
  update();
}

void CanvasView::setMaskMode(bool on) {
  mask_mode_ = on;
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
    painter.drawImage(target, document_->photo());
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.setOpacity(label_opacity_);
  }
  painter.drawImage(target, colors_);
  painter.setOpacity(1.0);
  if (outlines_) painter.drawImage(target, outline_);
  painter.drawImage(target, hatch_);

  // What the gesture will do, and the brush under the cursor.
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(Qt::white, 1.5, Qt::DashLine));
  painter.setBrush(Qt::NoBrush);
  if (gesture_ == Gesture::Shape) {
    const QRectF shape(imageToWidget(shape_start_), imageToWidget(last_point_));
    if (tool_ == Tool::Ellipse) painter.drawEllipse(shape.normalized());
    else if (tool_ == Tool::Lasso) painter.drawPolygon(QTransform(zoom_, 0, 0, zoom_, offset_.x(), offset_.y()).map(lasso_));
    else painter.drawRect(shape.normalized());
  }
  if (hovering_ && (tool_ == Tool::Brush || tool_ == Tool::Eraser)) {
    painter.setPen(QPen(Qt::black, 1.0));
    painter.drawEllipse(hover_, brush_radius_ * zoom_, brush_radius_ * zoom_);
    painter.setPen(QPen(Qt::white, 1.0));
    painter.drawEllipse(hover_, brush_radius_ * zoom_ + 1, brush_radius_ * zoom_ + 1);
  }
}

// --- Editing ---

int CanvasView::paintValue() const {
  if (mask_mode_) return tool_ == Tool::Eraser ? 0 : 255;
  return tool_ == Tool::Eraser ? eraser_class_ : current_class_;
}

void CanvasView::beginEdit() {
  before_ = document_->layer(activeLayer()).copy();
  edited_ = QRect();
}

void CanvasView::extendEdit(const QRect& rect) {
  if (rect.isEmpty()) return;
  edited_ |= rect;
  document_->notifyChanged(rect);
}

void CanvasView::commitEdit(const QString& text) {
  gesture_ = Gesture::None;
  if (edited_.isEmpty()) return;
  document_->commitEdit(activeLayer(), edited_, before_.copy(edited_), mask_mode_ ? tr("%1 (mask)").arg(text) : text);
  before_ = QImage();
  Q_EMIT editFinished();
}

void CanvasView::mousePressEvent(QMouseEvent* event) {
  if (!document_) return;
  const QPointF point = widgetToImage(event->position());
  if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && space_held_)) {
    gesture_ = Gesture::Pan;
    pan_origin_ = event->position();
    setCursor(Qt::ClosedHandCursor);
    return;
  }
  if (event->button() != Qt::LeftButton) return;
  QImage& layer = document_->editableLayer(activeLayer());
  last_point_ = point;
  switch (tool_) {
    case Tool::Brush:
    case Tool::Eraser:
      gesture_ = Gesture::Edit;
      beginEdit();
      extendEdit(paintSegment(layer, point, point, brush_radius_, paintValue()));
      break;
    case Tool::Fill:
      beginEdit();
      extendEdit(floodFill(layer, pixelAt(point), paintValue()));
      commitEdit(tr("Fill"));
      break;
    case Tool::Eyedropper:
      if (const QPoint pixel = pixelAt(point); document_->labels().rect().contains(pixel))
        Q_EMIT classPicked(document_->labels().constScanLine(pixel.y())[pixel.x()]);
      break;
    case Tool::Rectangle:
    case Tool::Ellipse:
    case Tool::Lasso:
    case Tool::SmartSelect:
      gesture_ = Gesture::Shape;
      shape_start_ = point;
      lasso_ = QPolygonF{point};
      break;
  }
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) {
  hover_ = event->position();
  hovering_ = true;
  if (!document_) return;
  const QPointF point = widgetToImage(event->position());
  const QPoint pixel = pixelAt(point);
  Q_EMIT hoveredPixel(pixel, document_->labels().rect().contains(pixel) ? document_->labels().constScanLine(pixel.y())[pixel.x()] : -1);
  switch (gesture_) {
    case Gesture::Pan:
      offset_ += event->position() - pan_origin_;
      pan_origin_ = event->position();
      fitted_ = false;
      break;
    case Gesture::Edit:
      extendEdit(paintSegment(document_->editableLayer(activeLayer()), last_point_, point, brush_radius_, paintValue()));
      last_point_ = point;
      break;
    case Gesture::Shape:
      last_point_ = point;
      if (tool_ == Tool::Lasso) lasso_ << point;
      break;
    case Gesture::None:
      break;
  }
  update();
}

void CanvasView::mouseReleaseEvent(QMouseEvent* event) {
  if (!document_) return;
  const QPointF point = widgetToImage(event->position());
  switch (gesture_) {
    case Gesture::Pan:
      gesture_ = Gesture::None;
      setTool(tool_);
      break;
    case Gesture::Edit:
      extendEdit(paintSegment(document_->editableLayer(activeLayer()), last_point_, point, brush_radius_, paintValue()));
      commitEdit(tool_ == Tool::Eraser ? tr("Erase") : tr("Brush stroke"));
      break;
    case Gesture::Shape:
      finishShape(point);
      break;
    case Gesture::None:
      break;
  }
  update();
}

void CanvasView::finishShape(QPointF end) {
  QImage& layer = document_->editableLayer(activeLayer());
  const QRectF box = QRectF(shape_start_, end).normalized();
  beginEdit();
  QPainterPath path;
  switch (tool_) {
    case Tool::Rectangle:
      path.addRect(box);
      extendEdit(fillPath(layer, path, paintValue()));
      commitEdit(tr("Rectangle"));
      return;
    case Tool::Ellipse:
      path.addEllipse(box);
      extendEdit(fillPath(layer, path, paintValue()));
      commitEdit(tr("Ellipse"));
      return;
    case Tool::Lasso:
      path.addPolygon(lasso_ << end);
      path.closeSubpath();
      extendEdit(fillPath(layer, path, paintValue()));
      commitEdit(tr("Lasso"));
      return;
    case Tool::SmartSelect: {
      gesture_ = Gesture::None;
      if (document_->photo().isNull()) {
        Q_EMIT message(tr("Smart select works on a photo: open one first (File ▸ Open Photo)."));
        return;
      }
      const bool click = QLineF(imageToWidget(shape_start_), imageToWidget(end)).length() < kClickDistance;
      const QImage selection = click ? selectObjectAt(document_->photo(), document_->size(), pixelAt(end))
                                     : selectObjectInRect(document_->photo(), document_->size(), box.toAlignedRect());
      extendEdit(fillSelection(layer, selection, paintValue()));
      commitEdit(tr("Smart select"));
      return;
    }
    default:
      gesture_ = Gesture::None;
  }
}

void CanvasView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  setZoom(zoom_ * std::pow(1.25, steps), event->position());
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    space_held_ = true;
    setCursor(Qt::OpenHandCursor);
    return;
  }
  QWidget::keyPressEvent(event);
}

void CanvasView::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    space_held_ = false;
    setTool(tool_);
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
