#pragma once

#include "ui/generation_settings.h"
#include "ui/sampler_worker.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace sdm::ui {

// The model, the sampler's settings, Generate / Regenerate / Cancel and the progress of a run.
class GenerationPanel : public QWidget {
  Q_OBJECT

public:
  explicit GenerationPanel(QWidget* parent = nullptr);

  GenerationSettings settings() const;
  void setSettings(const GenerationSettings& settings);
  // The seed for the next run: a fresh one unless the seed is locked.
  qint64 nextSeed();

  void setModel(const ModelSummary& summary);  // both stages: the base model and its upscaler
  void setForceFloat32(bool force);
  void setRecentModels(const QStringList& paths);
  void setCurrentModel(const QString& path);  // empty: the shipped default
  void setRecentUpscalers(const QStringList& paths);
  void setCurrentUpscaler(const UpscalerChoice& choice);
  void setBusy(bool busy);
  void setCanRegenerate(bool can);  // a photo and a mask exist
  // "layout 18/25 · detail 3/10 — 12 s left": both stages' steps on one bar, one estimate for the
  // whole chain (seconds_left < 0: none yet). A default progress: not started.
  void setProgress(const ChainProgress& progress, double seconds_left);
  void setStatus(const QString& text);

Q_SIGNALS:
  void generateRequested();
  void regenerateMaskedRequested();
  void cancelRequested();
  void modelRequested(const QString& path);  // empty: the shipped default
  void openModelRequested();
  void upscalerRequested(const sdm::UpscalerChoice& choice);
  void openUpscalerRequested();
  void liveModeChanged(bool on);  // the user turned live mode on or off
  void forceFloat32Changed(bool force);

private:
  void showModel();  // the model's label, its time per picture at the chosen settings
  // Moves the step boxes off counts their DDIM cannot take (see ddim_step_count_toward).
  void keepDdimCounts();

  std::optional<ModelSummary> model_;
  QLabel* model_label_;
  QComboBox* model_choice_;
  QCheckBox* force_fp32_;
  QLabel* upscaler_label_;
  QComboBox* upscaler_choice_;
  QComboBox* sampler_;
  QSpinBox* steps_;
  int shown_steps_ = 0, shown_detail_steps_ = 0;  // what the step boxes showed before their last change
  QDoubleSpinBox* guidance_;
  QSpinBox* seed_;
  QCheckBox* seed_lock_;
  QSpinBox* variations_;
  QCheckBox* live_;
  QCheckBox* layout_only_;
  QSpinBox* detail_steps_;
  QComboBox* deep_cache_;
  QSpinBox* jump_length_;
  QSpinBox* jump_n_;
  QPushButton* generate_;
  QPushButton* regenerate_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLabel* status_;
};

}  // namespace sdm::ui
