#include "core/training/trainer.h"

#include "core/base/autocast_scope.h"
#include "core/base/device.h"
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/diffusion/sampling_loop.h"
#include "core/io/atomic_file.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/training/data_parallel.h"
#include "core/training/loss_scaler.h"
#include "core/training/training_data.h"
#include "core/training/training_loss.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <fstream>
#include <future>
#include <optional>
#include <sstream>

namespace sdm {

namespace {

struct Batch {
  torch::Tensor images, labels;
};

// How many high-res pixels a low-res pixel of a super-resolution stage covers; 0 for a base model.
int low_res_factor(const ModelConfig& c) {
  if (!c.super_resolution()) return 0;
  if (c.image_height % c.low_res_height || c.image_width % c.low_res_width ||
      c.image_height / c.low_res_height != c.image_width / c.low_res_width)
    throw Error("a super-resolution stage is trained for a whole factor between its sizes, not " + std::to_string(c.low_res_height) +
                "x" + std::to_string(c.low_res_width) + " → " + std::to_string(c.image_height) + "x" + std::to_string(c.image_width));
  return c.image_height / c.low_res_height;
}

cv::Size crop_size(const TrainingOptions& o) { return o.crop > 0 ? cv::Size(o.crop, o.crop) : cv::Size(); }

uint64_t step_seed(uint64_t seed, int64_t step) { return seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step); }

// Step `step`'s examples for process `rank` of `world`: every process draws the whole global
// batch (so its randomness does not depend on how many processes share it) and keeps its slice.
Batch load_batch(const TrainingData& data, const TrainingOptions& o, const ModelConfig& c, int64_t step, int rank, int world) {
  std::mt19937 rng(static_cast<std::mt19937::result_type>(step_seed(o.seed, step)));
  const auto examples = data.load_batch(o.batch * world, c.image_height, c.image_width, rng, crop_size(o));
  std::vector<torch::Tensor> labels;
  for (int i = rank * o.batch; i < (rank + 1) * o.batch; ++i)
    labels.push_back(encode_label_map(examples.channels[i], c.num_classes, c.instance_edges,
                                      examples.instances.defined() ? examples.instances[i] : torch::Tensor()).squeeze(0));
  return {examples.image.narrow(0, rank * o.batch, o.batch), torch::stack(labels)};
}

nlohmann::json sidecar_extra(const TrainingOptions& o, const ModelConfig& config, int64_t step, bool ema) {
  nlohmann::json provenance{{"trainer", "sdm train"}, {"step", step}, {"weights", ema ? "EMA" : "raw"},
                            {"ema_rate", o.ema_rate}, {"data", o.data.string()}, {"dtype", o.dtype}};
  if (!o.init.empty()) provenance["initialised_from"] = o.init.string();
  if (o.crop > 0) provenance["crop"] = o.crop;
  if (o.timestep_share < 1) provenance["timestep_share"] = o.timestep_share;
  nlohmann::json extra{{"classes", o.classes.name}, {"provenance", provenance}};
  if (config.super_resolution()) extra["low_res_augmentation"] = o.augmentation.to_json();
  return extra;
}

void copy_parameters(UNetModel& to, UNetModel& from) {
  torch::NoGradGuard no_grad;
  auto target = to->parameters(), source = from->parameters();
  for (size_t i = 0; i < target.size(); ++i) target[i].copy_(source[i]);
}

// Rows of label | real | sample from the EMA weights, for a look at progress; a super-resolution
// stage's rows are label | low-res input (enlarged) | upscaled | real.
void write_sample_grid(UNetModel& ema, const Batch& batch, const TrainingOptions& o, const ClassSet& classes,
                       const std::filesystem::path& path) {
  ema->eval();
  const int64_t n = std::min<int64_t>(4, batch.labels.size(0));
  SamplingRequest request;
  request.model = ema;
  request.diffusion = o.diffusion;
  request.labels = batch.labels.narrow(0, 0, n);
  request.steps = "dpm++20";
  request.guidance = 1.5;
  const int factor = low_res_factor(ema->config());
  if (factor > 0) {
    request.low_res = area_downsample(batch.images.narrow(0, 0, n), factor).to(batch.labels.device());
    request.low_res_blur = o.augmentation.sampling_blur_sigma;  // as Generator::request reads it from the sidecar
  }
  const auto samples = sample(request).images.cpu();
  std::vector<cv::Mat> rows;
  for (int64_t i = 0; i < n; ++i) {
    const cv::Mat label = channel_colors(batch.labels[i].narrow(0, 0, classes.num_classes).argmax(0).cpu(), classes);
    std::vector<cv::Mat> columns{label};
    if (factor > 0) {
      cv::Mat enlarged;
      cv::resize(tensor_to_rgb(request.low_res[i].cpu()), enlarged, label.size(), 0, 0, cv::INTER_NEAREST);
      columns.push_back(enlarged);
      columns.push_back(tensor_to_rgb(samples[i]));
      columns.push_back(tensor_to_rgb(batch.images[i]));
    } else {
      columns.push_back(tensor_to_rgb(batch.images[i]));
      columns.push_back(tensor_to_rgb(samples[i]));
    }
    cv::Mat row;
    cv::hconcat(columns, row);
    rows.push_back(row);
  }
  cv::Mat grid;
  cv::vconcat(rows, grid);
  write_png(path, grid);
}

}  // namespace

