#include "ui/tools/lasso_tool.h"

namespace sdm::ui {

LassoTool::LassoTool(PaintOptions* options, QObject* parent)
    : ShapeTool(tr("Lasso"), QKeySequence(Qt::Key_L), tr("draw around a region to fill it"), options, parent) {}

QPainterPath LassoTool::outline() const {
  QPainterPath path;
  path.addPolygon(trail());
  path.closeSubpath();
  return path;
}

void LassoTool::finish(const ToolEvent&) { fillOutline(tr("Lasso")); }

}  // namespace sdm::ui
