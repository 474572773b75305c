#pragma once

#include "ui/project_file.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace sdm::ui {

// The generated pictures: the selected one large, all of them as thumbnails with their seeds.
// A running generation shows its denoised previews in place of the pictures it is making.
class ResultGallery : public QWidget {
  Q_OBJECT

public:
  explicit ResultGallery(QWidget* parent = nullptr);

  // A run of `count` variations from `seed` starts: placeholders for them, selected. A draft
  // batch (live mode) replaces the previous draft instead of adding to the results.
  void beginBatch(int count, qint64 seed, bool draft = false);
  void showPreviews(const QList<QImage>& previews);
  void finishBatch(const QList<QImage>& results, const QList<qint64>& seeds);
  void abandonBatch();  // cancelled or failed: the placeholders go

  QList<KeptResult> results() const;
  void setResults(const QList<KeptResult>& results);
  int selectedIndex() const;
  QImage largeImage() const;  // what the large view shows (a preview while running)

Q_SIGNALS:
  void useAsPhotoRequested(const QImage& image);
  void saveRequested(const QImage& image, qint64 seed);
  void regenerateRequested(qint64 seed);
  void resultsChanged();

protected:
  void resizeEvent(QResizeEvent* event) override;

private:
  void addItem(const QImage& image, qint64 seed, bool pending);
  void showSelected();

  QLabel* large_;
  QListWidget* thumbnails_;
  QPushButton* use_as_photo_;
  QPushButton* save_;
  QPushButton* regenerate_;
  QPushButton* remove_;
  int batch_start_ = -1;  // first placeholder of the running batch
  int draft_start_ = -1;  // first picture of the last draft batch
};

}  // namespace sdm::ui
