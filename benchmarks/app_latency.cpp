// sdm-paint-latency: how quickly the app answers with the shipped cascade, measured as a user
// meets it (offscreen, real widgets): time to the first preview, to the 256² result for one and
// for four variations, to four 64² variations ("Variations at 64²") and one Upscale, Cancel →
// idle, and — while the upscaler runs — the event loop's longest gap and the time a brush stroke
// takes to paint. Prints one line per figure, or JSON with --json. Timings are printed, never
// asserted.
//
//   sdm-paint-latency [--labels PNG] [--steps SPEC] [--json]    (--steps: the base model's; default its own)
//
// SDM_GAP_TRACE=1 prints each new longest gap and each progress report to stderr, to see where
// the event loop stalled.

#include "ui/canvas_view.h"
#include "ui/generation_controller.h"
#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/main_window.h"
#include "ui/result_gallery.h"
#include "ui/tools/brush_tool.h"
#include "ui/tools/tool_manager.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdio>

namespace {

using namespace sdm::ui;

// The event loop's longest silence while it runs: a 5 ms timer that should keep firing.
class GapMeter {
public:
  GapMeter() {
    timer_.setInterval(5);
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      const qint64 now = clock_.elapsed();
      if (measuring_ && now - last_ > longest_) {
        longest_ = now - last_;
        if (getenv("SDM_GAP_TRACE")) std::fprintf(stderr, "gap %lld ms at %lld ms\n", longest_, now);
      }
      last_ = now;
    });
    clock_.start();
    timer_.start();
  }
  void start() {
    measuring_ = true;
    last_ = clock_.elapsed();
    longest_ = 0;
  }
  qint64 stop() {
    measuring_ = false;
    return longest_;
  }

private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0, longest_ = 0;
  bool measuring_ = false;
};

struct Run {
  double first_preview_s = -1, detail_start_s = -1, done_s = -1;
  qint64 longest_gap_in_detail_ms = -1;
  double stroke_ms = -1;
};

// One job from `start` to its end, timing its stages; `stroke` paints a brush stroke once the
// detail stage has run a step.
Run measure(MainWindow& window, const std::function<void()>& start, bool stroke = false) {
  Run run;
  GapMeter gaps;
  QElapsedTimer clock;
  bool stroked = false;
  auto connection = QObject::connect(window.generation(), &GenerationController::progressShown, [&](const ChainProgress& p) {
    const double now = clock.elapsed() / 1000.0;
    if (getenv("SDM_GAP_TRACE")) std::fprintf(stderr, "progress stage %d detail %d/%d first %d\n", p.stage, p.detail_step, p.detail_total, p.first);
    if (run.first_preview_s < 0) run.first_preview_s = now;
    if (p.stage == 1 && run.detail_start_s < 0) {
      run.detail_start_s = now;
      gaps.start();
    }
    if (stroke && p.stage == 1 && p.detail_step >= 2 && !stroked) {
      stroked = true;
      auto* canvas = window.canvas();
      window.tools()->setCurrentTool(window.tools()->tool<BrushTool>());
      QElapsedTimer stroke_clock;
      stroke_clock.start();
      QTest::mousePress(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(40, 40)).toPoint());
      for (int i = 1; i <= 20; ++i) QTest::mouseMove(canvas, canvas->imageToWidget(QPointF(40 + 10 * i, 40 + 3 * i)).toPoint());
      QTest::mouseRelease(canvas, Qt::LeftButton, {}, canvas->imageToWidget(QPointF(240, 100)).toPoint());
      run.stroke_ms = stroke_clock.nsecsElapsed() / 1e6;
      window.document()->undoStack()->undo();  // the map the job started from, for the next run
    }
  });
  QSignalSpy finished(&window, &MainWindow::generationFinished);
  QSignalSpy stopped(&window, &MainWindow::generationStopped);
  clock.start();
  start();
  while (finished.isEmpty() && stopped.isEmpty()) QTest::qWait(1);
  run.done_s = clock.elapsed() / 1000.0;
  if (run.detail_start_s >= 0) run.longest_gap_in_detail_ms = gaps.stop();
  QObject::disconnect(connection);
  return run;
}

QString option(const QStringList& args, const QString& name) {
  const int at = int(args.indexOf(name));
  return at > 0 && at + 1 < args.size() ? args[at + 1] : QString();
}

