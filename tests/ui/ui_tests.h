#pragma once

#include <QImage>
#include <QObject>
#include <QString>
#include <QTest>

#include <functional>
#include <map>
#include <memory>

namespace sdm::ui {
class MainWindow;
struct GenerationSettings;
}  // namespace sdm::ui

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

// Same size, format and bytes.
bool sameBytes(const QImage& a, const QImage& b);
// DDIM with `steps`, `variations` from `seed`, the seed locked: what the window tests generate with.
GenerationSettings lockedSettings(int steps, int variations, qint64 seed);
// Two classes side by side on the window's map, so a generation has something to follow.
void paintHalves(MainWindow& window);
// Waits for the window's next generationFinished.
bool waitFinished(MainWindow& window, int timeout_ms = 60000);

}  // namespace sdm::ui::testing
