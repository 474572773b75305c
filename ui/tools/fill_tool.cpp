#include "ui/tools/fill_tool.h"

#include "ui/paint_operations.h"
#include "ui/tools/paint_options.h"

namespace sdm::ui {

FillTool::FillTool(PaintOptions* options, QObject* parent)
    : AbstractTool(tr("Fill"), QKeySequence(Qt::Key_G), tr("fill the connected region"), options, parent) {}

void FillTool::mousePressed(const ToolEvent& event) {
  const QPoint seed = pixelAt(event.point);
  const int value = paintValue();
  editLayer(options().layer(), [&](QImage& layer) { return floodFill(layer, seed, value); }, tr("Fill"));
}

}  // namespace sdm::ui
