#pragma once

#include "ui/project_file.h"

#include <QString>

namespace sdm::ui {

// The session kept as a project file in the app's data folder every minute and after every
// generation, and removed when the app closes normally: finding it at start means the last
// session ended in a crash, and its work can be recovered.
class Autosave {
public:
  // `path` empty: autosave.sdmp in the app's data folder.
  explicit Autosave(QString path = {});

  const QString& path() const { return path_; }
  bool hasRecovery() const;
  void save(const Project& project) const;  // throws sdm::Error
  Project recover() const;                  // throws sdm::Error
  void discard() const;

private:
  QString path_;
};

}  // namespace sdm::ui
