#pragma once

#include "ui/label_document.h"

#include <QImage>
#include <QPointer>
#include <QWidget>

namespace sdm::ui {

class AbstractTool;
class ToolManager;

// The label map on screen — in its classes' colours, over the photo when there is one, with
// outlines and the regeneration mask hatched — with the current tool's overlay. The left button's
// presses, moves and releases go to the current tool; zoom with the wheel, pan with the middle
// button or space-drag.
class CanvasView : public QWidget {
  Q_OBJECT

public:
  explicit CanvasView(QWidget* parent = nullptr);

  void setDocument(LabelDocument* document);  // also the tools'
  LabelDocument* document() const { return document_; }
  void setToolManager(ToolManager* tools);

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
  void zoomChanged(double zoom);

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
  AbstractTool* currentTool() const;
  void updateCursor();  // the hand while panning, else the tool's
  void refresh(const QRect& rect);  // recolours the cached overlays there
  void refreshAll();
  // A photo of many megapixels is scaled once, not at every repaint: to twice the canvas, the
  // most a zoomed view shows of it smoothly.
  void refreshPhoto();

  QPointer<LabelDocument> document_;
  QPointer<ToolManager> tools_;
  double label_opacity_ = 0.6;
  bool outlines_ = true;

  double zoom_ = 1.0;
  QPointF offset_;  // widget position of the image's top-left corner
  bool fitted_ = true;

  bool panning_ = false;
  QPointF pan_origin_;
  bool space_held_ = false;
  QPointF hover_;      // widget coordinates
  bool hovering_ = false;

  QImage colors_;   // the labels in their colours
  QImage outline_;  // class boundaries, transparent elsewhere
  QImage hatch_;    // the mask, hatched
  QImage photo_view_;  // the photo, at most twice the canvas size
};

}  // namespace sdm::ui
