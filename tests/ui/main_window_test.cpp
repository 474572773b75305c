// The app as a user runs it, on the tiny reference model: generating with previews streamed while
// the event loop keeps running, cancelling, seeds that reproduce, masked regeneration, projects,
// autosave recovery, and bad files that end in a dialog with nothing lost.

#include "tests/ui/ui_tests.h"

#include "ui/canvas_view.h"
#include "ui/generation_controller.h"
#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/main_window.h"
#include "ui/result_gallery.h"
#include "ui/tools/brush_tool.h"
#include "ui/tools/tool_manager.h"

#include <QElapsedTimer>
#include <QUndoStack>
#include <QFile>
#include <QPainter>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

namespace sdm::ui {
namespace {

using testing::dataFile;
using testing::sameBytes;

class MainWindowTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<MainWindow> window_;

  void setSettings(int steps, int variations, qint64 seed) {
    window_->generationPanel()->setSettings(testing::lockedSettings(steps, variations, seed));
  }
  void paintHalves() { testing::paintHalves(*window_); }
  // Paints the left half with class 3 as an undo step, as a fill would.
  void fillLeftHalf() {
    QImage labels = window_->document()->labels().copy();
    QPainter painter(&labels);
    painter.fillRect(QRect(QPoint(0, 0), QSize(labels.width() / 2, labels.height())), QColor(3, 3, 3));
    painter.end();
    window_->document()->replaceLayer(LabelDocument::Layer::Labels, labels, "Fill");
  }
  bool waitFinished(int timeout_ms = 60000) { return testing::waitFinished(*window_, timeout_ms); }

private Q_SLOTS:
  void init() {
    window_ = std::make_unique<MainWindow>(MainWindowOptions{dir_.filePath("autosave.sdmp")});
    window_->resize(1200, 800);
    window_->show();
    QSignalSpy ready(window_.get(), &MainWindow::modelReady);
    window_->loadModel(dataFile("tiny.pt"));
    QVERIFY(ready.wait(30000));
    QVERIFY(window_->document());
    QCOMPARE(window_->document()->modelSize(), QSize(32, 32));
  }
  void cleanup() { window_.reset(); }

