#include "ui/main_window.h"

#include "ui/class_palette.h"
#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/label_image_file.h"
#include "ui/result_gallery.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QToolBar>

#include <cmath>

namespace sdm::ui {

namespace {

constexpr int kRecentFiles = 8;
constexpr int kDraftSteps = 10;

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

GenerationJob jobFor(const GenerationSettings& settings, qint64 seed, int count) {
  GenerationJob job;
  job.steps = settings.stepSpec();
  job.guidance = settings.guidance;
  job.seed = seed;
  job.count = count;
  return job;
}

}  // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent), options_(std::move(options)), autosave_(options_.autosave_path), worker_(new SamplerWorker),
      canvas_(new CanvasView), palette_(new ClassPalette), panel_(new GenerationPanel), gallery_(new ResultGallery),
      cursor_label_(new QLabel), zoom_label_(new QLabel) {
  qRegisterMetaType<ModelSummary>();
  qRegisterMetaType<QList<QImage>>();
  qRegisterMetaType<QList<qint64>>();
  setCentralWidget(canvas_);

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

  // The sampler's thread: every call into the worker is queued onto it.
  worker_->moveToThread(&worker_thread_);
  connect(&worker_thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &SamplerWorker::modelLoaded, this, &MainWindow::onModelLoaded);
  connect(worker_, &SamplerWorker::modelFailed, this, [this](const QString& path, const QString& error) {
    showError(tr("Cannot load the model %1:\n%2").arg(path.isEmpty() ? tr("(shipped default)") : path, error));
    pending_project_.reset();
  });
  connect(worker_, &SamplerWorker::progress, this, &MainWindow::onProgress);
  connect(worker_, &SamplerWorker::finished, this, &MainWindow::onFinished);
  connect(worker_, &SamplerWorker::cancelled, this, [this](int job) { onStopped(job, {}); });
  connect(worker_, &SamplerWorker::failed, this, &MainWindow::onStopped);
  worker_thread_.start();

  connect(palette_, &ClassPalette::currentClassChanged, canvas_, &CanvasView::setCurrentClass);
  connect(canvas_, &CanvasView::classPicked, palette_, &ClassPalette::setCurrentClass);
  connect(canvas_, &CanvasView::message, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(canvas_, &CanvasView::zoomChanged, this, [this](double zoom) { zoom_label_->setText(QString("%1 %").arg(std::lround(zoom * 100))); });
  connect(canvas_, &CanvasView::hoveredPixel, this, [this](QPoint pixel, int id) {
    const auto* c = document_ && id >= 0 ? document_->classes().find_id(id) : nullptr;
    cursor_label_->setText(c ? tr("%1 (%2) at %3, %4").arg(QString::fromStdString(c->name)).arg(id).arg(pixel.x()).arg(pixel.y()) : QString());
  });
  connect(canvas_, &CanvasView::editFinished, this, [this] {
    setModified(true);
    if (panel_->settings().live) {
      GenerationSettings draft = panel_->settings();
      // The few-step solver whatever the chosen sampler: DPM-Solver++ follows the same ODE as DDIM
      // (η = 0) and gets closer to its solution in 10 steps than DDIM itself (sampling_test).
      draft.steps = std::min(draft.steps, kDraftSteps);
      draft.sampler = GenerationSettings::Sampler::DpmSolver;
      startJob(jobFor(draft, draft.seed, 1), true);
    }
  });
  connect(panel_, &GenerationPanel::generateRequested, this, &MainWindow::generate);
  connect(panel_, &GenerationPanel::regenerateMaskedRequested, this, &MainWindow::regenerateMasked);
  connect(panel_, &GenerationPanel::cancelRequested, this, &MainWindow::cancelGeneration);
  connect(panel_, &GenerationPanel::modelRequested, this, &MainWindow::loadModel);
  connect(panel_, &GenerationPanel::openModelRequested, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open checkpoint"), {}, tr("Checkpoints (*.pt *.pth);;All files (*)"));
    if (!path.isEmpty()) loadModel(path);
  });
  connect(gallery_, &ResultGallery::useAsPhotoRequested, this, [this](const QImage& image) {
    if (!document_) return;
    document_->setPhoto(image);
    setModified(true);
    statusBar()->showMessage(tr("The picture is under the canvas now: paint a mask (M) and new labels, then Regenerate in mask."), 8000);
  });
  connect(gallery_, &ResultGallery::regenerateRequested, this, &MainWindow::regenerateSeed);
  connect(gallery_, &ResultGallery::resultsChanged, this, [this] { setModified(true); });
  connect(gallery_, &ResultGallery::saveRequested, this, [this](const QImage& image, qint64 seed) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save picture"), QString("sdm-seed-%1.png").arg(seed), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
      showError(tr("Cannot save %1: %2").arg(path, file.errorString()));
  });

