#pragma once

#include <QString>

namespace sdm::ui::testing {

// Writes a super-resolution stage for tests/data/tiny.pt (its label space: 19 classes + instance
// edges; 32² → 64²) with random weights — its output head too, so its pictures depend on their
// inputs — into `folder`, and returns its path. The reference's tiny-sr network otherwise.
QString writeTinyUpscaler(const QString& folder);

}  // namespace sdm::ui::testing
