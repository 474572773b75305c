// The result gallery's tiles, as a user sees them.

#include "tests/ui/ui_tests.h"

#include "ui/kept_result.h"
#include "ui/result_gallery.h"

#include <QListWidget>

namespace sdm::ui {
namespace {

class ResultGalleryTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  // A selected tile is drawn in its picture's colours, not tinted with the selection's: Qt's
  // default Selected icon of a purple picture is bluer than the picture.
  void aSelectedTileKeepsItsPicturesColours() {
    ResultGallery gallery;
    KeptResult result;
    result.image = QImage(64, 64, QImage::Format_RGB32);
    result.image.fill(QColor(150, 90, 200));
    gallery.setResults({result});
    auto* list = gallery.findChild<QListWidget*>();
    QVERIFY(list);
    QCOMPARE(list->count(), 1);
    list->item(0)->setSelected(true);
    const QIcon icon = list->item(0)->icon();
    const QSize size = icon.availableSizes().value(0);
    QVERIFY(!size.isEmpty());
    const QImage normal = icon.pixmap(size, QIcon::Normal).toImage();
    const QImage selected = icon.pixmap(size, QIcon::Selected).toImage();
    QCOMPARE(selected.pixelColor(size.width() / 2, size.height() / 2), QColor(150, 90, 200));
    QCOMPARE(selected, normal);
  }
};

const testing::Registration<ResultGalleryTest> registration("result_gallery");

}  // namespace
}  // namespace sdm::ui

#include "result_gallery_test.moc"