void setSettings(MainWindow& window, int variations, bool layout_only, const QString& steps) {
  GenerationSettings settings = window.generationPanel()->settings();
  if (!steps.isEmpty() && !settings.setStepSpec(steps)) std::fprintf(stderr, "sdm-paint-latency: --steps %s: not a step spec\n", qPrintable(steps));
  settings.variations = variations;
  settings.layout_only = layout_only;
  settings.seed = 1;
  settings.seed_locked = true;
  settings.live = false;
  window.generationPanel()->setSettings(settings);
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("sdm-paint-latency");
  QApplication::setApplicationName("sdm-paint-latency");
  QStandardPaths::setTestModeEnabled(true);
  QSettings().clear();
  const QStringList args = app.arguments();
  const bool json = args.contains("--json");
  const QString labels =
      option(args, "--labels").isEmpty() ? QString(SDM_SOURCE_DIR) + "/resources/examples/landscape-labels.png" : option(args, "--labels");
  const QString base_steps = option(args, "--steps");

  QTemporaryDir dir;
  MainWindow window(MainWindowOptions{dir.filePath("autosave.sdmp"), 3'600'000});
  window.resize(1400, 860);
  window.show();
  QSignalSpy ready(&window, &MainWindow::modelReady);
  QElapsedTimer load_clock;
  load_clock.start();
  window.loadModel({});
  if (!ready.wait(120000) || !window.generation()->model() || !window.generation()->model()->upscaler) {
    std::fprintf(stderr, "sdm-paint-latency: the shipped model and its upscaler did not load: %s\n", qPrintable(window.lastError()));
    return 1;
  }
  const double load_s = load_clock.elapsed() / 1000.0;
  if (!window.openLabelMap(labels)) {
    std::fprintf(stderr, "sdm-paint-latency: %s\n", qPrintable(window.lastError()));
    return 1;
  }
  const auto& model = *window.generation()->model();
  setSettings(window, 1, false, base_steps);
  measure(window, [&] { window.generate(); });  // warm-up: first-touch allocations, caches
  const Run one = measure(window, [&] { window.generate(); }, true);
  setSettings(window, 4, false, base_steps);
  const Run four = measure(window, [&] { window.generate(); });
  setSettings(window, 4, true, base_steps);
  const Run explore = measure(window, [&] { window.generate(); });
  const int last = window.gallery()->selectedIndex();
  const Run upscale = measure(window, [&] { window.upscale({last}); });
  // Cancel in the detail stage of four variations: how long until the app is idle.
  setSettings(window, 4, false, base_steps);
  double cancel_ms = -1;
  QElapsedTimer cancel_clock;
  auto connection = QObject::connect(window.generation(), &GenerationController::progressShown, [&](const ChainProgress& p) {
    if (p.stage == 1 && p.detail_step >= 2 && cancel_ms < 0 && !cancel_clock.isValid()) {
      cancel_clock.start();
      window.cancelGeneration();
    }
  });
  QSignalSpy stopped(&window, &MainWindow::generationStopped);
  window.generate();
  if (stopped.wait(600000)) cancel_ms = cancel_clock.nsecsElapsed() / 1e6;
  QObject::disconnect(connection);

  const QString steps = window.generationPanel()->settings().stepSpec();
  const QJsonObject figures{
      {"model", model.path},
      {"upscaler", model.upscaler->path},
      {"steps", steps},
      {"detail_steps", model.upscaler->default_steps},
      {"load_s", load_s},
      {"first_preview_s", one.first_preview_s},
      {"one_layout_s", one.detail_start_s},
      {"one_result_s", one.done_s},
      {"four_result_s", four.done_s},
      {"four_layouts_only_s", explore.done_s},
      {"upscale_one_s", upscale.done_s},
      {"cancel_to_idle_ms", cancel_ms},
      {"longest_gap_in_detail_ms", double(one.longest_gap_in_detail_ms)},
      {"longest_gap_in_detail_4_ms", double(four.longest_gap_in_detail_ms)},
      {"stroke_during_detail_ms", one.stroke_ms},
  };
  if (json) {
    std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
  } else {
    for (auto it = figures.begin(); it != figures.end(); ++it)
      std::printf("%-28s %s\n", qPrintable(it.key()),
                  it.value().isString() ? qPrintable(it.value().toString()) : qPrintable(QString::number(it.value().toDouble(), 'f', 3)));
  }
  return 0;
}
