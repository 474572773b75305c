#include "ui/tools/eraser_tool.h"

#include "ui/tools/paint_options.h"

namespace sdm::ui {

EraserTool::EraserTool(PaintOptions* options, QObject* parent)
    : BrushTool(tr("Eraser"), QKeySequence(Qt::Key_E), tr("paint the background class (in mask mode: unmask)"), tr("Erase"),
                options, parent) {}

int EraserTool::paintValue() const { return options().maskMode() ? 0 : options().eraserClass(); }

}  // namespace sdm::ui
