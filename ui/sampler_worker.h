#pragma once

#include "core/base/serial_blas.h"
#include "core/generation/generation_context.h"
#include "core/io/class_set.h"
#include "ui/kept_result.h"

#include <QImage>
#include <QList>
#include <QObject>
#include <QRect>
#include <QSize>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace sdm::ui {

// The super-resolution stage of a loaded cascade.
struct UpscalerSummary {
  QString path;
  QSize size;          // the pictures it makes
  QSize low_res_size;  // the pictures it refines: the base model's
  qint64 parameters = 0;
  QString default_steps;
  double default_guidance = 1.0;
  int diffusion_steps = 1000;  // what its step specs respace
};

// What the app shows about the loaded model: the base model and, when chained, its upscaler.
struct ModelSummary {
  QString path;
  QString dataset;        // the class set's name ("ade20k-landscape"), or "custom"
  std::optional<ClassSet> classes;  // none when its dataset has no class set here
  QSize size;             // the base model's resolution
  int num_classes = 0;
  QString device;         // "cpu", "cuda:0"
  QString dtype;          // what the network computes in: "fp32", or "bf16" (see automatic_dtype)
  double picture_seconds = -1;  // one picture at the recommended steps, once measured
  double reused_picture_seconds = -1;  // the same with every base step after the first reusing deep features

  // A picture's seconds at DeepCache interval `deep_cache` (1: off), < 0 before they are measured:
  // between the two measured figures, by the share of steps that reuse.
  double pictureSeconds(int deep_cache) const {
    if (deep_cache <= 1 || reused_picture_seconds < 0) return picture_seconds;
    return picture_seconds - (picture_seconds - reused_picture_seconds) * (deep_cache - 1) / deep_cache;
  }
  qint64 parameters = 0;
  QString default_steps;  // the sampler and steps the model recommends
  int diffusion_steps = 1000;  // what its step specs respace
  std::optional<UpscalerSummary> upscaler;
  QString upscaler_note;  // why there is none though one was asked for or named, else empty

  QSize outputSize() const { return upscaler ? upscaler->size : size; }
};

// An upscaler choice as the settings and the panel's list keep it: "" the model's, "none", or the path.
QString upscalerChoiceText(const UpscalerChoice& choice);
UpscalerChoice upscalerChoiceFromText(const QString& text);

// One Generate, Upscale, Regenerate or live draft.
struct GenerationJob {
  int id = 0;           // echoed in every signal; jobs up to a cancelled id stop
  Stages stages = Stages::Chain;
  QImage labels;        // Grayscale8 class ids of the model's aspect: each stage reads it at its size
  QList<QImage> layouts;  // Detail: the base pictures to refine, one per result
  QImage mask;          // null: no edit; else Grayscale8 over `region`, 255 = regenerate (needs `photo`)
  QImage photo;         // RGB888 at its own resolution
  QRect region;         // the part of `photo` the edit regenerates (its pixels); null: the whole photo
  QString steps;        // the base model's: "ddim25", "dpm++20", "50"
  double guidance = 1.5;
  qint64 seed = 0;      // variation i uses seed + i
  int count = 1;        // Chain and Layout
  QString detail_steps;          // empty: the upscaler's recommendation
  double detail_guidance = -1;   // < 0: the upscaler's recommendation
  QList<qint64> detail_seeds;    // per result; empty: seed + i (Chain), the layouts' seeds (Detail)
  int deep_cache = 1;   // DeepCache interval of the base model's steps (1: off; the upscaler's never reuse)
  int jump_length = 0;  // RePaint resampling, for edits
  int jump_n = 1;
  int feather = 4;      // edit border blend, in photo pixels
  int preview_interval_ms = 16;  // previews no more often than the screen shows them
};

// Where a job is (GenerationProgress), with its previews as images.
struct ChainProgress {
  int job = -1;
  int stage = 0;
  int layout_step = 0, layout_total = 0;  // layout_total 0: a Detail job
  int detail_step = 0, detail_total = 0;  // detail_total 0: no detail stage
  int first = 0;
  QList<QImage> previews;
};

// Runs the LibTorch sampler on its own thread (moveToThread) and talks to the UI only through
// queued signals; the only file of the app that includes LibTorch. Call its slots with
// QMetaObject::invokeMethod or queued connections, never directly from another thread.
class SamplerWorker : public QObject {
  Q_OBJECT

public:
  SamplerWorker();
  ~SamplerWorker() override;

  // Any thread: every job with an id ≤ `job` stops before its next network forward (or does not start).
  void cancelUpTo(int job);
  // Any thread: the newest progress not yet taken. A GUI that falls behind gets the newest one
  // only; the ones in between are dropped, not queued.
  std::optional<ChainProgress> takeProgress();

  // Worker thread. An empty path: the shipped model. The base model stays loaded when only the
  // upscaler changes.
  // force_fp32: no bf16 even for a released-size model on a CPU that computes bf16 natively.
  void loadModel(const QString& path, const UpscalerChoice& upscaler, const QString& device, bool force_fp32 = false);
  void generate(const GenerationJob& job);

Q_SIGNALS:
  void modelLoaded(const sdm::ui::ModelSummary& summary);
  void modelFailed(const QString& path, const QString& error);
  // After modelLoaded: seconds per picture of the model at `path` (and its upscaler), measured.
  void speedMeasured(const QString& path, double picture_seconds, double reused_picture_seconds);
  void progressReady();  // takeProgress has something
  // A Chain job's base pictures, before its detail stage starts: never dropped.
  void layoutsReady(int job, const QList<QImage>& layouts);
  // A Detail job's results hold the pictures and their detail recipe only: the layouts' own base
  // recipe is the caller's, which sent them.
  void finished(int job, const QList<sdm::ui::KeptResult>& results);
  void cancelled(int job);
  void failed(int job, const QString& error);

private:
  struct Model;
  void postProgress(ChainProgress progress);
  // The running job's id and the abort flag its run watches; cancelUpTo sets it.
  std::atomic<int> running_job_{-1};
  std::atomic<bool> abort_{false};
  // OpenBLAS's own threads, started by the GUI thread at load time, would keep the GUI's
  // priority and, with the cores full, starve the event loop (measured on 2 cores while the
  // upscaler runs, at the same sampling speed: benchmarks/README.md):
  // ATen's threads, lowered with the worker's, spread the work instead.
  SerialBlas serial_blas_;
  std::unique_ptr<Model> model_;
  std::atomic<int> cancelled_up_to_{-1};
  std::mutex progress_mutex_;
  std::optional<ChainProgress> progress_;  // the newest, untaken
};

}  // namespace sdm::ui

Q_DECLARE_METATYPE(sdm::ui::ModelSummary)
