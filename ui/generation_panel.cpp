#include "ui/generation_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace sdm::ui {

namespace {
constexpr int kMaxSeed = 2147483647;
}

GenerationPanel::GenerationPanel(QWidget* parent)
    : QWidget(parent), model_label_(new QLabel), model_choice_(new QComboBox), sampler_(new QComboBox), steps_(new QSpinBox),
      guidance_(new QDoubleSpinBox), seed_(new QSpinBox), seed_lock_(new QCheckBox(tr("Lock"))), variations_(new QSpinBox),
      live_(new QCheckBox(tr("Live: redraw a draft after each stroke"))), jump_length_(new QSpinBox), jump_n_(new QSpinBox),
      generate_(new QPushButton(tr("Generate"))),
      regenerate_(new QPushButton(tr("Regenerate in mask"))), cancel_(new QPushButton(tr("Cancel"))),
      progress_(new QProgressBar), status_(new QLabel) {
  auto* model_box = new QGroupBox(tr("Model"));
  auto* model_layout = new QVBoxLayout(model_box);
  model_label_->setWordWrap(true);
  model_label_->setObjectName("modelLabel");
  model_choice_->setObjectName("modelChoice");
  auto* open_model = new QPushButton(tr("Open checkpoint…"));
  model_layout->addWidget(model_label_);
  model_layout->addWidget(model_choice_);
  model_layout->addWidget(open_model);
  connect(open_model, &QPushButton::clicked, this, &GenerationPanel::openModelRequested);
  connect(model_choice_, &QComboBox::activated, this, [this](int index) { Q_EMIT modelRequested(model_choice_->itemData(index).toString()); });

  auto* sampler_box = new QGroupBox(tr("Sampler"));
  auto* form = new QFormLayout(sampler_box);
  sampler_->addItem(tr("DDIM"), int(GenerationSettings::Sampler::Ddim));
  sampler_->addItem(tr("DPM-Solver++ (2M)"), int(GenerationSettings::Sampler::DpmSolver));
  sampler_->addItem(tr("DDPM (ancestral)"), int(GenerationSettings::Sampler::Ddpm));
  sampler_->setObjectName("sampler");
  steps_->setRange(1, 1000);
  steps_->setObjectName("steps");
  guidance_->setRange(0.0, 20.0);
  guidance_->setSingleStep(0.5);
  guidance_->setDecimals(2);
  guidance_->setObjectName("guidance");
  guidance_->setToolTip(tr("Classifier-free guidance s: 1 = none; higher follows the labels more closely, with less variety"));
  seed_->setRange(0, kMaxSeed);
  seed_->setObjectName("seed");
  seed_->setToolTip(tr("Variation i uses seed + i: regenerating it alone gives the same picture"));
  auto* dice = new QToolButton;
  dice->setText(tr("Random"));
  dice->setToolTip(tr("New random seed"));
  connect(dice, &QToolButton::clicked, this, [this] { seed_->setValue(int(QRandomGenerator::global()->bounded(kMaxSeed))); });
  seed_lock_->setToolTip(tr("Keep this seed for every run (unlocked: a new one each time)"));
  auto* seed_row = new QHBoxLayout;
  seed_row->addWidget(seed_, 1);
  seed_row->addWidget(dice);
  seed_row->addWidget(seed_lock_);
  variations_->setRange(1, 16);
  variations_->setObjectName("variations");
  form->addRow(tr("Method"), sampler_);
  form->addRow(tr("Steps"), steps_);
  form->addRow(tr("Guidance"), guidance_);
  form->addRow(tr("Seed"), seed_row);
  form->addRow(tr("Variations"), variations_);
  form->addRow(live_);
  // Only the user's clicks: settings restored or loaded with a project start no draft.
  connect(live_, &QCheckBox::clicked, this, &GenerationPanel::liveModeChanged);

  auto* edit_box = new QGroupBox(tr("Regenerate in mask"));
  auto* edit_form = new QFormLayout(edit_box);
  jump_length_->setRange(0, GenerationSettings::kMaxJumpLength);
  jump_length_->setObjectName("jumpLength");
  jump_length_->setSpecialValueText(tr("off"));
  jump_length_->setToolTip(tr("RePaint resampling: every this many steps, go back as many and sample them again, "
                              "so the new region blends with the photo (0 = off)"));
  jump_n_->setRange(1, GenerationSettings::kMaxJumps);
  jump_n_->setObjectName("jumpN");
  jump_n_->setToolTip(tr("Passes over each stretch of steps when resampling: the time in the mask grows this many times"));
  edit_form->addRow(tr("Jump length"), jump_length_);
  edit_form->addRow(tr("Jumps"), jump_n_);

  generate_->setObjectName("generate");
  generate_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  generate_->setToolTip(tr("Generate from the label map (Ctrl+Enter)"));
  regenerate_->setObjectName("regenerate");
  regenerate_->setToolTip(tr("Regenerate the photo only inside the mask, following the labels there"));
  cancel_->setObjectName("cancel");
  cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
  connect(generate_, &QPushButton::clicked, this, &GenerationPanel::generateRequested);
  connect(regenerate_, &QPushButton::clicked, this, &GenerationPanel::regenerateMaskedRequested);
  connect(cancel_, &QPushButton::clicked, this, &GenerationPanel::cancelRequested);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(generate_);
  buttons->addWidget(regenerate_);
  buttons->addWidget(cancel_);
  progress_->setObjectName("progress");
  progress_->setTextVisible(true);
  status_->setObjectName("status");
  status_->setWordWrap(true);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(model_box);
  layout->addWidget(sampler_box);
  layout->addWidget(edit_box);
  layout->addLayout(buttons);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addStretch(1);
  setSettings(GenerationSettings());
  setBusy(false);
  setCanRegenerate(false);
}

