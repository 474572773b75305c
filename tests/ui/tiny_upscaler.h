#pragma once

#include <QString>

namespace sdm::ui::testing {

// Writes test::tiny_upscaler (a 32² → 64² stage for tests/data/tiny.pt) as a checkpoint into
// `folder`, and returns its path.
QString writeTinyUpscaler(const QString& folder);

}  // namespace sdm::ui::testing
