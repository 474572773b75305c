#pragma once

#include "ui/sampler_worker.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <optional>
#include <utility>

namespace sdm::ui {

class GenerationPanel;
class LabelDocument;
class ResultGallery;

// The sampler's side of the app: the worker thread and its models (the base model and its
// upscaler), the jobs sent to it (Generate through both stages or the base alone, Upscale of kept
// layouts, Regenerate in mask, Regenerate this, live drafts), Cancel, and what their progress and
// results do to the generation panel and the gallery.
class GenerationController : public QObject {
  Q_OBJECT

public:
  // `window`: whose screen paces the previews.
  GenerationController(GenerationPanel* panel, ResultGallery* gallery, QWidget* window);
  ~GenerationController() override;  // cancels the jobs and stops the worker

  void setDocument(LabelDocument* document);

  // Loads a checkpoint on the worker (empty: the shipped model) with the upscaler chosen;
  // modelLoaded or errorOccurred follows.
  void loadModel(const QString& path);
  // Another upscaler (or none) after the loaded base model, which stays loaded.
  void setUpscaler(const UpscalerChoice& choice);
  // The upscaler the next loadModel chains, remembered for the next session.
  void setUpscalerChoice(const UpscalerChoice& choice);
  const UpscalerChoice& upscalerChoice() const { return upscaler_choice_; }
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
  // The worker, for what watches it from its own thread (tests, the latency benchmark).
  SamplerWorker* worker() const { return worker_; }
  void generate();
  void regenerateMasked();
  void regenerate(const KeptResult& result);  // the same picture again, from the current map
  void upscale(const QList<int>& rows);        // the gallery's layouts at those rows, detail stage only
  void cancel();
  // After an edit or an undo/redo, when live mode is on; after a running non-draft job, when one
  // comes during it.
  void drawLiveDraft();
  void onLiveModeChanged(bool on);       // on: a draft now; off: the running draft stops

  // The part of the photo an edit at `region` (canvas pixels; null: the whole map) regenerates,
  // in photo pixels, with the model's aspect ratio; what regenerateMasked uses.
  QRect photoRegion(QRect region) const;

Q_SIGNALS:
  void modelLoaded(const sdm::ui::ModelSummary& summary);
  void progressShown(const sdm::ui::ChainProgress& progress);  // each preview the window showed
  void generationFinished(bool draft);
  void generationStopped();  // cancelled or failed
  void errorOccurred(const QString& text);

private:
  GenerationJob jobFor(qint64 seed, int count) const;
  void editJob(GenerationJob job);
  void startJob(GenerationJob job, bool draft);
  void onModelFailed(const QString& path, const QString& error);
  void onSpeedMeasured(const QString& path, double picture_seconds, double reused_picture_seconds);
  void onProgressReady();
  void onLayoutsReady(int job, const QList<QImage>& layouts);
  void onFinished(int job, const QList<KeptResult>& results);
  void onCancelled(int job);
  void onFailed(int job, const QString& error);
  void endJob();
  double secondsLeft(const ChainProgress& progress);

  GenerationPanel* panel_;
  ResultGallery* gallery_;
  QWidget* window_;
  QPointer<LabelDocument> document_;
  QThread worker_thread_;
  SamplerWorker* worker_;
  std::optional<ModelSummary> model_;
  struct {
    QString path;
    double picture_seconds = -1, reused_picture_seconds = -1;
  } measured_speed_;  // the last speedMeasured
  QString requested_model_;
  UpscalerChoice upscaler_choice_;
  UpscalerChoice previous_upscaler_choice_;
  std::function<void()> pending_action_;  // waits for its model

  int next_job_ = 0;
  int running_job_ = -1;
  bool running_draft_ = false;
  GenerationJob running_;            // what the running job is (its records merge into Upscale's)
  QList<KeptResult> refreshed_;      // an upscale's tiles before it
  QList<int> refreshed_rows_;
  QElapsedTimer job_timer_;
  bool draft_pending_ = false;       // an edit asked for a live draft while a non-draft job ran
  // For the time left: seconds a detail step took per picture, measured in the last job that ran
  // the stage; < 0: never measured.
  double detail_step_seconds_ = -1;
  qint64 detail_started_ms_ = -1;    // when the running job's detail stage began
  int detail_total_ = 0;             // its steps, all pictures
};

}  // namespace sdm::ui

Q_DECLARE_METATYPE(sdm::ui::ChainProgress)
