#pragma once

#include "ui/tools/brush_tool.h"

namespace sdm::ui {

// The brush painting the eraser's background class; in mask mode it unmasks.
class EraserTool : public BrushTool {
  Q_OBJECT

public:
  explicit EraserTool(PaintOptions* options, QObject* parent = nullptr);

protected:
  int paintValue() const override;
};

}  // namespace sdm::ui
