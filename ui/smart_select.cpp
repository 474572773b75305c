#include "ui/smart_select.h"

#include "ui/image_mat.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace sdm::ui {

namespace {

constexpr int kWorkingSide = 256;

// The photo at the working size as 8-bit BGR, and the factor from canvas to working coordinates.
struct WorkingPhoto {
  cv::Mat bgr;
  double scale;
};

WorkingPhoto workingPhoto(const QImage& photo, QSize canvas_size) {
  const QImage rgb = photo.convertToFormat(QImage::Format_RGB888);
  const cv::Mat view = matView(rgb);
  const double scale = std::min(1.0, double(kWorkingSide) / std::max(canvas_size.width(), canvas_size.height()));
  cv::Mat bgr;
  cv::resize(view, bgr, cv::Size(std::max(1, int(canvas_size.width() * scale)), std::max(1, int(canvas_size.height() * scale))),
             0, 0, cv::INTER_AREA);
  cv::cvtColor(bgr, bgr, cv::COLOR_RGB2BGR);
  return {bgr, scale};
}

cv::Rect toWorking(const QRect& rect, const WorkingPhoto& photo) {
  const cv::Rect scaled(int(rect.x() * photo.scale), int(rect.y() * photo.scale), std::max(1, int(rect.width() * photo.scale)),
                        std::max(1, int(rect.height() * photo.scale)));
  return scaled & cv::Rect(0, 0, photo.bgr.cols, photo.bgr.rows);
}

// GrabCut's labels → the canvas-size selection.
QImage selection(const cv::Mat& labels, QSize canvas_size) {
  cv::Mat foreground = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
  cv::Mat scaled;
  cv::resize(foreground, scaled, cv::Size(canvas_size.width(), canvas_size.height()), 0, 0, cv::INTER_LINEAR);
  QImage result(canvas_size, QImage::Format_Grayscale8);
  for (int y = 0; y < scaled.rows; ++y) {
    const uchar* from = scaled.ptr<uchar>(y);
    uchar* to = result.scanLine(y);
    for (int x = 0; x < scaled.cols; ++x) to[x] = from[x] >= 128 ? 255 : 0;
  }
  return result;
}

void grabCut(const cv::Mat& bgr, cv::Mat& labels, cv::Rect rect, int mode) {
  cv::Mat background_model, foreground_model;
  cv::grabCut(bgr, labels, rect, background_model, foreground_model, 5, mode);
}

}  // namespace

QImage selectObjectInRect(const QImage& photo, QSize canvas_size, const QRect& rect) {
  const auto working = workingPhoto(photo, canvas_size);
  const cv::Rect box = toWorking(rect, working);
  cv::Mat labels(working.bgr.size(), CV_8UC1, cv::Scalar(cv::GC_BGD));
  // GrabCut needs some background around the box; a box covering the whole photo has none.
  if (box.width < 2 || box.height < 2 || box.area() >= working.bgr.cols * working.bgr.rows) labels(box).setTo(cv::GC_PR_FGD);
  else grabCut(working.bgr, labels, box, cv::GC_INIT_WITH_RECT);
  return selection(labels, canvas_size);
}

QImage selectObjectAt(const QImage& photo, QSize canvas_size, QPoint point) {
  const auto working = workingPhoto(photo, canvas_size);
  const cv::Point seed(std::clamp(int(point.x() * working.scale), 0, working.bgr.cols - 1),
                       std::clamp(int(point.y() * working.scale), 0, working.bgr.rows - 1));
  // The region of similar colour around the click: probably the object.
  cv::Mat region(working.bgr.rows + 2, working.bgr.cols + 2, CV_8UC1, cv::Scalar(0));
  cv::Mat scratch = working.bgr.clone();
  cv::Rect bounds;
  cv::floodFill(scratch, region, seed, cv::Scalar(), &bounds, cv::Scalar::all(12), cv::Scalar::all(12),
                4 | cv::FLOODFILL_MASK_ONLY | (255 << 8));
  region = region(cv::Rect(1, 1, working.bgr.cols, working.bgr.rows));
  // Around it, a margin GrabCut may still give either way; beyond the margin, background.
  const int margin = std::max(4, std::max(bounds.width, bounds.height) / 4);
  const cv::Rect around = cv::Rect(bounds.x - margin, bounds.y - margin, bounds.width + 2 * margin, bounds.height + 2 * margin) &
                          cv::Rect(0, 0, working.bgr.cols, working.bgr.rows);
  cv::Mat labels(working.bgr.size(), CV_8UC1, cv::Scalar(cv::GC_BGD));
  labels(around).setTo(cv::GC_PR_BGD);
  labels.setTo(cv::GC_PR_FGD, region);
  labels.at<uchar>(seed) = cv::GC_FGD;
  if (around.area() < working.bgr.cols * working.bgr.rows) grabCut(working.bgr, labels, around, cv::GC_INIT_WITH_MASK);
  return selection(labels, canvas_size);
}

}  // namespace sdm::ui
