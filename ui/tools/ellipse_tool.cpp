#include "ui/tools/ellipse_tool.h"

namespace sdm::ui {

EllipseTool::EllipseTool(PaintOptions* options, QObject* parent)
    : ShapeTool(tr("Ellipse"), QKeySequence(Qt::Key_U), tr("drag to fill an ellipse"), options, parent) {}

QPainterPath EllipseTool::outline() const {
  QPainterPath path;
  path.addEllipse(box());
  return path;
}

void EllipseTool::finish(const ToolEvent&) { fillOutline(tr("Ellipse")); }

}  // namespace sdm::ui
