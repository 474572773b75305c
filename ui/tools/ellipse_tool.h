#pragma once

#include "ui/tools/shape_tool.h"

namespace sdm::ui {

// Fills the ellipse inscribed in the rectangle dragged out.
class EllipseTool : public ShapeTool {
  Q_OBJECT

public:
  explicit EllipseTool(PaintOptions* options, QObject* parent = nullptr);

protected:
  QPainterPath outline() const override;
  void finish(const ToolEvent& release) override;
};

}  // namespace sdm::ui
