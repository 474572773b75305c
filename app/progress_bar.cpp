#include "app/progress_bar.h"

#include <cstdio>
#include <unistd.h>

namespace sdm::cli {

ProgressBar::ProgressBar(std::string label) : label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(int done, int total, const std::string& note) {
  // Redrawing in place suits a terminal; a log gets a line at every tenth instead.
  static const bool terminal = ::isatty(::fileno(stderr));
  if (!terminal && total > 0 && done != total && (10 * done / total == 10 * (done - 1) / total)) return;
  constexpr int width = 30;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double per_step = done > 0 ? elapsed / done : 0.0;
  const int filled = total > 0 ? width * done / total : width;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "%s%s [%s] %d/%d  %.2f s/step  ETA %.0f s  %s %s", terminal ? "\r" : "", label_.c_str(), bar.c_str(),
               done, total, per_step, per_step * (total - done), note.c_str(), terminal ? "" : "\n");
  std::fflush(stderr);
}

void ProgressBar::finish() {
  const bool terminal = ::isatty(::fileno(stderr));
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (terminal)
    std::fprintf(stderr, "  done in %.1f s\n", elapsed);
  else
    std::fprintf(stderr, "%s done in %.1f s\n", label_.c_str(), elapsed);
}

}  // namespace sdm::cli
