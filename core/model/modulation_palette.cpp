#include "core/model/modulation_palette.h"

#include <torch/torch.h>

#include <cstring>
#include <unordered_map>

namespace sdm {

namespace {

// A 64-bit hash of `bytes` bytes (a multiply-xorshift over 8-byte words): fast enough to run over
// a whole 256² map at the first step, and the bytes are compared on a match anyway.
uint64_t hash_bytes(const char* data, int64_t bytes, uint64_t seed) {
  uint64_t h = seed ^ static_cast<uint64_t>(bytes);
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

}  // namespace

void to_modulation_palette(SpadeModulation& m) {
  const int64_t pictures = m.scale.size(0), channels = m.scale.size(1), height = m.scale.size(2), width = m.scale.size(3);
  const int64_t pixels = height * width;
  const int64_t vector_bytes = channels * static_cast<int64_t>(m.scale.element_size());
  std::vector<torch::Tensor> scales, shifts;
  std::vector<std::vector<int64_t>> tables;
  int64_t palette_rows = 0;  // of the pictures before this one
  for (int64_t n = 0; n < pictures; ++n) {
    // [H, W, C] in memory: a channels-last picture.
    const auto scale = m.scale[n].permute({1, 2, 0}).reshape({pixels, channels});
    const auto shift = m.shift[n].permute({1, 2, 0}).reshape({pixels, channels});
    const auto* scale_bytes = static_cast<const char*>(scale.data_ptr());
    const auto* shift_bytes = static_cast<const char*>(shift.data_ptr());
    std::unordered_multimap<uint64_t, int64_t> seen;  // hash → first pixel with those vectors
    std::vector<int64_t> firsts;                       // palette row → its first pixel
    std::vector<int64_t> palette_row(static_cast<size_t>(pixels));
    for (int64_t p = 0; p < pixels; ++p) {
      const char* s = scale_bytes + p * vector_bytes;
      const char* t = shift_bytes + p * vector_bytes;
      const uint64_t key = hash_bytes(t, vector_bytes, hash_bytes(s, vector_bytes, 0));
      int64_t row = -1;
      for (auto [it, end] = seen.equal_range(key); it != end && row < 0; ++it) {
        const int64_t q = firsts[it->second];
        if (std::memcmp(s, scale_bytes + q * vector_bytes, vector_bytes) == 0 &&
            std::memcmp(t, shift_bytes + q * vector_bytes, vector_bytes) == 0)
          row = it->second;
      }
      if (row < 0) {
        row = static_cast<int64_t>(firsts.size());
        firsts.push_back(p);
        seen.emplace(key, row);
      }
      palette_row[p] = row;
    }
    const auto index = torch::tensor(firsts, torch::kLong);
    scales.push_back(scale.index_select(0, index));
    shifts.push_back(shift.index_select(0, index));
    for (auto& row : palette_row) row = (palette_rows + row) * channels;
    tables.push_back(std::move(palette_row));
    palette_rows += static_cast<int64_t>(firsts.size());
  }
  m.scale = torch::cat(scales);
  m.shift = torch::cat(shifts);
  m.pixel_offsets = std::move(tables);
}

}  // namespace sdm
