#pragma once

#include <QObject>
#include <QString>
#include <QTest>

#include <functional>
#include <map>
#include <memory>

namespace sdm::ui::testing {

// The test classes, by name, so CTest can run each as its own test.
using Factory = std::function<std::unique_ptr<QObject>()>;
std::map<QString, Factory>& registry();

template <typename Test>
struct Registration {
  explicit Registration(const QString& name) {
    registry()[name] = [] { return std::unique_ptr<QObject>(new Test); };
  }
};

// tests/data/<name>
QString dataFile(const QString& name);
// resources/classes/<name>.json
QString classSetFile(const QString& name);

}  // namespace sdm::ui::testing
