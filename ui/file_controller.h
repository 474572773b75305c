#pragma once

#include "ui/autosave.h"
#include "ui/project_file.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QMenu;
class QWidget;

namespace sdm::ui {

class GenerationController;
class GenerationPanel;
class LabelDocument;
class ResultGallery;

// The app's files: projects (open, save, save as, recent, unsaved changes), label maps, photos
// and masks, exports and saved pictures, and the autosave with its recovery. Failures are
// errorOccurred with the file and the problem; nothing painted is lost.
class FileController : public QObject {
  Q_OBJECT

public:
  // `window`: the dialogs' parent. `autosave_path` empty: the app's data folder.
  FileController(QWidget* window, GenerationController* generation, GenerationPanel* panel, ResultGallery* gallery,
                 const QString& autosave_path, int autosave_interval_ms);

  void setDocument(LabelDocument* document);
  bool isModified() const { return modified_; }
  void setModified(bool modified);
  Project currentProject() const;

  bool openLabelMap(const QString& path);
  bool openPhoto(const QString& path);
  bool openMask(const QString& path);
  bool openProject(const QString& path);
  bool saveProject(const QString& path);
  // Asks to save unsaved changes; false when the user cancels (or the save fails).
  bool maybeSave();
  void autosaveNow();
  void autosaveInBackground();  // the GUI goes on at once
  void offerRecovery(bool ask);
  void discardAutosave();  // a clean exit: nothing to recover next time

  // What the menus and buttons ask for, with their dialogs.
  void newLabelMap();
  void askOpenProject();
  void askOpenLabelMap();
  void askOpenPhoto();
  void askOpenMask();
  void askOpenModel();
  void askOpenUpscaler();
  bool save();    // to the project's file; the first time, asks for one
  bool saveAs();
  void askSaveLabelMap();     // class ids
  void askExportLabelMap();   // the dataset's colours
  void savePicture(const QImage& image, qint64 seed);
  void fillRecentMenu(QMenu* menu);

Q_SIGNALS:
  void errorOccurred(const QString& text);
  void message(const QString& text, int timeout_ms);
  void titleChanged(const QString& title);

private:
  void openRecentProject(const QString& path);
  void autosaveIfModified();
  void applyProject(const Project& project);
  void askSaveLabelMapAs(bool colours);
  QString askProjectPath(const QString& suggestion);
  // Runs `action`; an exception becomes errorOccurred (and false).
  bool attempt(const std::function<void()>& action);
  void updateTitle();

  QWidget* window_;
  GenerationController* generation_;
  GenerationPanel* panel_;
  ResultGallery* gallery_;
  QPointer<LabelDocument> document_;
  Autosave autosave_;
  QTimer autosave_timer_;
  QString project_path_;
  bool modified_ = false;
};

}  // namespace sdm::ui
