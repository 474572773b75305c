#pragma once

#include "core/model/unet_model.h"

#include <filesystem>

namespace sdm::test {

// A super-resolution stage for tests/data/tiny.pt's label space (19 classes + instance edges),
// 32² → 64², otherwise the reference's tiny-sr network (its layout file `tiny_sr_json`), with
// random N(0, 0.05²) weights — its output head too (a new model's is zero), so its pictures
// depend on their inputs. The core's cascade tests sample with it; the UI's save it as a checkpoint.
UNetModel tiny_upscaler(const std::filesystem::path& tiny_sr_json);

}  // namespace sdm::test
