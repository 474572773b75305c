#include "ui/image_mat.h"

namespace sdm::ui {

cv::Mat matView(const QImage& image) {
  const int type = image.format() == QImage::Format_Grayscale8 ? CV_8UC1 : CV_8UC3;
  return cv::Mat(image.height(), image.width(), type, const_cast<uchar*>(image.constBits()), size_t(image.bytesPerLine()));
}

QImage imageCopy(const cv::Mat& mat) {
  const auto format = mat.channels() == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
  return QImage(mat.data, mat.cols, mat.rows, int(mat.step), format).copy();
}

}  // namespace sdm::ui
