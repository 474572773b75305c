#include "ui/generation_panel.h"

#include "core/diffusion/respacing.h"

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
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace sdm::ui {

namespace {
constexpr int kMaxSeed = 2147483647;
}

GenerationPanel::GenerationPanel(QWidget* parent)
    : QWidget(parent), model_label_(new QLabel), model_choice_(new QComboBox),
      force_fp32_(new QCheckBox(tr("Always compute in fp32"))), upscaler_label_(new QLabel),
      upscaler_choice_(new QComboBox), sampler_(new QComboBox), steps_(new QSpinBox),
      guidance_(new QDoubleSpinBox), seed_(new QSpinBox), seed_lock_(new QCheckBox(tr("Lock"))), variations_(new QSpinBox),
      live_(new QCheckBox(tr("Live: redraw a draft after each stroke"))), layout_only_(new QCheckBox),
      detail_steps_(new QSpinBox), deep_cache_(new QComboBox), jump_length_(new QSpinBox), jump_n_(new QSpinBox),
      generate_(new QPushButton(tr("Generate"))),
      regenerate_(new QPushButton(tr("Regenerate in mask"))), cancel_(new QPushButton(tr("Cancel"))),
      progress_(new QProgressBar), status_(new QLabel) {
  // A stage of the model: what is loaded, the recent choices, and a button to open another.
  const auto stageBox = [this](const QString& title, const QString& name, QLabel* label, QComboBox* choice, const QString& open_text,
                               void (GenerationPanel::*open_requested)()) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    label->setWordWrap(true);
    label->setObjectName(name + "Label");
    choice->setObjectName(name + "Choice");
    auto* open = new QPushButton(open_text);
    for (QWidget* widget : {static_cast<QWidget*>(label), static_cast<QWidget*>(choice), static_cast<QWidget*>(open)})
      layout->addWidget(widget);
    connect(open, &QPushButton::clicked, this, open_requested);
    return box;
  };
  auto* model_box = stageBox(tr("Model"), "model", model_label_, model_choice_, tr("Open checkpoint…"), &GenerationPanel::openModelRequested);
  connect(model_choice_, &QComboBox::activated, this, [this](int index) { Q_EMIT modelRequested(model_choice_->itemData(index).toString()); });
  force_fp32_->setObjectName("forceFloat32");
  force_fp32_->setToolTip(tr("Large models run in bf16 on a CPU that computes it natively: about twice as fast, a third "
                             "less memory, 99 % of values within one level of fp32's. Tick to keep fp32's exact results."));
  model_box->layout()->addWidget(force_fp32_);
  connect(force_fp32_, &QCheckBox::clicked, this, &GenerationPanel::forceFloat32Changed);
  // The second stage: the upscaler the model names, another checkpoint, or none.
  auto* upscaler_box = stageBox(tr("Upscaler"), "upscaler", upscaler_label_, upscaler_choice_, tr("Open upscaler…"),
                                &GenerationPanel::openUpscalerRequested);
  connect(upscaler_choice_, &QComboBox::activated, this, [this](int index) {
    Q_EMIT upscalerRequested(upscalerChoiceFromText(upscaler_choice_->itemData(index).toString()));
  });
  setRecentUpscalers({});

  auto* sampler_box = new QGroupBox(tr("Sampler"));
  auto* form = new QFormLayout(sampler_box);
  sampler_->addItem(tr("DDIM"), int(Solver::Ddim));
  sampler_->addItem(tr("DPM-Solver++ (2M)"), int(Solver::DpmSolverPlusPlus));
  sampler_->addItem(tr("DDPM (ancestral)"), int(Solver::Ddpm));
  sampler_->setObjectName("sampler");
  steps_->setRange(1, 1000);
  steps_->setObjectName("steps");
  steps_->setKeyboardTracking(false);  // a typed count is checked once, not digit by digit
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
  layout_only_->setObjectName("layoutOnly");
  layout_only_->setToolTip(tr("Generate runs the base model alone, about a second a picture: explore many layouts, "
                              "then Upscale the ones you keep"));
  layout_only_->setText(tr("Variations at the base size only"));
  form->addRow(layout_only_);
  detail_steps_->setRange(0, 1000);
  detail_steps_->setKeyboardTracking(false);
  detail_steps_->setObjectName("detailSteps");
  detail_steps_->setSpecialValueText(tr("recommended"));
  detail_steps_->setToolTip(tr("The upscaler's steps (0: what it recommends)"));
  form->addRow(tr("Detail steps"), detail_steps_);
  deep_cache_->setObjectName("deepCache");
  deep_cache_->addItem(tr("off: exact pictures"), 1);
  deep_cache_->addItem(tr("every 2nd step"), 2);
  for (int interval = 3; interval <= GenerationSettings::kMaxDeepCache; ++interval)
    deep_cache_->addItem(tr("%1 of every %2 steps").arg(interval - 1).arg(interval), interval);
  deep_cache_->setToolTip(tr("DeepCache: the base model's steps chosen reuse the step before's deep features and compute "
                             "only the full-resolution blocks. Faster; the pictures are close to the exact ones but not "
                             "the same, and a little less varied"));
  form->addRow(tr("Reuse deep features"), deep_cache_);
  connect(deep_cache_, &QComboBox::currentIndexChanged, this, &GenerationPanel::showModel);
  connect(sampler_, &QComboBox::currentIndexChanged, this, &GenerationPanel::keepDdimCounts);
  connect(steps_, &QSpinBox::valueChanged, this, &GenerationPanel::keepDdimCounts);
  connect(detail_steps_, &QSpinBox::valueChanged, this, &GenerationPanel::keepDdimCounts);
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

  // The settings scroll on a short screen; Generate, Cancel and the progress stay in view below them.
  auto* boxes = new QWidget;
  auto* boxes_layout = new QVBoxLayout(boxes);
  boxes_layout->setContentsMargins(0, 0, 0, 0);
  for (auto* box : {model_box, upscaler_box, sampler_box, edit_box}) boxes_layout->addWidget(box);
  boxes_layout->addStretch(1);
  auto* scroll = new QScrollArea;
  scroll->setWidget(boxes);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(boxes->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(scroll, 1);
  layout->addLayout(buttons);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  setSettings(GenerationSettings());
  setBusy(false);
  setCanRegenerate(false);
}

GenerationSettings GenerationPanel::settings() const {
  GenerationSettings settings;
  settings.sampler = Solver(sampler_->currentData().toInt());
  settings.steps = steps_->value();
  settings.guidance = guidance_->value();
  settings.seed = seed_->value();
  settings.seed_locked = seed_lock_->isChecked();
  settings.variations = variations_->value();
  settings.live = live_->isChecked();
  settings.layout_only = layout_only_->isChecked();
  settings.detail_steps = detail_steps_->value();
  settings.deep_cache = deep_cache_->currentData().toInt();
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
  layout_only_->setChecked(settings.layout_only);
  detail_steps_->setValue(settings.detail_steps);
  deep_cache_->setCurrentIndex(std::max(0, deep_cache_->findData(settings.deep_cache)));
  jump_length_->setValue(settings.jump_length);
  jump_n_->setValue(settings.jump_n);
}

qint64 GenerationPanel::nextSeed() {
  if (!seed_lock_->isChecked()) seed_->setValue(int(QRandomGenerator::global()->bounded(kMaxSeed)));
  return seed_->value();
}

void GenerationPanel::setForceFloat32(bool force) { force_fp32_->setChecked(force); }

void GenerationPanel::setModel(const ModelSummary& summary) {
  model_ = summary;
  keepDdimCounts();
  showModel();
}

void GenerationPanel::keepDdimCounts() {
  const int diffusion_steps = model_ ? model_->diffusion_steps : 1000;
  if (Solver(sampler_->currentData().toInt()) == Solver::Ddim)
    steps_->setValue(ddim_step_count_toward(steps_->value(), shown_steps_, diffusion_steps));
  shown_steps_ = steps_->value();
  const UpscalerSummary* upscaler = model_ && model_->upscaler ? &*model_->upscaler : nullptr;
  GenerationSettings recommended;
  if (upscaler && detail_steps_->value() > 0 && recommended.setStepSpec(upscaler->default_steps) && recommended.sampler == Solver::Ddim)
    detail_steps_->setValue(ddim_step_count_toward(detail_steps_->value(), shown_detail_steps_, upscaler->diffusion_steps));
  shown_detail_steps_ = detail_steps_->value();
}

void GenerationPanel::showModel() {
  if (!model_) return;
  const ModelSummary& summary = *model_;
  const int deep_cache = deep_cache_->currentData().toInt();
  const double seconds = summary.pictureSeconds(deep_cache);
  QString speed = seconds < 0 ? tr("measuring its speed…")
                  : seconds < 90 ? tr("about %1 s per picture").arg(seconds, 0, 'f', 1)
                                 : tr("about %1 min per picture").arg(seconds / 60, 0, 'f', 1);
  if (seconds >= 0 && deep_cache > 1) speed += tr(" reusing deep features");
  model_label_->setText(tr("<b>%1</b><br>%2×%3 · %4 · %5 M parameters<br>recommended: %6 · %7")
                            .arg(QFileInfo(summary.path).fileName(), QString::number(summary.size.width()),
                                 QString::number(summary.size.height()), summary.dataset + " · " + summary.device + " · " + summary.dtype,
                                 QString::number(summary.parameters / 1e6, 'f', 1), summary.default_steps, speed));
  model_label_->setToolTip(summary.path);
  if (const auto& u = summary.upscaler) {
    upscaler_label_->setText(tr("<b>%1</b><br>%2×%3 → %4×%5 · %6 · %7 M parameters<br>recommended: %8, guidance %9")
                                 .arg(QFileInfo(u->path).fileName(), QString::number(u->low_res_size.width()),
                                      QString::number(u->low_res_size.height()), QString::number(u->size.width()),
                                      QString::number(u->size.height()), summary.device, QString::number(u->parameters / 1e6, 'f', 1),
                                      u->default_steps, QString::number(u->default_guidance)));
    upscaler_label_->setToolTip(u->path);
  } else {
    upscaler_label_->setText(summary.upscaler_note.isEmpty()
                                 ? tr("None: pictures at %1×%2.").arg(summary.size.width()).arg(summary.size.height())
                                 : summary.upscaler_note);
    upscaler_label_->setToolTip(QString());
  }
  detail_steps_->setEnabled(summary.upscaler.has_value());
  layout_only_->setEnabled(summary.upscaler.has_value());
  layout_only_->setText(tr("Variations at %1 only: upscale the ones you keep").arg(QString::number(summary.size.width()) + "²"));
}

void GenerationPanel::setRecentModels(const QStringList& paths) {
  model_choice_->clear();
  model_choice_->addItem(tr("Shipped default model"), QString());
  for (const auto& path : paths) model_choice_->addItem(QFileInfo(path).fileName(), path);
}

void GenerationPanel::setCurrentModel(const QString& path) {
  model_choice_->setCurrentIndex(std::max(0, model_choice_->findData(path)));
}

void GenerationPanel::setRecentUpscalers(const QStringList& paths) {
  upscaler_choice_->clear();
  upscaler_choice_->addItem(tr("The one the model names"), QString());
  upscaler_choice_->addItem(tr("None: base pictures only"), upscalerChoiceText({UpscalerChoice::Kind::None, {}}));
  for (const auto& path : paths) upscaler_choice_->addItem(QFileInfo(path).fileName(), path);
}

void GenerationPanel::setCurrentUpscaler(const UpscalerChoice& choice) {
  const QString value = upscalerChoiceText(choice);
  if (upscaler_choice_->findData(value) < 0) upscaler_choice_->addItem(QFileInfo(value).fileName(), value);
  upscaler_choice_->setCurrentIndex(upscaler_choice_->findData(value));
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

void GenerationPanel::setProgress(const ChainProgress& p, double seconds_left) {
  const int total = p.layout_total + p.detail_total;
  progress_->setRange(0, std::max(1, total));
  progress_->setValue(p.layout_step + p.detail_step);
  QStringList stages;
  if (p.layout_total > 0) stages << tr("layout %1/%2").arg(p.layout_step).arg(p.layout_total);
  if (p.detail_total > 0) stages << tr("detail %1/%2").arg(p.detail_step).arg(p.detail_total);
  QString text = stages.join(" · ");
  if (seconds_left >= 0) text += tr(" — %1 s left").arg(seconds_left, 0, 'f', seconds_left < 10 ? 1 : 0);
  progress_->setFormat(text);
}

void GenerationPanel::setStatus(const QString& text) { status_->setText(text); }

}  // namespace sdm::ui
