#pragma once

#include <QObject>

class QAction;
class QMenu;
class QToolBar;
class QUndoGroup;

namespace sdm::ui {

class CanvasView;
class FileController;
class MainWindow;
class ToolManager;

// The main window's menus and tool bar: every action with its shortcut, connected to the object
// that does it (the files, the tools and their options, the canvas's view, the undo stack).
class MainWindowActions : public QObject {
  Q_OBJECT

public:
  MainWindowActions(MainWindow* window, FileController* files, ToolManager* tools, CanvasView* canvas, QUndoGroup* undo);

private:
  void createFileMenu();
  void createEditMenu();
  void createViewMenu();
  void createToolsMenu();
  QAction* addAction(QMenu* menu, const QString& text, const QKeySequence& shortcut);

  void zoomToActualSize();
  void zoomIn();
  void zoomOut();
  void makeBrushSmaller();
  void makeBrushLarger();
  void useCurrentClassAsEraserBackground();
  void setLabelOpacityPercent(int percent);

  MainWindow* window_;
  FileController* files_;
  ToolManager* tools_;
  CanvasView* canvas_;
  QUndoGroup* undo_;
  QToolBar* toolbar_;
};

}  // namespace sdm::ui