  createActions();
  QSettings settings;
  panel_->setSettings(GenerationSettings::fromJson(settings.value("generation").toJsonObject()));
  panel_->setRecentModels(settings.value("recentModels").toStringList());
  canvas_->setLabelOpacity(settings.value("labelOpacity", 0.6).toDouble());
  canvas_->setOutlines(settings.value("outlines", true).toBool());
  restoreGeometry(settings.value("geometry").toByteArray());
  restoreState(settings.value("windowState").toByteArray());
  if (!settings.contains("geometry")) resize(1400, 860);

  autosave_timer_.setInterval(options_.autosave_interval_ms);
  connect(&autosave_timer_, &QTimer::timeout, this, [this] {
    if (modified_) autosaveNow();
  });
  autosave_timer_.start();
  updateTitle();
}

MainWindow::~MainWindow() {
  // The document first: its undo stack signals on destruction, to slots that use the panels.
  delete document_;
  worker_->cancelUpTo(std::numeric_limits<int>::max());
  worker_thread_.quit();
  worker_thread_.wait();
}

void MainWindow::createActions() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* edit = menuBar()->addMenu(tr("&Edit"));
  auto* view = menuBar()->addMenu(tr("&View"));
  auto* tools_menu = menuBar()->addMenu(tr("&Tools"));
  auto* toolbar = addToolBar(tr("Tools"));
  toolbar->setObjectName("toolsToolbar");

  const auto add = [this](QMenu* menu, const QString& text, const QKeySequence& shortcut, auto slot) {
    auto* action = menu->addAction(text);
    action->setShortcut(shortcut);
    connect(action, &QAction::triggered, this, slot);
    return action;
  };
  add(file, tr("&New Label Map"), QKeySequence::New, [this] {
    if (document_ && maybeSave()) {
      QImage blank(document_->size(), QImage::Format_Grayscale8);
      blank.fill(document_->classes().classes.empty() ? 0 : document_->classes().classes.front().id);
      document_->reset(blank, {}, {});
      gallery_->setResults({});
      project_path_.clear();
      setModified(false);
    }
  });
  add(file, tr("&Open Project…"), QKeySequence::Open, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), {}, tr("SDM Paint projects (*.sdmp)"));
    if (!path.isEmpty() && maybeSave()) openProject(path);
  });
  auto* recent = file->addMenu(tr("Open &Recent"));
  connect(recent, &QMenu::aboutToShow, this, [this, recent] {
    recent->clear();
    for (const auto& path : QSettings().value("recentProjects").toStringList())
      recent->addAction(QFileInfo(path).fileName(), this, [this, path] {
        if (maybeSave()) openProject(path);
      })->setToolTip(path);
    recent->setToolTipsVisible(true);
    if (recent->isEmpty()) recent->addAction(tr("(none)"))->setEnabled(false);
  });
  add(file, tr("Open &Label Map…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open label map"), {}, tr("Label maps (*.png);;All files (*)"));
    if (!path.isEmpty()) openLabelMap(path);
  });
  add(file, tr("Open &Photo…"), QKeySequence(Qt::CTRL | Qt::Key_P), [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open photo"), {}, tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"));
    if (!path.isEmpty()) openPhoto(path);
  });
  add(file, tr("Open &Mask…"), QKeySequence(), [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open mask (white = regenerate)"), {}, tr("Images (*.png *.bmp *.tif *.tiff)"));
    if (!path.isEmpty()) openMask(path);
  });
  file->addSeparator();
  add(file, tr("&Save Project"), QKeySequence::Save, [this] {
    QString path = project_path_;
    if (path.isEmpty()) path = QFileDialog::getSaveFileName(this, tr("Save project"), "untitled.sdmp", tr("SDM Paint projects (*.sdmp)"));
    if (!path.isEmpty()) saveProject(path);
  });
  add(file, tr("Save Project &As…"), QKeySequence::SaveAs, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save project"), project_path_, tr("SDM Paint projects (*.sdmp)"));
    if (!path.isEmpty()) saveProject(path);
  });
  const auto export_map = [this](bool colour) {
    if (!document_) return;
    const QString path = QFileDialog::getSaveFileName(this, colour ? tr("Export label map in colours") : tr("Save label map (class ids)"),
                                                      "labels.png", tr("PNG images (*.png)"));
    if (!path.isEmpty()) attempt([&] { writeLabelImage(path, document_->labels(), document_->classes(), colour); });
  };
  add(file, tr("Save Label Map (class ids)…"), QKeySequence(), [=] { export_map(false); });
  add(file, tr("Export Label Map (colours)…"), QKeySequence(), [=] { export_map(true); });
  file->addSeparator();
  add(file, tr("&Quit"), QKeySequence::Quit, [this] { close(); });

  if (auto* undo = new QAction(tr("&Undo"), this)) {
    undo->setShortcut(QKeySequence::Undo);
    connect(undo, &QAction::triggered, this, [this] { if (document_) document_->undoStack()->undo(); });
    edit->addAction(undo);
  }
  if (auto* redo = new QAction(tr("&Redo"), this)) {
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::Key_Y)});
    connect(redo, &QAction::triggered, this, [this] { if (document_) document_->undoStack()->redo(); });
    edit->addAction(redo);
  }
  edit->addSeparator();
  add(edit, tr("Clear &Mask"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), [this] {
    if (!document_) return;
    QImage blank(document_->size(), QImage::Format_Grayscale8);
    blank.fill(0);
    replaceLayer(LabelDocument::Layer::Mask, blank, tr("Clear mask"));
  });

  add(view, tr("Zoom to &Fit"), QKeySequence(Qt::CTRL | Qt::Key_0), [this] { canvas_->zoomToFit(); });
  add(view, tr("&Actual Size (100 %)"), QKeySequence(Qt::CTRL | Qt::Key_1), [this] { canvas_->setZoom(1.0, canvas_->rect().center()); });
  add(view, tr("Zoom &In"), QKeySequence::ZoomIn, [this] { canvas_->setZoom(canvas_->zoom() * 1.25, canvas_->rect().center()); });
  add(view, tr("Zoom &Out"), QKeySequence::ZoomOut, [this] { canvas_->setZoom(canvas_->zoom() / 1.25, canvas_->rect().center()); });
  auto* outlines = add(view, tr("Class &Outlines"), QKeySequence(Qt::Key_O), [this](bool on) { canvas_->setOutlines(on); });
  outlines->setCheckable(true);
  outlines->setChecked(canvas_->outlines());

  tools_ = new QActionGroup(this);
  const auto add_tool = [&](const QString& name, Tool tool, Qt::Key key, const QString& what) {
    auto* action = tools_menu->addAction(name);
    action->setCheckable(true);
    action->setShortcut(QKeySequence(key));
    action->setToolTip(tr("%1 (%2): %3").arg(name, QKeySequence(key).toString(), what));
    action->setData(int(tool));
    tools_->addAction(action);
    toolbar->addAction(action);
    connect(action, &QAction::triggered, this, [this, tool] { canvas_->setTool(tool); });
    return action;
  };
  add_tool(tr("Brush"), Tool::Brush, Qt::Key_B, tr("paint the current class"))->setChecked(true);
  add_tool(tr("Eraser"), Tool::Eraser, Qt::Key_E, tr("paint the background class (in mask mode: unmask)"));
  add_tool(tr("Fill"), Tool::Fill, Qt::Key_G, tr("fill the connected region"));
  add_tool(tr("Rectangle"), Tool::Rectangle, Qt::Key_R, tr("drag to fill a rectangle"));
  add_tool(tr("Ellipse"), Tool::Ellipse, Qt::Key_U, tr("drag to fill an ellipse"));
  add_tool(tr("Lasso"), Tool::Lasso, Qt::Key_L, tr("draw around a region to fill it"));
  add_tool(tr("Eyedropper"), Tool::Eyedropper, Qt::Key_I, tr("pick the class under the cursor"));
  add_tool(tr("Smart Select"), Tool::SmartSelect, Qt::Key_S, tr("click or drag on the photo to label a whole object"));
  toolbar->addSeparator();
  tools_menu->addSeparator();
  mask_mode_ = tools_menu->addAction(tr("Mask Mode"));
  mask_mode_->setCheckable(true);
  mask_mode_->setShortcut(QKeySequence(Qt::Key_M));
  mask_mode_->setToolTip(tr("Mask mode (M): the tools paint the region to regenerate, shown hatched"));
  toolbar->addAction(mask_mode_);
  connect(mask_mode_, &QAction::toggled, canvas_, &CanvasView::setMaskMode);
  auto* smaller = tools_menu->addAction(tr("Smaller Brush"));
  smaller->setShortcut(QKeySequence(Qt::Key_BracketLeft));
  connect(smaller, &QAction::triggered, this, [this] { canvas_->setBrushRadius(canvas_->brushRadius() / 1.25); });
  auto* larger = tools_menu->addAction(tr("Larger Brush"));
  larger->setShortcut(QKeySequence(Qt::Key_BracketRight));
  connect(larger, &QAction::triggered, this, [this] { canvas_->setBrushRadius(canvas_->brushRadius() * 1.25); });
  auto* set_eraser = tools_menu->addAction(tr("Use Current Class as Eraser Background"));
  connect(set_eraser, &QAction::triggered, this, [this] { canvas_->setEraserClass(canvas_->currentClass()); });

  toolbar->addSeparator();
  toolbar->addWidget(new QLabel(tr(" Labels over photo ")));
  auto* opacity = new QSlider(Qt::Horizontal);
  opacity->setObjectName("labelOpacity");
  opacity->setRange(0, 100);
  opacity->setValue(int(canvas_->labelOpacity() * 100));
  opacity->setMaximumWidth(140);
  opacity->setToolTip(tr("How strongly the labels cover the photo underneath"));
  connect(opacity, &QSlider::valueChanged, this, [this](int value) { canvas_->setLabelOpacity(value / 100.0); });
  toolbar->addWidget(opacity);
}

