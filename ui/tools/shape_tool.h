#pragma once

#include "ui/tools/abstract_tool.h"

#include <QPainterPath>
#include <QPolygonF>

namespace sdm::ui {

// A tool the user drags out: its outline is drawn dashed while dragging, and it acts on release.
class ShapeTool : public AbstractTool {
  Q_OBJECT

public:
  using AbstractTool::AbstractTool;

  void mousePressed(const ToolEvent& event) override;
  void mouseMoved(const ToolEvent& event) override;
  void mouseReleased(const ToolEvent& event) override;
  void deactivate() override;  // drops the outline
  void drawOverlay(QPainter& painter, const QTransform& image_to_widget, std::optional<QPointF> cursor) const override;

protected:
  virtual QPainterPath outline() const = 0;  // the shape so far, in image coordinates
  virtual void finish(const ToolEvent& release) = 0;

  QPointF start() const { return start_; }
  QPointF end() const { return end_; }
  QRectF box() const { return QRectF(start_, end_).normalized(); }
  const QPolygonF& trail() const { return trail_; }  // every point of the drag
  // Fills the outline (pixels whose centres it contains) as one undo step.
  void fillOutline(const QString& text);

private:
  bool dragging_ = false;
  QPointF start_;
  QPointF end_;
  QPolygonF trail_;
};

}  // namespace sdm::ui
