#pragma once

#include "ui/tools/shape_tool.h"

namespace sdm::ui {

// Drags out the square (the canvas's aspect ratio) of a large photo that Regenerate in mask
// works on, at the model's size, to paste back at the photo's resolution; a click clears it (the
// edit then frames the mask by itself). It sets the document's edit region, not its pixels.
class EditRegionTool : public ShapeTool {
  Q_OBJECT

public:
  explicit EditRegionTool(PaintOptions* options, QObject* parent = nullptr);

protected:
  QPainterPath outline() const override;
  void finish(const ToolEvent& release) override;

private:
  QRectF region() const;  // the drag, as a rectangle of the canvas's aspect from its start
};

}  // namespace sdm::ui
