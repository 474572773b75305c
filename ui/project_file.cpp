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
constexpr int kVersion = 1;

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
  for (const auto& result : project.results) results.append(QJsonObject{{"seed", result.seed}, {"image", encodePng(result.image)}});
  const QJsonObject json{{"format", kFormat},
                         {"version", kVersion},
                         {"model", project.model_path},
                         {"classes", project.classes},
                         {"labels", encodePng(project.labels)},
                         {"mask", encodePng(project.mask)},
                         {"photo", encodePng(project.photo)},
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
  project.settings = GenerationSettings::fromJson(json.value("settings").toObject());
  for (const auto& value : json.value("results").toArray()) {
    const QJsonObject result = value.toObject();
    project.results.append({result.value("seed").toInteger(), decodePng(path, result, "image", QImage::Format_RGB888, true)});
  }
  return project;
}

}  // namespace sdm::ui