  void generationStreamsPreviewsInOrder() {
    paintHalves();
    setSettings(20, 2, 11);
    QList<int> steps;
    connect(window_->generationPanel()->findChild<QProgressBar*>("progress"), &QProgressBar::valueChanged, this,
            [&](int value) { if (value > 0) steps.append(value); });
    QSignalSpy done(window_.get(), &MainWindow::generationFinished);
    window_->generate();
    QVERIFY(window_->isGenerating());
    QVERIFY(done.wait(60000));
    QVERIFY(!steps.isEmpty());
    QCOMPARE(steps.last(), 40);  // 20 steps of each picture
    for (int i = 1; i < steps.size(); ++i) QVERIFY(steps[i] > steps[i - 1]);
    const auto results = window_->gallery()->results();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].seed, 11);
    QCOMPARE(results[1].seed, 12);
    QCOMPARE(results[0].image.size(), QSize(32, 32));
  }

  void regeneratingOneVariationReproducesIt() {
    paintHalves();
    setSettings(10, 3, 40);
    window_->generate();
    QVERIFY(waitFinished());
    const auto batch = window_->gallery()->results();
    window_->regenerate(batch[2]);
    QVERIFY(waitFinished());
    const auto again = window_->gallery()->results();
    QCOMPARE(again.size(), 4);
    QCOMPARE(again.last().seed, 42);
    QCOMPARE(again.last().steps, QString("ddim10"));
    QVERIFY(sameBytes(again.last().image.convertToFormat(QImage::Format_RGB888), batch[2].image.convertToFormat(QImage::Format_RGB888)));
    QVERIFY(!sameBytes(batch[0].image, batch[2].image));
  }

  // After Cancel at most one more step's progress reaches the window (one the worker sent before
  // it saw Cancel), and the run stops without results.
  void cancelStopsWithinAStep() {
    setSettings(1000, 4, 1);
    QSignalSpy stopped(window_.get(), &MainWindow::generationStopped);
    QSignalSpy finished(window_.get(), &MainWindow::generationFinished);
    bool cancelled = false;
    int steps_before_cancel = 0, steps_after_cancel = 0;
    connect(window_->generationPanel()->findChild<QProgressBar*>("progress"), &QProgressBar::valueChanged, this, [&](int value) {
      if (value > 0) ++(cancelled ? steps_after_cancel : steps_before_cancel);
    });
    window_->generate();
    QTest::qWait(300);
    QTRY_VERIFY_WITH_TIMEOUT(steps_before_cancel > 0, 10000);
    QElapsedTimer clock;
    clock.start();
    window_->cancelGeneration();
    cancelled = true;
    QVERIFY(stopped.wait(10000));
    qInfo() << "stopped" << clock.elapsed() << "ms after Cancel;" << steps_before_cancel << "steps before it," << steps_after_cancel
            << "after";
    QVERIFY2(steps_after_cancel <= 1, qPrintable(QString("%1 steps arrived after Cancel").arg(steps_after_cancel)));
    QCOMPARE(finished.count(), 0);
    QVERIFY(!window_->isGenerating());
    QVERIFY(window_->gallery()->results().isEmpty());
  }

  void maskedRegenerationChangesOnlyTheMask() {
    // A photo at 4× the model, a mask over its left half's middle.
    QImage photo(128, 128, QImage::Format_RGB888);
    for (int y = 0; y < 128; ++y)
      for (int x = 0; x < 128; ++x) photo.setPixelColor(x, y, QColor(x * 2, y * 2, 100));
    const QString photo_path = dir_.filePath("photo.png");
    QVERIFY(photo.save(photo_path));
    QVERIFY(window_->openPhoto(photo_path));
    auto* document = window_->document();
    QImage mask = document->mask().copy();
    QPainter(&mask).fillRect(QRect(64, 128, 128, 256), Qt::white);  // canvas 512²: photo pixels 16…48 × 32…96
    document->replaceLayer(LabelDocument::Layer::Mask, mask, "mask");
    setSettings(10, 1, 5);
    window_->regenerateMasked();
    QVERIFY(waitFinished());
    const QImage result = window_->gallery()->results().last().image.convertToFormat(QImage::Format_RGB888);
    QCOMPARE(result.size(), photo.size());
    int inside_changed = 0;
    for (int y = 0; y < 128; ++y)
      for (int x = 0; x < 128; ++x) {
        const bool near_mask = QRect(16 - 6, 32 - 6, 32 + 12, 64 + 12).contains(x, y);  // mask + feather band
        const bool inside = QRect(16, 32, 32, 64).contains(x, y);
        if (!near_mask) QCOMPARE(result.pixelColor(x, y), photo.pixelColor(x, y));
        if (inside && result.pixelColor(x, y) != photo.pixelColor(x, y)) ++inside_changed;
      }
    QVERIFY(inside_changed > 32 * 64 / 2);
  }

  void masksOpenAtTheMapsSizeAndAreUndoable() {
    QImage mask(64, 64, QImage::Format_Grayscale8);
    mask.fill(0);
    QPainter(&mask).fillRect(QRect(8, 16, 16, 32), Qt::white);  // canvas 512²: ×8
    const QString path = dir_.filePath("mask.png");
    QVERIFY(mask.save(path));
    QVERIFY(window_->openMask(path));
    const QImage& opened = window_->document()->mask();
    for (int y = 0; y < 512; y += 7)
      for (int x = 0; x < 512; x += 7) QCOMPARE(opened.constScanLine(y)[x] != 0, QRect(64, 128, 128, 256).contains(x, y));
    window_->document()->undoStack()->undo();
    QVERIFY(!window_->document()->hasMask());
    QImage wide(100, 50, QImage::Format_Grayscale8);
    wide.fill(255);
    QVERIFY(wide.save(dir_.filePath("wide.png")));
    QVERIFY(!window_->openMask(dir_.filePath("wide.png")));
    QVERIFY(window_->lastError().contains("aspect ratio"));
    QVERIFY(!window_->document()->hasMask());
  }

  void projectSaveAndLoadRoundTrip() {
    paintHalves();
    setSettings(5, 2, 77);
    window_->generate();
    QVERIFY(waitFinished());
    auto* document = window_->document();
    QImage mask = document->mask().copy();
    QPainter(&mask).fillRect(QRect(10, 20, 30, 40), Qt::white);
    document->replaceLayer(LabelDocument::Layer::Mask, mask, "mask");
    QImage photo(64, 64, QImage::Format_RGB888);
    photo.fill(QColor(10, 200, 30));
    document->setPhoto(photo);
    const Project saved = window_->currentProject();
    const QString path = dir_.filePath("session.sdmp");
    QVERIFY(window_->saveProject(path));

    // Change everything, then load.
    setSettings(9, 1, 3);
    document->reset(QImage(document->size(), QImage::Format_Grayscale8), {}, {});
    window_->gallery()->setResults({});
    QVERIFY(window_->openProject(path));
    const Project loaded = window_->currentProject();
    QVERIFY(sameBytes(loaded.labels, saved.labels));
    QVERIFY(sameBytes(loaded.mask, saved.mask));
    QVERIFY(sameBytes(loaded.photo, saved.photo));
    QCOMPARE(loaded.settings.toJson(), saved.settings.toJson());
    QCOMPARE(loaded.results.size(), 2);
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(loaded.results[i].seed, saved.results[i].seed);
      QVERIFY(sameBytes(loaded.results[i].image.convertToFormat(QImage::Format_RGB888),
                        saved.results[i].image.convertToFormat(QImage::Format_RGB888)));
    }
  }

  void badFilesShowAnErrorAndLoseNothing() {
    paintHalves();
    const QImage labels = window_->document()->labels().copy();
    QSignalSpy errors(window_.get(), &MainWindow::errorShown);

    const QString project = dir_.filePath("corrupt.sdmp");
    QFile file(project);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": \"sdm-paint-project\", \"labels\": \"not base64 png\"");
    file.close();
    QVERIFY(!window_->openProject(project));
    QCOMPARE(errors.count(), 1);
    QVERIFY(window_->lastError().contains(project));

    window_->loadModel(dataFile("bad/image.pt"));
    QVERIFY(errors.wait(30000));
    QVERIFY(window_->lastError().contains("image.pt"));

    QVERIFY(!window_->openLabelMap(dataFile("tiny.pt")));  // not an image
    QVERIFY(window_->lastError().contains("tiny.pt"));

    // The map is untouched and the tiny model still generates.
    QVERIFY(sameBytes(window_->document()->labels(), labels));
    setSettings(3, 1, 0);
    window_->generate();
    QVERIFY(waitFinished());
  }

  void liveModeRedrawsADraftAfterEachStroke() {
    GenerationSettings settings;
    settings.live = true;
    settings.steps = 25;
    settings.seed_locked = true;
    window_->generationPanel()->setSettings(settings);
    auto* canvas = window_->canvas();
    auto* tools = window_->tools();
    tools->setCurrentTool(tools->tool<BrushTool>());
    tools->options()->setCurrentClass(3);
    const auto stroke = [&](QPointF from, QPointF to) {
      QSignalSpy done(window_.get(), &MainWindow::generationFinished);
      QTest::mousePress(canvas, Qt::LeftButton, {}, canvas->imageToWidget(from).toPoint());
      QTest::mouseMove(canvas, canvas->imageToWidget(to).toPoint());
      QTest::mouseRelease(canvas, Qt::LeftButton, {}, canvas->imageToWidget(to).toPoint());
      return done.wait(30000);
    };
    QVERIFY(stroke(QPointF(50, 50), QPointF(300, 80)));
    QCOMPARE(window_->gallery()->results().size(), 1);
    QVERIFY(stroke(QPointF(50, 300), QPointF(300, 380)));
    QCOMPARE(window_->gallery()->results().size(), 1);  // the new draft replaced the old one
    QCOMPARE(window_->document()->undoStack()->count(), 2);
  }

  // Every undo step draws a draft: undo and redo too, not only strokes.
  void liveModeRedrawsADraftAfterUndoAndRedo() {
    GenerationSettings settings = testing::lockedSettings(10, 1, 3);
    settings.live = true;
    window_->generationPanel()->setSettings(settings);
    QSignalSpy finished(window_->generation(), &GenerationController::generationFinished);
    fillLeftHalf();
    QVERIFY(finished.wait(30000));  // the fill's draft
    const QImage painted = window_->gallery()->results().last().image;
    window_->document()->undoStack()->undo();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.last().first().toBool(), true);
    const QImage undone = window_->gallery()->results().last().image;
    QVERIFY(!sameBytes(undone, painted));
    window_->document()->undoStack()->redo();
    QVERIFY(finished.wait(30000));
    QVERIFY(sameBytes(window_->gallery()->results().last().image, painted));  // the same map, seed and steps
    QCOMPARE(window_->gallery()->results().size(), 1);
  }

  // A user painting during a long Generate keeps it: the stroke's draft waits for it to finish.
  void aStrokeDuringAGenerateLeavesItRunningAndItsDraftFollows() {
    GenerationSettings settings = testing::lockedSettings(50, 2, 5);
    settings.live = true;
    window_->generationPanel()->setSettings(settings);
    QSignalSpy finished(window_->generation(), &GenerationController::generationFinished);
    QSignalSpy stopped(window_->generation(), &GenerationController::generationStopped);
    fillLeftHalf();
    QVERIFY(finished.wait(60000));  // its draft
    finished.clear();
    window_->generate();
    QVERIFY(window_->isGenerating());
    auto* canvas = window_->canvas();
    window_->tools()->setCurrentTool(window_->tools()->tool<BrushTool>());
    window_->tools()->options()->setCurrentClass(3);
    QTest::mousePress(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(40, 40)).toPoint());
    QTest::mouseMove(canvas, canvas->imageToWidget(QPointF(300, 40)).toPoint());
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(300, 40)).toPoint());
    QVERIFY(window_->isGenerating());
    QCOMPARE(window_->document()->undoStack()->count(), 2);  // the fill, the stroke
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
    QCOMPARE(stopped.count(), 0);  // nothing was cancelled
    QCOMPARE(finished.at(0).first().toBool(), false);  // the Generate, whole
    QCOMPARE(finished.at(1).first().toBool(), true);   // then the stroke's draft
    const auto results = window_->gallery()->results();
    QCOMPARE(results.size(), 3);  // the two variations kept, the draft after them
    QCOMPARE(results[0].seed, 5);
    QCOMPARE(results[1].seed, 6);
  }

  void autosaveRestoresTheSessionAfterACrash() {
    paintHalves();
    const QImage labels = window_->document()->labels().copy();
    window_->autosaveNow();
    QVERIFY(QFile::exists(dir_.filePath("autosave.sdmp")));
    // As after a crash: a new window finds the autosave.
    window_.reset();
    QVERIFY(QFile::exists(dir_.filePath("autosave.sdmp")));
    init();
    QVERIFY(!sameBytes(window_->document()->labels(), labels));
    window_->offerRecovery(false);
    QVERIFY(sameBytes(window_->document()->labels(), labels));
  }
};

const testing::Registration<MainWindowTest> registration("main_window");

}  // namespace
}  // namespace sdm::ui

#include "main_window_test.moc"
