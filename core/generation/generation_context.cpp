#include "core/generation/generation_context.h"

#include "core/base/device.h"
#include "core/base/error.h"
#include "core/diffusion/guided_denoiser.h"
#include "core/diffusion/sampling_loop.h"
#include "core/generation/generator.h"
#include "core/generation/known_region.h"
#include "core/generation/photo_edit.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"

#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace sdm {

struct GenerationContext::Impl {
  ContextParams params;
  Generator generator;
  ContextInfo info;
};

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

StageInfo stage_info(const Generator& stage) {
  const auto& c = stage.model.config;
  StageInfo info;
  info.path = stage.model.path;
  info.width = c.image_width;
  info.height = c.image_height;
  if (c.super_resolution()) {
    info.low_res_width = c.low_res_width;
    info.low_res_height = c.low_res_height;
  }
  info.parameters = stage.model.parameters;
  info.dtype = dtype_name(stage.model.model->torso_dtype());
  info.default_steps = parse_step_spec(stage.default_steps());
  info.default_guidance = stage.default_guidance();
  info.diffusion_steps = stage.model.diffusion.diffusion_steps;
  return info;
}

// The plan's map (and instance map) as `stage`'s network input at its size, one copy per picture.
torch::Tensor condition_of(const Generator& stage, const GenerationPlan& plan, int64_t count, LabelMapNotes& notes) {
  const auto& c = stage.model.config;
  if (plan.labels.empty()) throw Error(plan.labels_name + ": no label map was given");
  const auto channels = label_map_channels(plan.labels, plan.labels_name, c.num_classes, stage.class_set(), c.image_height,
                                           c.image_width, &notes);
  torch::Tensor instances;
  if (!plan.instances.empty()) {
    if (!c.instance_edges) notes.lines.push_back(plan.instances_name + ": ignored, the model takes no instance edges");
    else instances = instance_map_ids(plan.instances, plan.instances_name, c.image_height, c.image_width, &notes);
  }
  return stage.condition(channels, count, instances);
}

