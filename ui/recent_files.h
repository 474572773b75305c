#pragma once

#include <QString>
#include <QStringList>

namespace sdm::ui {

// Puts `path` first in the settings' list `key` (recent projects, recent models), at most eight
// long; returns the list.
QStringList rememberRecent(const QString& key, const QString& path);

}  // namespace sdm::ui
