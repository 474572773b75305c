#include "ui/tools/shape_tool.h"

#include "ui/paint_operations.h"
#include "ui/tools/paint_options.h"

#include <QPainter>

namespace sdm::ui {

void ShapeTool::mousePressed(const ToolEvent& event) {
  dragging_ = true;
  start_ = end_ = event.point;
  trail_ = QPolygonF{event.point};
}

void ShapeTool::mouseMoved(const ToolEvent& event) {
  if (!dragging_) return;
  end_ = event.point;
  trail_ << event.point;
}

void ShapeTool::mouseReleased(const ToolEvent& event) {
  if (!dragging_) return;
  dragging_ = false;
  end_ = event.point;
  trail_ << event.point;
  finish(event);
}

void ShapeTool::deactivate() { dragging_ = false; }

void ShapeTool::drawOverlay(QPainter& painter, const QTransform& image_to_widget, std::optional<QPointF>) const {
  if (!dragging_) return;
  painter.setPen(QPen(Qt::white, 1.5, Qt::DashLine));
  painter.drawPath(image_to_widget.map(outline()));
}

void ShapeTool::fillOutline(const QString& text) {
  const QPainterPath path = outline();
  const int value = paintValue();
  editLayer(options().layer(), [&](QImage& layer) { return fillPath(layer, path, value); }, text);
}

}  // namespace sdm::ui
