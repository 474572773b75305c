#pragma once

#include "ui/sampler_worker.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <optional>

namespace sdm::ui {

class GenerationPanel;
class LabelDocument;
class ResultGallery;

// The sampler's side of the app: the worker thread and its model, the jobs sent to it (Generate,
// Regenerate in mask, one seed again, live drafts), Cancel, and what their progress and results
// do to the generation panel and the gallery.
class GenerationController : public QObject {
  Q_OBJECT

public:
  // `window`: whose screen paces the previews.
  GenerationController(GenerationPanel* panel, ResultGallery* gallery, QWidget* window);
  ~GenerationController() override;  // cancels the jobs and stops the worker

  void setDocument(LabelDocument* document);

  // Loads a checkpoint on the worker (empty: the shipped model); modelLoaded or errorOccurred follows.
  void loadModel(const QString& path);
  const std::optional<ModelSummary>& model() const { return model_; }
  const QString& requestedModel() const { return requested_model_; }  // empty: the shipped model
  // Makes a loaded model the current one: the panel shows it, with the sampler it recommends
  // when the user switched to it (or when no settings were ever saved).
  void adoptModel(const ModelSummary& summary);
  // Runs `action` at once when the model `path` is loaded (empty: whichever is), else loads it and
  // runs `action` once it is there (runPendingAction); a model that fails to load drops it.
  void withModel(const QString& path, std::function<void()> action);
  bool hasPendingAction() const { return bool(pending_action_); }
  void runPendingAction();

  bool isGenerating() const { return running_job_ >= 0; }
  void generate();
  void regenerateMasked();
  void regenerateSeed(qint64 seed);
  void cancel();
  void drawLiveDraft();                  // after a stroke, when live mode is on
  void onLiveModeChanged(bool on);       // on: a draft now; off: the running draft stops

Q_SIGNALS:
  void modelLoaded(const sdm::ui::ModelSummary& summary);
  void generationFinished(bool draft);
  void generationStopped();  // cancelled or failed
  void errorOccurred(const QString& text);

private:
  GenerationJob jobFor(qint64 seed, int count) const;
  void startJob(GenerationJob job, bool draft);
  void onModelFailed(const QString& path, const QString& error);
  void onProgress(int job, int step, int total, const QList<QImage>& previews);
  void onFinished(int job, const QList<QImage>& results, const QList<qint64>& seeds);
  void onCancelled(int job);
  void onFailed(int job, const QString& error);
  void endJob();

  GenerationPanel* panel_;
  ResultGallery* gallery_;
  QWidget* window_;
  QPointer<LabelDocument> document_;
  QThread worker_thread_;
  SamplerWorker* worker_;
  std::optional<ModelSummary> model_;
  QString requested_model_;
  std::function<void()> pending_action_;  // waits for its model

  int next_job_ = 0;
  int running_job_ = -1;
  bool running_draft_ = false;
  QElapsedTimer job_timer_;
};

}  // namespace sdm::ui
