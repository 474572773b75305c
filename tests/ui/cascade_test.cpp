// The app with a two-stage model, as a user runs it: the tiny model (32²) chained with a tiny
// upscaler (→ 64²). Generating through both stages with the progress in order, exploring at the
// base size and upscaling the pictures kept, Cancel in the detail stage, newest-only previews,
// photo edits through both stages and in a region of a larger photo, and projects with results.

#include "tests/ui/tiny_upscaler.h"
#include "tests/ui/ui_tests.h"

#include "ui/canvas_view.h"
#include "ui/generation_controller.h"
#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/main_window.h"
#include "ui/result_gallery.h"
#include "ui/tools/brush_tool.h"
#include "ui/tools/edit_region_tool.h"
#include "ui/tools/tool_manager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

namespace sdm::ui {
namespace {

using testing::dataFile;
using testing::sameBytes;

// A photo with structure everywhere, so a changed pixel shows.
QImage gradientPhoto(int side) {
  QImage photo(side, side, QImage::Format_RGB888);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) photo.setPixelColor(x, y, QColor((x * 255) / side, (y * 255) / side, (x + y) % 256));
  return photo;
}

class CascadeTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString upscaler_;
  std::unique_ptr<MainWindow> window_;

  void setSettings(int steps, int detail_steps, int variations, qint64 seed, bool layout_only = false) {
    GenerationSettings settings = testing::lockedSettings(steps, variations, seed);
    settings.detail_steps = detail_steps;
    settings.layout_only = layout_only;
    window_->generationPanel()->setSettings(settings);
  }
  bool waitFinished(int timeout_ms = 60000) { return testing::waitFinished(*window_, timeout_ms); }
  QImage runAndTakeLast() {
    if (!waitFinished()) return {};
    return window_->gallery()->results().last().image;
  }

private Q_SLOTS:
  void initTestCase() { upscaler_ = testing::writeTinyUpscaler(dir_.path()); }

  void init() {
    QSettings().clear();
    window_ = std::make_unique<MainWindow>(MainWindowOptions{dir_.filePath("autosave.sdmp")});
    window_->resize(1200, 800);
    window_->show();
    QSignalSpy ready(window_.get(), &MainWindow::modelReady);
    window_->loadModel(dataFile("tiny.pt"));
    QVERIFY(ready.wait(30000));
    window_->generation()->setUpscaler({UpscalerChoice::Kind::File, upscaler_.toStdString()});
    QVERIFY(ready.wait(30000));
    const auto& model = window_->generation()->model();
    QVERIFY(model && model->upscaler);
    QCOMPARE(model->size, QSize(32, 32));
    QCOMPARE(model->outputSize(), QSize(64, 64));
    testing::paintHalves(*window_);
  }
  void cleanup() {
    window_.reset();
    QSettings().clear();
  }

  void thePanelSaysTheDtypeAndTheTimePerPictureBeforeAnyGeneration() {
    const auto* base = window_->generationPanel()->findChild<QLabel*>("modelLabel");
    // A small model stays in fp32 even on a CPU with bf16 arithmetic.
    QCOMPARE(window_->generation()->model()->dtype, QString("fp32"));
    QVERIFY(base->text().contains("· fp32"));
    QTRY_VERIFY_WITH_TIMEOUT(window_->generation()->model()->picture_seconds > 0, 30000);
    QVERIFY(base->text().contains("s per picture"));
    QVERIFY(window_->gallery()->results().isEmpty());
    // Forcing fp32 is kept in the settings and loads the model again, the speed measured again.
    auto* force = window_->generationPanel()->findChild<QCheckBox*>("forceFloat32");
    QVERIFY(force && !force->isChecked());
    QSignalSpy ready(window_.get(), &MainWindow::modelReady);
    force->click();
    QVERIFY(ready.wait(30000));
    QVERIFY(QSettings().value("forceFloat32").toBool());
    QTRY_VERIFY_WITH_TIMEOUT(window_->generation()->model()->picture_seconds > 0, 30000);
    QVERIFY(window_->generation()->model()->upscaler);
  }

