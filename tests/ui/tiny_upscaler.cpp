#include "tests/ui/tiny_upscaler.h"

#include "core/checkpoint/model_file.h"
#include "core/checkpoint/reference_flags.h"
#include "tests/ui/ui_tests.h"

#include <torch/torch.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace sdm::ui::testing {

QString writeTinyUpscaler(const QString& folder) {
  QFile layout(dataFile("tiny-sr.json"));
  if (!layout.open(QIODevice::ReadOnly)) qFatal("cannot read tiny-sr.json");
  const QJsonObject flags = QJsonDocument::fromJson(layout.readAll()).object().value("flags").toObject();
  ModelConfig config = ReferenceFlags(nlohmann::json::parse(QJsonDocument(flags).toJson().toStdString())).to_model_config();
  config.num_classes = 19;
  config.instance_edges = true;
  config.low_res_height = config.low_res_width = 32;
  torch::manual_seed(3);
  UNetModel model(config);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.normal_(0, 0.05);
  }
  const QString path = folder + "/tiny-upscaler.pt";
  save_model(path.toStdString(), model);
  return path;
}

}  // namespace sdm::ui::testing
