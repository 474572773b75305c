// The canvas driven like a user: mouse drags and clicks on the real widget.

#include "tests/ui/ui_tests.h"

#include "ui/canvas_view.h"
#include "ui/label_document.h"
#include "ui/tools/brush_tool.h"
#include "ui/tools/ellipse_tool.h"
#include "ui/tools/eraser_tool.h"
#include "ui/tools/eyedropper_tool.h"
#include "ui/tools/fill_tool.h"
#include "ui/tools/rectangle_tool.h"
#include "ui/tools/smart_select_tool.h"
#include "ui/tools/tool_manager.h"

#include <QPainter>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTimer>
#include <QUndoStack>

#include <cmath>

namespace sdm::ui {
namespace {

using testing::classSetFile;

// Pixels that differ between two Grayscale8 images.
QList<QPoint> changedPixels(const QImage& a, const QImage& b) {
  QList<QPoint> changed;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x)
      if (a.constScanLine(y)[x] != b.constScanLine(y)[x]) changed.append(QPoint(x, y));
  return changed;
}

bool sameBytes(const QImage& a, const QImage& b) { return changedPixels(a, b).isEmpty() && a.size() == b.size(); }

// A red disc (centre 420, 380, radius 150) on a noisy green field, 800×800.
QImage discPhoto() {
  QImage photo(800, 800, QImage::Format_RGB888);
  QRandomGenerator random(7);
  for (int y = 0; y < 800; ++y)
    for (int x = 0; x < 800; ++x) {
      const bool disc = std::hypot(x - 420.0, y - 380.0) < 150.0;
      const int n = int(random.bounded(30));
      photo.setPixelColor(x, y, disc ? QColor(200 + n / 2, 40 + n, 30 + n) : QColor(40 + n, 140 + n, 50 + n));
    }
  return photo;
}

class CanvasTest : public QObject {
  Q_OBJECT

  std::unique_ptr<LabelDocument> document_;
  std::unique_ptr<ToolManager> tools_;
  std::unique_ptr<CanvasView> canvas_;

  template <typename T>
  T* use() {
    T* tool = tools_->tool<T>();
    tools_->setCurrentTool(tool);
    return tool;
  }
  PaintOptions& options() { return *tools_->options(); }

  void drag(QPointF from, QPointF to, int moves = 8) {
    QTest::mousePress(canvas_.get(), Qt::LeftButton, {}, from.toPoint());
    for (int i = 1; i <= moves; ++i) QTest::mouseMove(canvas_.get(), (from + (to - from) * i / moves).toPoint());
    QTest::mouseRelease(canvas_.get(), Qt::LeftButton, {}, to.toPoint());
  }
  int label(int x, int y) const { return document_->labels().constScanLine(y)[x]; }

private Q_SLOTS:
  void init() {
    document_ = std::make_unique<LabelDocument>(ClassSet::load(classSetFile("ade20k-landscape").toStdString()), QSize(64, 64));
    tools_ = std::make_unique<ToolManager>();
    canvas_ = std::make_unique<CanvasView>();
    canvas_->setToolManager(tools_.get());
    canvas_->resize(700, 600);
    canvas_->setDocument(document_.get());
    canvas_->show();
    QVERIFY(QTest::qWaitForWindowExposed(canvas_.get()));
    canvas_->setZoom(1.0, QPointF(0, 0));
  }

  void mapIsAWholeMultipleOfTheModel() {
    QCOMPARE(document_->size(), QSize(512, 512));
    QCOMPARE(document_->modelLabels().size(), QSize(64, 64));
  }

  void brushDragChangesExactlyTheCapsule() {
    const int tree = 5, background = label(0, 0);  // the map starts as sky (3)
    use<BrushTool>();
    options().setCurrentClass(tree);
    options().setBrushRadius(5.0);
    const QImage before = document_->labels().copy();
    // A horizontal drag; widget points are whole pixels, so the image points are exact.
    const QPoint from_widget = canvas_->imageToWidget(QPointF(100, 120)).toPoint();
    const QPoint to_widget = from_widget + QPoint(60, 0);
    drag(from_widget, to_widget);
    const QPointF a = canvas_->widgetToImage(from_widget), b = canvas_->widgetToImage(to_widget);
    // Expected: pixel centres within 5 of the segment a–b (horizontal: |dy| in its span, else the nearer end).
    int expected = 0;
    for (int y = 0; y < 512; ++y)
      for (int x = 0; x < 512; ++x) {
        const double cx = x + 0.5, cy = y + 0.5;
        const double dx = cx < a.x() ? a.x() - cx : cx > b.x() ? cx - b.x() : 0.0;
        const bool inside = std::hypot(dx, cy - a.y()) <= 5.0;
        expected += inside;
        QCOMPARE(label(x, y), inside ? tree : background);
      }
    QCOMPARE(changedPixels(before, document_->labels()).size(), expected);
    QCOMPARE(document_->undoStack()->count(), 1);  // one stroke, one undo step
  }

