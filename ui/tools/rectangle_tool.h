#pragma once

#include "ui/tools/shape_tool.h"

namespace sdm::ui {

// Fills the rectangle dragged out.
class RectangleTool : public ShapeTool {
  Q_OBJECT

public:
  explicit RectangleTool(PaintOptions* options, QObject* parent = nullptr);

protected:
  QPainterPath outline() const override;
  void finish(const ToolEvent& release) override;
};

}  // namespace sdm::ui
