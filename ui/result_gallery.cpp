#include "ui/result_gallery.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace sdm::ui {

namespace {
constexpr int kImageRole = Qt::UserRole;
constexpr int kSeedRole = Qt::UserRole + 1;
constexpr int kPendingRole = Qt::UserRole + 2;
constexpr int kThumbnail = 96;
}  // namespace

ResultGallery::ResultGallery(QWidget* parent)
    : QWidget(parent), large_(new QLabel), thumbnails_(new QListWidget), use_as_photo_(new QPushButton(tr("Use as photo"))),
      save_(new QPushButton(tr("Save…"))), regenerate_(new QPushButton(tr("Regenerate this"))), remove_(new QPushButton(tr("Remove"))) {
  large_->setObjectName("largeResult");
  large_->setAlignment(Qt::AlignCenter);
  large_->setMinimumSize(256, 256);
  large_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  large_->setText(tr("Paint a label map, then Generate."));
  thumbnails_->setObjectName("thumbnails");
  thumbnails_->setViewMode(QListView::IconMode);
  thumbnails_->setIconSize(QSize(kThumbnail, kThumbnail));
  thumbnails_->setFlow(QListView::LeftToRight);
  thumbnails_->setWrapping(false);
  thumbnails_->setFixedHeight(kThumbnail + 44);
  thumbnails_->setMovement(QListView::Static);
  use_as_photo_->setToolTip(tr("Put this picture under the canvas, to edit it by masked regeneration"));
  regenerate_->setToolTip(tr("Run this variation's seed again, with the current map and settings"));
  auto* buttons = new QHBoxLayout;
  for (auto* button : {use_as_photo_, save_, regenerate_, remove_}) buttons->addWidget(button);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(large_, 1);
  layout->addWidget(thumbnails_);
  layout->addLayout(buttons);

  connect(thumbnails_, &QListWidget::currentRowChanged, this, &ResultGallery::showSelected);
  const auto selected = [this] { return thumbnails_->currentItem(); };
  connect(use_as_photo_, &QPushButton::clicked, this, [=, this] {
    if (auto* item = selected()) Q_EMIT useAsPhotoRequested(item->data(kImageRole).value<QImage>());
  });
  connect(save_, &QPushButton::clicked, this, [=, this] {
    if (auto* item = selected()) Q_EMIT saveRequested(item->data(kImageRole).value<QImage>(), item->data(kSeedRole).toLongLong());
  });
  connect(regenerate_, &QPushButton::clicked, this, [=, this] {
    if (auto* item = selected()) Q_EMIT regenerateRequested(item->data(kSeedRole).toLongLong());
  });
  connect(remove_, &QPushButton::clicked, this, [=, this] {
    if (auto* item = selected(); item && !item->data(kPendingRole).toBool()) {
      if (thumbnails_->row(item) < draft_start_) --draft_start_;
      delete item;
      showSelected();
      Q_EMIT resultsChanged();
    }
  });
  showSelected();
}

void ResultGallery::addItem(const QImage& image, qint64 seed, bool pending) {
  auto* item = new QListWidgetItem(tr("seed %1").arg(seed));
  item->setData(kImageRole, image);
  item->setData(kSeedRole, seed);
  item->setData(kPendingRole, pending);
  if (!image.isNull()) item->setIcon(QPixmap::fromImage(image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
  thumbnails_->addItem(item);
}

void ResultGallery::beginBatch(int count, qint64 seed, bool draft) {
  abandonBatch();
  if (draft_start_ >= 0)
    while (thumbnails_->count() > draft_start_) delete thumbnails_->takeItem(draft_start_);
  draft_start_ = draft ? thumbnails_->count() : -1;
  batch_start_ = thumbnails_->count();
  for (int i = 0; i < count; ++i) addItem(QImage(), seed + i, true);
  thumbnails_->setCurrentRow(batch_start_);
  thumbnails_->scrollToBottom();
}

void ResultGallery::showPreviews(const QList<QImage>& previews) {
  if (batch_start_ < 0) return;
  for (int i = 0; i < previews.size() && batch_start_ + i < thumbnails_->count(); ++i) {
    auto* item = thumbnails_->item(batch_start_ + i);
    item->setData(kImageRole, previews[i]);
    item->setIcon(QPixmap::fromImage(previews[i].scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::FastTransformation)));
  }
  showSelected();
}

void ResultGallery::finishBatch(const QList<QImage>& results, const QList<qint64>& seeds) {
  if (batch_start_ < 0) return;
  showPreviews(results);
  for (int i = 0; i < results.size() && batch_start_ + i < thumbnails_->count(); ++i) {
    auto* item = thumbnails_->item(batch_start_ + i);
    item->setData(kSeedRole, seeds.value(i));
    item->setData(kPendingRole, false);
    item->setText(tr("seed %1").arg(seeds.value(i)));
  }
  batch_start_ = -1;
  Q_EMIT resultsChanged();
}

void ResultGallery::abandonBatch() {
  if (batch_start_ < 0) return;
  while (thumbnails_->count() > batch_start_) delete thumbnails_->takeItem(batch_start_);
  batch_start_ = -1;
  showSelected();
}

QList<KeptResult> ResultGallery::results() const {
  QList<KeptResult> results;
  for (int i = 0; i < thumbnails_->count(); ++i) {
    const auto* item = thumbnails_->item(i);
    if (!item->data(kPendingRole).toBool())
      results.append({item->data(kSeedRole).toLongLong(), item->data(kImageRole).value<QImage>()});
  }
  return results;
}

void ResultGallery::setResults(const QList<KeptResult>& results) {
  thumbnails_->clear();
  batch_start_ = -1;
  draft_start_ = -1;
  for (const auto& result : results) addItem(result.image, result.seed, false);
  if (!results.isEmpty()) thumbnails_->setCurrentRow(thumbnails_->count() - 1);
  showSelected();
}

void ResultGallery::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  showSelected();
}

int ResultGallery::selectedIndex() const { return thumbnails_->currentRow(); }

QImage ResultGallery::largeImage() const {
  const auto* item = thumbnails_->currentItem();
  return item ? item->data(kImageRole).value<QImage>() : QImage();
}

void ResultGallery::showSelected() {
  const auto* item = thumbnails_->currentItem();
  const bool done = item && !item->data(kPendingRole).toBool();
  for (auto* button : {use_as_photo_, save_, regenerate_, remove_}) button->setEnabled(done);
  const QImage image = largeImage();
  if (image.isNull()) {
    large_->setPixmap(QPixmap());
    large_->setText(item ? tr("Generating…") : tr("Paint a label map, then Generate."));
    return;
  }
  large_->setPixmap(QPixmap::fromImage(image.scaled(large_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

}  // namespace sdm::ui
