#pragma once

#include "ui/project_file.h"

#include <QFutureWatcher>
#include <QString>

#include <functional>
#include <optional>

namespace sdm::ui {

// The session kept as a project file in the app's data folder every minute and after every
// generation, and removed when the app closes normally: finding it at start means the last
// session ended in a crash, and its work can be recovered.
class Autosave {
public:
  // `path` empty: autosave.sdmp in the app's data folder.
  explicit Autosave(QString path = {});
  ~Autosave();  // waits for a save in the background

  const QString& path() const { return path_; }
  bool hasRecovery() const;
  void save(const Project& project);  // now (after any save in the background); throws sdm::Error
  // Encodes and writes the project on another thread: a session with many kept pictures takes
  // a while to encode as PNGs (a noticeable pause after each generation, growing with the
  // gallery), and the GUI need not wait for it. One
  // asked for while another runs follows it with the newest project; a failure goes to
  // `on_failure` on the GUI thread.
  void saveInBackground(Project project);
  std::function<void(const QString& error)> on_failure;
  Project recover() const;  // throws sdm::Error
  void discard();           // after any save in the background

private:
  void start(Project project);
  QString path_;
  QFutureWatcher<QString> running_;  // its result: the error, or empty
  std::optional<Project> next_;
};

}  // namespace sdm::ui
