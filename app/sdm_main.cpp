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
#include "app/upscale_command.h"
#endif
#include "core/base/cpu_threads.h"
#include "core/base/error.h"
#include "core/base/huge_page_allocator.h"

#include <c10/util/Exception.h>

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace {

// Every failure is one line on stderr: messages that carry line breaks (LibTorch's) are joined.
int fail(std::string message) {
  for (auto& c : message)
    if (c == '\n') c = ' ';
  while (!message.empty() && message.back() == ' ') message.pop_back();
  std::cerr << "sdm: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  sdm::use_available_cpus();  // before --threads, which overrides it
  sdm::HugePageCpuAllocator::install();
  CLI::App app{"sdm: semantic image synthesis with SDM (Semantic Diffusion Model) checkpoints"};
  app.require_subcommand(1);
  // A bad option is one line (CLI11's own adds a second, "Run with --help…").
  app.failure_message([](const CLI::App*, const CLI::Error& e) { return "sdm: " + std::string(e.what()) + " (see --help)\n"; });
  sdm::cli::add_info_command(app);
  sdm::cli::add_bench_command(app);
#ifdef SDM_WITH_IMAGES
  sdm::cli::add_generate_command(app);
  sdm::cli::add_edit_command(app);
  sdm::cli::add_upscale_command(app);
  sdm::cli::add_scenes_command(app);
  sdm::cli::add_train_command(app);
  sdm::cli::add_segmenter_command(app);
  sdm::cli::add_eval_command(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every refused command line exits 1.
    return app.exit(e) == 0 ? 0 : 1;
  } catch (const sdm::Error& e) {
    return fail(e.what());
  } catch (const c10::Error& e) {
    return fail(e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    return fail("out of memory — close other programs, or ask for fewer variations (--count) or a smaller model");
  } catch (const std::exception& e) {
    // Not expected (options are checked, files and models throw sdm::Error), but never an abort.
    return fail(std::string("unexpected error: ") + e.what());
  }
  return 0;
}
