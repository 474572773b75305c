#pragma once

#include "ui/tools/shape_tool.h"

namespace sdm::ui {

// Fills the region drawn around, closed from the last point back to the first.
class LassoTool : public ShapeTool {
  Q_OBJECT

public:
  explicit LassoTool(PaintOptions* options, QObject* parent = nullptr);

protected:
  QPainterPath outline() const override;
  void finish(const ToolEvent& release) override;
};

}  // namespace sdm::ui
