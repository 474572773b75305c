// Runs the UI test classes named on the command line (all when none), offscreen, with settings,
// autosaves and recent files kept away from the user's own; other arguments (test functions,
// QTest's options) go to each class's run.

#include "tests/ui/ui_tests.h"

#include <QApplication>
#include <QStandardPaths>

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName("sdm-paint-tests");
  QApplication::setApplicationName("sdm-paint-tests");
  QStandardPaths::setTestModeEnabled(true);
  QStringList names, passed{app.arguments().front()};
  for (const auto& argument : app.arguments().mid(1))
    (sdm::ui::testing::registry().count(argument) ? names : passed).append(argument);
  int failures = 0;
  for (const auto& [name, make] : sdm::ui::testing::registry()) {
    if (!names.isEmpty() && !names.contains(name)) continue;
    auto test = make();
    failures += QTest::qExec(test.get(), passed);
  }
  return failures == 0 ? 0 : 1;
}
