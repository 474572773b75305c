#pragma once

#include "ui/label_document.h"

#include <QCursor>
#include <QKeySequence>
#include <QObject>
#include <QPointF>
#include <QPointer>

#include <optional>

class QPainter;
class QTransform;

namespace sdm::ui {

class PaintOptions;

// A press, move or release of the left button on the canvas, as a tool sees it.
struct ToolEvent {
  QPointF point;      // image coordinates
  double zoom = 1.0;  // widget pixels per image pixel: how long a distance looks on screen
};

// One tool of the canvas (Tiled's AbstractTool). The canvas forwards the left button's presses,
// moves and releases to the current tool and draws its overlay; the tool edits the document
// only through the document's edit methods, with the PaintOptions all tools share.
class AbstractTool : public QObject {
  Q_OBJECT

public:
  AbstractTool(QString name, QKeySequence shortcut, QString description, PaintOptions* options, QObject* parent = nullptr);

  const QString& name() const { return name_; }
  const QKeySequence& shortcut() const { return shortcut_; }
  const QString& description() const { return description_; }  // what it does, for the tooltip
  virtual QCursor cursor() const { return Qt::CrossCursor; }

  LabelDocument* document() const { return document_; }
  void setDocument(LabelDocument* document);  // ends the gesture in progress first

  virtual void mousePressed(const ToolEvent& event) = 0;
  virtual void mouseMoved(const ToolEvent&) {}
  virtual void mouseReleased(const ToolEvent&) {}
  // Another tool takes over, or the document goes: ends the gesture in progress.
  virtual void deactivate() {}
  // What the gesture will do, or the brush under the cursor (`cursor`: its image point, when it
  // is over the canvas). The painter comes with antialiasing and no brush.
  virtual void drawOverlay(QPainter&, const QTransform& /*image_to_widget*/, std::optional<QPointF> /*cursor*/) const {}

Q_SIGNALS:
  void editFinished();  // an edit was committed as an undo step
  void message(const QString& text);
  void cursorChanged();

protected:
  PaintOptions& options() const { return *options_; }
  // What the tool paints: the current class, or 255 (masked) in mask mode.
  virtual int paintValue() const;
  // Commits the document's open edit of `layer` as the undo step `text`; editFinished when it
  // changed something.
  void commitEdit(LabelDocument::Layer layer, const QString& text);
  // One operation on `layer` as one undo step.
  void editLayer(LabelDocument::Layer layer, const LabelDocument::Operation& operation, const QString& text);

private:
  QString stepName(LabelDocument::Layer layer, const QString& text) const;

  QString name_;
  QKeySequence shortcut_;
  QString description_;
  PaintOptions* options_;
  QPointer<LabelDocument> document_;
};

}  // namespace sdm::ui
