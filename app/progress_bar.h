#pragma once

#include <chrono>
#include <string>

namespace sdm::cli {

// A one-line terminal progress bar with rate and ETA, redrawn in place on stderr.
class ProgressBar {
public:
  explicit ProgressBar(std::string label);
  // `note` (e.g. the loss) follows the figures.
  void update(int done, int total, const std::string& note = {});
  void finish();

private:
  std::string label_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace sdm::cli
