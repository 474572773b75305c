#include "ui/autosave.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

namespace sdm::ui {

Autosave::Autosave(QString path) : path_(std::move(path)) {
  if (path_.isEmpty()) {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    QDir().mkpath(folder);
    path_ = folder + "/autosave.sdmp";
  }
  QObject::connect(&running_, &QFutureWatcherBase::finished, [this] {
    if (const QString error = running_.result(); !error.isEmpty() && on_failure) on_failure(error);
    if (next_) start(*std::exchange(next_, std::nullopt));
  });
}

Autosave::~Autosave() { running_.waitForFinished(); }

bool Autosave::hasRecovery() const { return QFile::exists(path_); }

void Autosave::save(const Project& project) {
  next_.reset();
  running_.waitForFinished();
  saveProject(path_, project);
}

void Autosave::saveInBackground(Project project) {
  if (running_.isRunning()) next_ = std::move(project);
  else start(std::move(project));
}

void Autosave::start(Project project) {
  running_.setFuture(QtConcurrent::run([path = path_, project = std::move(project)]() -> QString {
    try {
      saveProject(path, project);
      return {};
    } catch (const std::exception& e) {
      return QString::fromUtf8(e.what());
    }
  }));
}

Project Autosave::recover() const { return loadProject(path_); }

void Autosave::discard() {
  next_.reset();
  running_.waitForFinished();
  QFile::remove(path_);
}

}  // namespace sdm::ui
