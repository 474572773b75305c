#include "tests/ui/ui_tests.h"

#include "ui/label_document.h"
#include "ui/main_window.h"

#include <QPainter>
#include <QSignalSpy>

#include <cstring>

namespace sdm::ui::testing {

std::map<QString, Factory>& registry() {
  static std::map<QString, Factory> tests;
  return tests;
}

QString dataFile(const QString& name) { return QString(SDM_TEST_DATA) + "/" + name; }
QString classSetFile(const QString& name) { return QString(SDM_SOURCE_DIR) + "/resources/classes/" + name + ".json"; }

bool sameBytes(const QImage& a, const QImage& b) {
  if (a.size() != b.size() || a.format() != b.format()) return false;
  for (int y = 0; y < a.height(); ++y)
    if (std::memcmp(a.constScanLine(y), b.constScanLine(y), size_t(a.bytesPerLine())) != 0) return false;
  return true;
}

GenerationSettings lockedSettings(int steps, int variations, qint64 seed) {
  GenerationSettings settings;
  settings.sampler = Solver::Ddim;
  settings.steps = steps;
  settings.variations = variations;
  settings.seed = seed;
  settings.seed_locked = true;
  return settings;
}

void paintHalves(MainWindow& window) {
  QImage labels = window.document()->labels().copy();
  QPainter painter(&labels);
  painter.fillRect(QRect(QPoint(0, 0), QSize(labels.width() / 2, labels.height())), QColor(3, 3, 3));
  painter.end();
  window.document()->reset(labels, {}, {});
}

bool waitFinished(MainWindow& window, int timeout_ms) {
  QSignalSpy done(&window, &MainWindow::generationFinished);
  return done.wait(timeout_ms);
}

}  // namespace sdm::ui::testing
