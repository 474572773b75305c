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

void add_to_modulation_palette(SpadeModulation& m, const torch::Tensor& scale_map, const torch::Tensor& shift_map) {
  const int64_t channels = scale_map.size(1), pixels = scale_map.size(2) * scale_map.size(3);
  const int64_t vector_bytes = channels * static_cast<int64_t>(scale_map.element_size());
  // [H, W, C] in memory: a channels-last picture.
  const auto scale = scale_map[0].permute({1, 2, 0}).reshape({pixels, channels});
  const auto shift = shift_map[0].permute({1, 2, 0}).reshape({pixels, channels});
  const auto* scale_bytes = static_cast<const char*>(scale.data_ptr());
  const auto* shift_bytes = static_cast<const char*>(shift.data_ptr());
  std::unordered_multimap<uint64_t, int64_t> seen;  // hash → palette row with those vectors
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
  // After the earlier pictures' rows.
  const int64_t before = m.scale.defined() ? m.scale.size(0) : 0;
  for (auto& row : palette_row) row = (before + row) * channels;
  const auto index = torch::tensor(firsts, torch::kLong);
  auto append = [&](const torch::Tensor& palette, const torch::Tensor& rows) { return before ? torch::cat({palette, rows}) : rows; };
  m.scale = append(m.scale, scale.index_select(0, index));
  m.shift = append(m.shift, shift.index_select(0, index));
  m.pixel_offsets.push_back(std::move(palette_row));
}

}  // namespace sdm