  void theModelPanelShowsBothStages() {
    const auto* base = window_->generationPanel()->findChild<QLabel*>("modelLabel");
    const auto* upscaler = window_->generationPanel()->findChild<QLabel*>("upscalerLabel");
    QVERIFY(base->text().contains("tiny.pt"));
    QVERIFY(base->text().contains("32×32"));
    QVERIFY(upscaler->text().contains("tiny-upscaler.pt"));
    QVERIFY(upscaler->text().contains("32×32 → 64×64"));
    // None: the base model alone, at its size; the map painted stays.
    const QImage labels = window_->document()->labels().copy();
    QSignalSpy ready(window_.get(), &MainWindow::modelReady);
    window_->generation()->setUpscaler({UpscalerChoice::Kind::None, {}});
    QVERIFY(ready.wait(30000));
    QVERIFY(!window_->generation()->model()->upscaler);
    QVERIFY(upscaler->text().contains("None"));
    QVERIFY(sameBytes(window_->document()->labels(), labels));
    // A checkpoint that is no upscaler is refused in one line, and the choice before it stays.
    QSignalSpy errors(window_.get(), &MainWindow::errorShown);
    window_->generation()->setUpscaler({UpscalerChoice::Kind::File, dataFile("tiny.pt").toStdString()});
    QVERIFY(errors.wait(30000));
    QVERIFY(window_->lastError().contains("not a super-resolution stage"));
    QCOMPARE(window_->generation()->upscalerChoice().kind, UpscalerChoice::Kind::None);
    QVERIFY(ready.wait(30000));  // loaded again with it
    QVERIFY(window_->generation()->model() && !window_->generation()->model()->upscaler);
  }

