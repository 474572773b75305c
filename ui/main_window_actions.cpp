#include "ui/main_window_actions.h"

#include "ui/canvas_view.h"
#include "ui/file_controller.h"
#include "ui/main_window.h"
#include "ui/tools/tool_manager.h"

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QSlider>
#include <QToolBar>
#include <QUndoGroup>

namespace sdm::ui {

namespace {
constexpr double kZoomStep = 1.25;
constexpr double kBrushStep = 1.25;
}  // namespace

MainWindowActions::MainWindowActions(MainWindow* window, FileController* files, ToolManager* tools, CanvasView* canvas,
                                     QUndoGroup* undo)
    : QObject(window), window_(window), files_(files), tools_(tools), canvas_(canvas), undo_(undo),
      toolbar_(window->addToolBar(tr("Tools"))) {
  toolbar_->setObjectName("toolsToolbar");
  createFileMenu();
  createEditMenu();
  createViewMenu();
  createToolsMenu();
}

QAction* MainWindowActions::addAction(QMenu* menu, const QString& text, const QKeySequence& shortcut) {
  auto* action = menu->addAction(text);
  action->setShortcut(shortcut);
  return action;
}

void MainWindowActions::createFileMenu() {
  auto* file = window_->menuBar()->addMenu(tr("&File"));
  connect(addAction(file, tr("&New Label Map"), QKeySequence::New), &QAction::triggered, files_, &FileController::newLabelMap);
  connect(addAction(file, tr("&Open Project…"), QKeySequence::Open), &QAction::triggered, files_, &FileController::askOpenProject);
  auto* recent = file->addMenu(tr("Open &Recent"));
  connect(recent, &QMenu::aboutToShow, files_, [files = files_, recent] { files->fillRecentMenu(recent); });
  connect(addAction(file, tr("Open &Label Map…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)), &QAction::triggered, files_,
          &FileController::askOpenLabelMap);
  connect(addAction(file, tr("Open &Photo…"), QKeySequence(Qt::CTRL | Qt::Key_P)), &QAction::triggered, files_,
          &FileController::askOpenPhoto);
  connect(addAction(file, tr("Open &Mask…"), QKeySequence()), &QAction::triggered, files_, &FileController::askOpenMask);
  file->addSeparator();
  connect(addAction(file, tr("&Save Project"), QKeySequence::Save), &QAction::triggered, files_, &FileController::save);
  connect(addAction(file, tr("Save Project &As…"), QKeySequence::SaveAs), &QAction::triggered, files_, &FileController::saveAs);
  connect(addAction(file, tr("Save Label Map (class ids)…"), QKeySequence()), &QAction::triggered, files_,
          &FileController::askSaveLabelMap);
  connect(addAction(file, tr("Export Label Map (colours)…"), QKeySequence()), &QAction::triggered, files_,
          &FileController::askExportLabelMap);
  file->addSeparator();
  connect(addAction(file, tr("&Quit"), QKeySequence::Quit), &QAction::triggered, window_, &QWidget::close);
}

void MainWindowActions::createEditMenu() {
  auto* edit = window_->menuBar()->addMenu(tr("&Edit"));
  auto* undo = undo_->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  edit->addAction(undo);
  auto* redo = undo_->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::Key_Y)});
  edit->addAction(redo);
  edit->addSeparator();
  connect(addAction(edit, tr("Clear &Mask"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)), &QAction::triggered, window_,
          &MainWindow::clearMask);
}

void MainWindowActions::createViewMenu() {
  auto* view = window_->menuBar()->addMenu(tr("&View"));
  connect(addAction(view, tr("Zoom to &Fit"), QKeySequence(Qt::CTRL | Qt::Key_0)), &QAction::triggered, canvas_, &CanvasView::zoomToFit);
  connect(addAction(view, tr("&Actual Size (100 %)"), QKeySequence(Qt::CTRL | Qt::Key_1)), &QAction::triggered, this,
          &MainWindowActions::zoomToActualSize);
  connect(addAction(view, tr("Zoom &In"), QKeySequence::ZoomIn), &QAction::triggered, this, &MainWindowActions::zoomIn);
  connect(addAction(view, tr("Zoom &Out"), QKeySequence::ZoomOut), &QAction::triggered, this, &MainWindowActions::zoomOut);
  auto* outlines = addAction(view, tr("Class &Outlines"), QKeySequence(Qt::Key_O));
  outlines->setCheckable(true);
  outlines->setChecked(canvas_->outlines());
  connect(outlines, &QAction::toggled, canvas_, &CanvasView::setOutlines);
}

void MainWindowActions::createToolsMenu() {
  auto* menu = window_->menuBar()->addMenu(tr("&Tools"));
  menu->addActions(tools_->actions());
  toolbar_->addActions(tools_->actions());
  toolbar_->addSeparator();
  menu->addSeparator();
  auto* mask_mode = addAction(menu, tr("Mask Mode"), QKeySequence(Qt::Key_M));
  mask_mode->setCheckable(true);
  mask_mode->setToolTip(tr("Mask mode (M): the tools paint the region to regenerate, shown hatched"));
  toolbar_->addAction(mask_mode);
  connect(mask_mode, &QAction::toggled, tools_->options(), &PaintOptions::setMaskMode);
  connect(addAction(menu, tr("Smaller Brush"), QKeySequence(Qt::Key_BracketLeft)), &QAction::triggered, this,
          &MainWindowActions::makeBrushSmaller);
  connect(addAction(menu, tr("Larger Brush"), QKeySequence(Qt::Key_BracketRight)), &QAction::triggered, this,
          &MainWindowActions::makeBrushLarger);
  connect(addAction(menu, tr("Use Current Class as Eraser Background"), QKeySequence()), &QAction::triggered, this,
          &MainWindowActions::useCurrentClassAsEraserBackground);

  toolbar_->addSeparator();
  toolbar_->addWidget(new QLabel(tr(" Labels over photo ")));
  auto* opacity = new QSlider(Qt::Horizontal);
  opacity->setObjectName("labelOpacity");
  opacity->setRange(0, 100);
  opacity->setValue(int(canvas_->labelOpacity() * 100));
  opacity->setMaximumWidth(140);
  opacity->setToolTip(tr("How strongly the labels cover the photo underneath"));
  connect(opacity, &QSlider::valueChanged, this, &MainWindowActions::setLabelOpacityPercent);
  toolbar_->addWidget(opacity);
}

void MainWindowActions::zoomToActualSize() { canvas_->setZoom(1.0, canvas_->rect().center()); }
void MainWindowActions::zoomIn() { canvas_->setZoom(canvas_->zoom() * kZoomStep, canvas_->rect().center()); }
void MainWindowActions::zoomOut() { canvas_->setZoom(canvas_->zoom() / kZoomStep, canvas_->rect().center()); }

void MainWindowActions::makeBrushSmaller() { tools_->options()->setBrushRadius(tools_->options()->brushRadius() / kBrushStep); }
void MainWindowActions::makeBrushLarger() { tools_->options()->setBrushRadius(tools_->options()->brushRadius() * kBrushStep); }

void MainWindowActions::useCurrentClassAsEraserBackground() {
  tools_->options()->setEraserClass(tools_->options()->currentClass());
}

void MainWindowActions::setLabelOpacityPercent(int percent) { canvas_->setLabelOpacity(percent / 100.0); }

}  // namespace sdm::ui
