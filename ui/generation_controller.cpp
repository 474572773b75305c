#include "ui/generation_controller.h"

#include "core/diffusion/step_spec.h"
#include "ui/background_priority.h"
#include "ui/edit_region.h"
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
    : QObject(window), panel_(panel), gallery_(gallery), window_(window), worker_(new SamplerWorker),
      upscaler_choice_(upscalerChoiceFromText(QSettings().value("upscaler").toString())) {
  qRegisterMetaType<ModelSummary>();
  qRegisterMetaType<ChainProgress>();
  qRegisterMetaType<KeptResult>();
  qRegisterMetaType<QList<QImage>>();
  qRegisterMetaType<QList<KeptResult>>();
  // The sampler's thread: every call into the worker is queued onto it.
  worker_->moveToThread(&worker_thread_);
  connect(&worker_thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &SamplerWorker::modelLoaded, this, &GenerationController::modelLoaded);
  connect(worker_, &SamplerWorker::modelFailed, this, &GenerationController::onModelFailed);
  connect(worker_, &SamplerWorker::speedMeasured, this, &GenerationController::onSpeedMeasured);
  connect(worker_, &SamplerWorker::progressReady, this, &GenerationController::onProgressReady);
  connect(worker_, &SamplerWorker::layoutsReady, this, &GenerationController::onLayoutsReady);
  connect(worker_, &SamplerWorker::finished, this, &GenerationController::onFinished);
  connect(worker_, &SamplerWorker::cancelled, this, &GenerationController::onCancelled);
  connect(worker_, &SamplerWorker::failed, this, &GenerationController::onFailed);
  worker_thread_.start();
  // First on the worker's thread, before LibTorch starts its threads from there.
  QMetaObject::invokeMethod(worker_, [] { lowerThreadPriority(); }, Qt::QueuedConnection);

  connect(panel_, &GenerationPanel::generateRequested, this, &GenerationController::generate);
  connect(panel_, &GenerationPanel::regenerateMaskedRequested, this, &GenerationController::regenerateMasked);
  connect(panel_, &GenerationPanel::cancelRequested, this, &GenerationController::cancel);
  connect(panel_, &GenerationPanel::modelRequested, this, &GenerationController::loadModel);
  connect(panel_, &GenerationPanel::upscalerRequested, this, &GenerationController::setUpscaler);
  connect(panel_, &GenerationPanel::liveModeChanged, this, &GenerationController::onLiveModeChanged);
  panel_->setForceFloat32(QSettings().value("forceFloat32", false).toBool());
  connect(panel_, &GenerationPanel::forceFloat32Changed, this, [this](bool force) {
    QSettings().setValue("forceFloat32", force);
    if (model_) loadModel(requested_model_);
  });
  connect(gallery_, &ResultGallery::regenerateRequested, this, &GenerationController::regenerate);
  connect(gallery_, &ResultGallery::upscaleRequested, this, &GenerationController::upscale);
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
  measured_speed_ = {};
  panel_->setStatus(tr("Loading %1…").arg(path.isEmpty() ? tr("the shipped model") : QFileInfo(path).fileName()));
  const bool force_fp32 = QSettings().value("forceFloat32", false).toBool();
  QMetaObject::invokeMethod(worker_, [worker = worker_, path, choice = upscaler_choice_, force_fp32] {
    worker->loadModel(path, choice, "auto", force_fp32);
  }, Qt::QueuedConnection);
}

void GenerationController::setUpscalerChoice(const UpscalerChoice& choice) {
  previous_upscaler_choice_ = std::exchange(upscaler_choice_, choice);
  QSettings().setValue("upscaler", upscalerChoiceText(choice));
  if (choice.kind == UpscalerChoice::Kind::File) panel_->setRecentUpscalers(rememberRecent("recentUpscalers", upscalerChoiceText(choice)));
}

void GenerationController::setUpscaler(const UpscalerChoice& choice) {
  setUpscalerChoice(choice);
  loadModel(requested_model_);
}