GenerationSettings GenerationPanel::settings() const {
  GenerationSettings settings;
  settings.sampler = GenerationSettings::Sampler(sampler_->currentData().toInt());
  settings.steps = steps_->value();
  settings.guidance = guidance_->value();
  settings.seed = seed_->value();
  settings.seed_locked = seed_lock_->isChecked();
  settings.variations = variations_->value();
  settings.live = live_->isChecked();
  settings.jump_length = jump_length_->value();
  settings.jump_n = jump_n_->value();
  return settings;
}

void GenerationPanel::setSettings(const GenerationSettings& settings) {
  sampler_->setCurrentIndex(std::max(0, sampler_->findData(int(settings.sampler))));
  steps_->setValue(settings.steps);
  guidance_->setValue(settings.guidance);
  seed_->setValue(int(std::min<qint64>(settings.seed, kMaxSeed)));
  seed_lock_->setChecked(settings.seed_locked);
  variations_->setValue(settings.variations);
  live_->setChecked(settings.live);
  jump_length_->setValue(settings.jump_length);
  jump_n_->setValue(settings.jump_n);
}

qint64 GenerationPanel::nextSeed() {
  if (!seed_lock_->isChecked()) seed_->setValue(int(QRandomGenerator::global()->bounded(kMaxSeed)));
  return seed_->value();
}

void GenerationPanel::setModel(const ModelSummary& summary) {
  model_label_->setText(tr("<b>%1</b><br>%2×%3 · %4 · %5 M parameters<br>recommended: %6")
                            .arg(QFileInfo(summary.path).fileName(), QString::number(summary.size.width()),
                                 QString::number(summary.size.height()), summary.dataset + " · " + summary.device,
                                 QString::number(summary.parameters / 1e6, 'f', 1), summary.default_steps));
  model_label_->setToolTip(summary.path);
}

void GenerationPanel::setRecentModels(const QStringList& paths) {
  model_choice_->clear();
  model_choice_->addItem(tr("Shipped default model"), QString());
  for (const auto& path : paths) model_choice_->addItem(QFileInfo(path).fileName(), path);
}

void GenerationPanel::setCurrentModel(const QString& path) {
  model_choice_->setCurrentIndex(std::max(0, model_choice_->findData(path)));
}

void GenerationPanel::setBusy(bool busy) {
  cancel_->setEnabled(busy);
  if (!busy) {
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(QString());
  }
}

void GenerationPanel::setCanRegenerate(bool can) {
  regenerate_->setEnabled(can);
}

void GenerationPanel::setProgress(int step, int total, double seconds_left) {
  progress_->setRange(0, total);
  progress_->setValue(step);
  progress_->setFormat(seconds_left >= 0 ? tr("step %v / %m — %1 s left").arg(seconds_left, 0, 'f', 1) : tr("step %v / %m"));
}

void GenerationPanel::setStatus(const QString& text) { status_->setText(text); }

}  // namespace sdm::ui
