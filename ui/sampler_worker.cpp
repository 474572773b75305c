#include "ui/sampler_worker.h"

#include "core/base/error.h"
#include "core/diffusion/sampling_loop.h"
#include "core/generation/generator.h"
#include "core/generation/known_region.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/io/resource_paths.h"
#include "ui/image_mat.h"

#include <torch/torch.h>

#include <QElapsedTimer>

namespace sdm::ui {

struct SamplerWorker::Model {
  Generator generator;
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

}  // namespace

SamplerWorker::SamplerWorker() = default;
SamplerWorker::~SamplerWorker() = default;

void SamplerWorker::loadModel(const QString& path, const QString& device) {
  try {
    torch::NoGradGuard no_grad;
    const std::filesystem::path checkpoint = path.isEmpty() ? default_model_path() : std::filesystem::path(path.toStdString());
    auto model = std::make_unique<Model>(Model{load_generator(checkpoint, {}, device.toStdString(), "fp32")});
    const auto& loaded = model->generator.model;
    ModelSummary summary;
    summary.path = QString::fromStdString(checkpoint.string());
    summary.dataset = QString::fromStdString(loaded.dataset);
    summary.classes = model->generator.classes;
    summary.size = QSize(loaded.config.image_width, loaded.config.image_height);
    summary.num_classes = loaded.config.num_classes;
    summary.device = QString::fromStdString(model->generator.device.str());
    summary.parameters = loaded.parameters;
    summary.default_steps = QString::fromStdString(model->generator.default_steps());
    model_ = std::move(model);
    Q_EMIT modelLoaded(summary);
  } catch (const std::exception& e) {
    Q_EMIT modelFailed(path, describe(e));
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
  try {
    torch::NoGradGuard no_grad;
    auto& generator = model_->generator;
    const auto& c = generator.model.config;
    const auto channels = label_map_channels(matView(job.labels), "the painted label map", c.num_classes, generator.class_set(),
                                             c.image_height, c.image_width);
    auto request = generator.request(generator.condition(channels, job.count));
    if (!job.steps.isEmpty()) request.steps = job.steps.toStdString();
    request.guidance = job.guidance;
    request.seed = job.seed;

    std::optional<PhotoEdit> edit;
    if (!job.mask.isNull()) {
      const QImage photo = job.photo.convertToFormat(QImage::Format_RGB888);
      edit = prepare_photo_edit(matView(photo).clone(), matView(job.mask).clone(), c.image_height, c.image_width);
      request.known = known_region(*edit, job.count, generator.device, job.jump_length, job.jump_n);
    }

    QElapsedTimer since_preview;
    since_preview.start();
    request.on_step = [&](const StepProgress& p) {
      if (job.id <= cancelled_up_to_) return false;
      if (p.step == p.total || since_preview.elapsed() >= job.preview_interval_ms) {
        Q_EMIT progress(job.id, p.step, p.total, imagesOf(p.preview.cpu()));
        since_preview.restart();
      }
      return true;
    };
    const auto result = sample(request);
    if (result.cancelled) {
      Q_EMIT cancelled(job.id);
      return;
    }
    const auto images = result.images.cpu();
    QList<QImage> results;
    QList<qint64> seeds;
    for (int64_t i = 0; i < images.size(0); ++i) {
      const cv::Mat picture = tensor_to_rgb(images[i]);
      results.append(imageCopy(edit ? composite_photo_edit(*edit, picture, job.feather) : picture));
      seeds.append(job.seed + i);
    }
    Q_EMIT finished(job.id, results, seeds);
  } catch (const std::exception& e) {
    Q_EMIT failed(job.id, describe(e));
  }
}

}  // namespace sdm::ui