// A picture to refine as the stage's low-res input: 8-bit RGB of the map's aspect, scaled to the
// stage's input size when it is another. The chain hands its base pictures over in 8 bits too, so
// that refining a kept layout later gives the bytes the chain gave.
torch::Tensor low_res_of(const cv::Mat& picture, const Generator& stage, const std::string& name, LabelMapNotes& notes) {
  const auto& c = stage.model.config;
  if (picture.empty() || picture.type() != CV_8UC3) throw Error(name + ": the picture to refine must be 8-bit RGB");
  if (int64_t{picture.rows} * c.image_width != int64_t{picture.cols} * c.image_height)
    throw Error(name + ": the picture is " + std::to_string(picture.cols) + "x" + std::to_string(picture.rows) + " but the label map is " +
                std::to_string(c.image_width) + "x" + std::to_string(c.image_height) + ": not the same aspect ratio");
  cv::Mat scaled = picture;
  if (picture.rows != c.low_res_height || picture.cols != c.low_res_width) {
    notes.lines.push_back(name + ": scaled from " + std::to_string(picture.cols) + "x" + std::to_string(picture.rows) +
                          " to the stage's " + std::to_string(c.low_res_width) + "x" + std::to_string(c.low_res_height));
    cv::resize(picture, scaled, cv::Size(c.low_res_width, c.low_res_height), 0, 0,
               picture.rows > c.low_res_height ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  return rgb_to_tensor(scaled).unsqueeze(0).to(stage.device);
}

std::vector<cv::Mat> pictures_of(const torch::Tensor& batch) {
  const auto images = batch.cpu();
  std::vector<cv::Mat> pictures;
  for (int64_t i = 0; i < images.size(0); ++i) pictures.push_back(tensor_to_rgb(images[i]));
  return pictures;
}

void check_feature_reuse(const Generator& stage, const FeatureReuse& reuse) {
  if (reuse.enabled()) stage.model.model->check_deep_feature_depth(reuse.depth_in(stage.model.config));
}

// Steps, guidance, η and reuse as the plan gives them over the stage's recommendations.
void apply(SamplingRequest& request, const std::optional<StepPlan>& steps, double guidance, const GenerationPlan& plan,
           const FeatureReuse& reuse) {
  if (steps) request.steps = steps->spec();
  if (guidance >= 0) request.guidance = guidance;
  if (plan.eta >= 0) request.eta = plan.eta;
  request.feature_reuse = reuse;
  planned_steps(request);  // a step spec the schedule cannot take is an error now, not after a stage
}

}  // namespace

GenerationContext::GenerationContext(const ContextParams& params)
    : GenerationContext(load_generator(params.model, params.heads, params.device, params.dtype), params) {
  if (!impl_->info.super_resolution()) set_upscaler(params.upscaler);
}

GenerationContext::GenerationContext(Generator loaded, const ContextParams& params) : impl_(std::make_unique<Impl>()) {
  impl_->params = params;
  const auto& generator = impl_->generator = std::move(loaded);
  auto& info = impl_->info;
  info.base = stage_info(generator);
  info.dataset = generator.model.dataset;
  info.classes = generator.classes;
  info.num_classes = generator.model.config.num_classes;
  info.instance_edges = generator.model.config.instance_edges;
  info.device = generator.device.str();
  if (generator.upscaler) info.upscaler = stage_info(*generator.upscaler);
}

GenerationContext::~GenerationContext() = default;

const ContextInfo& GenerationContext::info() const { return impl_->info; }

const Generator& GenerationContext::generator() const { return impl_->generator; }

void GenerationContext::set_upscaler(const UpscalerChoice& choice) {
  auto& info = impl_->info;
  info.upscaler.reset();
  info.upscaler_note.clear();
  auto& generator = impl_->generator;
  info.upscaler_note = attach_chosen_upscaler(generator, choice, impl_->params.device, impl_->params.dtype);
  if (generator.upscaler) info.upscaler = stage_info(*generator.upscaler);
}

GenerationResult GenerationContext::run(const GenerationPlan& plan) {
  torch::NoGradGuard no_grad;
  const Generator& base = impl_->generator;
  const bool alone = impl_->info.super_resolution();
  const Generator* upscaler = alone ? &base : base.upscaler.get();
  const bool detail_only = plan.stages == Stages::Detail;
  if (detail_only && !upscaler) throw Error(base.model.path.string() + ": no upscaler is chained after it to refine pictures with");
  if (!detail_only) require_base_model(base);
  const bool with_detail = plan.stages != Stages::Layout && upscaler;
  const int64_t count = detail_only ? int64_t(plan.layouts.size()) : plan.count;
  if (count < 1) throw Error("nothing to generate: " + std::string(detail_only ? "no pictures to refine" : "a count below 1"));
  if (detail_only && plan.edit) throw Error("a photo edit starts from the base model: it cannot run the detail stage alone");

  // Everything read and checked before the first step, so that a bad input loses no stage's work.
  LabelMapNotes notes;
  SamplingRequest layout, detail;
  std::vector<torch::Tensor> low_res;
  if (!detail_only) {
    layout = base.request(condition_of(base, plan, count, notes));
    apply(layout, plan.steps, plan.guidance, plan, plan.feature_reuse);
    layout.seed = plan.seed;
    check_feature_reuse(base, plan.feature_reuse);
  }
  if (with_detail) {
    detail = upscaler->request(condition_of(*upscaler, plan, count, notes));
    apply(detail, plan.detail_steps, plan.detail_guidance, plan, plan.detail_feature_reuse);
    check_feature_reuse(*upscaler, plan.detail_feature_reuse);
  }
  if (detail_only)
    for (const auto& picture : plan.layouts) low_res.push_back(low_res_of(picture, *upscaler, plan.layouts_name, notes));
  if (!plan.detail_seeds.empty() && int64_t(plan.detail_seeds.size()) != count)
    throw Error("the detail stage needs one seed per picture: " + std::to_string(plan.detail_seeds.size()) + " for " +
                std::to_string(count));

  std::optional<PhotoEdit> edit;
  cv::Rect region;
  if (plan.edit) {
    const auto& e = *plan.edit;
    const cv::Rect whole(0, 0, e.photo.cols, e.photo.rows);
    region = e.region.empty() ? whole : e.region;
    if ((region & whole) != region) throw Error("the edit region lies outside the photo");
    try {
      edit = add_photo_edit(layout, with_detail ? &detail : nullptr, base, e.photo(region).clone(), e.mask, e.jump_length, e.jump_n);
    } catch (const Error& error) {
      throw Error(std::string(error.what()) + " (" + e.name + ")");
    }
  }
  std::sort(notes.lines.begin(), notes.lines.end());  // once each: the stages read the same inputs
  notes.lines.erase(std::unique(notes.lines.begin(), notes.lines.end()), notes.lines.end());
  if (plan.on_note) {
    for (const auto& line : notes.lines) plan.on_note(line);
    const auto smaller_parts = [&plan](int64_t part) {
      plan.on_note("out of memory with the whole batch; continuing " + std::to_string(part) + " at a time");
    };
    layout.on_smaller_parts = detail.on_smaller_parts = smaller_parts;
  }

  GenerationProgress progress;
  const int per_picture = with_detail ? planned_steps(detail) : 0;
  progress.layout_total = detail_only ? 0 : planned_steps(layout);
  progress.detail_total = per_picture * int(count);
  auto aborted = [&plan] { return plan.abort && plan.abort->load(); };
  auto since_preview = Clock::now();
  // Previews no more often than asked, and each stage's last step's always.
  auto report = [&](const StepProgress& p, int first) {
    if (aborted()) return false;
    if (!plan.on_progress) return true;
    progress.first = first;
    progress.previews.clear();
    if (plan.preview_interval_ms >= 0 &&
        (p.step == p.total || seconds_since(since_preview) * 1000 >= plan.preview_interval_ms)) {
      progress.previews = pictures_of(p.preview);
      since_preview = Clock::now();
    }
    plan.on_progress(progress);
    return !aborted();
  };
  if (aborted()) return {{}, true};

  std::vector<GeneratedPicture> pictures(static_cast<size_t>(count));
  if (!detail_only) {
    layout.on_step = [&](const StepProgress& p) {
      progress.stage = 0;
      progress.layout_step = p.step;
      progress.layout_total = p.total;
      return report(p, 0);
    };
    const auto result = sample(layout);
    if (result.cancelled) return {{}, true};
    const auto layouts = pictures_of(result.images);
    for (int64_t i = 0; i < count; ++i) {
      auto& picture = pictures[size_t(i)];
      picture.image = picture.layout = layouts[size_t(i)];
      picture.seed = plan.seed + i;
      picture.steps = parse_step_spec(layout.steps);
      picture.guidance = layout.guidance;
      low_res.push_back(rgb_to_tensor(layouts[size_t(i)]).unsqueeze(0).to(upscaler ? upscaler->device : base.device));
    }
    if (with_detail && plan.on_layouts) plan.on_layouts(layouts);
  }
  if (with_detail) {
    // One picture at a time, each with its own seed: what refining a kept layout alone repeats. (On
    // a CPU it is also the fastest: at 256² several pictures' activations leave the cache;
    // benchmarks/README.md.)
    progress.stage = 1;
    for (int64_t i = 0; i < count; ++i) {
      auto one = detail;
      one.labels = detail.labels.narrow(0, i, 1);
      if (detail.known)
        one.known = KnownRegion{detail.known->image.narrow(0, i, 1), detail.known->mask.narrow(0, i, 1), detail.known->jump_length,
                                detail.known->jump_n};
      one.low_res = low_res[size_t(i)];
      one.seed = plan.detail_seeds.empty() ? plan.seed + i : plan.detail_seeds[size_t(i)];
      one.on_step = [&, i](const StepProgress& p) {
        progress.detail_step = int(i) * per_picture + p.step;
        return report(p, int(i));
      };
      const auto result = sample(one);
      if (result.cancelled) return {{}, true};
      auto& picture = pictures[size_t(i)];
      picture.image = tensor_to_rgb(result.images[0].cpu());
      picture.detailed = true;
      picture.detail_seed = one.seed;
      picture.detail_steps = parse_step_spec(one.steps);
      picture.detail_guidance = one.guidance;
    }
  }
  if (edit)
    for (auto& picture : pictures)
      picture.image = paste_photo_region(plan.edit->photo, composite_photo_edit(*edit, picture.image, plan.edit->feather), region);
  return {std::move(pictures), false};
}

PictureSeconds GenerationContext::measure_picture_seconds() {
  torch::NoGradGuard no_grad;
  // A stage's picture from its first step (which also computes SPADE's γ/β) and one step after
  // it, on a one-class map; with `time_reuse`, also a step reusing deep features.
  auto stage_seconds = [](const Generator& stage, bool time_reuse) {
    const auto& c = stage.model.config;
    const auto options = torch::TensorOptions().device(stage.device);
    auto labels = torch::zeros({1, c.condition_channels(), c.image_height, c.image_width}, options);
    labels.select(1, 0).fill_(1.0);
    const auto low_res = c.super_resolution() ? torch::zeros({1, 3, c.low_res_height, c.low_res_width}, options) : torch::Tensor();
    GuidedDenoiser denoise(stage.model.model, labels, stage.default_guidance(), true, low_res);
    const auto x = torch::randn({1, 3, c.image_height, c.image_width}, options);
    auto start = Clock::now();
    denoise(x, 500);
    const double first = seconds_since(start);
    // This call computes the whole network and keeps its deep features for the next.
    if (time_reuse) denoise.set_feature_reuse({.interval = 2});
    start = Clock::now();
    denoise(x, 500);
    const double step = seconds_since(start);
    double reused_step = step;
    if (time_reuse) {
      start = Clock::now();
      denoise(x, 499);
      reused_step = seconds_since(start);
    }
    auto request = stage.request(labels);
    const int later_steps = planned_steps(request) - 1;
    return PictureSeconds{first + later_steps * step, first + later_steps * reused_step};
  };
  const auto& generator = impl_->generator;
  auto seconds = stage_seconds(generator, !impl_->info.super_resolution());
  if (generator.upscaler) {
    const double detail = stage_seconds(*generator.upscaler, false).exact;
    seconds = {seconds.exact + detail, seconds.reused + detail};
  }
  return seconds;
}

}  // namespace sdm