  void fillFillsTheRegionOnly() {
    QImage labels = document_->labels().copy();
    QPainter painter(&labels);
    painter.fillRect(QRect(50, 60, 100, 80), QColor(10, 10, 10));  // grass
    painter.end();
    document_->reset(labels, {}, {});
    use<FillTool>();
    options().setCurrentClass(17);
    QTest::mouseClick(canvas_.get(), Qt::LeftButton, {}, canvas_->imageToWidget(QPointF(100.5, 100.5)).toPoint());
    const auto changed = changedPixels(labels, document_->labels());
    QCOMPARE(changed.size(), 100 * 80);
    for (const auto& p : changed) QVERIFY(QRect(50, 60, 100, 80).contains(p));
    QCOMPARE(label(100, 100), 17);
  }

  void undoRedoRestoreByteForByte() {
    const QImage original = document_->labels().copy();
    use<BrushTool>();
    options().setCurrentClass(5);
    drag(canvas_->imageToWidget(QPointF(30, 30)), canvas_->imageToWidget(QPointF(200, 180)));
    const QImage after_stroke = document_->labels().copy();
    use<EllipseTool>();
    options().setCurrentClass(22);
    drag(canvas_->imageToWidget(QPointF(150, 150)), canvas_->imageToWidget(QPointF(400, 300)));
    const QImage after_ellipse = document_->labels().copy();
    QVERIFY(!sameBytes(original, after_stroke));
    QVERIFY(!sameBytes(after_stroke, after_ellipse));
    QCOMPARE(document_->undoStack()->count(), 2);
    document_->undoStack()->undo();
    QVERIFY(sameBytes(document_->labels(), after_stroke));
    document_->undoStack()->undo();
    QVERIFY(sameBytes(document_->labels(), original));
    document_->undoStack()->redo();
    document_->undoStack()->redo();
    QVERIFY(sameBytes(document_->labels(), after_ellipse));
  }

  void rectangleFillsPixelCentresInside() {
    use<RectangleTool>();
    options().setCurrentClass(27);
    const QPoint from = canvas_->imageToWidget(QPointF(20, 40)).toPoint(), to = canvas_->imageToWidget(QPointF(60, 70)).toPoint();
    drag(from, to);
    const QRectF box = QRectF(canvas_->widgetToImage(from), canvas_->widgetToImage(to)).normalized();
    for (int y = 0; y < 100; ++y)
      for (int x = 0; x < 100; ++x) QCOMPARE(label(x, y) == 27, box.contains(QPointF(x + 0.5, y + 0.5)));
  }

  void eyedropperPicksTheClass() {
    QImage labels = document_->labels().copy();
    QPainter(&labels).fillRect(QRect(298, 308, 5, 5), QColor(61, 61, 61));  // river
    document_->reset(labels, {}, {});
    use<EyedropperTool>();
    int picked = -1;
    connect(tools_->tool<EyedropperTool>(), &EyedropperTool::classPicked, this, [&](int id) { picked = id; });
    QTest::mouseClick(canvas_.get(), Qt::LeftButton, {}, canvas_->imageToWidget(QPointF(300.5, 310.5)).toPoint());
    QCOMPARE(picked, 61);
  }

  void maskModePaintsTheMaskOnly() {
    const QImage labels = document_->labels().copy();
    options().setMaskMode(true);
    use<BrushTool>();
    drag(canvas_->imageToWidget(QPointF(100, 100)), canvas_->imageToWidget(QPointF(140, 100)));
    QVERIFY(sameBytes(labels, document_->labels()));
    QVERIFY(document_->hasMask());
    QCOMPARE(int(document_->mask().constScanLine(100)[120]), 255);
    use<EraserTool>();
    drag(canvas_->imageToWidget(QPointF(90, 100)), canvas_->imageToWidget(QPointF(150, 100)));
    QVERIFY(!document_->hasMask());
  }

