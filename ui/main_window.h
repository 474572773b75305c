#pragma once

#include "ui/label_document.h"
#include "ui/project_file.h"
#include "ui/sampler_worker.h"

#include <QMainWindow>
#include <QPointer>
#include <QUndoGroup>

class QLabel;

namespace sdm::ui {

class CanvasView;
class ClassPalette;
class FileController;
class GenerationController;
class GenerationPanel;
class ResultGallery;
class ToolManager;

struct MainWindowOptions {
  QString autosave_path;  // empty: the app's data folder
  int autosave_interval_ms = 60'000;
};

// The painting app: canvas in the middle, classes and generation settings on the left, results
// on the right. It owns the widgets and the document and wires them to the objects that do the
// work: the tools (ToolManager), the files (FileController), the sampler (GenerationController)
// and the menus (MainWindowActions).
class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(MainWindowOptions options = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a checkpoint on the worker (empty: the shipped model); modelReady or an error follows.
  void loadModel(const QString& path);
  bool openLabelMap(const QString& path);
  bool openPhoto(const QString& path);
  bool openMask(const QString& path);  // white = regenerate; scaled to the map with nearest neighbour
  bool openProject(const QString& path);
  bool saveProject(const QString& path);
  void generate();
  void regenerateMasked();
  void regenerate(const KeptResult& result);  // Regenerate this
  void upscale(const QList<int>& rows);       // the gallery's Upscale
  void cancelGeneration();
  bool isGenerating() const;
  // Offers the autosaved session of a run that did not end cleanly; `ask` false restores it at once.
  void offerRecovery(bool ask = true);
  void autosaveNow();
  void clearMask();

  Project currentProject() const;
  LabelDocument* document() const { return document_; }
  CanvasView* canvas() const { return canvas_; }
  ToolManager* tools() const { return tools_; }
  ClassPalette* classPalette() const { return palette_; }
  GenerationPanel* generationPanel() const { return panel_; }
  ResultGallery* gallery() const { return gallery_; }
  GenerationController* generation() const { return generation_; }
  const QString& lastError() const { return last_error_; }

Q_SIGNALS:
  void modelReady();
  void generationFinished();
  void generationStopped();  // cancelled or failed
  void errorShown(const QString& text);

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void createDocks();
  void connectWidgets();
  void restoreSettings();
  void saveSettings() const;
  void onModelLoaded(const ModelSummary& summary);
  void replaceDocument(const ClassSet& classes, const ModelSummary& summary);
  void onDocumentEdited();
  void onGenerationFinished(bool draft);
  void useResultAsPhoto(const QImage& image);
  void showHoveredClass(QPoint pixel, int id);
  void showZoom(double zoom);
  void showMessage(const QString& text);
  void showError(const QString& text);
  void updateCanRegenerate();  // Regenerate in mask needs a photo and a mask

  QPointer<LabelDocument> document_;
  QUndoGroup undo_group_;
  ToolManager* tools_;
  CanvasView* canvas_;
  ClassPalette* palette_;
  GenerationPanel* panel_;
  ResultGallery* gallery_;
  QLabel* cursor_label_;
  QLabel* zoom_label_;
  GenerationController* generation_;
  FileController* files_;
  QString last_error_;
};

}  // namespace sdm::ui
