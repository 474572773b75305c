// Runs the UI test classes named on the command line (all when none), offscreen, with settings,
// autosaves and recent files kept away from the user's own.

#include "tests/ui/ui_tests.h"

#include <QApplication>
#include <QStandardPaths>

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("sdm-paint-tests");
  QApplication::setApplicationName("sdm-paint-tests");
  QStandardPaths::setTestModeEnabled(true);
  const QStringList names = app.arguments().mid(1);
  int failures = 0;
  for (const auto& [name, make] : sdm::ui::testing::registry()) {
    if (!names.isEmpty() && !names.contains(name)) continue;
    auto test = make();
    failures += QTest::qExec(test.get(), QStringList{app.arguments().front()});
  }
  return failures == 0 ? 0 : 1;
}