// --- Model ---

void MainWindow::loadModel(const QString& path) {
  requested_model_ = path;
  panel_->setStatus(tr("Loading %1…").arg(path.isEmpty() ? tr("the shipped model") : QFileInfo(path).fileName()));
  QMetaObject::invokeMethod(worker_, [worker = worker_, path] { worker->loadModel(path, "auto"); }, Qt::QueuedConnection);
}

void MainWindow::onModelLoaded(const ModelSummary& summary) {
  const ClassSet classes = summary.classes ? *summary.classes : numberedClasses(summary.num_classes);
  const bool same_space = model_ && document_ && model_->dataset == summary.dataset && model_->size == summary.size &&
                          document_->classes().num_classes == classes.num_classes;
  // Another label space or size needs a new map: the painted one is saved first, or the switch undone.
  if (!same_space && document_ && modified_ && !pending_project_ && !maybeSave()) {
    loadModel(model_ ? model_->path : QString());
    return;
  }
  // A model the user switches to (or the first, before any settings were saved) comes with the
  // sampler it recommends.
  if ((model_ && model_->path != summary.path) || (!model_ && !QSettings().contains("generation"))) {
    GenerationSettings settings = panel_->settings();
    if (settings.setStepSpec(summary.default_steps)) panel_->setSettings(settings);
  }
  model_ = summary;
  panel_->setModel(summary);
  panel_->setStatus(tr("Ready."));
  if (!requested_model_.isEmpty()) panel_->setRecentModels(remember("recentModels", requested_model_));
  panel_->setCurrentModel(requested_model_);
  if (!same_space) {
    delete document_;
    document_ = new LabelDocument(classes, summary.size, this);
    canvas_->setDocument(document_);
    palette_->setClasses(classes);
    palette_->setRecent(QSettings().value("recentClasses/" + summary.dataset).value<QList<int>>());
    canvas_->setCurrentClass(palette_->currentClass());
    canvas_->setEraserClass(classes.classes.empty() ? 0 : classes.classes.front().id);
    // The mask changes only by undoable edits and resets; checking it on every `changed` would
    // scan the whole mask at each mouse move of a stroke.
    connect(document_->undoStack(), &QUndoStack::indexChanged, this, [this] {
      setModified(true);
      updateCanRegenerate();
    });
    connect(document_, &LabelDocument::documentReset, this, &MainWindow::updateCanRegenerate);
    connect(document_, &LabelDocument::photoChanged, this, &MainWindow::updateCanRegenerate);
  }
  if (pending_project_) {
    const Project project = *pending_project_;
    pending_project_.reset();
    applyProject(project);
  }
  Q_EMIT modelReady();
}

