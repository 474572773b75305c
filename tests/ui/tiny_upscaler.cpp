#include "tests/ui/tiny_upscaler.h"

#include "core/checkpoint/model_file.h"
#include "tests/tiny_upscaler_model.h"
#include "tests/ui/ui_tests.h"

namespace sdm::ui::testing {

QString writeTinyUpscaler(const QString& folder) {
  auto model = test::tiny_upscaler(dataFile("tiny-sr.json").toStdString());
  const QString path = folder + "/tiny-upscaler.pt";
  save_model(path.toStdString(), model);
  return path;
}

}  // namespace sdm::ui::testing
