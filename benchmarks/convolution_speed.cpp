// sdm-convolution-speed: the float32 3×3 convolutions of the released 256² models, timed on this
// CPU as LibTorch's direct convolution (oneDNN, channels-last) and as Winograd's F(4×4, 3×3)
// (core/model/winograd_convolution.h), with each one's rate in direct-convolution GFLOP/s.
// Prints one line per shape; timings are printed, never asserted.
//
//   sdm-convolution-speed [--repeats N]     (default 5; the median is printed)

#include "core/base/cpu_threads.h"
#include "core/model/winograd_convolution.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

namespace {

double median_ms(int repeats, const std::function<void()>& run) {
  run();  // warm-up: oneDNN's kernel generation, first touches
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  if (argc == 3 && std::strcmp(argv[1], "--repeats") == 0) repeats = std::max(1, std::atoi(argv[2]));
  sdm::use_available_cpus();
  torch::NoGradGuard no_grad;
  struct Shape {
    int64_t in_channels, out_channels, size;
  };
  // The decoder's 256² and 128² blocks (their input is the skip concatenated) and the encoder's;
  // then SPADE's γ/β and label-map layers, which stay direct (too narrow: see winograd_applies).
  const std::vector<Shape> shapes{{256, 256, 256}, {512, 256, 256}, {256, 256, 128}, {512, 256, 128}, {768, 256, 128}, {128, 512, 256}, {151, 128, 256}};
  std::printf("threads %d\n", torch::get_num_threads());
  for (const auto& s : shapes) {
    const auto x = torch::randn({1, s.in_channels, s.size, s.size}).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto weight = torch::randn({s.out_channels, s.in_channels, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
    const auto bias = torch::randn({s.out_channels});
    const auto kernel = sdm::winograd_kernel(weight);
    const double gflop = 2.0 * s.size * s.size * s.in_channels * s.out_channels * 9 / 1e9;
    const double direct = median_ms(repeats, [&] { torch::conv2d(x, weight, bias, 1, 1); });
    const double winograd = median_ms(repeats, [&] { sdm::winograd_conv3x3(x, kernel, bias); });
    const double transform = median_ms(repeats, [&] { sdm::winograd_kernel(weight); });
    std::printf("%4lld→%-4lld at %lld²: direct %7.1f ms (%5.0f GFLOP/s), Winograd %7.1f ms (%5.0f), kernel transform %5.1f ms%s\n",
                static_cast<long long>(s.in_channels), static_cast<long long>(s.out_channels),
                static_cast<long long>(s.size), direct, gflop / direct * 1e3, winograd, gflop / winograd * 1e3, transform,
                sdm::winograd_applies(x, weight) ? "" : "  (the network keeps the direct one)");
  }
}
