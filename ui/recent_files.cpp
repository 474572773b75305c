#include "ui/recent_files.h"

#include <QSettings>

namespace sdm::ui {

namespace {
constexpr int kRecentFiles = 8;
}

QStringList rememberRecent(const QString& key, const QString& path) {
  QSettings settings;
  QStringList recent = settings.value(key).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kRecentFiles) recent.removeLast();
  settings.setValue(key, recent);
  return recent;
}

}  // namespace sdm::ui