// Puts `path` first in the settings' list `key`; returns the list.
QStringList MainWindow::remember(const QString& key, const QString& path) {
  QSettings settings;
  QStringList recent = settings.value(key).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kRecentFiles) recent.removeLast();
  settings.setValue(key, recent);
  return recent;
}

// --- Files ---

bool MainWindow::openLabelMap(const QString& path) {
  if (!document_) return false;
  return attempt([&] {
    replaceLayer(LabelDocument::Layer::Labels, readLabelImage(path, document_->classes(), document_->size()), tr("Open label map"));
  });
}

bool MainWindow::openPhoto(const QString& path) {
  if (!document_) return false;
  return attempt([&] {
    const QImage photo = readPhoto(path);
    const QImage cropped = cropToAspect(photo, document_->modelSize());
    document_->setPhoto(cropped);
    if (cropped.size() != photo.size())
      statusBar()->showMessage(tr("The photo was cropped to the model's aspect ratio (%1×%2 of %3×%4).")
                                   .arg(cropped.width()).arg(cropped.height()).arg(photo.width()).arg(photo.height()), 8000);
    setModified(true);
  });
}

bool MainWindow::openMask(const QString& path) {
  if (!document_) return false;
  return attempt([&] { replaceLayer(LabelDocument::Layer::Mask, readMaskImage(path, document_->size()), tr("Open mask")); });
}