void GenerationController::adoptModel(const ModelSummary& summary) {
  if ((model_ && model_->path != summary.path) || (!model_ && !QSettings().contains("generation"))) {
    GenerationSettings settings = panel_->settings();
    if (settings.setStepSpec(summary.default_steps)) panel_->setSettings(settings);
  }
  model_ = summary;
  if (measured_speed_.path == summary.path) {
    model_->picture_seconds = measured_speed_.picture_seconds;
    model_->reused_picture_seconds = measured_speed_.reused_picture_seconds;
  }
  panel_->setModel(*model_);
  panel_->setCurrentUpscaler(upscaler_choice_);
  panel_->setStatus(summary.upscaler_note.isEmpty() ? tr("Ready.") : summary.upscaler_note);
  if (!requested_model_.isEmpty()) panel_->setRecentModels(rememberRecent("recentModels", requested_model_));
  panel_->setCurrentModel(requested_model_);
  gallery_->setCanUpscale(summary.upscaler && !isGenerating());
  detail_step_seconds_ = -1;  // another stage, another speed
}

void GenerationController::onSpeedMeasured(const QString& path, double picture_seconds, double reused_picture_seconds) {
  // It may arrive before the model is adopted (a save dialog in between): adoptModel takes it then.
  measured_speed_ = {path, picture_seconds, reused_picture_seconds};
  if (!model_ || model_->path != path) return;
  model_->picture_seconds = picture_seconds;
  model_->reused_picture_seconds = reused_picture_seconds;
  panel_->setModel(*model_);
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
  // An upscaler that does not load leaves the one before it chosen, with the model loaded again
  // (at start, nothing else would be loaded).
  if (upscaler_choice_.kind == UpscalerChoice::Kind::File && path == upscalerChoiceText(upscaler_choice_)) {
    upscaler_choice_ = previous_upscaler_choice_;
    QSettings().setValue("upscaler", upscalerChoiceText(upscaler_choice_));
    panel_->setCurrentUpscaler(upscaler_choice_);
    loadModel(requested_model_);
  }
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
  job.deep_cache = settings.deep_cache;
  if (model_ && model_->upscaler) job.detail_steps = settings.detailStepSpec(model_->upscaler->default_steps);
  return job;
}

void GenerationController::generate() {
  GenerationJob job = jobFor(panel_->nextSeed(), panel_->settings().variations);
  if (panel_->settings().layout_only) job.stages = Stages::Layout;
  startJob(job, false);
}

void GenerationController::regenerate(const KeptResult& result) {
  GenerationJob job = jobFor(result.seed, 1);
  if (!result.steps.isEmpty()) {  // version-1 projects kept only the seed: the current settings then
    job.steps = result.steps;
    job.guidance = result.guidance;
    job.deep_cache = result.deep_cache;
  }
  if (result.upscaled()) {
    if (!model_ || !model_->upscaler) {
      Q_EMIT errorOccurred(tr("This picture was upscaled: choose an upscaler in the model panel to make it again."));
      return;
    }
    job.detail_seeds = {*result.detail_seed};
    job.detail_steps = result.detail_steps;
    job.detail_guidance = result.detail_guidance;
  } else if (!result.edit) {
    job.stages = Stages::Layout;
  }
  if (result.edit) editJob(job);
  else startJob(job, false);
}

void GenerationController::upscale(const QList<int>& rows) {
  if (!model_ || !model_->upscaler) {
    Q_EMIT errorOccurred(tr("No upscaler is loaded: choose one in the model panel."));
    return;
  }
  GenerationJob job = jobFor(0, 0);
  job.stages = Stages::Detail;
  refreshed_.clear();
  refreshed_rows_.clear();
  for (const int row : rows) {
    const KeptResult result = gallery_->result(row);
    if (!result.canUpscale()) continue;
    refreshed_.append(result);
    refreshed_rows_.append(row);
    job.layouts.append(result.layout);
    job.detail_seeds.append(result.seed);  // as the chain from this seed would: one seed, two stages
  }
  if (job.layouts.isEmpty()) return;
  job.count = int(job.layouts.size());
  startJob(job, false);
}

