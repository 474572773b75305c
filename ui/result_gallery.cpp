#include "ui/result_gallery.h"

#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace sdm::ui {

namespace {
constexpr int kResultRole = Qt::UserRole;      // KeptResult: the finished picture and its recipe
constexpr int kShownRole = Qt::UserRole + 1;   // QImage: what the tile shows (a preview while running)
constexpr int kPendingRole = Qt::UserRole + 2;
constexpr int kThumbnail = 96;

QString tileText(const KeptResult& result, const QImage& shown) {
  const QString seed = result.upscaled() && *result.detail_seed != result.seed
                           ? QObject::tr("seed %1/%2").arg(result.seed).arg(*result.detail_seed)
                           : QObject::tr("seed %1").arg(result.seed);
  if (shown.isNull() || result.edit) return seed;
  return QObject::tr("%1\n%2").arg(seed, QString::number(shown.width()) + "²");
}
}  // namespace

ResultGallery::ResultGallery(QWidget* parent)
    : QWidget(parent), large_(new QLabel), thumbnails_(new QListWidget), use_as_photo_(new QPushButton(tr("Use as photo"))),
      save_(new QPushButton(tr("Save…"))), regenerate_(new QPushButton(tr("Regenerate this"))), upscale_(new QPushButton(tr("Upscale"))),
      remove_(new QPushButton(tr("Remove"))) {
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
  thumbnails_->setGridSize(QSize(kThumbnail + 20, kThumbnail + 40));
  thumbnails_->setWordWrap(true);
  thumbnails_->setFixedHeight(kThumbnail + 60);
  thumbnails_->setMovement(QListView::Static);
  thumbnails_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  thumbnails_->setContextMenuPolicy(Qt::CustomContextMenu);
  use_as_photo_->setToolTip(tr("Put this picture under the canvas, to edit it by masked regeneration"));
  regenerate_->setToolTip(tr("Make this picture again with its seeds and steps, from the current map"));
  upscale_->setObjectName("upscale");
  upscale_->setToolTip(tr("Run only the upscaler on the selected base pictures, each with its own seed: "
                          "explore many layouts cheaply, spend the detail stage on the ones you keep"));
  remove_->setObjectName("remove");
  auto* buttons = new QHBoxLayout;
  for (auto* button : {use_as_photo_, save_, regenerate_, upscale_, remove_}) buttons->addWidget(button);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(large_, 1);
  layout->addWidget(thumbnails_);
  layout->addLayout(buttons);

  connect(thumbnails_, &QListWidget::currentRowChanged, this, &ResultGallery::showSelected);
  connect(thumbnails_, &QListWidget::itemSelectionChanged, this, &ResultGallery::showSelected);
  connect(thumbnails_, &QListWidget::customContextMenuRequested, this, &ResultGallery::showTileMenu);
  connect(use_as_photo_, &QPushButton::clicked, this, [this] { Q_EMIT useAsPhotoRequested(result(selectedIndex()).image); });
  connect(save_, &QPushButton::clicked, this, [this] {
    const KeptResult kept = result(selectedIndex());
    Q_EMIT saveRequested(kept.image, kept.seed);
  });
  connect(regenerate_, &QPushButton::clicked, this, [this] { Q_EMIT regenerateRequested(result(selectedIndex())); });
  connect(upscale_, &QPushButton::clicked, this, [this] {
    if (const auto rows = upscalableRows(); !rows.isEmpty()) Q_EMIT upscaleRequested(rows);
  });
  connect(remove_, &QPushButton::clicked, this, &ResultGallery::removeSelected);
  showSelected();
}

QListWidgetItem* ResultGallery::addItem(const KeptResult& result, bool pending) {
  auto* item = new QListWidgetItem;
  thumbnails_->addItem(item);
  setItemResult(item, result, pending);
  return item;
}

void ResultGallery::setItemResult(QListWidgetItem* item, const KeptResult& result, bool pending) {
  item->setData(kResultRole, QVariant::fromValue(result));
  item->setData(kPendingRole, pending);
  setItemImage(item, result.image, true);
}

void ResultGallery::setItemImage(QListWidgetItem* item, const QImage& image, bool smooth) {
  item->setData(kShownRole, image);
  QIcon icon;
  if (!image.isNull()) {
    const auto thumbnail = QPixmap::fromImage(
        image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, smooth ? Qt::SmoothTransformation : Qt::FastTransformation));
    // The selected tile shows its true colours: Qt's default Selected mode tints it with the
    // highlight, which turned a purple sky blue beside the same picture shown large.
    icon.addPixmap(thumbnail, QIcon::Normal);
    icon.addPixmap(thumbnail, QIcon::Selected);
  }
  item->setIcon(icon);
  item->setText(tileText(item->data(kResultRole).value<KeptResult>(), image));
}

void ResultGallery::beginBatch(int count, qint64 seed, bool draft) {
  abandonBatch();
  if (draft_start_ >= 0)
    while (thumbnails_->count() > draft_start_) delete thumbnails_->takeItem(draft_start_);
  draft_start_ = draft ? thumbnails_->count() : -1;
  const int first = thumbnails_->count();
  for (int i = 0; i < count; ++i) {
    KeptResult placeholder;
    placeholder.seed = seed + i;
    addItem(placeholder, true);
    running_rows_.append(first + i);
  }
  thumbnails_->setCurrentRow(first);
  thumbnails_->scrollToBottom();
  showSelected();
}

