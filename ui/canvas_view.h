#pragma once

#include "ui/label_document.h"

#include <QImage>
#include <QPointer>
#include <QPolygonF>
#include <QWidget>

namespace sdm::ui {

enum class Tool { Brush, Eraser, Fill, Rectangle, Ellipse, Lasso, Eyedropper, SmartSelect };

// The label map on screen — in its classes' colours, over the photo when there is one, with
// outlines and the regeneration mask hatched — and the tools that paint it. Zoom with the wheel,
// pan with the middle button or space-drag. In mask mode every tool paints the mask instead of
// the labels (the eraser clears it).
class CanvasView : public QWidget {
  Q_OBJECT

public:
  explicit CanvasView(QWidget* parent = nullptr);

  void setDocument(LabelDocument* document);
  LabelDocument* document() const { return document_; }

  Tool tool() const { return tool_; }
  void setTool(Tool tool);
  int currentClass() const { return current_class_; }
  void setCurrentClass(int id) { current_class_ = id; }
  int eraserClass() const { return eraser_class_; }
  void setEraserClass(int id) { eraser_class_ = id; }
  double brushRadius() const { return brush_radius_; }
  void setBrushRadius(double radius);
  bool maskMode() const { return mask_mode_; }
  void setMaskMode(bool on);
  double labelOpacity() const { return label_opacity_; }
  void setLabelOpacity(double opacity);  // over the photo
  bool outlines() const { return outlines_; }
  void setOutlines(bool on);

  double zoom() const { return zoom_; }
  void setZoom(double zoom, QPointF anchor);  // anchor: the widget point that stays put
  void zoomToFit();
  QPointF widgetToImage(QPointF point) const;
  QPointF imageToWidget(QPointF point) const;

Q_SIGNALS:
  void hoveredPixel(QPoint pixel, int class_id);  // class_id −1: outside the map
  void classPicked(int id);                       // the eyedropper's pick
  void editFinished();                            // a stroke, fill or selection was committed
  void zoomChanged(double zoom);
  void message(const QString& text);

protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void leaveEvent(QEvent* event) override;

private:
  LabelDocument::Layer activeLayer() const { return mask_mode_ ? LabelDocument::Layer::Mask : LabelDocument::Layer::Labels; }
  int paintValue() const;
  void beginEdit();
  void extendEdit(const QRect& rect);
  void commitEdit(const QString& text);
  void finishShape(QPointF end);
  void refresh(const QRect& rect);  // recolours the cached overlays there
  void refreshAll();

  QPointer<LabelDocument> document_;
  Tool tool_ = Tool::Brush;
  int current_class_ = 0;
  int eraser_class_ = 0;
  double brush_radius_ = 8.0;
  bool mask_mode_ = false;
  double label_opacity_ = 0.6;
  bool outlines_ = true;

  double zoom_ = 1.0;
  QPointF offset_;  // widget position of the image's top-left corner
  bool fitted_ = true;

  // The gesture in progress.
  enum class Gesture { None, Edit, Shape, Pan } gesture_ = Gesture::None;
  QImage before_;      // the active layer when the edit began
  QRect edited_;       // what the edit changed so far
  QPointF last_point_; // image coordinates
  QPointF shape_start_;
  QPolygonF lasso_;
  QPointF pan_origin_;
  bool space_held_ = false;
  QPointF hover_;      // widget coordinates
  bool hovering_ = false;

  QImage colors_;   // the labels in their colours
  QImage outline_;  // class boundaries, transparent elsewhere
  QImage hatch_;    // the mask, hatched
};

}  // namespace sdm::ui
