#pragma once

#include "core/io/class_set.h"

#include <QImage>
#include <QList>
#include <QObject>
#include <QSize>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace sdm::ui {

// What the app shows about the loaded model.
struct ModelSummary {
  QString path;
  QString dataset;        // the class set's name ("ade20k-landscape"), or "custom"
  std::optional<ClassSet> classes;  // none when its dataset has no class set here
  QSize size;             // the model's resolution
  int num_classes = 0;
  QString device;         // "cpu", "cuda:0"
  qint64 parameters = 0;
  QString default_steps;  // the sampler and steps the model recommends
};

// One Generate (or Regenerate) press.
struct GenerationJob {
  int id = 0;           // echoed in every signal; jobs up to a cancelled id stop
  QImage labels;        // Grayscale8 class ids, the model's aspect ratio
  QImage mask;          // null: the whole image; else Grayscale8, 255 = regenerate (needs `photo`)
  QImage photo;         // RGB888 at its own resolution
  QString steps;        // "ddim25", "dpm++20", "50"
  double guidance = 1.5;
  qint64 seed = 0;      // variation i uses seed + i
  int count = 1;
  int jump_length = 0;  // RePaint resampling, for edits
  int jump_n = 1;
  int feather = 4;      // edit border blend, in photo pixels
  int preview_interval_ms = 16;  // previews no more often than the screen shows them
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
  void cancelUpTo(int job) { cancelled_up_to_ = std::max(cancelled_up_to_.load(), job); }

  // Worker thread.
  void loadModel(const QString& path, const QString& device);
  void generate(const GenerationJob& job);

Q_SIGNALS:
  void modelLoaded(const sdm::ui::ModelSummary& summary);
  void modelFailed(const QString& path, const QString& error);
  void progress(int job, int step, int total, const QList<QImage>& previews);
  void finished(int job, const QList<QImage>& results, const QList<qint64>& seeds);
  void cancelled(int job);
  void failed(int job, const QString& error);

private:
  struct Model;
  std::unique_ptr<Model> model_;
  std::atomic<int> cancelled_up_to_{-1};
};

}  // namespace sdm::ui

Q_DECLARE_METATYPE(sdm::ui::ModelSummary)
