#include "ui/file_controller.h"

#include "ui/edit_region.h"
#include "ui/generation_controller.h"
#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/label_image_file.h"
#include "ui/recent_files.h"
#include "ui/result_gallery.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>

#include <cmath>

namespace sdm::ui {

namespace {

// The largest centred crop of `photo` with `aspect`'s proportions.
QImage cropToAspect(const QImage& photo, QSize aspect) {
  const double want = double(aspect.width()) / aspect.height();
  const double have = double(photo.width()) / photo.height();
  if (std::abs(want - have) < 1e-6) return photo;
  if (have > want) {
    const int width = int(std::lround(photo.height() * want));
    return photo.copy((photo.width() - width) / 2, 0, width, photo.height());
  }
  const int height = int(std::lround(photo.width() / want));
  return photo.copy(0, (photo.height() - height) / 2, photo.width(), height);
}

QString errorText(const std::exception& e) { return QString::fromUtf8(e.what()); }

}  // namespace

FileController::FileController(QWidget* window, GenerationController* generation, GenerationPanel* panel,
                               ResultGallery* gallery, const QString& autosave_path, int autosave_interval_ms)
    : QObject(window), window_(window), generation_(generation), panel_(panel), gallery_(gallery), autosave_(autosave_path) {
  autosave_timer_.setInterval(autosave_interval_ms);
  connect(&autosave_timer_, &QTimer::timeout, this, &FileController::autosaveIfModified);
  autosave_timer_.start();
  autosave_.on_failure = [this](const QString& error) { Q_EMIT message(tr("Autosave failed: %1").arg(error), 8000); };
  connect(gallery_, &ResultGallery::saveRequested, this, &FileController::savePicture);
  connect(gallery_, &ResultGallery::resultsChanged, this, [this] { setModified(true); });
  connect(panel_, &GenerationPanel::openModelRequested, this, &FileController::askOpenModel);
  connect(panel_, &GenerationPanel::openUpscalerRequested, this, &FileController::askOpenUpscaler);
}

void FileController::setDocument(LabelDocument* document) { document_ = document; }

void FileController::setModified(bool modified) {
  modified_ = modified;
  updateTitle();
}

void FileController::updateTitle() {
  const QString name = project_path_.isEmpty() ? tr("Untitled") : QFileInfo(project_path_).fileName();
  Q_EMIT titleChanged(QString("%1%2 — SDM Paint").arg(name, modified_ ? "*" : ""));
}

bool FileController::attempt(const std::function<void()>& action) {
  try {
    action();
    return true;
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(errorText(e));
    return false;
  }
}

// --- Projects ---

Project FileController::currentProject() const {
  Project project;
  project.model_path = generation_->model() ? generation_->model()->path : generation_->requestedModel();
  if (document_) {
    project.classes = QString::fromStdString(document_->classes().name);
    project.labels = document_->labels();
    project.mask = document_->mask();
    project.photo = document_->photo();
    project.edit_region = document_->editRegion();
  }
  project.settings = panel_->settings();
  project.results = gallery_->results();
  return project;
}

bool FileController::saveProject(const QString& path) {
  return attempt([&] {
    ::sdm::ui::saveProject(path, currentProject());
    project_path_ = path;
    rememberRecent("recentProjects", path);
    setModified(false);
    Q_EMIT message(tr("Saved %1").arg(path), 4000);
  });
}

bool FileController::openProject(const QString& path) {
  return attempt([&] {
    const Project project = loadProject(path);
    project_path_ = path;
    rememberRecent("recentProjects", path);
    generation_->withModel(project.model_path, [this, project] { applyProject(project); });
  });
}

void FileController::applyProject(const Project& project) {
  if (!document_) return;
  if (project.labels.size() != document_->size() || project.classes != QString::fromStdString(document_->classes().name)) {
    Q_EMIT errorOccurred(tr("The project's label map (%1, %2×%3) does not fit the model (%4, canvas %5×%6).")
                             .arg(project.classes).arg(project.labels.width()).arg(project.labels.height())
                             .arg(QString::fromStdString(document_->classes().name)).arg(document_->size().width())
                             .arg(document_->size().height()));
    return;
  }
  document_->reset(project.labels, project.mask, project.photo);
  document_->setEditRegion(project.edit_region);
  panel_->setSettings(project.settings);
  gallery_->setResults(project.results);
  setModified(false);
}

QString FileController::askProjectPath(const QString& suggestion) {
  return QFileDialog::getSaveFileName(window_, tr("Save project"), suggestion, tr("SDM Paint projects (*.sdmp)"));
}

bool FileController::save() {
  const QString path = project_path_.isEmpty() ? askProjectPath("untitled.sdmp") : project_path_;
  return !path.isEmpty() && saveProject(path);
}

bool FileController::saveAs() {
  const QString path = askProjectPath(project_path_);
  return !path.isEmpty() && saveProject(path);
}

bool FileController::maybeSave() {
  if (!modified_) return true;
  const auto answer = QMessageBox::question(window_, tr("Save changes?"), tr("The project has unsaved changes. Save them first?"),
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  return answer == QMessageBox::Discard || save();
}

void FileController::newLabelMap() {
  if (!document_ || !maybeSave()) return;
  QImage blank(document_->size(), QImage::Format_Grayscale8);
  blank.fill(document_->classes().classes.empty() ? 0 : document_->classes().classes.front().id);
  document_->reset(blank, {}, {});
  gallery_->setResults({});
  project_path_.clear();
  setModified(false);
}

void FileController::askOpenProject() {
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open project"), {}, tr("SDM Paint projects (*.sdmp)"));
  if (!path.isEmpty() && maybeSave()) openProject(path);
}

void FileController::openRecentProject(const QString& path) {
  if (maybeSave()) openProject(path);
}

void FileController::fillRecentMenu(QMenu* menu) {
  menu->clear();
  for (const auto& path : QSettings().value("recentProjects").toStringList())
    menu->addAction(QFileInfo(path).fileName(), this, [this, path] { openRecentProject(path); })->setToolTip(path);
  menu->setToolTipsVisible(true);
  if (menu->isEmpty()) menu->addAction(tr("(none)"))->setEnabled(false);
}

// --- Label maps, photos, masks, pictures ---

bool FileController::openLabelMap(const QString& path) {
  if (!document_) return false;
  return attempt([&] {
    document_->replaceLayer(LabelDocument::Layer::Labels, readLabelImage(path, document_->classes(), document_->size()),
                            tr("Open label map"));
  });
}

bool FileController::openPhoto(const QString& path) {
  if (!document_) return false;
  return attempt([&] {
    const QImage photo = readPhoto(path);
    const QImage cropped = cropToAspect(photo, document_->modelSize());
    document_->setPhoto(cropped);
    const auto& model = generation_->model();
    if (cropped.size() != photo.size())
      Q_EMIT message(tr("The photo was cropped to the model's aspect ratio (%1×%2 of %3×%4).")
                         .arg(cropped.width()).arg(cropped.height()).arg(photo.width()).arg(photo.height()), 8000);
    else if (model && photoIsLarger(cropped.size(), model->outputSize()))
      Q_EMIT message(tr("A %1×%2 photo: Regenerate in mask works on a square around the mask at %3×%4 and pastes it back "
                        "sharp; drag your own square with Edit Region (X).")
                         .arg(cropped.width()).arg(cropped.height()).arg(model->outputSize().width()).arg(model->outputSize().height()),
                     10000);
    setModified(true);
  });
}

bool FileController::openMask(const QString& path) {
  if (!document_) return false;
  return attempt([&] { document_->replaceLayer(LabelDocument::Layer::Mask, readMaskImage(path, document_->size()), tr("Open mask")); });
}

void FileController::askOpenLabelMap() {
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open label map"), {}, tr("Label maps (*.png);;All files (*)"));
  if (!path.isEmpty()) openLabelMap(path);
}

void FileController::askOpenPhoto() {
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open photo"), {}, tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"));
  if (!path.isEmpty()) openPhoto(path);
}

