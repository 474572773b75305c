#include "ui/tools/smart_select_tool.h"

#include "ui/paint_operations.h"
#include "ui/smart_select.h"
#include "ui/tools/paint_options.h"

#include <QLineF>
#include <QtConcurrent/QtConcurrentRun>

namespace sdm::ui {

namespace {
// A press and release closer than this (widget pixels) is a click, not a drag.
constexpr double kClickDistance = 4.0;
}  // namespace

SmartSelectTool::SmartSelectTool(PaintOptions* options, QObject* parent)
    : ShapeTool(tr("Smart Select"), QKeySequence(Qt::Key_S), tr("click or drag on the photo to label a whole object"), options,
                parent) {
  connect(&watcher_, &QFutureWatcher<Selection>::finished, this, &SmartSelectTool::applySelection);
}

QPainterPath SmartSelectTool::outline() const {
  QPainterPath path;
  path.addRect(box());
  return path;
}

void SmartSelectTool::finish(const ToolEvent& release) {
  if (!document()) return;
  if (document()->photo().isNull()) {
    Q_EMIT message(tr("Smart select works on a photo: open one first (File ▸ Open Photo)."));
    return;
  }
  const bool click = QLineF(start(), end()).length() * release.zoom < kClickDistance;
  const int request = ++latest_request_;
  target_ = Target{document(), document()->revision(), options().layer(), paintValue()};
  // Copies (QImage shares its pixels, read-only here): the document may change while this runs.
  const QImage photo = document()->photo();
  const QSize canvas_size = document()->size();
  const QPoint point = pixelAt(end());
  const QRect rect = box().toAlignedRect();
  watcher_.setFuture(QtConcurrent::run([=] {
    return Selection{request, click ? selectObjectAt(photo, canvas_size, point) : selectObjectInRect(photo, canvas_size, rect)};
  }));
  setBusy(true);
  Q_EMIT message(tr("Smart select: finding the object…"));
}

void SmartSelectTool::applySelection() {
  if (!watcher_.isFinished()) return;  // the finished signal of a future replaced since
  const Selection selection = watcher_.result();
  if (selection.request != latest_request_) return;  // a newer request is on its way
  setBusy(false);
  if (!target_.document || target_.document != document() || target_.document->revision() != target_.revision) {
    Q_EMIT message(tr("The map changed while smart select was working: its selection was dropped."));
    return;
  }
  const int value = target_.value;
  editLayer(target_.layer, [&](QImage& layer) { return fillSelection(layer, selection.pixels, value); }, tr("Smart select"));
  Q_EMIT message(QString());
}

void SmartSelectTool::setBusy(bool busy) {
  busy_ = busy;
  Q_EMIT cursorChanged();
}

}  // namespace sdm::ui