void GenerationController::regenerateMasked() {
  if (!document_ || document_->photo().isNull() || !document_->hasMask()) {
    Q_EMIT errorOccurred(tr("Regenerating needs a photo (File ▸ Open Photo, or Use as photo) and a mask painted in mask mode (M)."));
    return;
  }
  editJob(jobFor(panel_->nextSeed(), panel_->settings().variations));
}

QRect GenerationController::photoRegion(QRect region) const {
  if (!document_ || region.isNull()) return {};
  return editRegionInPhoto(region, document_->size(), document_->photo().size(), model_->size);
}

void GenerationController::editJob(GenerationJob job) {
  if (!model_ || !document_) {
    Q_EMIT errorOccurred(tr("No model is loaded yet."));
    return;
  }
  job.photo = document_->photo();
  // A photo larger than the pictures the model makes is edited in a region around the mask, at
  // the model's size, and pasted back at its own resolution: a sharp edit where it was painted.
  // The square the user dragged grows to hold the mask with some context around it.
  QRect region = document_->editRegion();
  if (!region.isNull() || photoIsLarger(job.photo.size(), model_->outputSize())) {
    region = fitEditRegion(region, document_->maskBounds(), document_->size(), job.photo.size(), model_->outputSize());
    document_->setEditRegion(region);
  }
  const QRect in_photo = photoRegion(region);
  job.region = in_photo;
  if (in_photo.isNull()) {
    job.mask = document_->mask();
  } else {
    const QRectF on_canvas = photoToCanvas(in_photo, document_->size(), job.photo.size());
    job.mask = nearestSample(document_->mask(), on_canvas, in_photo.size());
    job.labels = nearestSample(document_->labels(), on_canvas, model_->outputSize());
  }
  startJob(job, false);
}

void GenerationController::drawLiveDraft() {
  GenerationSettings draft = panel_->settings();
  if (!draft.live) return;
  // A stroke during a Generate, Upscale or edit leaves it running: the draft follows it.
  if (isGenerating() && !running_draft_) {
    draft_pending_ = true;
    return;
  }
  GenerationJob job = jobFor(draft.seed, 1);
  // The few-step solver whatever the chosen sampler: DPM-Solver++ follows the same ODE as DDIM
  // (η = 0) and gets closer to its solution in 10 steps than DDIM itself (sampling_test). The
  // base model only: a draft answers a stroke in about a second; the detail stage is the user's call.
  draft.steps = std::min(draft.steps, kDraftSteps);
  draft.sampler = Solver::DpmSolverPlusPlus;
  job.steps = draft.stepSpec();
  job.stages = Stages::Layout;
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
  if (job.labels.isNull()) job.labels = document_->labels();
  const double rate = window_->screen() ? window_->screen()->refreshRate() : 60.0;
  job.preview_interval_ms = int(1000.0 / std::max(1.0, rate));
  // A new run replaces the one in progress.
  worker_->cancelUpTo(job.id - 1);
  running_job_ = job.id;
  running_draft_ = draft;
  running_ = job;
  running_.labels = QImage();  // what the results need, not the inputs
  running_.layouts.clear();
  detail_started_ms_ = -1;
  detail_total_ = 0;
  job_timer_.start();
  if (job.stages == Stages::Detail) gallery_->beginRefresh(refreshed_rows_);
  else gallery_->beginBatch(job.count, job.seed, draft);
  gallery_->setCanUpscale(false);
  panel_->setBusy(true);
  panel_->setProgress({}, -1);
  const bool detail = job.stages == Stages::Detail;
  panel_->setStatus(draft    ? tr("Drawing a draft…")
                    : detail ? tr("Upscaling %n picture(s)…", nullptr, job.count)
                             : tr("Generating %n variation(s)…", nullptr, job.count));
  QMetaObject::invokeMethod(worker_, [worker = worker_, job] { worker->generate(job); }, Qt::QueuedConnection);
}