void FileController::askOpenMask() {
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open mask (white = regenerate)"), {}, tr("Images (*.png *.bmp *.tif *.tiff)"));
  if (!path.isEmpty()) openMask(path);
}

void FileController::askOpenModel() {
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open checkpoint"), {}, tr("Checkpoints (*.pt *.pth);;All files (*)"));
  if (!path.isEmpty()) generation_->loadModel(path);
}

void FileController::askOpenUpscaler() {
  const QString path =
      QFileDialog::getOpenFileName(window_, tr("Open upscaler checkpoint"), {}, tr("Checkpoints (*.pt *.pth);;All files (*)"));
  if (!path.isEmpty()) generation_->setUpscaler({UpscalerChoice::Kind::File, path.toStdString()});
}

void FileController::askSaveLabelMap() { askSaveLabelMapAs(false); }
void FileController::askExportLabelMap() { askSaveLabelMapAs(true); }

void FileController::askSaveLabelMapAs(bool colours) {
  if (!document_) return;
  const QString path = QFileDialog::getSaveFileName(window_, colours ? tr("Export label map in colours") : tr("Save label map (class ids)"),
                                                    "labels.png", tr("PNG images (*.png)"));
  if (!path.isEmpty()) attempt([&] { writeLabelImage(path, document_->labels(), document_->classes(), colours); });
}

void FileController::savePicture(const QImage& image, qint64 seed) {
  const QString path = QFileDialog::getSaveFileName(window_, tr("Save picture"), QString("sdm-seed-%1.png").arg(seed), tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
    Q_EMIT errorOccurred(tr("Cannot save %1: %2").arg(path, file.errorString()));
}

// --- Autosave ---

void FileController::autosaveIfModified() {
  if (modified_) autosaveInBackground();
}

void FileController::autosaveInBackground() {
  if (document_) autosave_.saveInBackground(currentProject());
}

void FileController::autosaveNow() {
  if (!document_) return;
  try {
    autosave_.save(currentProject());
  } catch (const std::exception& e) {
    Q_EMIT message(tr("Autosave failed: %1").arg(errorText(e)), 8000);
  }
}

void FileController::offerRecovery(bool ask) {
  if (!autosave_.hasRecovery()) return;
  if (ask && QMessageBox::question(window_, tr("Recover your work?"),
                                   tr("SDM Paint did not close normally last time. Restore the session it saved?")) != QMessageBox::Yes) {
    autosave_.discard();
    return;
  }
  try {
    const Project project = autosave_.recover();
    generation_->withModel(project.model_path, [this, project] { applyProject(project); });
    setModified(true);
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(tr("The autosaved session cannot be restored: %1").arg(errorText(e)));
  }
}

void FileController::discardAutosave() { autosave_.discard(); }

}  // namespace sdm::ui
