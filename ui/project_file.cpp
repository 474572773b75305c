#include "ui/project_file.h"

#include "core/base/error.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace sdm::ui {

namespace {

constexpr const char* kFormat = "sdm-paint-project";
// 2: results carry their recipe (steps, guidance, detail seed) and layout picture; the edit region.
constexpr int kVersion = 2;

QString encodePng(const QImage& image) {
  if (image.isNull()) return {};
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return QString::fromLatin1(bytes.toBase64());
}

Error projectError(const QString& path, const QString& problem) { return Error((path + ": " + problem).toStdString()); }

QImage decodePng(const QString& path, const QJsonObject& json, const char* member, QImage::Format format, bool required) {
  const QString text = json.value(member).toString();
  if (text.isEmpty()) {
    if (required) throw projectError(path, QString("the project has no %1 image").arg(member));
    return {};
  }
  QImage image;
  if (!image.loadFromData(QByteArray::fromBase64(text.toLatin1()), "PNG"))
    throw projectError(path, QString("its %1 image is corrupt").arg(member));
  return image.convertToFormat(format);
}

}  // namespace

void saveProject(const QString& path, const Project& project) {
  QJsonArray results;
  for (const auto& result : project.results) {
    QJsonObject json = result.recipeJson();
    json["image"] = encodePng(result.image);
    if (!result.layout.isNull()) json["layout"] = encodePng(result.layout);
    results.append(json);
  }
  const QJsonObject json{{"format", kFormat},
                         {"version", kVersion},
                         {"model", project.model_path},
                         {"classes", project.classes},
                         {"labels", encodePng(project.labels)},
                         {"mask", encodePng(project.mask)},
                         {"photo", encodePng(project.photo)},
                         {"edit_region", QJsonArray{project.edit_region.x(), project.edit_region.y(), project.edit_region.width(),
                                                    project.edit_region.height()}},
                         {"settings", project.settings.toJson()},
                         {"results", results}};
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) throw projectError(path, "cannot write (" + file.errorString() + ")");
  file.write(QJsonDocument(json).toJson(QJsonDocument::Compact));
  if (!file.commit()) throw projectError(path, "cannot write (" + file.errorString() + ")");
}

Project loadProject(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) throw projectError(path, "cannot open (" + file.errorString() + ")");
  QJsonParseError parse;
  const auto document = QJsonDocument::fromJson(file.readAll(), &parse);
  if (parse.error != QJsonParseError::NoError)
    throw projectError(path, "not an SDM Paint project (" + parse.errorString() + " at byte " + QString::number(parse.offset) + ")");
  const QJsonObject json = document.object();
  if (json.value("format").toString() != kFormat) throw projectError(path, "not an SDM Paint project");
  if (json.value("version").toInt() > kVersion)
    throw projectError(path, "made by a newer SDM Paint (project version " + QString::number(json.value("version").toInt()) + ")");

  Project project;
  project.model_path = json.value("model").toString();
  project.classes = json.value("classes").toString();
  project.labels = decodePng(path, json, "labels", QImage::Format_Grayscale8, true);
  project.mask = decodePng(path, json, "mask", QImage::Format_Grayscale8, false);
  project.photo = decodePng(path, json, "photo", QImage::Format_RGB888, false);
  if (!project.mask.isNull() && project.mask.size() != project.labels.size())
    throw projectError(path, "its mask and label map differ in size");
  const QJsonArray region = json.value("edit_region").toArray();
  if (region.size() == 4) project.edit_region = QRect(region[0].toInt(), region[1].toInt(), region[2].toInt(), region[3].toInt());
  if (!project.edit_region.isNull() && !QRect(QPoint(), project.labels.size()).contains(project.edit_region))
    throw projectError(path, "its edit region lies outside the label map");
  project.settings = GenerationSettings::fromJson(json.value("settings").toObject());
  for (const auto& value : json.value("results").toArray()) {
    const QJsonObject json_result = value.toObject();
    KeptResult result = KeptResult::fromRecipeJson(json_result);
    result.image = decodePng(path, json_result, "image", QImage::Format_RGB888, true);
    result.layout = decodePng(path, json_result, "layout", QImage::Format_RGB888, false);
    project.results.append(result);
  }
  return project;
}

}  // namespace sdm::ui
