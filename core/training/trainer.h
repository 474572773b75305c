#pragma once

#include "core/diffusion/diffusion_process.h"
#include "core/diffusion/low_res_conditioning.h"
#include "core/io/class_set.h"
#include "core/model/model_config.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

namespace sdm {

struct TrainingOptions {
  std::filesystem::path data;       // see TrainingData
  std::filesystem::path out;        // checkpoints, sample grids
  ClassSet classes;                 // label ids → channels; its name goes into the sidecar
  ModelConfig model;                // used when starting; a resumed run keeps its own
  // Side of the square random crops trained on, at the model's resolution; 0: the model's size.
  // A fully convolutional super-resolution stage learns its detail as well from small crops.
  int crop = 0;
  LowResAugmentation augmentation;  // a super-resolution stage's conditioning augmentation
  DiffusionConfig diffusion;
  int batch = 8;                    // per process
  double learning_rate = 1e-4;
  double weight_decay = 0.0;
  double ema_rate = 0.9999;
  double drop_rate = 0.2;           // classifier-free guidance: probability of an all-zero label map
  double vb_weight = 1.0;           // λ of L_vlb
  double grad_clip = 1.0;           // max gradient norm; 0 = off
  double timestep_share = 1.0;      // train on the first share of the timesteps (training_timesteps)
  int64_t steps = 10000;            // stop after this many steps in total
  int64_t save_every = 500;
  int64_t sample_every = 1000;      // 0 = never
  uint64_t seed = 0;
  bool resume = false;
  std::filesystem::path init;       // start from these weights (e.g. a shipped milestone) instead of random ones
  std::string device = "auto";
  std::string dtype = "fp32";       // fp32, or mixed precision: bf16, fp16 (CUDA, with loss scaling)
};

struct TrainingProgress {
  int64_t step;     // steps done
  int64_t total;
  double loss, mse, vb;
};

// Trains an SDM U-Net with the reference's objective (L_simple + λ·L_vlb, uniform timesteps,
// AdamW, EMA with warm-up, gradient clipping, optional mixed precision) and classifier-free
// guidance dropout. A super-resolution stage (a config with a low-res size) is trained on crops
// whose low-res input is the crop area-downsampled and degraded by `augmentation`. Every random
// choice of step s (examples, crops, flips, timesteps, noise, dropout, augmentation) comes from a
// generator seeded by (seed, s), so a run resumed from its saved state continues exactly as if
// never stopped.
// Started torchrun-style (WORLD_SIZE > 1, see DataParallel), each process trains on its `batch`
// share of a global batch of batch × WORLD_SIZE and gradients are averaged: the same update as one
// process with the global batch. Rank 0 alone saves.
// The state — weights, EMA weights (both as reference state dicts + sidecars), optimizer, step —
// is saved atomically every `save_every` steps and at the end, under `out`.
class Trainer {
public:
  explicit Trainer(TrainingOptions options);
  // Returns the step reached; stops early (after saving) when `stop` becomes true.
  int64_t run(const std::function<void(const TrainingProgress&)>& on_step, const std::atomic<bool>& stop);

private:
  TrainingOptions options_;
};

}  // namespace sdm