void MainWindow::replaceLayer(LabelDocument::Layer layer, const QImage& pixels, const QString& text) {
  const QImage before = document_->layer(layer).copy();
  document_->editableLayer(layer) = pixels;
  document_->commitEdit(layer, pixels.rect(), before, text);
}

Project MainWindow::currentProject() const {
  Project project;
  project.model_path = model_ ? model_->path : requested_model_;
  if (document_) {
    project.classes = QString::fromStdString(document_->classes().name);
    project.labels = document_->labels();
    project.mask = document_->mask();
    project.photo = document_->photo();
  }
  project.settings = panel_->settings();
  project.results = gallery_->results();
  return project;
}

bool MainWindow::saveProject(const QString& path) {
  return attempt([&] {
    ::sdm::ui::saveProject(path, currentProject());
    project_path_ = path;
    remember("recentProjects", path);
    setModified(false);
    statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
  });
}

bool MainWindow::openProject(const QString& path) {
  return attempt([&] {
    const Project project = loadProject(path);
    project_path_ = path;
    remember("recentProjects", path);
    const QString wanted = project.model_path;
    if (model_ && (wanted.isEmpty() || wanted == model_->path)) {
      applyProject(project);
    } else {
      pending_project_ = project;
      loadModel(wanted);
    }
  });
}

