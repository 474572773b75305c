#include "ui/paint_operations.h"

#include "ui/image_mat.h"

#include <QPainter>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace sdm::ui {

namespace {

double distanceToSegment(QPointF p, QPointF a, QPointF b) {
  const QPointF ab = b - a;
  const double length2 = QPointF::dotProduct(ab, ab);
  const double t = length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
  const QPointF d = p - (a + t * ab);
  return std::hypot(d.x(), d.y());
}

}  // namespace

QPoint pixelAt(QPointF point) { return QPoint(int(std::floor(point.x())), int(std::floor(point.y()))); }

QRect paintSegment(QImage& layer, QPointF from, QPointF to, double radius, int value) {
  const QRectF bounds = QRectF(from, to).normalized().adjusted(-radius, -radius, radius, radius);
  const QRect area = QRect(QPoint(int(std::floor(bounds.left())), int(std::floor(bounds.top()))),
                           QPoint(int(std::ceil(bounds.right())), int(std::ceil(bounds.bottom()))))
                         .intersected(layer.rect());
  QRect changed;
  for (int y = area.top(); y <= area.bottom(); ++y) {
    uchar* row = layer.scanLine(y);
    for (int x = area.left(); x <= area.right(); ++x)
      if (row[x] != value && distanceToSegment(QPointF(x + 0.5, y + 0.5), from, to) <= radius) {
        row[x] = uchar(value);
        changed |= QRect(x, y, 1, 1);
      }
  }
  return changed;
}

QRect floodFill(QImage& layer, QPoint seed, int value) {
  if (!layer.rect().contains(seed) || layer.constScanLine(seed.y())[seed.x()] == value) return {};
  layer.detach();  // the view below writes into the layer's own pixels
  cv::Mat pixels = matView(layer);
  cv::Rect filled;
  cv::floodFill(pixels, cv::Point(seed.x(), seed.y()), cv::Scalar(value), &filled, cv::Scalar(0), cv::Scalar(0),
                4 | cv::FLOODFILL_FIXED_RANGE);
  return QRect(filled.x, filled.y, filled.width, filled.height);
}

QRect fillPath(QImage& layer, const QPainterPath& path, int value) {
  // Rasterise without antialiasing: a pixel is in when its centre is.
  QImage coverage(layer.size(), QImage::Format_Grayscale8);
  coverage.fill(0);
  QPainter painter(&coverage);
  painter.setPen(Qt::NoPen);
  painter.setBrush(Qt::white);
  painter.drawPath(path);
  painter.end();
  return fillSelection(layer, coverage, value);
}

QRect fillSelection(QImage& layer, const QImage& selection, int value) {
  QRect changed;
  for (int y = 0; y < layer.height(); ++y) {
    uchar* row = layer.scanLine(y);
    const uchar* selected = selection.constScanLine(y);
    for (int x = 0; x < layer.width(); ++x)
      if (selected[x] && row[x] != value) {
        row[x] = uchar(value);
        changed |= QRect(x, y, 1, 1);
      }
  }
  return changed;
}

}  // namespace sdm::ui
