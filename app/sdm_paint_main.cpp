// sdm-paint: the painting app.

#include "core/io/path_checks.h"
#include "ui/generation_controller.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("sdm-paint");
  QApplication::setApplicationName("sdm-paint");
  QApplication::setApplicationDisplayName("SDM Paint");
  QApplication::setApplicationVersion(SDM_VERSION);
  QApplication::setDesktopFileName("sdm-paint");
  QApplication::setWindowIcon(QIcon::fromTheme("sdm-paint", QIcon(":/sdm-paint-256.png")));

  QCommandLineParser parser;
  parser.setApplicationDescription("Paint a semantic label map; a diffusion model turns it into a picture.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption model({"m", "model"}, "Checkpoint to load (default: the last one used, else the shipped model).", "checkpoint");
  const QCommandLineOption upscaler("upscaler", "Upscaler to chain after the model (default: the one it names, or the last chosen).",
                                    "checkpoint");
  const QCommandLineOption no_upscale("no-upscale", "No upscaler: pictures at the base model's size.");
  const QCommandLineOption labels({"l", "labels"}, "Label map to open.", "png");
  const QCommandLineOption photo({"p", "photo"}, "Photo to put under the map.", "image");
  const QCommandLineOption mask("mask", "Mask of the region to regenerate (white).", "png");
  const QCommandLineOption generate("generate", "Generate as soon as the model is loaded.");
  const QCommandLineOption regenerate("regenerate", "Regenerate the photo inside the mask as soon as the model is loaded.");
  parser.addOptions({model, upscaler, no_upscale, labels, photo, mask, generate, regenerate});
  parser.addPositionalArgument("project", "A project (.sdmp) to open.", "[project]");
  parser.process(app);
  // Files named on the command line are checked before a window opens: a typo is one line on
  // stderr and exit status 1, as with `sdm`, not a window with an error dialog.
  std::string problem;
  for (const auto* option : {&model, &upscaler, &labels, &photo, &mask})
    if (problem.empty() && parser.isSet(*option)) problem = sdm::unreadable_file(parser.value(*option).toStdString());
  for (const auto& project : parser.positionalArguments())
    if (problem.empty()) problem = sdm::unreadable_file(project.toStdString());
  if (!problem.empty()) {
    std::fprintf(stderr, "sdm-paint: %s\n", problem.c_str());
    return 1;
  }

  sdm::ui::MainWindow window;
  window.show();
  const QStringList projects = parser.positionalArguments();
  // What the command line asks for happens once the model is there.
  QObject::connect(&window, &sdm::ui::MainWindow::modelReady, &window, [&, first = true]() mutable {
    if (!first) return;
    first = false;
    if (!projects.isEmpty()) window.openProject(projects.front());
    else window.offerRecovery();
    if (parser.isSet(labels)) window.openLabelMap(parser.value(labels));
    if (parser.isSet(photo)) window.openPhoto(parser.value(photo));
    if (parser.isSet(mask)) window.openMask(parser.value(mask));
    if (parser.isSet(generate)) window.generate();
    if (parser.isSet(regenerate)) window.regenerateMasked();
  });
  if (parser.isSet(no_upscale)) window.generation()->setUpscalerChoice({sdm::UpscalerChoice::Kind::None, {}});
  else if (parser.isSet(upscaler)) window.generation()->setUpscalerChoice({sdm::UpscalerChoice::Kind::File, parser.value(upscaler).toStdString()});
  window.loadModel(parser.isSet(model) ? parser.value(model) : QSettings().value("lastModel").toString());
  try {
    return app.exec();
  } catch (const std::exception& e) {
    // Errors are shown in dialogs where they happen; one that got this far ends the app with a
    // line instead of an abort (the session is autosaved every minute).
    std::fprintf(stderr, "sdm-paint: unexpected error: %s\n", e.what());
    return 1;
  }
}
