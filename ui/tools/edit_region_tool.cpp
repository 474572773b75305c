#include "ui/tools/edit_region_tool.h"

#include <algorithm>
#include <cmath>

namespace sdm::ui {

EditRegionTool::EditRegionTool(PaintOptions* options, QObject* parent)
    : ShapeTool(tr("Edit Region"), QKeySequence(Qt::Key_X),
                tr("drag the square of a large photo to regenerate at the model's size, pasted back sharp; click to clear"), options,
                parent) {}

QRectF EditRegionTool::region() const {
  if (!document()) return {};
  const QSizeF canvas = document()->size();
  const double aspect = canvas.width() / canvas.height();
  const QPointF drag = end() - start();
  // The longer side of the drag sets the size; the canvas's aspect the other side.
  const double width = std::max(std::abs(drag.x()), std::abs(drag.y()) * aspect);
  const double height = width / aspect;
  const QPointF corner(start().x() + (drag.x() < 0 ? -width : width), start().y() + (drag.y() < 0 ? -height : height));
  return QRectF(start(), corner).normalized();
}

QPainterPath EditRegionTool::outline() const {
  QPainterPath path;
  path.addRect(region());
  return path;
}

void EditRegionTool::finish(const ToolEvent& release) {
  if (!document()) return;
  const QRectF dragged = region();
  // A click (a drag shorter than a few screen pixels) clears the region.
  if (dragged.width() * release.zoom < 4) {
    document()->setEditRegion({});
    Q_EMIT message(tr("Edit region cleared: Regenerate in mask frames the mask by itself."));
    return;
  }
  document()->setEditRegion(dragged.toAlignedRect());
  if (document()->photo().isNull())
    Q_EMIT message(tr("The edit region applies to a photo under the map (File ▸ Open Photo)."));
  else
    Q_EMIT message(tr("Regenerate in mask works on this square (grown to hold the mask), pasted back at the photo's resolution."));
}

}  // namespace sdm::ui