void GenerationController::cancel() {
  if (running_job_ < 0) return;
  worker_->cancelUpTo(running_job_);
  panel_->setStatus(tr("Cancelling…"));
}

void GenerationController::onProgressReady() {
  const auto progress = worker_->takeProgress();
  if (!progress || progress->job != running_job_) return;
  if (progress->stage == 1 && detail_started_ms_ < 0) detail_started_ms_ = job_timer_.elapsed();
  detail_total_ = progress->detail_total;
  gallery_->showPreviews(progress->first, progress->previews);
  panel_->setProgress(*progress, secondsLeft(*progress));
  Q_EMIT progressShown(*progress);
}

void GenerationController::onLayoutsReady(int job, const QList<QImage>& layouts) {
  if (job != running_job_) return;
  gallery_->showPreviews(0, layouts);
  detail_started_ms_ = job_timer_.elapsed();
}

double GenerationController::secondsLeft(const ChainProgress& p) {
  const double elapsed = job_timer_.elapsed() / 1000.0;
  if (p.stage == 1) {
    if (p.detail_step <= 0) return -1;
    const double rate = (elapsed - std::max<qint64>(detail_started_ms_, 0) / 1000.0) / p.detail_step;
    return rate * (p.detail_total - p.detail_step);
  }
  if (p.layout_step <= 0) return -1;
  const double layout_rate = elapsed / p.layout_step;
  double detail_rate = detail_step_seconds_;
  if (detail_rate < 0 && model_ && model_->upscaler) {
    // Never measured: scale a base step per picture by the work of a network forward, its
    // parameters times its pixels, and by the forwards guidance takes.
    const auto& u = *model_->upscaler;
    const double work = double(u.parameters) * u.size.width() * u.size.height() /
                        (double(model_->parameters) * model_->size.width() * model_->size.height());
    const double forwards = (u.default_guidance == 1.0 ? 1.0 : 2.0) / (running_.guidance == 1.0 ? 1.0 : 2.0);
    // A counted step is one picture's (a CPU samples one at a time) or the batch's (a GPU).
    const int per_picture = running_.steps.isEmpty() ? 0 : parse_step_spec(running_.steps.toStdString()).count();
    const double pictures_per_step = per_picture > 0 ? double(running_.count) * per_picture / std::max(1, p.layout_total) : 1.0;
    detail_rate = layout_rate / std::max(1.0, pictures_per_step) * work * forwards;
  }
  return layout_rate * (p.layout_total - p.layout_step) + std::max(0.0, detail_rate) * p.detail_total;
}

void GenerationController::onFinished(int job, const QList<KeptResult>& results) {
  if (job != running_job_) return;
  const qint64 elapsed_ms = job_timer_.elapsed();
  QList<KeptResult> kept = results;
  if (running_.stages == Stages::Detail) {
    // An upscale refines kept layouts: their base recipe stays, the detail is new.
    for (int i = 0; i < kept.size() && i < refreshed_.size(); ++i) {
      KeptResult merged = refreshed_[i];
      merged.image = kept[i].image;
      merged.detail_seed = kept[i].detail_seed;
      merged.detail_steps = kept[i].detail_steps;
      merged.detail_guidance = kept[i].detail_guidance;
      kept[i] = merged;
    }
  }
  if (detail_total_ > 0 && detail_started_ms_ >= 0) detail_step_seconds_ = (elapsed_ms - detail_started_ms_) / 1000.0 / detail_total_;
  endJob();
  gallery_->finishBatch(kept);
  panel_->setStatus(tr("Done in %1 s.").arg(elapsed_ms / 1000.0, 0, 'f', 1));
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
  gallery_->setCanUpscale(model_ && model_->upscaler);
  // After the job's results are in the gallery: a draft the job held back.
  if (std::exchange(draft_pending_, false)) QMetaObject::invokeMethod(this, &GenerationController::drawLiveDraft, Qt::QueuedConnection);
}

}  // namespace sdm::ui