Trainer::Trainer(TrainingOptions options) : options_(std::move(options)) {}

int64_t Trainer::run(const std::function<void(const TrainingProgress&)>& on_step, const std::atomic<bool>& stop) {
  const auto& o = options_;
  const auto device = select_device(o.device);
  const auto dtype = select_dtype(o.dtype, device);
  // fp16's narrow range needs the loss scaled; bf16 has fp32's range.
  std::optional<LossScaler> scaler;
  if (dtype == torch::kHalf) scaler.emplace();
  auto parallel = DataParallel::from_environment(device.is_cuda());
  const int rank = parallel ? parallel->rank() : 0, world = parallel ? parallel->world_size() : 1;
  std::filesystem::create_directories(o.out);
  const auto state_path = o.out / "state.json";

  int64_t step = 0;
  UNetModel model{nullptr}, ema{nullptr};
  if (o.resume && std::filesystem::exists(state_path)) {
    std::ifstream in(state_path);
    const auto state = nlohmann::json::parse(in);
    step = state.at("step").get<int64_t>();
    if (scaler && state.contains("loss_scale")) scaler->restore(state.at("loss_scale"));
    model = load_model(o.out / "model.pt").model;
    ema = load_model(o.out / "ema.pt").model;
  } else if (!o.init.empty()) {
    // A milestone's weights, when the full state is lost: the optimizer's moments start afresh.
    model = load_model(o.init).model;
    ema = UNetModel(model->config());
    copy_parameters(ema, model);
  } else {
    torch::manual_seed(o.seed);
    model = UNetModel(o.model);
    ema = UNetModel(o.model);
    copy_parameters(ema, model);
  }
  const ModelConfig config = model->config();
  const int factor = low_res_factor(config);
  const cv::Size crop = crop_size(o).empty() ? cv::Size(config.image_width, config.image_height) : crop_size(o);
  if (factor > 0 && (crop.width % factor || crop.height % factor))
    throw Error("crops of " + std::to_string(crop.width) + " px are not a multiple of the super-resolution factor " + std::to_string(factor));
  if (config.num_classes != o.classes.num_classes)
    throw Error("the model takes " + std::to_string(config.num_classes) + " classes but the class set " + o.classes.name + " has " +
                std::to_string(o.classes.num_classes));
  model->to(device);
  ema->to(device);
  if (parallel) {
    parallel->broadcast(model->parameters());
    parallel->broadcast(ema->parameters());
  }
  model->train();
  ema->eval();

  torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay));
  if (step > 0) torch::load(optimizer, (o.out / "optimizer.pt").string());
  const auto process = DiffusionProcess::create(o.diffusion, "", VarianceType::LearnedRange);

  auto save = [&] {
    if (rank != 0) return;
    // Each file is replaced atomically; state.json, written last, names the step they all hold.
    save_model(o.out / "model.pt", model, o.diffusion, sidecar_extra(o, config, step, false));
    save_model(o.out / "ema.pt", ema, o.diffusion, sidecar_extra(o, config, step, true));
    std::ostringstream optimizer_state;
    torch::save(optimizer, optimizer_state);
    write_file_atomically(o.out / "optimizer.pt", optimizer_state.str());
    nlohmann::json state{{"step", step}, {"seed", o.seed}};
    if (scaler) state["loss_scale"] = scaler->state();
    write_file_atomically(state_path, state.dump() + "\n");
  };

  const TrainingData data(o.data, o.classes);
  // A background thread loads the next batch while this one trains.
  auto next = std::async(std::launch::async, load_batch, std::cref(data), std::cref(o), std::cref(config), step, rank, world);
  while (step < o.steps && !stop) {
    Batch batch = next.get();
    if (step + 1 < o.steps)
      next = std::async(std::launch::async, load_batch, std::cref(data), std::cref(o), std::cref(config), step + 1, rank, world);

    auto generator = at::make_generator<at::CPUGeneratorImpl>(step_seed(o.seed, step) ^ 0x5DEECE66Dull);
    // Drawn for the global batch, like the examples; this process takes its slice.
    const int64_t n = o.batch * world;
    const auto mine = [&](const torch::Tensor& all) { return all.narrow(0, int64_t(rank) * o.batch, o.batch); };
    const auto t = mine(training_timesteps(n, o.diffusion.diffusion_steps, o.timestep_share, generator));
    const auto noise = mine(at::randn({n, 3, crop.height, crop.width}, generator, torch::kFloat));
    const auto keep = mine((at::rand({n, 1, 1, 1}, generator, torch::kFloat) >= o.drop_rate).to(torch::kFloat));
    // Picture j of the global batch is degraded with its own seed, whichever process trains it.
    torch::Tensor low_res;
    if (factor > 0)
      low_res = o.augmentation.degrade(area_downsample(batch.images, factor), step_seed(o.seed, step) ^ 0xC2B2AE3D27D4EB4Full,
                                       int64_t(rank) * o.batch);

    const auto terms = [&] {
      AutocastScope autocast(device, dtype);
      return training_loss(model, process, batch.images.to(device), (batch.labels * keep).to(device), t.to(device),
                           noise.to(device), o.vb_weight, low_res.defined() ? low_res.to(device) : low_res);
    }();
    const auto loss = terms.loss.mean();
    optimizer.zero_grad();
    (scaler ? scaler->scale(loss) : loss).backward();
    if (parallel) parallel->average_gradients(model->parameters());
    // An fp16 step whose gradients overflowed is skipped (the scaler has lowered its scale).
    if (!scaler || scaler->unscale(model->parameters())) {
      if (o.grad_clip > 0) torch::nn::utils::clip_grad_norm_(model->parameters(), o.grad_clip);
      optimizer.step();
      // Warm-up: early on the EMA follows the model closely, so a short run's EMA is not dominated
      // by the initial weights (0.9999^1000 still leaves them 90 %).
      const double rate = std::min(o.ema_rate, (1.0 + double(step)) / (10.0 + double(step)));
      torch::NoGradGuard no_grad;
      auto target = ema->parameters(), source = model->parameters();
      for (size_t i = 0; i < target.size(); ++i) target[i].mul_(rate).add_(source[i], 1.0 - rate);
    }
    ++step;
    if (on_step && rank == 0) on_step({step, o.steps, loss.item<double>(), terms.mse.mean().item<double>(), terms.vb.mean().item<double>()});
    if (step % o.save_every == 0) save();
    if (rank == 0 && o.sample_every > 0 && step % o.sample_every == 0) {
      char name[32];
      std::snprintf(name, sizeof name, "samples-%07lld.png", static_cast<long long>(step));
      write_sample_grid(ema, batch, o, o.classes, o.out / name);
    }
  }
  if (next.valid()) next.wait();
  if (step % o.save_every != 0) save();
  return step;
}

}  // namespace sdm