void MainWindow::applyProject(const Project& project) {
  if (!document_) return;
  if (project.labels.size() != document_->size() || project.classes != QString::fromStdString(document_->classes().name)) {
    showError(tr("The project's label map (%1, %2×%3) does not fit the model (%4, canvas %5×%6).")
                  .arg(project.classes).arg(project.labels.width()).arg(project.labels.height())
                  .arg(QString::fromStdString(document_->classes().name)).arg(document_->size().width()).arg(document_->size().height()));
    return;
  }
  document_->reset(project.labels, project.mask, project.photo);
  panel_->setSettings(project.settings);
  gallery_->setResults(project.results);
  setModified(false);
}

void MainWindow::autosaveNow() {
  if (!document_) return;
  try {
    autosave_.save(currentProject());
  } catch (const std::exception& e) {
    statusBar()->showMessage(tr("Autosave failed: %1").arg(errorText(e)), 8000);
  }
}

void MainWindow::offerRecovery(bool ask) {
  if (!autosave_.hasRecovery()) return;
  if (ask && QMessageBox::question(this, tr("Recover your work?"),
                                   tr("SDM Paint did not close normally last time. Restore the session it saved?")) != QMessageBox::Yes) {
    autosave_.discard();
    return;
  }
  try {
    const Project project = autosave_.recover();
    if (model_ && (project.model_path.isEmpty() || project.model_path == model_->path)) applyProject(project);
    else {
      pending_project_ = project;
      loadModel(project.model_path);
    }
    setModified(true);
  } catch (const std::exception& e) {
    showError(tr("The autosaved session cannot be restored: %1").arg(errorText(e)));
  }
}

// --- Generation ---

void MainWindow::generate() {
  const auto settings = panel_->settings();
  startJob(jobFor(settings, panel_->nextSeed(), settings.variations), false);
}

void MainWindow::regenerateSeed(qint64 seed) { startJob(jobFor(panel_->settings(), seed, 1), false); }

void MainWindow::regenerateMasked() {
  if (!document_ || document_->photo().isNull() || !document_->hasMask()) {
    showError(tr("Regenerating needs a photo (File ▸ Open Photo, or Use as photo) and a mask painted in mask mode (M)."));
    return;
  }
  const auto settings = panel_->settings();
  GenerationJob job = jobFor(settings, panel_->nextSeed(), settings.variations);
  job.mask = document_->mask();
  job.photo = document_->photo();
  startJob(job, false);
}

void MainWindow::startJob(GenerationJob job, bool draft) {
  if (!model_ || !document_) {
    showError(tr("No model is loaded yet."));
    return;
  }
  job.id = next_job_++;
  job.labels = document_->modelLabels();
  const double rate = screen() ? screen()->refreshRate() : 60.0;
  job.preview_interval_ms = int(1000.0 / std::max(1.0, rate));
  // A new run replaces the one in progress.
  worker_->cancelUpTo(job.id - 1);
  running_job_ = job.id;
  running_draft_ = draft;
  job_timer_.start();
  gallery_->beginBatch(job.count, job.seed, draft);
  panel_->setBusy(true);
  panel_->setProgress(0, 1, -1);
  panel_->setStatus(draft ? tr("Drawing a draft…") : tr("Generating %n variation(s)…", nullptr, job.count));
  QMetaObject::invokeMethod(worker_, [worker = worker_, job] { worker->generate(job); }, Qt::QueuedConnection);
}

