#include "ui/sampler_worker.h"

#include "core/base/cpu_threads.h"
#include "core/base/error.h"
#include "core/base/huge_page_allocator.h"
#include "core/generation/generator.h"
#include "core/io/resource_paths.h"
#include "ui/image_mat.h"

#include <torch/torch.h>

#include <QFileInfo>

namespace sdm::ui {

QString upscalerChoiceText(const UpscalerChoice& choice) {
  switch (choice.kind) {
    case UpscalerChoice::Kind::Named: return {};
    case UpscalerChoice::Kind::None: return "none";
    case UpscalerChoice::Kind::File: break;
  }
  return QString::fromStdString(choice.path.string());
}

UpscalerChoice upscalerChoiceFromText(const QString& text) {
  if (text.isEmpty()) return {};
  if (text == "none") return {UpscalerChoice::Kind::None, {}};
  return {UpscalerChoice::Kind::File, text.toStdString()};
}

struct SamplerWorker::Model {
  std::unique_ptr<GenerationContext> context;
  std::filesystem::path path;
  std::string device;  // as asked ("auto")
  bool force_fp32 = false;
};

namespace {

QList<QImage> imagesOf(const std::vector<cv::Mat>& pictures) {
  QList<QImage> images;
  for (const auto& picture : pictures) images.append(imageCopy(picture));
  return images;
}

std::vector<cv::Mat> matsOf(const QList<QImage>& images) {
  std::vector<cv::Mat> mats;
  for (const auto& image : images) mats.push_back(matView(image.convertToFormat(QImage::Format_RGB888)).clone());
  return mats;
}

// An exception's message for a dialog; out of memory says what to do about it. (A batch that does
// not fit is already sampled in parts by the core; this is what remains: one picture or the model.)
QString describe(const std::exception& error) {
  const QString message = QString::fromUtf8(error.what()).section('\n', 0, 0);
  if (message.contains("out of memory", Qt::CaseInsensitive))
    return QObject::tr("The GPU ran out of memory (%1). Close other programs that use it, or choose the CPU.").arg(message);
  return message;
}

QString specText(const StepPlan& plan) { return QString::fromStdString(plan.spec()); }

std::optional<StepPlan> stepsOf(const QString& spec) {
  if (spec.isEmpty()) return std::nullopt;
  return parse_step_spec(spec.toStdString());
}

ModelSummary summaryOf(const ContextInfo& info) {
  ModelSummary summary;
  summary.path = QString::fromStdString(info.base.path.string());
  summary.dataset = QString::fromStdString(info.dataset);
  summary.classes = info.classes;
  summary.size = QSize(info.base.width, info.base.height);
  summary.num_classes = info.num_classes;
  summary.device = QString::fromStdString(info.device);
  summary.dtype = QString::fromStdString(info.base.dtype);
  summary.parameters = info.base.parameters;
  summary.default_steps = specText(info.base.default_steps);
  summary.diffusion_steps = info.base.diffusion_steps;
  summary.upscaler_note = QString::fromStdString(info.upscaler_note);
  if (const auto& u = info.upscaler)
    summary.upscaler = UpscalerSummary{QString::fromStdString(u->path.string()), QSize(u->width, u->height),
                                       QSize(u->low_res_width, u->low_res_height), u->parameters, specText(u->default_steps),
                                       u->default_guidance, u->diffusion_steps};
  return summary;
}

}  // namespace

SamplerWorker::SamplerWorker() {
  use_available_cpus();
  HugePageCpuAllocator::install();
}
SamplerWorker::~SamplerWorker() = default;

void SamplerWorker::cancelUpTo(int job) {
  cancelled_up_to_ = std::max(cancelled_up_to_.load(), job);
  if (running_job_ <= job) abort_ = true;
}

std::optional<ChainProgress> SamplerWorker::takeProgress() {
  std::lock_guard lock(progress_mutex_);
  return std::exchange(progress_, std::nullopt);
}

void SamplerWorker::postProgress(ChainProgress progress) {
  bool notify;
  {
    std::lock_guard lock(progress_mutex_);
    notify = !progress_;  // else the GUI has not taken the last one yet: it will take this instead
    progress_ = std::move(progress);
  }
  if (notify) Q_EMIT progressReady();
}

void SamplerWorker::loadModel(const QString& path, const UpscalerChoice& choice, const QString& device, bool force_fp32) {
  const std::filesystem::path checkpoint = path.isEmpty() ? default_model_path() : std::filesystem::path(path.toStdString());
  QString failing = path;
  try {
    // The same base on the same device stays loaded: only its upscaler changes.
    if (model_ && model_->path == checkpoint && model_->device == device.toStdString() && model_->force_fp32 == force_fp32) {
      if (choice.kind == UpscalerChoice::Kind::File) failing = upscalerChoiceText(choice);
      model_->context->set_upscaler(choice);
    } else {
      ContextParams params{.model = checkpoint, .upscaler = choice, .device = device.toStdString(), .dtype = force_fp32 ? "fp32" : "auto"};
      // Loaded apart from its upscaler, so that an error names the file at fault.
      params.upscaler.kind = UpscalerChoice::Kind::None;
      auto context = std::make_unique<GenerationContext>(params);
      require_base_model(context->generator());
      if (choice.kind == UpscalerChoice::Kind::File) failing = upscalerChoiceText(choice);
      context->set_upscaler(choice);
      model_ = std::make_unique<Model>(Model{std::move(context), checkpoint, device.toStdString(), force_fp32});
    }
    Q_EMIT modelLoaded(summaryOf(model_->context->info()));
  } catch (const std::exception& e) {
    if (model_ && model_->path == checkpoint) model_->context->set_upscaler({UpscalerChoice::Kind::None, {}});
    Q_EMIT modelFailed(failing, describe(e));
    return;
  }
  // Before any job: what a picture will take, on this machine, at the recommended steps (also
  // the warm-up of the convolutions' kernels that the first picture would otherwise pay).
  try {
    const auto seconds = model_->context->measure_picture_seconds();
    Q_EMIT speedMeasured(QString::fromStdString(model_->path.string()), seconds.exact, seconds.reused);
  } catch (const std::exception&) {
    // Only the estimate is missing; the first job will say what is wrong.
  }
}

void SamplerWorker::generate(const GenerationJob& job) {
  running_job_ = job.id;
  abort_ = false;
  // Checked after the job is marked running: a cancelUpTo in between either sees it or is seen here.
  if (job.id <= cancelled_up_to_) {
    Q_EMIT cancelled(job.id);
    return;
  }
  if (!model_) {
    Q_EMIT failed(job.id, tr("No model is loaded."));
    return;
  }
  auto& context = *model_->context;
  if (job.stages == Stages::Detail && !context.info().upscaler) {
    Q_EMIT failed(job.id, tr("No upscaler is loaded: choose one in the model panel."));
    return;
  }
  try {
    GenerationPlan plan;
    plan.stages = job.stages;
    plan.labels = matView(job.labels).clone();
    plan.labels_name = "the painted label map";
    plan.layouts = matsOf(job.layouts);
    plan.layouts_name = "the kept layout";
    plan.steps = stepsOf(job.steps);
    plan.guidance = job.guidance;
    plan.seed = job.seed;
    plan.count = job.count;
    plan.detail_steps = stepsOf(job.detail_steps);
    plan.detail_guidance = job.detail_guidance;
    plan.detail_seeds.assign(job.detail_seeds.begin(), job.detail_seeds.end());
    plan.feature_reuse.interval = job.deep_cache;
    if (!job.mask.isNull()) {
      const QImage photo = job.photo.convertToFormat(QImage::Format_RGB888);
      const QRect region = job.region.isNull() ? photo.rect() : job.region;
      plan.edit = PhotoEditPlan{.photo = matView(photo).clone(),
                                .mask = matView(job.mask).clone(),
                                .region = cv::Rect(region.x(), region.y(), region.width(), region.height()),
                                .feather = job.feather,
                                .jump_length = job.jump_length,
                                .jump_n = job.jump_n,
                                .name = "the photo and its mask"};
    }
    plan.preview_interval_ms = job.preview_interval_ms;
    plan.on_progress = [&](const GenerationProgress& p) {
      if (p.previews.empty()) return;  // the newest previews are what the GUI shows: nothing new to show
      postProgress({job.id, p.stage, p.layout_step, p.layout_total, p.detail_step, p.detail_total, p.first, imagesOf(p.previews)});
    };
    plan.on_layouts = [&](const std::vector<cv::Mat>& layouts) { Q_EMIT layoutsReady(job.id, imagesOf(layouts)); };
    plan.abort = &abort_;

    const auto result = context.run(plan);
    if (result.cancelled) {
      Q_EMIT cancelled(job.id);
      return;
    }
    QList<KeptResult> results;
    for (size_t i = 0; i < result.pictures.size(); ++i) {
      const auto& picture = result.pictures[i];
      KeptResult kept;
      kept.image = imageCopy(picture.image);
      kept.layout = job.stages == Stages::Detail ? job.layouts[qsizetype(i)] : plan.edit ? QImage() : imageCopy(picture.layout);
      if (job.stages != Stages::Detail) {
        kept.seed = picture.seed;
        kept.steps = specText(picture.steps);
        kept.guidance = picture.guidance;
        kept.deep_cache = job.deep_cache;
      }
      kept.edit = plan.edit.has_value();
      if (picture.detailed) {
        kept.detail_seed = picture.detail_seed;
        kept.detail_steps = specText(picture.detail_steps);
        kept.detail_guidance = picture.detail_guidance;
      }
      results.append(kept);
    }
    Q_EMIT finished(job.id, results);
  } catch (const std::exception& e) {
    Q_EMIT failed(job.id, describe(e));
  }
}

}  // namespace sdm::ui
