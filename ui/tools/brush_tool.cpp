#include "ui/tools/brush_tool.h"

#include "ui/paint_operations.h"
#include "ui/tools/paint_options.h"

#include <QPainter>

#include <utility>

namespace sdm::ui {

BrushTool::BrushTool(PaintOptions* options, QObject* parent)
    : BrushTool(tr("Brush"), QKeySequence(Qt::Key_B), tr("paint the current class"), tr("Brush stroke"), options, parent) {}

BrushTool::BrushTool(QString name, QKeySequence shortcut, QString description, QString step_name, PaintOptions* options,
                     QObject* parent)
    : AbstractTool(std::move(name), std::move(shortcut), std::move(description), options, parent),
      step_name_(std::move(step_name)) {}

void BrushTool::mousePressed(const ToolEvent& event) {
  if (!document()) return;
  stroke_layer_ = options().layer();
  document()->beginEdit(*stroke_layer_);
  last_point_ = event.point;
  paintTo(event.point);
}

void BrushTool::mouseMoved(const ToolEvent& event) {
  if (stroke_layer_) paintTo(event.point);
}

void BrushTool::mouseReleased(const ToolEvent& event) {
  if (!stroke_layer_) return;
  paintTo(event.point);
  endStroke();
}

void BrushTool::deactivate() {
  if (stroke_layer_) endStroke();
}

void BrushTool::paintTo(QPointF point) {
  if (!document()) return;
  const double radius = options().brushRadius();
  const int value = paintValue();
  document()->applyToEdit([&](QImage& layer) { return paintSegment(layer, last_point_, point, radius, value); });
  last_point_ = point;
}

void BrushTool::endStroke() {
  const auto layer = *std::exchange(stroke_layer_, std::nullopt);
  commitEdit(layer, step_name_);
}

void BrushTool::drawOverlay(QPainter& painter, const QTransform& image_to_widget, std::optional<QPointF> cursor) const {
  if (!cursor) return;
  const QPointF centre = image_to_widget.map(*cursor);
  const double radius = options().brushRadius() * image_to_widget.m11();
  // Black inside white: visible on any colour.
  painter.setPen(QPen(Qt::black, 1.0));
  painter.drawEllipse(centre, radius, radius);
  painter.setPen(QPen(Qt::white, 1.0));
  painter.drawEllipse(centre, radius + 1, radius + 1);
}

}  // namespace sdm::ui
