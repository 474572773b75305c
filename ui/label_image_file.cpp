#include "ui/label_image_file.h"

#include "core/base/error.h"
#include "core/io/image_file.h"
#include "core/io/label_ids.h"
#include "ui/image_mat.h"

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
  const auto file = fsPath(path);
  cv::Mat ids;
  fit_label_map(label_ids(read_image_unchanged(file), file, &classes, classes.num_classes), file, size.height(), size.width())
      .convertTo(ids, CV_8U);  // class sets' ids fit in a byte
  return imageCopy(ids);
}

void writeLabelImage(const QString& path, const QImage& ids, const ClassSet& classes, bool colour) {
  if (!colour) {
    write_png(fsPath(path), matView(ids));
    return;
  }
  const QImage rgb = labelColors(ids, classes).convertToFormat(QImage::Format_RGB888);
  write_png(fsPath(path), matView(rgb));
}

QImage readMaskImage(const QString& path, QSize size) {
  const auto file = fsPath(path);
  cv::Mat grey;
  cv::cvtColor(read_rgb_image(file), grey, cv::COLOR_RGB2GRAY);
  cv::Mat mask;
  cv::threshold(fit_label_map(grey, file, size.height(), size.width()), mask, 127, 255, cv::THRESH_BINARY);
  return imageCopy(mask);
}

QImage readPhoto(const QString& path) {
  return imageCopy(read_rgb_image(fsPath(path)));
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
