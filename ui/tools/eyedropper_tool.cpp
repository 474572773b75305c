#include "ui/tools/eyedropper_tool.h"

#include "ui/paint_operations.h"

namespace sdm::ui {

EyedropperTool::EyedropperTool(PaintOptions* options, QObject* parent)
    : AbstractTool(tr("Eyedropper"), QKeySequence(Qt::Key_I), tr("pick the class under the cursor"), options, parent) {}

void EyedropperTool::mousePressed(const ToolEvent& event) {
  if (!document()) return;
  const QImage& labels = document()->labels();
  if (const QPoint pixel = pixelAt(event.point); labels.rect().contains(pixel)) Q_EMIT classPicked(labels.constScanLine(pixel.y())[pixel.x()]);
}

}  // namespace sdm::ui