  // A red disc on a noisy green field: smart select must label the disc, and little else.
  void smartSelectLabelsTheObject_data() {
    QTest::addColumn<bool>("click");
    QTest::newRow("drag a box around it") << false;
    QTest::newRow("click on it") << true;
  }
  void smartSelectLabelsTheObject() {
    QFETCH(bool, click);
    document_->setPhoto(discPhoto());
    auto* smart_select = use<SmartSelectTool>();
    options().setCurrentClass(35);
    QSignalSpy applied(tools_.get(), &ToolManager::editFinished);
    const double s = 512.0 / 800.0;  // photo → canvas
    if (click) QTest::mouseClick(canvas_.get(), Qt::LeftButton, {}, canvas_->imageToWidget(QPointF(420 * s, 380 * s)).toPoint());
    else drag(canvas_->imageToWidget(QPointF(240 * s, 200 * s)), canvas_->imageToWidget(QPointF(600 * s, 560 * s)), 2);
    QVERIFY(applied.wait(30000));  // GrabCut runs off the GUI thread
    QVERIFY(!smart_select->isBusy());
    int both = 0, either = 0;
    for (int y = 0; y < 512; ++y)
      for (int x = 0; x < 512; ++x) {
        const bool disc = std::hypot((x + 0.5) / s - 420.0, (y + 0.5) / s - 380.0) < 150.0;
        const bool labelled = label(x, y) == 35;
        both += disc && labelled;
        either += disc || labelled;
      }
    const double iou = double(both) / either;
    QVERIFY2(iou > 0.9, qPrintable(QString("IoU %1").arg(iou)));
    QCOMPARE(document_->undoStack()->count(), 1);
  }

  // GrabCut runs on the thread pool: the click returns at once, the event loop keeps turning (a
  // 5 ms timer fires while it works) with a busy cursor, and the selection lands as one undo step.
  void smartSelectKeepsTheUiResponsive() {
    document_->setPhoto(discPhoto());
    auto* smart_select = use<SmartSelectTool>();
    options().setCurrentClass(35);
    int ticks_while_selecting = 0;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this, [&] {
      if (smart_select->isBusy()) ++ticks_while_selecting;
    });
    QSignalSpy applied(tools_.get(), &ToolManager::editFinished);
    ticker.start();
    QTest::mouseClick(canvas_.get(), Qt::LeftButton, {}, canvas_->imageToWidget(QPointF(270, 245)).toPoint());
    QVERIFY(smart_select->isBusy());  // the click returned before GrabCut did
    QCOMPARE(canvas_->cursor().shape(), Qt::BusyCursor);
    QCOMPARE(document_->undoStack()->count(), 0);
    QVERIFY(applied.wait(30000));
    ticker.stop();
    QVERIFY(ticks_while_selecting > 0);
    QCOMPARE(document_->undoStack()->count(), 1);
    QCOMPARE(canvas_->cursor().shape(), Qt::CrossCursor);
  }

  // The map changes while GrabCut runs: its selection, made for the old map, is dropped.
  void smartSelectDropsAStaleSelection() {
    document_->setPhoto(discPhoto());
    auto* smart_select = use<SmartSelectTool>();
    QString message;
    connect(tools_.get(), &ToolManager::message, this, [&](const QString& text) { message = text; });
    QTest::mouseClick(canvas_.get(), Qt::LeftButton, {}, canvas_->imageToWidget(QPointF(270, 245)).toPoint());
    QVERIFY(smart_select->isBusy());
    QImage labels = document_->labels().copy();
    QPainter(&labels).fillRect(QRect(0, 0, 40, 40), QColor(5, 5, 5));
    document_->replaceLayer(LabelDocument::Layer::Labels, labels, "paint meanwhile");
    QTRY_VERIFY_WITH_TIMEOUT(!smart_select->isBusy(), 30000);
    QVERIFY(message.contains("dropped"));
    QCOMPARE(document_->undoStack()->count(), 1);  // the paint only
    QVERIFY(sameBytes(document_->labels(), labels));
  }

  void smartSelectWithoutAPhotoSaysSo() {
    use<SmartSelectTool>();
    QString message;
    connect(tools_.get(), &ToolManager::message, this, [&](const QString& text) { message = text; });
    QTest::mouseClick(canvas_.get(), Qt::LeftButton, {}, canvas_->imageToWidget(QPointF(100, 100)).toPoint());
    QVERIFY(message.contains("photo"));
    QCOMPARE(document_->undoStack()->count(), 0);
  }

  void wheelZoomKeepsThePointUnderTheCursor() {
    const QPointF anchor(250, 200);
    const QPointF image_point = canvas_->widgetToImage(anchor);
    QWheelEvent wheel(anchor, canvas_->mapToGlobal(anchor), {}, QPoint(0, 240), Qt::NoButton, {}, Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas_.get(), &wheel);
    QVERIFY(std::abs(canvas_->zoom() - 1.5625) < 1e-9);
    const QPointF after = canvas_->imageToWidget(image_point);
    QVERIFY(std::abs(after.x() - anchor.x()) < 1e-6 && std::abs(after.y() - anchor.y()) < 1e-6);
  }
};

const testing::Registration<CanvasTest> registration("canvas");

}  // namespace
}  // namespace sdm::ui

#include "canvas_test.moc"
