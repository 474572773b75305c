#pragma once

#include "ui/autosave.h"
#include "ui/canvas_view.h"
#include "ui/project_file.h"
#include "ui/sampler_worker.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QActionGroup;
class QLabel;

namespace sdm::ui {

class ClassPalette;
class GenerationPanel;
class LabelDocument;
class ResultGallery;

struct MainWindowOptions {
  QString autosave_path;  // empty: the app's data folder
  int autosave_interval_ms = 60'000;
};

// The painting app: canvas in the middle, classes on the left, generation and results on the
// right; the sampler runs on a worker thread.
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
  void regenerateSeed(qint64 seed);
  void cancelGeneration();
  bool isGenerating() const { return running_job_ >= 0; }
  // Offers the autosaved session of a run that did not end cleanly; `ask` false restores it at once.
  void offerRecovery(bool ask = true);
  void autosaveNow();

  Project currentProject() const;
  LabelDocument* document() const { return document_; }
  CanvasView* canvas() const { return canvas_; }
  ClassPalette* classPalette() const { return palette_; }
  GenerationPanel* generationPanel() const { return panel_; }
  ResultGallery* gallery() const { return gallery_; }
  const QString& lastError() const { return last_error_; }

Q_SIGNALS:
  void modelReady();
  void generationFinished();
  void generationStopped();  // cancelled or failed
  void errorShown(const QString& text);

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void createActions();
  void onModelLoaded(const ModelSummary& summary);
  void applyProject(const Project& project);
  void startJob(GenerationJob job, bool draft);
  void onProgress(int job, int step, int total, const QList<QImage>& previews);
  void onFinished(int job, const QList<QImage>& results, const QList<qint64>& seeds);
  void onStopped(int job, const QString& error);
  void showError(const QString& text);
  // Replaces a whole layer as one undoable edit.
  void replaceLayer(LabelDocument::Layer layer, const QImage& pixels, const QString& text);
  // Runs `action`; an exception becomes an error dialog (and false).
  bool attempt(const std::function<void()>& action);
  void setModified(bool modified);
  void updateCanRegenerate();  // Regenerate in mask needs a photo and a mask
  void updateTitle();
  static QStringList remember(const QString& key, const QString& path);
  void saveSettings() const;
  bool maybeSave();

  MainWindowOptions options_;
  Autosave autosave_;
  QThread worker_thread_;
  SamplerWorker* worker_;
  std::optional<ModelSummary> model_;
  QString requested_model_;
  std::optional<Project> pending_project_;  // waits for its model
  QPointer<LabelDocument> document_;
  CanvasView* canvas_;
  ClassPalette* palette_;
  GenerationPanel* panel_;
  ResultGallery* gallery_;
  QLabel* cursor_label_;
  QLabel* zoom_label_;
  QActionGroup* tools_;
  QAction* mask_mode_;

  int next_job_ = 0;
  int running_job_ = -1;
  bool running_draft_ = false;
  QElapsedTimer job_timer_;
  QString project_path_;
  bool modified_ = false;
  QTimer autosave_timer_;
  QString last_error_;
};

}  // namespace sdm::ui
