#pragma once

#include "ui/kept_result.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace sdm::ui {

// The generated pictures: the selected one large, all of them as thumbnails with their seeds and
// sizes. A running job shows its denoised previews in the tiles it is making — new placeholders
// for a generation, or the tiles being upscaled, which get their pictures back if it stops.
class ResultGallery : public QWidget {
  Q_OBJECT

public:
  explicit ResultGallery(QWidget* parent = nullptr);

  // A run of `count` variations from `seed` starts: placeholders for them, selected. A draft
  // batch (live mode) replaces the previous draft instead of adding to the results.
  void beginBatch(int count, qint64 seed, bool draft = false);
  // An upscale of the tiles at `rows` starts: they show its previews until it ends.
  void beginRefresh(const QList<int>& rows);
  // Previews for the running tiles from the `first`-th on.
  void showPreviews(int first, const QList<QImage>& previews);
  void finishBatch(const QList<KeptResult>& results);
  void abandonBatch();  // cancelled or failed: placeholders go, refreshed tiles get their pictures back
  bool isRunning() const { return !running_rows_.isEmpty(); }

  QList<KeptResult> results() const;
  void setResults(const QList<KeptResult>& results);
  KeptResult result(int row) const;
  int selectedIndex() const;
  QList<int> selectedRows() const;  // ascending
  QImage largeImage() const;        // what the large view shows (a preview while running)
  // Whether Upscale can run (an upscaler is loaded and nothing else runs).
  void setCanUpscale(bool can);

Q_SIGNALS:
  void useAsPhotoRequested(const QImage& image);
  void saveRequested(const QImage& image, qint64 seed);
  void regenerateRequested(const sdm::ui::KeptResult& result);
  void upscaleRequested(const QList<int>& rows);
  void resultsChanged();

protected:
  void resizeEvent(QResizeEvent* event) override;

private:
  QListWidgetItem* addItem(const KeptResult& result, bool pending);
  void setItemResult(QListWidgetItem* item, const KeptResult& result, bool pending);
  void setItemImage(QListWidgetItem* item, const QImage& image, bool smooth);
  QList<int> upscalableRows() const;  // the selected tiles Upscale would refine
  void showTileMenu(const QPoint& position);
  void removeSelected();
  void showSelected();

  QLabel* large_;
  QListWidget* thumbnails_;
  QPushButton* use_as_photo_;
  QPushButton* save_;
  QPushButton* regenerate_;
  QPushButton* upscale_;
  QPushButton* remove_;
  QList<int> running_rows_;        // the tiles the running job makes, in its order
  QList<KeptResult> restore_;      // a refresh's tiles as they were; empty for new placeholders
  int draft_start_ = -1;           // first picture of the last draft batch
  bool can_upscale_ = false;
};

}  // namespace sdm::ui