  void generateStreamsBothStagesInOrder() {
    setSettings(12, 5, 2, 21);
    QList<ChainProgress> seen;
    QStringList texts;
    auto* bar = window_->generationPanel()->findChild<QProgressBar*>("progress");
    connect(window_->generation(), &GenerationController::progressShown, this, [&](const ChainProgress& p) {
      seen.append(p);
      texts.append(bar->text());
    });
    window_->generate();
    QVERIFY(waitFinished());
    QVERIFY(!seen.isEmpty());
    // All base steps (2 pictures × 12), then all detail steps (2 pictures × 5), each stage's count rising.
    int stage = 0, layout = 0, detail = 0;
    for (const auto& p : seen) {
      QVERIFY(p.stage >= stage);
      stage = p.stage;
      QCOMPARE(p.layout_total, 24);
      QCOMPARE(p.detail_total, 10);
      if (p.stage == 0) {
        QVERIFY(p.layout_step > layout);
        QCOMPARE(p.detail_step, 0);
        QCOMPARE(p.previews.first().size(), QSize(32, 32));
      } else {
        QCOMPARE(p.layout_step, 24);
        QVERIFY(p.detail_step > detail);
        QCOMPARE(p.previews.first().size(), QSize(64, 64));
      }
      layout = p.layout_step;
      detail = p.detail_step;
    }
    QCOMPARE(layout, 24);
    QCOMPARE(detail, 10);
    QVERIFY(texts.last().startsWith("layout 24/24 · detail 10/10"));
    const auto results = window_->gallery()->results();
    QCOMPARE(results.size(), 2);
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(results[i].image.size(), QSize(64, 64));
      QCOMPARE(results[i].layout.size(), QSize(32, 32));
      QCOMPARE(results[i].seed, 21 + i);
      QCOMPARE(*results[i].detail_seed, 21 + i);
      QCOMPARE(results[i].steps, QString("ddim12"));
      QCOMPARE(results[i].detail_steps, QString("ddim5"));
    }
    QVERIFY(!sameBytes(results[0].image, results[1].image));
  }

  // One façade: the app's pictures are `sdm generate`'s for the same map, seed, steps and stages.
  void theAppMakesTheBytesTheCliMakes() {
    QVERIFY(window_->openLabelMap(dataFile("tiny-labels.png")));
    setSettings(4, 3, 2, 17);
    window_->generate();
    QVERIFY(waitFinished());
    const auto results = window_->gallery()->results();
    QCOMPARE(results.size(), 2);

    QProcess cli;
    cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    cli.start(SDM_CLI, {"generate", "--model", dataFile("tiny.pt"), "--upscaler", upscaler_, "--labels", dataFile("tiny-labels.png"),
                        "--steps", "ddim4", "--upscale-steps", "ddim3", "--guidance", "1.5", "--seed", "17", "--count", "2",
                        "--device", "cpu", "--out", dir_.filePath("cli")});
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitCode(), 0);
    for (int i = 0; i < 2; ++i) {
      const QImage written(dir_.filePath(QString("cli/sample-00%1.png").arg(i)));
      QVERIFY(sameBytes(written.convertToFormat(QImage::Format_RGB888), results[i].image.convertToFormat(QImage::Format_RGB888)));
    }
  }

  void upscaleRunsOnlyTheDetailStageAndReproduces() {
    // Explore at the base size: no detail stage runs.
    setSettings(8, 4, 3, 50, true);
    window_->generate();
    QVERIFY(waitFinished());
    auto results = window_->gallery()->results();
    QCOMPARE(results.size(), 3);
    for (const auto& r : results) {
      QCOMPARE(r.image.size(), QSize(32, 32));
      QVERIFY(!r.upscaled());
      QVERIFY(r.canUpscale());
    }
    // Upscale the second: the detail stage alone, on that tile.
    QList<ChainProgress> seen;
    connect(window_->generation(), &GenerationController::progressShown, this, [&](const ChainProgress& p) { seen.append(p); });
    window_->upscale({1});
    QVERIFY(waitFinished());
    QVERIFY(!seen.isEmpty());
    for (const auto& p : seen) {
      QCOMPARE(p.stage, 1);
      QCOMPARE(p.layout_total, 0);
      QCOMPARE(p.detail_total, 4);
    }
    results = window_->gallery()->results();
    QCOMPARE(results.size(), 3);
    const KeptResult upscaled = results[1];
    QVERIFY(upscaled.upscaled());
    QCOMPARE(upscaled.seed, 51);
    QCOMPARE(*upscaled.detail_seed, 51);
    QCOMPARE(upscaled.image.size(), QSize(64, 64));
    QVERIFY(!results[0].upscaled());
    QVERIFY(!results[2].upscaled());

    // The same pixels from Regenerate this (both stages again), and from the chain run directly
    // with that seed: explore-then-upscale is the chain, split.
    window_->regenerate(upscaled);
    QVERIFY(sameBytes(runAndTakeLast(), upscaled.image));
    setSettings(8, 4, 1, 51);
    window_->generate();
    QVERIFY(sameBytes(runAndTakeLast(), upscaled.image));

    // "Upscale selected" refines several at once, each with its own seed.
    auto* upscale_button = window_->gallery()->findChild<QPushButton*>("upscale");
    auto* list = window_->gallery()->findChild<QListWidget*>("thumbnails");
    list->clearSelection();
    list->item(0)->setSelected(true);
    list->item(2)->setSelected(true);
    QCOMPARE(upscale_button->text(), QString("Upscale 2 selected"));
    upscale_button->click();
    QVERIFY(waitFinished());
    results = window_->gallery()->results();
    QVERIFY(results[0].upscaled() && results[2].upscaled());
    QCOMPARE(*results[2].detail_seed, 52);
    QVERIFY(!sameBytes(results[0].image, results[2].image));
  }

  // DeepCache from the panel: the base model reuses, the upscaler not, the result keeps the
  // setting, and Regenerate makes the same picture whatever the panel says now.
  void deepFeatureReuseIsPartOfTheRecipe() {
    const auto* base = window_->generationPanel()->findChild<QLabel*>("modelLabel");
    auto* reuse = window_->generationPanel()->findChild<QComboBox*>("deepCache");
    QVERIFY(reuse);
    QCOMPARE(reuse->currentData().toInt(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(window_->generation()->model()->reused_picture_seconds > 0, 30000);
    QVERIFY(!base->text().contains("reusing"));
    setSettings(9, 4, 1, 40);
    window_->generate();
    const QImage exact = runAndTakeLast();
    reuse->setCurrentIndex(reuse->findData(3));
    QVERIFY(base->text().contains("reusing deep features"));
    window_->generate();
    QVERIFY(waitFinished());
    const KeptResult reused = window_->gallery()->results().last();
    QCOMPARE(reused.deep_cache, 3);
    QCOMPARE(reused.seed, 40);
    QVERIFY(!sameBytes(reused.image, exact));
    QCOMPARE(KeptResult::fromRecipeJson(reused.recipeJson()).recipeJson(), reused.recipeJson());
    reuse->setCurrentIndex(0);
    window_->regenerate(reused);
    QVERIFY(sameBytes(runAndTakeLast(), reused.image));
  }

  void cancelInTheDetailStageLeavesTheGalleryAsItWas() {
    setSettings(4, 3, 1, 7, true);
    window_->generate();
    QVERIFY(waitFinished());
    const auto before = window_->gallery()->results();
    QSignalSpy stopped(window_.get(), &MainWindow::generationStopped);
    const auto cancelInDetail = [&] {
      QMetaObject::Connection connection = connect(window_->generation(), &GenerationController::progressShown, this,
                                                   [&](const ChainProgress& p) {
                                                     if (p.stage == 1) window_->cancelGeneration();
                                                   });
      const bool ok = stopped.wait(60000);
      disconnect(connection);
      return ok;
    };
    const auto expectUnchanged = [&] {
      const auto after = window_->gallery()->results();
      QCOMPARE(after.size(), before.size());
      for (int i = 0; i < before.size(); ++i) {
        QVERIFY(sameBytes(after[i].image, before[i].image));
        QCOMPARE(after[i].upscaled(), before[i].upscaled());
      }
      QVERIFY(!window_->isGenerating());
    };
    // A chain: its new tiles go.
    setSettings(4, 400, 2, 9);
    window_->generate();
    QVERIFY(cancelInDetail());
    expectUnchanged();
    // An upscale: the tile gets its layout back.
    setSettings(4, 400, 1, 9);
    window_->upscale({0});
    QVERIFY(cancelInDetail());
    expectUnchanged();
    QVERIFY(window_->gallery()->result(0).canUpscale());
  }

  // A GUI that falls behind sees the newest preview, not a queue of old ones.
  void previewsShowTheNewestOnly() {
    setSettings(250, 0, 1, 3, true);
    QList<int> steps;
    connect(window_->generation(), &GenerationController::progressShown, this, [&](const ChainProgress& p) { steps.append(p.layout_step); });
    std::atomic<bool> sampled{false};
    connect(window_->generation()->worker(), &SamplerWorker::finished, window_->generation()->worker(), [&] { sampled = true; },
            Qt::DirectConnection);
    QSignalSpy done(window_.get(), &MainWindow::generationFinished);
    window_->generate();
    QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 10000);
    // The GUI busy elsewhere while the worker takes all its other steps.
    QElapsedTimer stall;
    stall.start();
    while (!sampled && stall.elapsed() < 60000) QThread::msleep(5);
    QVERIFY(sampled);
    const int before = int(steps.size());
    QCoreApplication::processEvents();  // all that the stall left waiting
    const int delivered = int(steps.size()) - before;
    QVERIFY(done.count() == 1 || done.wait(60000));
    qInfo() << "previews shown:" << steps.size() << "of 250 steps; after the stall:" << delivered << "preview, step"
            << steps.value(before) << "after" << steps[before - 1];
    // One preview for the whole stall, the newest (the last step's): not the queue of the steps taken meanwhile.
    QCOMPARE(delivered, 1);
    QCOMPARE(steps[before], 250);
    QVERIFY(steps.size() < 250);
    for (int i = 1; i < steps.size(); ++i) QVERIFY(steps[i] > steps[i - 1]);
  }

  void liveDraftsStayAtTheBaseSize() {
    GenerationSettings settings;
    settings.live = true;
    settings.seed_locked = true;
    window_->generationPanel()->setSettings(settings);
    auto* canvas = window_->canvas();
    auto* tools = window_->tools();
    tools->setCurrentTool(tools->tool<BrushTool>());
    QList<ChainProgress> seen;
    connect(window_->generation(), &GenerationController::progressShown, this, [&](const ChainProgress& p) { seen.append(p); });
    QSignalSpy done(window_.get(), &MainWindow::generationFinished);
    QTest::mousePress(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(60, 60)).toPoint());
    QTest::mouseMove(canvas, canvas->imageToWidget(QPointF(300, 90)).toPoint());
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(300, 90)).toPoint());
    QVERIFY(done.wait(30000));
    QCOMPARE(window_->gallery()->results().last().image.size(), QSize(32, 32));
    for (const auto& p : seen) QCOMPARE(p.detail_total, 0);
  }

  // The photo at the cascade's size is regenerated by both stages; outside mask + feather its
  // bytes are the photo's.
  void anEditThroughBothStagesKeepsThePhotoOutsideTheMask() {
    const QImage photo = gradientPhoto(64);
    QVERIFY(photo.save(dir_.filePath("photo.png")));
    QVERIFY(window_->openPhoto(dir_.filePath("photo.png")));
    auto* document = window_->document();
    QImage mask = document->mask().copy();
    QPainter(&mask).fillRect(QRect(128, 160, 160, 192), Qt::white);  // canvas 512²: photo 16…36 × 20…44
    document->replaceLayer(LabelDocument::Layer::Mask, mask, "mask");
    setSettings(6, 3, 1, 5);
    QList<ChainProgress> seen;
    connect(window_->generation(), &GenerationController::progressShown, this, [&](const ChainProgress& p) { seen.append(p); });
    window_->regenerateMasked();
    QVERIFY(waitFinished());
    QVERIFY(!seen.isEmpty() && seen.last().stage == 1);
    const KeptResult edit = window_->gallery()->results().last();
    QVERIFY(edit.edit && edit.upscaled() && !edit.canUpscale());
    const QImage result = edit.image.convertToFormat(QImage::Format_RGB888);
    QCOMPARE(result.size(), photo.size());
    int inside_changed = 0;
    const int feather = 4;
    for (int y = 0; y < 64; ++y)
      for (int x = 0; x < 64; ++x) {
        const bool inside = QRect(16, 20, 20, 24).contains(x, y);
        const bool near = QRect(16 - feather, 20 - feather, 20 + 2 * feather, 24 + 2 * feather).contains(x, y);
        if (!near) QCOMPARE(result.pixelColor(x, y), photo.pixelColor(x, y));
        if (inside && result.pixelColor(x, y) != photo.pixelColor(x, y)) ++inside_changed;
      }
    QVERIFY(inside_changed > 20 * 24 / 2);
    // Regenerate this: the same edit again.
    window_->regenerate(edit);
    QVERIFY(sameBytes(runAndTakeLast(), edit.image));
  }

  // A photo four times the cascade's size: the square dragged with the Edit Region tool is
  // regenerated at the model's size and pasted back; nothing outside it changes.
  void anEditRegionChangesNothingOutsideItsSquare() {
    const int side = 256;
    const QImage photo = gradientPhoto(side);
    QVERIFY(photo.save(dir_.filePath("large.png")));
    QVERIFY(window_->openPhoto(dir_.filePath("large.png")));
    auto* document = window_->document();
    QImage mask = document->mask().copy();
    QPainter(&mask).fillRect(QRect(300, 300, 40, 40), Qt::white);  // canvas 512²: photo 150…170
    document->replaceLayer(LabelDocument::Layer::Mask, mask, "mask");
    // Drag the square as a user would.
    auto* canvas = window_->canvas();
    auto* tools = window_->tools();
    tools->setCurrentTool(tools->tool<EditRegionTool>());
    QTest::mousePress(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(250, 250)).toPoint());
    QTest::mouseMove(canvas, canvas->imageToWidget(QPointF(330, 320)).toPoint());
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(390, 380)).toPoint());
    const QRect dragged = document->editRegion();
    QVERIFY(!dragged.isNull());
    QVERIFY(std::abs(dragged.width() - dragged.height()) <= 1);
    setSettings(6, 3, 1, 8);
    window_->regenerateMasked();
    QVERIFY(waitFinished());
    // The square used holds the drag and the mask, and at least the cascade's 64 photo pixels.
    const QRect square = window_->generation()->photoRegion(document->editRegion());
    qInfo() << "dragged" << dragged << "edited photo square" << square;
    QVERIFY(!square.isNull());
    QCOMPARE(square.width(), square.height());
    QVERIFY(square.width() >= 64 && square.width() < side);
    QVERIFY(square.contains(QRect(150, 150, 20, 20)));
    const QImage result = window_->gallery()->results().last().image.convertToFormat(QImage::Format_RGB888);
    QCOMPARE(result.size(), photo.size());
    int inside_changed = 0;
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        const bool changed = result.pixelColor(x, y) != photo.pixelColor(x, y);
        if (!square.contains(x, y)) QVERIFY2(!changed, qPrintable(QString("pixel %1,%2 outside the square changed").arg(x).arg(y)));
        else if (!QRect(150 - 5, 150 - 5, 30, 30).contains(x, y)) QVERIFY(!changed);  // outside mask + feather
        if (QRect(150, 150, 20, 20).contains(x, y) && changed) ++inside_changed;
      }
    QVERIFY(inside_changed > 20 * 20 / 2);
  }

  void aProjectWithUpscaledResultsRoundTrips() {
    setSettings(5, 3, 2, 60, true);
    window_->generate();
    QVERIFY(waitFinished());
    window_->upscale({0});
    QVERIFY(waitFinished());
    // The autosave after a generation is written in the background, with the upscaled picture.
    const auto autosavedUpscale = [&] {
      try {
        return loadProject(dir_.filePath("autosave.sdmp")).results.value(0).upscaled();
      } catch (const std::exception&) {
        return false;  // not written yet
      }
    };
    QTRY_VERIFY_WITH_TIMEOUT(autosavedUpscale(), 10000);
    const Project saved = window_->currentProject();
    QCOMPARE(saved.results.size(), 2);
    QVERIFY(saved.results[0].upscaled() && !saved.results[1].upscaled());
    const QString path = dir_.filePath("cascade.sdmp");
    QVERIFY(window_->saveProject(path));
    window_->gallery()->setResults({});
    QVERIFY(window_->openProject(path));
    const auto loaded = window_->gallery()->results();
    QCOMPARE(loaded.size(), 2);
    for (int i = 0; i < 2; ++i) {
      QVERIFY(sameBytes(loaded[i].image, saved.results[i].image));
      QVERIFY(sameBytes(loaded[i].layout, saved.results[i].layout));
      QCOMPARE(loaded[i].recipeJson(), saved.results[i].recipeJson());
    }
    // The loaded records reproduce their pictures, and the layout kept can still be upscaled.
    window_->regenerate(loaded[0]);
    QVERIFY(sameBytes(runAndTakeLast(), loaded[0].image));
    window_->upscale({1});
    QVERIFY(waitFinished());
    QCOMPARE(window_->gallery()->result(1).image.size(), QSize(64, 64));
  }
};

const testing::Registration<CascadeTest> registration("cascade");

}  // namespace
}  // namespace sdm::ui

#include "cascade_test.moc"
