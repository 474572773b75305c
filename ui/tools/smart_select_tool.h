#pragma once

#include "ui/tools/shape_tool.h"

#include <QFutureWatcher>

namespace sdm::ui {

// Labels the whole object clicked on, or the one inside the box dragged out, on the photo under
// the map (GrabCut, ui/smart_select.h). GrabCut takes a good part of a second, so it runs on the
// thread pool while the canvas stays live (busy cursor, a status message); its selection is
// filled in as one undo step when it arrives — unless the document changed meanwhile or a newer
// selection was asked for, and then it is dropped.
class SmartSelectTool : public ShapeTool {
  Q_OBJECT

public:
  explicit SmartSelectTool(PaintOptions* options, QObject* parent = nullptr);

  QCursor cursor() const override { return busy_ ? Qt::BusyCursor : Qt::CrossCursor; }
  bool isBusy() const { return busy_; }  // a selection is on its way

protected:
  QPainterPath outline() const override;
  void finish(const ToolEvent& release) override;

private:
  struct Selection {
    int request = 0;
    QImage pixels;  // Grayscale8, the canvas's size; 255 = selected
  };
  // What a request was made on and will paint.
  struct Target {
    QPointer<LabelDocument> document;
    quint64 revision = 0;
    LabelDocument::Layer layer = LabelDocument::Layer::Labels;
    int value = 0;
  };

  void setBusy(bool busy);
  void applySelection();

  QFutureWatcher<Selection> watcher_;
  int latest_request_ = 0;
  Target target_;
  bool busy_ = false;
};

}  // namespace sdm::ui
