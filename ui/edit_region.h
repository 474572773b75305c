#pragma once

#include <QRect>
#include <QRectF>
#include <QSize>

namespace sdm::ui {

// The geometry of editing a photo larger than the model's pictures: the masked regeneration runs
// on a region of it (the model's aspect ratio) at the model's size, and is pasted back at the
// photo's own resolution. The canvas and the photo have the model's aspect ratio.

// Whether the photo's short side is larger than the pictures the model makes (`output`): an edit
// of the whole photo would then come back softer than the photo.
bool photoIsLarger(QSize photo, QSize output);

// A region of the canvas (canvas pixels, the canvas's aspect ratio) holding `wanted` (null:
// nothing) and the mask's bounds with a margin for context, at least `output` photo pixels across
// (so the model sees the photo at its own scale or coarser), moved inside the canvas; null when
// it would cover the whole canvas.
QRect fitEditRegion(QRect wanted, QRect mask_bounds, QSize canvas, QSize photo, QSize output);

// A canvas region in photo pixels, centred where it is, with exactly the model's aspect ratio
// (`model`, as the sampler requires of a photo) and inside the photo; null when it covers the
// whole photo.
QRect editRegionInPhoto(QRect region, QSize canvas, QSize photo, QSize model);

// Photo pixels back onto the canvas.
QRectF photoToCanvas(QRect region, QSize canvas, QSize photo);

}  // namespace sdm::ui
