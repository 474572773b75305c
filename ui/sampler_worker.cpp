#include "ui/sampler_worker.h"

#include "core/base/cpu_threads.h"
#include "core/base/device.h"
#include "core/base/error.h"
#include "core/base/huge_page_allocator.h"
#include "core/checkpoint/model_file.h"
#include "core/diffusion/guided_denoiser.h"
#include "core/diffusion/sampling_loop.h"
#include "core/generation/generator.h"
#include "core/generation/known_region.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/io/resource_paths.h"
#include "ui/image_mat.h"

#include <torch/torch.h>

#include <QElapsedTimer>
#include <QFileInfo>

#include <cstring>

namespace sdm::ui {

struct SamplerWorker::Model {
  Generator generator;
  std::filesystem::path path;
  std::string device;  // as asked ("auto"), to load an upscaler the same way
  bool force_fp32 = false;
};

namespace {

QList<QImage> imagesOf(const torch::Tensor& batch) {
  QList<QImage> images;
  for (int64_t i = 0; i < batch.size(0); ++i) images.append(imageCopy(tensor_to_rgb(batch[i])));
  return images;
}

// An exception's message for a dialog; out of memory says what to do about it. (A batch that does
// not fit is already sampled in parts by the core; this is what remains: one picture or the model.)
QString describe(const std::exception& error) {
  const QString message = QString::fromUtf8(error.what()).section('\n', 0, 0);
  if (message.contains("out of memory", Qt::CaseInsensitive))
    return QObject::tr("The GPU ran out of memory (%1). Close other programs that use it, or choose the CPU.").arg(message);
  return message;
}

// The painted map at `generator`'s size as its network input, one copy per variation.
torch::Tensor conditionOf(const Generator& generator, const QImage& labels, int64_t count) {
  const auto& c = generator.model.config;
  const auto channels = label_map_channels(matView(labels), "the painted label map", c.num_classes, generator.class_set(),
                                           c.image_height, c.image_width);
  return generator.condition(channels, count);
}

// A base picture as the upscaler's low-res input: the 8-bit picture the gallery keeps, so that
// upscaling a kept layout later gives the pixels the chain gave.
torch::Tensor lowResOf(const QImage& layout, const Generator& upscaler) {
  const QImage rgb = layout.convertToFormat(QImage::Format_RGB888);
  return rgb_to_tensor(matView(rgb).clone()).unsqueeze(0).to(upscaler.device);
}

UpscalerSummary summaryOf(const Generator& upscaler) {
  const auto& c = upscaler.model.config;
  return {QString::fromStdString(upscaler.model.path.string()), QSize(c.image_width, c.image_height),
          QSize(c.low_res_width, c.low_res_height), upscaler.model.parameters,
          QString::fromStdString(upscaler.default_steps()), upscaler.default_guidance()};
}

// Sets the job's steps and guidance on the detail stage's request; returns its steps per picture.
int detailSteps(SamplingRequest& detail, const GenerationJob& job) {
  if (!job.detail_steps.isEmpty()) detail.steps = job.detail_steps.toStdString();
  if (job.detail_guidance >= 0) detail.guidance = job.detail_guidance;
  return planned_steps(detail);
}

// Seconds one picture takes at the stage's recommended steps, from its first step (which also
// computes SPADE's γ/β) and one step after it, timed on a one-class map: `exact` with every step
// computing the whole network; with `time_reuse`, also `reused` with every step after the first
// reusing deep features (DeepCache at the default depth), else `reused` is `exact`.
struct PictureSeconds {
  double exact = 0, reused = 0;
};

PictureSeconds pictureSeconds(const Generator& stage, bool time_reuse) {
  const auto& c = stage.model.config;
  const auto options = torch::TensorOptions().device(stage.device);
  auto labels = torch::zeros({1, c.condition_channels(), c.image_height, c.image_width}, options);
  labels.select(1, 0).fill_(1.0);
  const auto low_res = c.super_resolution() ? torch::zeros({1, 3, c.low_res_height, c.low_res_width}, options) : torch::Tensor();
  GuidedDenoiser denoise(stage.model.model, labels, stage.default_guidance(), true, low_res);
  const auto x = torch::randn({1, 3, c.image_height, c.image_width}, options);
  QElapsedTimer timer;
  timer.start();
  denoise(x, 500);
  const double first = timer.nsecsElapsed() / 1e9;
  timer.restart();
  // This call computes the whole network and keeps its deep features for the next.
  if (time_reuse) denoise.set_feature_reuse({.interval = 2});
  denoise(x, 500);
  const double step = timer.nsecsElapsed() / 1e9;
  double reused_step = step;
  if (time_reuse) {
    timer.restart();
    denoise(x, 499);
    reused_step = timer.nsecsElapsed() / 1e9;
  }
  auto request = stage.request(labels);
  request.steps = stage.default_steps();
  request.low_res = low_res;
  const int later_steps = planned_steps(request) - 1;
  return {first + later_steps * step, first + later_steps * reused_step};
}

KnownRegion oneOf(const KnownRegion& known, int64_t i) {
  return {known.image.narrow(0, i, 1), known.mask.narrow(0, i, 1), known.jump_length, known.jump_n};
}

}  // namespace

SamplerWorker::SamplerWorker() {
  use_available_cpus();
  HugePageCpuAllocator::install();
}
SamplerWorker::~SamplerWorker() = default;

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
    torch::NoGradGuard no_grad;
    // The same base on the same device stays loaded: only its upscaler changes.
    const bool keep_base =
        model_ && model_->path == checkpoint && model_->device == device.toStdString() && model_->force_fp32 == force_fp32;
    const std::string dtype = force_fp32 ? "fp32" : "auto";
    auto model = std::make_unique<Model>(keep_base ? *model_ : Model{load_generator(checkpoint, {}, device.toStdString(), dtype),
                                                                   checkpoint, device.toStdString(), force_fp32});
    auto& generator = model->generator;
    generator.upscaler.reset();
    ModelSummary summary;
    if (!generator.model.config.super_resolution()) {
      std::filesystem::path upscaler;
      if (choice.kind == UpscalerChoice::Kind::File) upscaler = choice.path.toStdString();
      else if (choice.kind == UpscalerChoice::Kind::Named) upscaler = named_upscaler(checkpoint);
      if (choice.kind == UpscalerChoice::Kind::Named && !upscaler.empty() && !std::filesystem::is_regular_file(upscaler)) {
        summary.upscaler_note = tr("The upscaler %1 names, %2, is missing: pictures stay at the base model's size.")
                                    .arg(QFileInfo(path).fileName(), QString::fromStdString(upscaler.string()));
      } else if (!upscaler.empty()) {
        failing = QString::fromStdString(upscaler.string());
        attach_upscaler(generator, upscaler, device.toStdString(), dtype);
      }
    } else {
      throw Error(checkpoint.string() + ": is a super-resolution stage, not a base model: open it as the upscaler");
    }
    const auto& loaded = generator.model;
    summary.path = QString::fromStdString(checkpoint.string());
    summary.dataset = QString::fromStdString(loaded.dataset);
    summary.classes = generator.classes;
    summary.size = QSize(loaded.config.image_width, loaded.config.image_height);
    summary.num_classes = loaded.config.num_classes;
    summary.device = QString::fromStdString(generator.device.str());
    summary.dtype = QString::fromStdString(dtype_name(loaded.model->torso_dtype()));
    summary.parameters = loaded.parameters;
    summary.default_steps = QString::fromStdString(generator.default_steps());
    if (generator.upscaler) summary.upscaler = summaryOf(*generator.upscaler);
    model_ = std::move(model);
    Q_EMIT modelLoaded(summary);
  } catch (const std::exception& e) {
    Q_EMIT modelFailed(failing, describe(e));
    return;
  }
  // Before any job: what a picture will take, on this machine, at the recommended steps (also
  // the warm-up of the convolutions' kernels that the first picture would otherwise pay).
  try {
    torch::NoGradGuard no_grad;
    auto seconds = pictureSeconds(model_->generator, true);
    if (model_->generator.upscaler) {
      // The app's upscaler never reuses deep features (GenerationSettings::deep_cache).
      const double detail = pictureSeconds(*model_->generator.upscaler, false).exact;
      seconds = {seconds.exact + detail, seconds.reused + detail};
    }
    Q_EMIT speedMeasured(QString::fromStdString(model_->path.string()), seconds.exact, seconds.reused);
  } catch (const std::exception&) {
    // Only the estimate is missing; the first job will say what is wrong.
  }
}

