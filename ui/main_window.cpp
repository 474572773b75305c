#include "ui/main_window.h"

#include "ui/canvas_view.h"
#include "ui/class_palette.h"
#include "ui/file_controller.h"
#include "ui/generation_controller.h"
#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/main_window_actions.h"
#include "ui/result_gallery.h"
#include "ui/tools/eyedropper_tool.h"
#include "ui/tools/tool_manager.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <cmath>

namespace sdm::ui {

namespace {

// A class set for a checkpoint whose dataset has none here: numbered classes in distinct colours.
ClassSet numberedClasses(int count) {
  ClassSet classes;
  classes.name = "custom";
  classes.title = "Custom";
  classes.num_classes = count;
  for (int i = 0; i < count; ++i) {
    const QColor color = QColor::fromHsv((i * 137) % 360, 160 + (i * 53) % 96, 140 + (i * 29) % 116);
    classes.classes.push_back({i, i, "class " + std::to_string(i),
                               {uint8_t(color.red()), uint8_t(color.green()), uint8_t(color.blue())}});
  }
  return classes;
}

}  // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent), tools_(new ToolManager(this)), canvas_(new CanvasView), palette_(new ClassPalette),
      panel_(new GenerationPanel), gallery_(new ResultGallery), cursor_label_(new QLabel), zoom_label_(new QLabel),
      generation_(new GenerationController(panel_, gallery_, this)),
      files_(new FileController(this, generation_, panel_, gallery_, options.autosave_path, options.autosave_interval_ms)) {
  canvas_->setToolManager(tools_);
  setCentralWidget(canvas_);
  createDocks();
  connectWidgets();
  new MainWindowActions(this, files_, tools_, canvas_, &undo_group_);
  restoreSettings();
  files_->setModified(false);
}

MainWindow::~MainWindow() {
  // The document first: its undo stack signals on destruction, to slots that use the panels.
  delete document_;
}

void MainWindow::createDocks() {
  // Classes above the generation settings on the left, the pictures on the right: the canvas
  // keeps the middle.
  auto* classes_dock = new QDockWidget(tr("Classes"));
  classes_dock->setObjectName("classesDock");
  classes_dock->setWidget(palette_);
  addDockWidget(Qt::LeftDockWidgetArea, classes_dock);
  auto* generation_dock = new QDockWidget(tr("Generate"));
  generation_dock->setObjectName("generationDock");
  generation_dock->setWidget(panel_);
  addDockWidget(Qt::LeftDockWidgetArea, generation_dock);
  splitDockWidget(classes_dock, generation_dock, Qt::Vertical);
  auto* results_dock = new QDockWidget(tr("Results"));
  results_dock->setObjectName("resultsDock");
  results_dock->setWidget(gallery_);
  addDockWidget(Qt::RightDockWidgetArea, results_dock);
  resizeDocks({classes_dock, generation_dock}, {300, 420}, Qt::Vertical);
  resizeDocks({results_dock}, {460}, Qt::Horizontal);
  statusBar()->addPermanentWidget(cursor_label_);
  statusBar()->addPermanentWidget(zoom_label_);
}

void MainWindow::connectWidgets() {
  connect(palette_, &ClassPalette::currentClassChanged, tools_->options(), &PaintOptions::setCurrentClass);
  connect(tools_->tool<EyedropperTool>(), &EyedropperTool::classPicked, palette_, &ClassPalette::setCurrentClass);
  connect(tools_, &ToolManager::message, this, &MainWindow::showMessage);
  connect(canvas_, &CanvasView::zoomChanged, this, &MainWindow::showZoom);
  connect(canvas_, &CanvasView::hoveredPixel, this, &MainWindow::showHoveredClass);
  connect(gallery_, &ResultGallery::useAsPhotoRequested, this, &MainWindow::useResultAsPhoto);
  connect(generation_, &GenerationController::modelLoaded, this, &MainWindow::onModelLoaded);
  connect(generation_, &GenerationController::generationFinished, this, &MainWindow::onGenerationFinished);
  connect(generation_, &GenerationController::generationStopped, this, &MainWindow::generationStopped);
  connect(generation_, &GenerationController::errorOccurred, this, &MainWindow::showError);
  connect(files_, &FileController::errorOccurred, this, &MainWindow::showError);
  connect(files_, &FileController::message, statusBar(), &QStatusBar::showMessage);
  connect(files_, &FileController::titleChanged, this, &QWidget::setWindowTitle);
}

// --- Delegation to the controllers: the app's and the tests' entry points ---

void MainWindow::loadModel(const QString& path) { generation_->loadModel(path); }
bool MainWindow::openLabelMap(const QString& path) { return files_->openLabelMap(path); }
bool MainWindow::openPhoto(const QString& path) { return files_->openPhoto(path); }
bool MainWindow::openMask(const QString& path) { return files_->openMask(path); }
bool MainWindow::openProject(const QString& path) { return files_->openProject(path); }
bool MainWindow::saveProject(const QString& path) { return files_->saveProject(path); }
void MainWindow::generate() { generation_->generate(); }
void MainWindow::regenerateMasked() { generation_->regenerateMasked(); }
void MainWindow::regenerate(const KeptResult& result) { generation_->regenerate(result); }
void MainWindow::upscale(const QList<int>& rows) { generation_->upscale(rows); }
void MainWindow::cancelGeneration() { generation_->cancel(); }
bool MainWindow::isGenerating() const { return generation_->isGenerating(); }
void MainWindow::offerRecovery(bool ask) { files_->offerRecovery(ask); }
void MainWindow::autosaveNow() { files_->autosaveNow(); }
Project MainWindow::currentProject() const { return files_->currentProject(); }

// --- Model and document ---

void MainWindow::onModelLoaded(const ModelSummary& summary) {
  const ClassSet classes = summary.classes ? *summary.classes : numberedClasses(summary.num_classes);
  const auto& previous = generation_->model();
  // The canvas depends on the base model's size only: the upscaler can change under a painted map.
  const bool same_space = previous && document_ && previous->dataset == summary.dataset && previous->size == summary.size &&
                          document_->classes().num_classes == classes.num_classes;
  // Another label space or size needs a new map: the painted one is saved first, or the switch undone.
  if (!same_space && document_ && files_->isModified() && !generation_->hasPendingAction() && !files_->maybeSave()) {
    generation_->loadModel(previous ? previous->path : QString());
    return;
  }
  generation_->adoptModel(summary);
  if (!same_space) replaceDocument(classes, summary);
  generation_->runPendingAction();
  Q_EMIT modelReady();
}

void MainWindow::replaceDocument(const ClassSet& classes, const ModelSummary& summary) {
  delete document_;
  document_ = new LabelDocument(classes, summary.size, this);
  undo_group_.addStack(document_->undoStack());
  undo_group_.setActiveStack(document_->undoStack());
  canvas_->setDocument(document_);
  files_->setDocument(document_);
  generation_->setDocument(document_);
  palette_->setClasses(classes);
  palette_->setRecent(QSettings().value("recentClasses/" + summary.dataset).value<QList<int>>());
  tools_->options()->setCurrentClass(palette_->currentClass());
  tools_->options()->setEraserClass(classes.classes.empty() ? 0 : classes.classes.front().id);
  // The mask changes only by undoable edits and resets; checking it on every `changed` would
  // scan the whole mask at each mouse move of a stroke.
  connect(document_->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::onDocumentEdited);
  // Every edit is an undo step, so a live draft follows strokes, fills, shapes, undo and redo alike.
  connect(document_->undoStack(), &QUndoStack::indexChanged, generation_, &GenerationController::drawLiveDraft);
  connect(document_, &LabelDocument::documentReset, this, &MainWindow::updateCanRegenerate);
  connect(document_, &LabelDocument::photoChanged, this, &MainWindow::updateCanRegenerate);
}

void MainWindow::onDocumentEdited() {
  files_->setModified(true);
  updateCanRegenerate();
}

void MainWindow::updateCanRegenerate() { panel_->setCanRegenerate(document_ && document_->hasMask() && !document_->photo().isNull()); }

void MainWindow::clearMask() {
  if (!document_) return;
  QImage blank(document_->size(), QImage::Format_Grayscale8);
  blank.fill(0);
  document_->replaceLayer(LabelDocument::Layer::Mask, blank, tr("Clear mask"));
}

void MainWindow::useResultAsPhoto(const QImage& image) {
  if (!document_) return;
  document_->setPhoto(image);
  files_->setModified(true);
  statusBar()->showMessage(tr("The picture is under the canvas now: paint a mask (M) and new labels, then Regenerate in mask."), 8000);
}

void MainWindow::onGenerationFinished(bool draft) {
  if (!draft) {
    files_->setModified(true);
    files_->autosaveInBackground();
  }
  Q_EMIT generationFinished();
}

// --- Status and errors ---

void MainWindow::showHoveredClass(QPoint pixel, int id) {
  const auto* c = document_ && id >= 0 ? document_->classes().find_id(id) : nullptr;
  cursor_label_->setText(c ? tr("%1 (%2) at %3, %4").arg(QString::fromStdString(c->name)).arg(id).arg(pixel.x()).arg(pixel.y()) : QString());
}

void MainWindow::showZoom(double zoom) { zoom_label_->setText(QString("%1 %").arg(std::lround(zoom * 100))); }

void MainWindow::showMessage(const QString& text) { statusBar()->showMessage(text, 6000); }

void MainWindow::showError(const QString& text) {
  last_error_ = text;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("SDM Paint"), text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, and the event loop — the sampler's previews — keeps running
  Q_EMIT errorShown(text);
}

// --- Settings and closing ---

void MainWindow::restoreSettings() {
  QSettings settings;
  panel_->setSettings(GenerationSettings::fromJson(settings.value("generation").toJsonObject()));
  panel_->setRecentModels(settings.value("recentModels").toStringList());
  panel_->setRecentUpscalers(settings.value("recentUpscalers").toStringList());
  canvas_->setLabelOpacity(settings.value("labelOpacity", 0.6).toDouble());
  canvas_->setOutlines(settings.value("outlines", true).toBool());
  restoreGeometry(settings.value("geometry").toByteArray());
  restoreState(settings.value("windowState").toByteArray());
  if (!settings.contains("geometry")) resize(1400, 860);
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue("generation", panel_->settings().toJson());
  settings.setValue("labelOpacity", canvas_->labelOpacity());
  settings.setValue("outlines", canvas_->outlines());
  settings.setValue("geometry", saveGeometry());
  settings.setValue("windowState", saveState());
  if (const auto& model = generation_->model()) {
    settings.setValue("lastModel", generation_->requestedModel());
    settings.setValue("recentClasses/" + model->dataset, QVariant::fromValue(palette_->recent()));
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!files_->maybeSave()) {
    event->ignore();
    return;
  }
  saveSettings();
  files_->discardAutosave();
  event->accept();
}

}  // namespace sdm::ui
