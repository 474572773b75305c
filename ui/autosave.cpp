#include "ui/autosave.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace sdm::ui {

Autosave::Autosave(QString path) : path_(std::move(path)) {
  if (path_.isEmpty()) {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(folder);
    path_ = folder + "/autosave.sdmp";
  }
}

bool Autosave::hasRecovery() const { return QFile::exists(path_); }

void Autosave::save(const Project& project) const { saveProject(path_, project); }

Project Autosave::recover() const { return loadProject(path_); }

void Autosave::discard() const { QFile::remove(path_); }

}  // namespace sdm::ui