void SamplerWorker::generate(const GenerationJob& job) {
  if (job.id <= cancelled_up_to_) {
    Q_EMIT cancelled(job.id);
    return;
  }
  if (!model_) {
    Q_EMIT failed(job.id, tr("No model is loaded."));
    return;
  }
  const Generator& generator = model_->generator;
  const Generator* upscaler = generator.upscaler.get();
  if (job.stages == GenerationJob::Stages::Detail && !upscaler) {
    Q_EMIT failed(job.id, tr("No upscaler is loaded: choose one in the model panel."));
    return;
  }
  try {
    torch::NoGradGuard no_grad;
    const bool with_detail = job.stages != GenerationJob::Stages::Layout && upscaler;
    ChainProgress progress;
    progress.job = job.id;
    QElapsedTimer since_preview;
    since_preview.start();
    // Previews no more often than the screen shows them, and the last step's always.
    auto report = [&](const StepProgress& p, int first) {
      if (job.id <= cancelled_up_to_) return false;
      if (p.step == p.total || since_preview.elapsed() >= job.preview_interval_ms) {
        progress.first = first;
        progress.previews = imagesOf(p.preview.cpu());
        postProgress(progress);
        since_preview.restart();
      }
      return true;
    };

    // The edit's photo: the region of it that is regenerated.
    const QImage photo = job.photo.convertToFormat(QImage::Format_RGB888);
    const QRect region = job.region.isNull() ? photo.rect() : job.region;
    const cv::Mat edited_photo = job.mask.isNull() ? cv::Mat() : matView(photo.copy(region)).clone();
    std::optional<PhotoEdit> edit;

    QList<QImage> layouts = job.layouts;
    SamplingRequest detail;  // the detail stage for one picture
    QString steps;
    double guidance = job.guidance;
    if (job.stages == GenerationJob::Stages::Detail) {
      detail = upscaler->request(conditionOf(*upscaler, job.detail_labels, layouts.size()));
    } else {
      auto request = with_detail ? generator.request(conditionOf(generator, job.labels, job.count),
                                                     conditionOf(*upscaler, job.detail_labels, job.count))
                                 : generator.request(conditionOf(generator, job.labels, job.count));
      if (!job.steps.isEmpty()) request.steps = job.steps.toStdString();
      request.guidance = job.guidance;
      request.seed = job.seed;
      request.feature_reuse.interval = job.deep_cache;
      if (!job.mask.isNull())
        edit = add_photo_edit(request, generator, edited_photo, matView(job.mask).clone(), job.jump_length, job.jump_n);
      if (request.upscale) detail = *request.upscale;
      request.upscale.reset();
      steps = QString::fromStdString(request.steps);
      progress.layout_total = planned_steps(request);
      if (with_detail) progress.detail_total = detailSteps(detail, job) * job.count;
      request.on_step = [&](const StepProgress& p) {
        progress.stage = 0;
        progress.layout_step = p.step;
        progress.layout_total = p.total;
        return report(p, 0);
      };
      const auto result = sample(request);
      if (result.cancelled) {
        Q_EMIT cancelled(job.id);
        return;
      }
      layouts = imagesOf(result.images.cpu());
      if (with_detail) Q_EMIT layoutsReady(job.id, layouts);
    }

    QList<KeptResult> results;
    for (int i = 0; i < layouts.size(); ++i) {
      KeptResult kept;
      kept.image = layouts[i];
      kept.layout = edit ? QImage() : layouts[i];
      kept.seed = job.seed + i;
      kept.steps = steps;
      kept.guidance = guidance;
      kept.deep_cache = job.deep_cache;
      kept.edit = bool(edit);
      results.append(kept);
    }
    if (with_detail) {
      // One picture at a time, each with its own seed: what a kept layout's Upscale repeats alone.
      const int per_picture = detailSteps(detail, job);
      progress.stage = 1;
      progress.detail_total = per_picture * int(layouts.size());
      const auto all_labels = detail.labels;
      const auto all_known = detail.known;
      for (int i = 0; i < layouts.size(); ++i) {
        auto one = detail;
        one.labels = all_labels.narrow(0, i, 1);
        if (all_known) one.known = oneOf(*all_known, i);
        one.low_res = lowResOf(layouts[i], *upscaler);
        one.seed = i < job.detail_seeds.size() ? job.detail_seeds[i] : job.seed + i;
        one.on_step = [&, i](const StepProgress& p) {
          progress.detail_step = i * per_picture + p.step;
          return report(p, i);
        };
        const auto result = sample(one);
        if (result.cancelled) {
          Q_EMIT cancelled(job.id);
          return;
        }
        results[i].image = imagesOf(result.images.cpu()).front();
        results[i].detail_seed = one.seed;
        results[i].detail_steps = QString::fromStdString(one.steps);
        results[i].detail_guidance = one.guidance;
      }
    }
    if (edit) {
      // Composited at the region's full resolution and pasted back into the whole photo: outside
      // the mask and its feather, and outside the region, the photo's own bytes.
      for (auto& kept : results) {
        const QImage patch = imageCopy(composite_photo_edit(*edit, matView(kept.image.convertToFormat(QImage::Format_RGB888)), job.feather));
        QImage whole = photo.copy();
        for (int y = 0; y < patch.height(); ++y)
          std::memcpy(whole.scanLine(region.y() + y) + 3 * region.x(), patch.constScanLine(y), size_t(3 * patch.width()));
        kept.image = whole;
      }
    }
    Q_EMIT finished(job.id, results);
  } catch (const std::exception& e) {
    Q_EMIT failed(job.id, describe(e));
  }
}

}  // namespace sdm::ui
