#include "ui/tools/rectangle_tool.h"

namespace sdm::ui {

RectangleTool::RectangleTool(PaintOptions* options, QObject* parent)
    : ShapeTool(tr("Rectangle"), QKeySequence(Qt::Key_R), tr("drag to fill a rectangle"), options, parent) {}

QPainterPath RectangleTool::outline() const {
  QPainterPath path;
  path.addRect(box());
  return path;
}

void RectangleTool::finish(const ToolEvent&) { fillOutline(tr("Rectangle")); }

}  // namespace sdm::ui
