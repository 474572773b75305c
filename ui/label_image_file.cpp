#include "ui/label_image_file.h"

#include "core/error.h"
#include "core/image_file.h"
#include "core/label_ids.h"

#include <opencv2/imgproc.hpp>

#include <array>

namespace sdm::ui {

namespace {

std::filesystem::path fsPath(const QString& path) { return std::filesystem::path(path.toStdString()); }

// The colour of each id 0…255 (black where there is no class).
std::array<QRgb, 256> colorTable(const ClassSet& classes) {
  std::array<QRgb, 256> table;
  table.fill(qRgb(0, 0, 0));
  for (const auto& c : classes.classes)
    if (c.id >= 0 && c.id < 256) table[c.id] = qRgb(c.color[0], c.color[1], c.color[2]);
  return table;
}

}  // namespace

QImage readLabelImage(const QString& path, const ClassSet& classes, QSize size) {
  const cv::Mat image = read_image_unchanged(fsPath(path));
  if (int64_t(image.rows) * size.width() != int64_t(image.cols) * size.height())
    throw Error(path.toStdString() + ": is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                ", which does not have the model's aspect ratio " + std::to_string(size.width()) + "x" + std::to_string(size.height()));
  cv::Mat ids = label_ids(image, fsPath(path), &classes, classes.num_classes);
  cv::Mat scaled;
  cv::resize(ids, scaled, cv::Size(size.width(), size.height()), 0, 0, cv::INTER_NEAREST_EXACT);
  QImage result(size, QImage::Format_Grayscale8);
  for (int y = 0; y < size.height(); ++y)
    for (int x = 0; x < size.width(); ++x) result.scanLine(y)[x] = uchar(scaled.at<int>(y, x));
  return result;
}

void writeLabelImage(const QString& path, const QImage& ids, const ClassSet& classes, bool colour) {
  if (!colour) {
    const cv::Mat grey(ids.height(), ids.width(), CV_8UC1, const_cast<uchar*>(ids.constBits()), ids.bytesPerLine());
    write_png(fsPath(path), grey);
    return;
  }
  const QImage rgb = labelColors(ids, classes).convertToFormat(QImage::Format_RGB888);
  write_png(fsPath(path), cv::Mat(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()), rgb.bytesPerLine()));
}

QImage readPhoto(const QString& path) {
  const cv::Mat rgb = read_rgb_image(fsPath(path));
  return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

QImage labelColors(const QImage& ids, const ClassSet& classes) {
  const auto table = colorTable(classes);
  QImage colors(ids.size(), QImage::Format_RGB32);
  for (int y = 0; y < ids.height(); ++y) {
    const uchar* from = ids.constScanLine(y);
    auto* to = reinterpret_cast<QRgb*>(colors.scanLine(y));
    for (int x = 0; x < ids.width(); ++x) to[x] = table[from[x]];
  }
  return colors;
}

}  // namespace sdm::ui
