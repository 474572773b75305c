#pragma once

#include "ui/tools/abstract_tool.h"

namespace sdm::ui {

// Paints a round brush of the options' radius along the drag: one stroke, one undo step.
class BrushTool : public AbstractTool {
  Q_OBJECT

public:
  explicit BrushTool(PaintOptions* options, QObject* parent = nullptr);

  void mousePressed(const ToolEvent& event) override;
  void mouseMoved(const ToolEvent& event) override;
  void mouseReleased(const ToolEvent& event) override;
  void deactivate() override;  // commits the stroke so far
  void drawOverlay(QPainter& painter, const QTransform& image_to_widget, std::optional<QPointF> cursor) const override;

protected:
  // A brush under another name, painting paintValue() (the eraser).
  BrushTool(QString name, QKeySequence shortcut, QString description, QString step_name, PaintOptions* options,
            QObject* parent);

private:
  void paintTo(QPointF point);  // the segment from the last point
  void endStroke();

  QString step_name_;  // the undo step's
  std::optional<LabelDocument::Layer> stroke_layer_;  // set while a stroke is in progress
  QPointF last_point_;
};

}  // namespace sdm::ui