void MainWindow::cancelGeneration() {
  if (running_job_ < 0) return;
  worker_->cancelUpTo(running_job_);
  panel_->setStatus(tr("Cancelling…"));
}

void MainWindow::onProgress(int job, int step, int total, const QList<QImage>& previews) {
  if (job != running_job_) return;
  gallery_->showPreviews(previews);
  const double elapsed = job_timer_.elapsed() / 1000.0;
  panel_->setProgress(step, total, step > 0 ? elapsed / step * (total - step) : -1);
}

void MainWindow::onFinished(int job, const QList<QImage>& results, const QList<qint64>& seeds) {
  if (job != running_job_) return;
  running_job_ = -1;
  gallery_->finishBatch(results, seeds);
  panel_->setBusy(false);
  panel_->setStatus(tr("Done in %1 s.").arg(job_timer_.elapsed() / 1000.0, 0, 'f', 1));
  if (!running_draft_) {
    setModified(true);
    autosaveNow();
  }
  Q_EMIT generationFinished();
}

void MainWindow::onStopped(int job, const QString& error) {
  if (job != running_job_) return;
  running_job_ = -1;
  gallery_->abandonBatch();
  panel_->setBusy(false);
  panel_->setStatus(error.isEmpty() ? tr("Cancelled.") : tr("Failed."));
  if (!error.isEmpty()) showError(error);
  Q_EMIT generationStopped();
}

// --- State ---

bool MainWindow::attempt(const std::function<void()>& action) {
  try {
    action();
    return true;
  } catch (const std::exception& e) {
    showError(errorText(e));
    return false;
  }
}

void MainWindow::showError(const QString& text) {
  last_error_ = text;
  auto* box = new QMessageBox(QMessageBox::Warning, tr("SDM Paint"), text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();  // window-modal, and the event loop — the sampler's previews — keeps running
  Q_EMIT errorShown(text);
}

void MainWindow::updateCanRegenerate() { panel_->setCanRegenerate(document_ && document_->hasMask() && !document_->photo().isNull()); }

void MainWindow::setModified(bool modified) {
  modified_ = modified;
  updateTitle();
}

void MainWindow::updateTitle() {
  const QString name = project_path_.isEmpty() ? tr("Untitled") : QFileInfo(project_path_).fileName();
  setWindowTitle(QString("%1%2 — SDM Paint").arg(name, modified_ ? "*" : ""));
}

bool MainWindow::maybeSave() {
  if (!modified_) return true;
  const auto answer = QMessageBox::question(this, tr("Save changes?"), tr("The project has unsaved changes. Save them first?"),
                                            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  if (answer == QMessageBox::Discard) return true;
  QString path = project_path_;
  if (path.isEmpty()) path = QFileDialog::getSaveFileName(this, tr("Save project"), "untitled.sdmp", tr("SDM Paint projects (*.sdmp)"));
  return !path.isEmpty() && saveProject(path);
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue("generation", panel_->settings().toJson());
  settings.setValue("labelOpacity", canvas_->labelOpacity());
  settings.setValue("outlines", canvas_->outlines());
  settings.setValue("geometry", saveGeometry());
  settings.setValue("windowState", saveState());
  if (model_) {
    settings.setValue("lastModel", requested_model_);
    settings.setValue("recentClasses/" + model_->dataset, QVariant::fromValue(palette_->recent()));
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!maybeSave()) {
    event->ignore();
    return;
  }
  saveSettings();
  autosave_.discard();  // a clean exit: nothing to recover next time
  event->accept();
}

}  // namespace sdm::ui
