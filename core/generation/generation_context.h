#pragma once

#include "core/checkpoint/head_options.h"
#include "core/diffusion/feature_reuse.h"
#include "core/diffusion/step_spec.h"
#include "core/generation/upscaler_choice.h"
#include "core/io/class_set.h"

#include <opencv2/core/mat.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The one way a picture is made, shaped as whisper.cpp's and stable-diffusion.cpp's APIs are: a
// context loaded once (the models on their device, in their dtype) and a plan per run, with one
// progress callback and one abort flag. `sdm generate`, `edit`, `upscale`, `eval` and `bench` and
// the app's worker all call it. No LibTorch in this header.
namespace sdm {

struct Generator;

struct ContextParams {
  std::filesystem::path model;  // a base model; or a super-resolution stage, which then runs alone (Stages::Detail)
  HeadOptions heads;
  UpscalerChoice upscaler;      // after a base model
  std::string device = "auto";  // "auto", "cpu", "cuda[:N]"
  std::string dtype = "auto";   // "fp32", "bf16", "fp16", or "auto" (see automatic_dtype)
};

// One loaded network, as a caller describes it.
struct StageInfo {
  std::filesystem::path path;
  int width = 0, height = 0;                  // the pictures it paints
  int low_res_width = 0, low_res_height = 0;  // a super-resolution stage's input; 0 for a base model
  int64_t parameters = 0;
  std::string dtype;                          // what its torso computes in: "fp32", "bf16", "fp16"
  StepPlan default_steps;                     // its sidecar's recommendation, else ddim25
  double default_guidance = 1.5;              // its sidecar's recommendation, else 1.5
  int diffusion_steps = 1000;                 // the steps it was trained over: what a step spec respaces
};

struct ContextInfo {
  StageInfo base;                      // the model loaded (a super-resolution stage for a context of one)
  std::optional<StageInfo> upscaler;   // the stage chained after it
  // Why no upscaler is chained though the model's sidecar names one (its file is missing), else empty.
  std::string upscaler_note;
  std::string dataset;                 // the class set's name, or "custom"
  std::optional<ClassSet> classes;     // none when its dataset has no class set here
  int num_classes = 0;
  bool instance_edges = false;         // the network takes an instance-edge channel
  std::string device;                  // "cpu", "cuda:0"
  bool dtype_chosen = false;           // dtype "auto" chose a reduced precision (callers say so once)
  bool super_resolution() const { return low_res(base); }
  static bool low_res(const StageInfo& stage) { return stage.low_res_width > 0; }
  // The size of the pictures a Chain plan ends with.
  int output_width() const { return upscaler ? upscaler->width : base.width; }
  int output_height() const { return upscaler ? upscaler->height : base.height; }
};

// Chain: the base model, then its upscaler when one is chained. Layout: the base model alone (live
// drafts, variations at the base size). Detail: the upscaler alone on given layouts (or the
// context's only stage, when it is a super-resolution stage).
enum class Stages { Chain, Layout, Detail };

// A photo regenerated inside a mask (RePaint) in every stage, the result written back into it.
struct PhotoEditPlan {
  cv::Mat photo;    // 8-bit RGB at its full resolution
  cv::Mat mask;     // 8-bit, 255 = regenerate: the region's size (or its aspect ratio: scaled)
  cv::Rect region;  // the part of the photo regenerated and pasted back; empty: the whole photo
  int feather = 0;  // border blend, in photo pixels
  int jump_length = 0, jump_n = 1;  // RePaint's resampling, in the base stage
  std::string name = "the photo edit";  // names the photo and mask in errors
};

// Where a run is: both stages' steps so far and, when previews are wanted, the newest denoised
// pictures of the results from `first`.
struct GenerationProgress {
  int stage = 0;                          // 0: layout (the base model), 1: detail (the upscaler)
  int layout_step = 0, layout_total = 0;  // layout_total 0: no base stage
  int detail_step = 0, detail_total = 0;  // detail_total 0: no detail stage
  int first = 0;
  std::vector<cv::Mat> previews;          // 8-bit RGB at the stage's size; empty when none is due
};

struct GenerationPlan {
  Stages stages = Stages::Chain;
  cv::Mat labels;                       // class ids (8/16-bit grey) or the dataset's colours, of the model's aspect
  std::string labels_name = "the label map";  // names it in errors and notes
  cv::Mat instances;                    // an instance map, for models with an edge channel; may be empty
  std::string instances_name = "the instance map";
  std::vector<cv::Mat> layouts;         // Detail: 8-bit RGB pictures to refine, one per result, of the map's aspect
  std::string layouts_name = "the low-res picture";
  std::optional<StepPlan> steps;        // the base model's; none: its recommendation
  double guidance = -1;                 // < 0: the base model's recommendation
  double eta = -1;                      // DDIM's η, in both stages; < 0: each stage's recommendation
  int64_t seed = 0;                     // variation i draws from seed + i
  int count = 1;                        // Chain and Layout
  std::optional<StepPlan> detail_steps; // none: the upscaler's recommendation
  double detail_guidance = -1;          // < 0: the upscaler's recommendation
  std::vector<int64_t> detail_seeds;    // the detail stage's seed per result; empty: seed + i
  FeatureReuse feature_reuse;           // DeepCache in the base model's steps (off by default)
  FeatureReuse detail_feature_reuse;    // and in the upscaler's
  std::optional<PhotoEditPlan> edit;
  // Previews: < 0 none; 0 every step's; else at most one per this many milliseconds, and the last
  // step's of each stage always.
  int preview_interval_ms = -1;
  std::function<void(const GenerationProgress&)> on_progress;
  // A Chain's base pictures, before its detail stage starts.
  std::function<void(const std::vector<cv::Mat>&)> on_layouts;
  // What the run tells its user besides progress: how the maps were read, a batch split for memory.
  std::function<void(const std::string&)> on_note;
  const std::atomic<bool>* abort = nullptr;  // set: the run stops before its next network forward
};

// One result and the recipe that reproduces it.
struct GeneratedPicture {
  cv::Mat image;   // 8-bit RGB: the last stage's picture; for an edit, the photo with the result pasted in
  cv::Mat layout;  // the base stage's 8-bit picture (what the detail stage refined); empty in a Detail plan
  int64_t seed = 0;
  StepPlan steps;
  double guidance = 0;
  bool detailed = false;  // the detail stage ran; then its recipe:
  int64_t detail_seed = 0;
  StepPlan detail_steps;
  double detail_guidance = 0;
};

struct GenerationResult {
  std::vector<GeneratedPicture> pictures;  // empty when cancelled
  bool cancelled = false;
};

// Seconds one picture takes at the recommended steps, measured on this machine: `exact` with every
// step computing the whole network, `reused` with the base model's steps after the first reusing
// deep features (DeepCache at interval 2's depth).
struct PictureSeconds {
  double exact = 0, reused = 0;
};

class GenerationContext {
public:
  // Loads the model and the upscaler `params` choose; every check of the pair (a base model
  // against a stage, their label spaces and sizes) is here, one sdm::Error line naming the file.
  // A missing upscaler the sidecar names is not an error: see ContextInfo::upscaler_note.
  explicit GenerationContext(const ContextParams& params);
  // Adopts a model already loaded, with the upscaler it has chained (`sdm bench` times the
  // networks alone first); `params` say how set_upscaler loads another.
  GenerationContext(Generator loaded, const ContextParams& params);
  ~GenerationContext();
  GenerationContext(const GenerationContext&) = delete;
  GenerationContext& operator=(const GenerationContext&) = delete;

  const ContextInfo& info() const;
  // Chains another upscaler after the same base model, loaded on the same device and dtype.
  void set_upscaler(const UpscalerChoice& choice);
  // Checks the whole plan (maps, sizes, steps, feature reuse) before the first step, then runs it.
  // Throws sdm::Error naming the input at fault.
  GenerationResult run(const GenerationPlan& plan);
  // One picture of a Chain plan at the recommended steps (the upscaler's never reusing deep features).
  PictureSeconds measure_picture_seconds();
  // The loaded networks, for what measures them beyond a run (`sdm bench`'s forwards, `sdm eval`'s probes).
  const Generator& generator() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sdm