void ResultGallery::beginRefresh(const QList<int>& rows) {
  abandonBatch();
  for (const int row : rows) {
    auto* item = thumbnails_->item(row);
    if (!item) continue;
    restore_.append(item->data(kResultRole).value<KeptResult>());
    item->setData(kPendingRole, true);
    running_rows_.append(row);
  }
  showSelected();
}

void ResultGallery::showPreviews(int first, const QList<QImage>& previews) {
  for (int i = 0; i < previews.size() && first + i < running_rows_.size(); ++i)
    if (auto* item = thumbnails_->item(running_rows_[first + i])) setItemImage(item, previews[i], false);
  showSelected();
}

void ResultGallery::finishBatch(const QList<KeptResult>& results) {
  for (int i = 0; i < results.size() && i < running_rows_.size(); ++i)
    if (auto* item = thumbnails_->item(running_rows_[i])) setItemResult(item, results[i], false);
  running_rows_.clear();
  restore_.clear();
  showSelected();
  Q_EMIT resultsChanged();
}

void ResultGallery::abandonBatch() {
  if (running_rows_.isEmpty()) return;
  if (restore_.isEmpty()) {
    // New placeholders: they were appended last.
    while (thumbnails_->count() > running_rows_.first()) delete thumbnails_->takeItem(running_rows_.first());
  } else {
    for (int i = 0; i < running_rows_.size(); ++i)
      if (auto* item = thumbnails_->item(running_rows_[i])) setItemResult(item, restore_[i], false);
  }
  running_rows_.clear();
  restore_.clear();
  showSelected();
}

QList<KeptResult> ResultGallery::results() const {
  QList<KeptResult> results;
  for (int i = 0; i < thumbnails_->count(); ++i) {
    const auto* item = thumbnails_->item(i);
    if (item->data(kPendingRole).toBool()) {
      // A tile being upscaled is still its finished self; a placeholder is nothing yet.
      const int refreshed = running_rows_.indexOf(i);
      if (refreshed >= 0 && refreshed < restore_.size()) results.append(restore_[refreshed]);
      continue;
    }
    results.append(item->data(kResultRole).value<KeptResult>());
  }
  return results;
}

void ResultGallery::setResults(const QList<KeptResult>& results) {
  running_rows_.clear();
  restore_.clear();
  thumbnails_->clear();
  draft_start_ = -1;
  for (const auto& result : results) addItem(result, false);
  if (!results.isEmpty()) thumbnails_->setCurrentRow(thumbnails_->count() - 1);
  showSelected();
}

KeptResult ResultGallery::result(int row) const {
  const auto* item = thumbnails_->item(row);
  return item ? item->data(kResultRole).value<KeptResult>() : KeptResult();
}

void ResultGallery::setCanUpscale(bool can) {
  can_upscale_ = can;
  showSelected();
}

void ResultGallery::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  showSelected();
}

int ResultGallery::selectedIndex() const { return thumbnails_->currentRow(); }

QList<int> ResultGallery::selectedRows() const {
  QList<int> rows;
  for (const auto& index : thumbnails_->selectionModel()->selectedIndexes()) rows.append(index.row());
  if (rows.isEmpty() && thumbnails_->currentRow() >= 0) rows.append(thumbnails_->currentRow());
  std::sort(rows.begin(), rows.end());
  return rows;
}

QList<int> ResultGallery::upscalableRows() const {
  QList<int> rows;
  if (!can_upscale_ || isRunning()) return rows;
  for (const int row : selectedRows())
    if (result(row).canUpscale() && !thumbnails_->item(row)->data(kPendingRole).toBool()) rows.append(row);
  return rows;
}

QImage ResultGallery::largeImage() const {
  const auto* item = thumbnails_->currentItem();
  return item ? item->data(kShownRole).value<QImage>() : QImage();
}

void ResultGallery::removeSelected() {
  if (isRunning()) return;  // the running job's tiles keep their rows
  const QList<int> rows = selectedRows();
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
    if (*row < draft_start_) --draft_start_;
    delete thumbnails_->takeItem(*row);
  }
  if (!rows.isEmpty()) {
    showSelected();
    Q_EMIT resultsChanged();
  }
}

void ResultGallery::showTileMenu(const QPoint& position) {
  auto* item = thumbnails_->itemAt(position);
  if (!item) return;
  if (!item->isSelected()) thumbnails_->setCurrentItem(item);
  QMenu menu(this);
  for (auto* button : {upscale_, regenerate_, save_, use_as_photo_, remove_})
    menu.addAction(button->text(), button, &QPushButton::click)->setEnabled(button->isEnabled());
  menu.exec(thumbnails_->viewport()->mapToGlobal(position));
}

void ResultGallery::showSelected() {
  const auto* item = thumbnails_->currentItem();
  const bool done = item && !item->data(kPendingRole).toBool();
  for (auto* button : {use_as_photo_, save_, regenerate_}) button->setEnabled(done);
  remove_->setEnabled(done && !isRunning());
  const int upscalable = int(upscalableRows().size());
  upscale_->setEnabled(upscalable > 0);
  upscale_->setText(upscalable > 1 ? tr("Upscale %1 selected").arg(upscalable) : tr("Upscale"));
  const QImage image = largeImage();
  if (image.isNull()) {
    large_->setPixmap(QPixmap());
    large_->setText(item ? tr("Generating…") : tr("Paint a label map, then Generate."));
    return;
  }
  // A 64² layout enlarged smoothly to the view, as the 256² picture will fill it.
  large_->setPixmap(QPixmap::fromImage(image.scaled(large_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

}  // namespace sdm::ui
