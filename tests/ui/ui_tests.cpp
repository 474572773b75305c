#include "tests/ui/ui_tests.h"

namespace sdm::ui::testing {

std::map<QString, Factory>& registry() {
  static std::map<QString, Factory> tests;
  return tests;
}

QString dataFile(const QString& name) { return QString(SDM_TEST_DATA) + "/" + name; }
QString classSetFile(const QString& name) { return QString(SDM_SOURCE_DIR) + "/resources/classes/" + name + ".json"; }

}  // namespace sdm::ui::testing
