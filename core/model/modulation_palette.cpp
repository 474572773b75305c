#include "core/model/modulation_palette.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace sdm {

namespace {

// A 64-bit hash of `bytes` bytes (a multiply-xorshift over 8-byte words): fast enough to run over
// a whole 256² map at the first step, and the bytes are compared on a match anyway.
uint64_t hash_bytes(const char* data, int64_t bytes) {
  uint64_t h = static_cast<uint64_t>(bytes);
  int64_t i = 0;
  for (; i + 8 <= bytes; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    h = (h ^ word) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  for (; i < bytes; ++i) h = (h ^ static_cast<uint8_t>(data[i])) * 0x100000001B3ull;
  return h;
}

// The distinct contents among `rows` rows of `row_bytes` bytes: `firsts` holds the first row of
// each, in order of appearance, and `of_row` the number of each row's content.
struct DistinctRows {
  std::vector<int64_t> firsts, of_row;
};

DistinctRows distinct_rows(const void* data, int64_t rows, int64_t row_bytes) {
  const auto* bytes = static_cast<const char*>(data);
  std::unordered_multimap<uint64_t, int64_t> seen;  // hash → distinct content with it
  DistinctRows d;
  d.of_row.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    const char* row = bytes + r * row_bytes;
    const uint64_t key = hash_bytes(row, row_bytes);
    int64_t found = -1;
    for (auto [it, end] = seen.equal_range(key); it != end && found < 0; ++it)
      if (std::memcmp(row, bytes + d.firsts[it->second] * row_bytes, row_bytes) == 0) found = it->second;
    if (found < 0) {
      found = static_cast<int64_t>(d.firsts.size());
      d.firsts.push_back(r);
      seen.emplace(key, found);
    }
    d.of_row[r] = found;
  }
  return d;
}

// For each pixel of a height×width grid of ids, the ids of its kernel×kernel neighbourhood in
// row-major order, `outside` where it reaches past the edge: [pixels, kernel²].
std::vector<int64_t> neighbourhoods(const std::vector<int64_t>& ids, int64_t height, int64_t width, int64_t kernel,
                                    int64_t outside) {
  const int64_t reach = kernel / 2;
  std::vector<int64_t> out(static_cast<size_t>(height * width * kernel * kernel));
  auto* o = out.data();
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x)
      for (int64_t dy = -reach; dy <= reach; ++dy)
        for (int64_t dx = -reach; dx <= reach; ++dx) {
          const int64_t ny = y + dy, nx = x + dx;
          *o++ = ny < 0 || ny >= height || nx < 0 || nx >= width ? outside : ids[ny * width + nx];
        }
  return out;
}

// A convolution's output at each distinct neighbourhood (`distinct` of `windows`, whose ids are
// rows of `inputs`: [ids, in]) as [neighbourhoods, out]. Each is a row of neighbourhood inputs
// times the weight laid out to match; taken in blocks so a map whose every neighbourhood differs
// (noise) holds tens of MB of gathered inputs, not the whole picture's.
torch::Tensor convolve_neighbourhoods(const ConvolutionImpl& conv, const torch::Tensor& inputs, const DistinctRows& distinct,
                                      const std::vector<int64_t>& windows) {
  const int64_t taps = conv.options.kernel * conv.options.kernel, in = inputs.size(1);
  const auto weight = conv.weight.permute({0, 2, 3, 1}).reshape({conv.options.out_channels, taps * in}).t();
  const int64_t count = static_cast<int64_t>(distinct.firsts.size());
  const int64_t block = std::max<int64_t>(1, (int64_t{16} << 20) / (taps * in * inputs.element_size()));
  auto out = torch::empty({count, conv.options.out_channels}, inputs.options());
  std::vector<int64_t> rows;
  for (int64_t start = 0; start < count; start += block) {
    const int64_t n = std::min(block, count - start);
    rows.clear();
    for (int64_t i = start; i < start + n; ++i) {
      const auto* w = windows.data() + distinct.firsts[i] * taps;
      rows.insert(rows.end(), w, w + taps);
    }
    const auto gathered = inputs.index_select(0, torch::tensor(rows, torch::kLong)).view({n, taps * in});
    auto out_rows = out.narrow(0, start, n);
    torch::addmm_out(out_rows, conv.bias, gathered, weight);
  }
  return out;
}

// `rows` with one more row of zeros: what a convolution's zero padding reads past the edge.
torch::Tensor with_zero_row(const torch::Tensor& rows) { return torch::cat({rows, torch::zeros({1, rows.size(1)}, rows.options())}); }

}  // namespace

void add_to_modulation_palette(SpadeModulation& m, const torch::Tensor& map, const SpadeConvolutions& convs) {
  const int64_t labels = map.size(1), height = map.size(2), width = map.size(3), kernel = convs.shared.options.kernel;
  // The map's distinct pixel vectors (one-hot: its classes).
  const auto pixels = map[0].permute({1, 2, 0}).reshape({height * width, labels}).contiguous();
  const auto classes = distinct_rows(pixels.data_ptr(), height * width, labels * pixels.element_size());
  const auto class_rows = with_zero_row(pixels.index_select(0, torch::tensor(classes.firsts, torch::kLong)));
  // The shared convolution + ReLU once per distinct neighbourhood of classes...
  const auto class_windows =
      neighbourhoods(classes.of_row, height, width, kernel, static_cast<int64_t>(classes.firsts.size()));
  const auto shared = distinct_rows(class_windows.data(), height * width, kernel * kernel * sizeof(int64_t));
  const auto hidden = with_zero_row(convolve_neighbourhoods(convs.shared, class_rows, shared, class_windows).relu_());
  // ...and γ's and β's once per distinct neighbourhood of those.
  const auto hidden_windows = neighbourhoods(shared.of_row, height, width, kernel, static_cast<int64_t>(shared.firsts.size()));
  const auto modulated = distinct_rows(hidden_windows.data(), height * width, kernel * kernel * sizeof(int64_t));
  const auto scale = 1 + convolve_neighbourhoods(convs.gamma, hidden, modulated, hidden_windows);
  const auto shift = convolve_neighbourhoods(convs.beta, hidden, modulated, hidden_windows);

  // After the earlier pictures' rows.
  const int64_t channels = scale.size(1), before = m.scale.defined() ? m.scale.size(0) : 0;
  std::vector<int64_t> offsets(modulated.of_row);
  for (auto& row : offsets) row = (before + row) * channels;
  auto append = [&](const torch::Tensor& palette, const torch::Tensor& rows) { return before ? torch::cat({palette, rows}) : rows; };
  m.scale = append(m.scale, scale);
  m.shift = append(m.shift, shift);
  m.pixel_offsets.push_back(std::move(offsets));
}

}  // namespace sdm
