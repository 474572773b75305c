#include "ui/generation_controller.h"

#include "ui/generation_panel.h"
#include "ui/label_document.h"
#include "ui/recent_files.h"
#include "ui/result_gallery.h"

#include <QFileInfo>
#include <QScreen>
#include <QSettings>
#include <QWidget>

#include <limits>

namespace sdm::ui {

namespace {
constexpr int kDraftSteps = 10;
}

GenerationController::GenerationController(GenerationPanel* panel, ResultGallery* gallery, QWidget* window)
    : QObject(window), panel_(panel), gallery_(gallery), window_(window), worker_(new SamplerWorker) {
  qRegisterMetaType<ModelSummary>();
  qRegisterMetaType<QList<QImage>>();
  qRegisterMetaType<QList<qint64>>();
  // The sampler's thread: every call into the worker is queued onto it.
  worker_->moveToThread(&worker_thread_);
  connect(&worker_thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &SamplerWorker::modelLoaded, this, &GenerationController::modelLoaded);
  connect(worker_, &SamplerWorker::modelFailed, this, &GenerationController::onModelFailed);
  connect(worker_, &SamplerWorker::progress, this, &GenerationController::onProgress);
  connect(worker_, &SamplerWorker::finished, this, &GenerationController::onFinished);
  connect(worker_, &SamplerWorker::cancelled, this, &GenerationController::onCancelled);
  connect(worker_, &SamplerWorker::failed, this, &GenerationController::onFailed);
  worker_thread_.start();

  connect(panel_, &GenerationPanel::generateRequested, this, &GenerationController::generate);
  connect(panel_, &GenerationPanel::regenerateMaskedRequested, this, &GenerationController::regenerateMasked);
  connect(panel_, &GenerationPanel::cancelRequested, this, &GenerationController::cancel);
  connect(panel_, &GenerationPanel::modelRequested, this, &GenerationController::loadModel);
  connect(panel_, &GenerationPanel::liveModeChanged, this, &GenerationController::onLiveModeChanged);
  connect(gallery_, &ResultGallery::regenerateRequested, this, &GenerationController::regenerateSeed);
}

GenerationController::~GenerationController() {
  worker_->cancelUpTo(std::numeric_limits<int>::max());
  worker_thread_.quit();
  worker_thread_.wait();
}

void GenerationController::setDocument(LabelDocument* document) { document_ = document; }

// --- Model ---

void GenerationController::loadModel(const QString& path) {
  requested_model_ = path;
  panel_->setStatus(tr("Loading %1…").arg(path.isEmpty() ? tr("the shipped model") : QFileInfo(path).fileName()));
  QMetaObject::invokeMethod(worker_, [worker = worker_, path] { worker->loadModel(path, "auto"); }, Qt::QueuedConnection);
}

void GenerationController::adoptModel(const ModelSummary& summary) {
  if ((model_ && model_->path != summary.path) || (!model_ && !QSettings().contains("generation"))) {
    GenerationSettings settings = panel_->settings();
    if (settings.setStepSpec(summary.default_steps)) panel_->setSettings(settings);
  }
  model_ = summary;
  panel_->setModel(summary);
  panel_->setStatus(tr("Ready."));
  if (!requested_model_.isEmpty()) panel_->setRecentModels(rememberRecent("recentModels", requested_model_));
  panel_->setCurrentModel(requested_model_);
}

void GenerationController::withModel(const QString& path, std::function<void()> action) {
  if (model_ && (path.isEmpty() || path == model_->path)) {
    action();
    return;
  }
  pending_action_ = std::move(action);
  loadModel(path);
}

void GenerationController::runPendingAction() {
  if (const auto action = std::exchange(pending_action_, nullptr)) action();
}

void GenerationController::onModelFailed(const QString& path, const QString& error) {
  pending_action_ = nullptr;
  Q_EMIT errorOccurred(tr("Cannot load the model %1:\n%2").arg(path.isEmpty() ? tr("(shipped default)") : path, error));
}

// --- Jobs ---

GenerationJob GenerationController::jobFor(qint64 seed, int count) const {
  const GenerationSettings settings = panel_->settings();
  GenerationJob job;
  job.steps = settings.stepSpec();
  job.guidance = settings.guidance;
  job.seed = seed;
  job.count = count;
  job.jump_length = settings.jump_length;
  job.jump_n = settings.jump_n;
  return job;
}

void GenerationController::generate() { startJob(jobFor(panel_->nextSeed(), panel_->settings().variations), false); }

void GenerationController::regenerateSeed(qint64 seed) { startJob(jobFor(seed, 1), false); }

void GenerationController::regenerateMasked() {
  if (!document_ || document_->photo().isNull() || !document_->hasMask()) {
    Q_EMIT errorOccurred(tr("Regenerating needs a photo (File ▸ Open Photo, or Use as photo) and a mask painted in mask mode (M)."));
    return;
  }
  GenerationJob job = jobFor(panel_->nextSeed(), panel_->settings().variations);
  job.mask = document_->mask();
  job.photo = document_->photo();
  startJob(job, false);
}

void GenerationController::drawLiveDraft() {
  GenerationSettings draft = panel_->settings();
  if (!draft.live) return;
  GenerationJob job = jobFor(draft.seed, 1);
  // The few-step solver whatever the chosen sampler: DPM-Solver++ follows the same ODE as DDIM
  // (η = 0) and gets closer to its solution in 10 steps than DDIM itself (sampling_test).
  draft.steps = std::min(draft.steps, kDraftSteps);
  draft.sampler = GenerationSettings::Sampler::DpmSolver;
  job.steps = draft.stepSpec();
  startJob(job, true);
}

void GenerationController::onLiveModeChanged(bool on) {
  if (on) drawLiveDraft();
  else if (isGenerating() && running_draft_) cancel();
}

void GenerationController::startJob(GenerationJob job, bool draft) {
  if (!model_ || !document_) {
    Q_EMIT errorOccurred(tr("No model is loaded yet."));
    return;
  }
  job.id = next_job_++;
  job.labels = document_->modelLabels();
  const double rate = window_->screen() ? window_->screen()->refreshRate() : 60.0;
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

void GenerationController::cancel() {
  if (running_job_ < 0) return;
  worker_->cancelUpTo(running_job_);
  panel_->setStatus(tr("Cancelling…"));
}

void GenerationController::onProgress(int job, int step, int total, const QList<QImage>& previews) {
  if (job != running_job_) return;
  gallery_->showPreviews(previews);
  const double elapsed = job_timer_.elapsed() / 1000.0;
  panel_->setProgress(step, total, step > 0 ? elapsed / step * (total - step) : -1);
}

void GenerationController::onFinished(int job, const QList<QImage>& results, const QList<qint64>& seeds) {
  if (job != running_job_) return;
  endJob();
  gallery_->finishBatch(results, seeds);
  panel_->setStatus(tr("Done in %1 s.").arg(job_timer_.elapsed() / 1000.0, 0, 'f', 1));
  Q_EMIT generationFinished(running_draft_);
}

void GenerationController::onCancelled(int job) {
  if (job != running_job_) return;
  endJob();
  gallery_->abandonBatch();
  panel_->setStatus(tr("Cancelled."));
  Q_EMIT generationStopped();
}

void GenerationController::onFailed(int job, const QString& error) {
  if (job != running_job_) return;
  endJob();
  gallery_->abandonBatch();
  panel_->setStatus(tr("Failed."));
  Q_EMIT errorOccurred(error);
  Q_EMIT generationStopped();
}

void GenerationController::endJob() {
  running_job_ = -1;
  panel_->setBusy(false);
}

}  // namespace sdm::ui
