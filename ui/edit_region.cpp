#include "ui/edit_region.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sdm::ui {

namespace {
double photoPerCanvas(QSize canvas, QSize photo) { return double(photo.width()) / canvas.width(); }
}  // namespace

bool photoIsLarger(QSize photo, QSize output) {
  return std::min(photo.width(), photo.height()) > std::min(output.width(), output.height());
}

QRect fitEditRegion(QRect wanted, QRect mask_bounds, QSize canvas, QSize photo, QSize output) {
  QRectF box(wanted);  // a null rectangle unites as nothing
  if (!mask_bounds.isNull()) {
    // Context around the mask: a quarter of its long side, and a few pixels at least.
    const double margin = std::max(0.25 * std::max(mask_bounds.width(), mask_bounds.height()), 8.0);
    box = box.united(QRectF(mask_bounds).adjusted(-margin, -margin, margin, margin));
  }
  if (box.isNull()) return {};
  const double aspect = double(canvas.width()) / canvas.height();
  const double scale = photoPerCanvas(canvas, photo);
  double width = std::max({box.width(), box.height() * aspect, output.width() / scale});
  double height = width / aspect;
  if (width >= canvas.width() || height >= canvas.height()) return {};
  const double x = std::clamp(box.center().x() - width / 2, 0.0, canvas.width() - width);
  const double y = std::clamp(box.center().y() - height / 2, 0.0, canvas.height() - height);
  return QRectF(x, y, width, height).toAlignedRect().intersected(QRect(QPoint(), canvas));
}

QRect editRegionInPhoto(QRect region, QSize canvas, QSize photo, QSize model) {
  if (region.isNull()) return {};
  const double scale = photoPerCanvas(canvas, photo);
  const int unit = std::gcd(model.width(), model.height());
  const int unit_w = model.width() / unit, unit_h = model.height() / unit;
  const int k = std::max(1, int(std::lround(region.height() * scale / unit_h)));
  const int width = k * unit_w, height = k * unit_h;
  if (width >= photo.width() || height >= photo.height()) return {};
  const double cx = (region.x() + region.width() / 2.0) * scale, cy = (region.y() + region.height() / 2.0) * scale;
  const int x = std::clamp(int(std::lround(cx - width / 2.0)), 0, photo.width() - width);
  const int y = std::clamp(int(std::lround(cy - height / 2.0)), 0, photo.height() - height);
  return {x, y, width, height};
}

QRectF photoToCanvas(QRect region, QSize canvas, QSize photo) {
  const double scale = photoPerCanvas(canvas, photo);
  return {region.x() / scale, region.y() / scale, region.width() / scale, region.height() / scale};
}

}  // namespace sdm::ui
