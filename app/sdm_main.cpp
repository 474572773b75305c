// `sdm`: the command-line face of SDM Paint's core.
#include "app/bench_command.h"
#include "app/info_command.h"
#ifdef SDM_WITH_IMAGES
#include "app/edit_command.h"
#include "app/eval_command.h"
#include "app/generate_command.h"
#include "app/scenes_command.h"
#include "app/segmenter_command.h"
#include "app/train_command.h"
#endif
#include "core/base/error.h"

#include <c10/util/Exception.h>

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"sdm: semantic image synthesis with SDM (Semantic Diffusion Model) checkpoints"};
  app.require_subcommand(1);
  sdm::cli::add_info_command(app);
  sdm::cli::add_bench_command(app);
#ifdef SDM_WITH_IMAGES
  sdm::cli::add_generate_command(app);
  sdm::cli::add_edit_command(app);
  sdm::cli::add_scenes_command(app);
  sdm::cli::add_train_command(app);
  sdm::cli::add_segmenter_command(app);
  sdm::cli::add_eval_command(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const sdm::Error& e) {
    std::cerr << "sdm: " << e.what() << "\n";
    return 1;
  } catch (const c10::Error& e) {
    std::cerr << "sdm: " << e.what_without_backtrace() << "\n";
    return 1;
  }
  return 0;
}
