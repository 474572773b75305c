// The generation façade as its callers use it: a context loaded once, plans run through it. The
// chain is its stages in order, a variation is the same alone or in a batch through both stages,
// aborting stops either stage, edits are pasted back exactly, and bad inputs are refused first.
#include "core/base/error.h"
#include "core/checkpoint/model_file.h"
#include "core/generation/generation_context.h"
#include "core/io/atomic_file.h"
#include "core/io/image_io.h"
#include "test_support.h"
#include "tests/tiny_upscaler_model.h"

#include <doctest/doctest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <algorithm>

using namespace sdm;

namespace {

bool same_bytes(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

// tests/data/tiny.pt chained with a 32² → 64² stage written beside the test.
struct TinyCascade {
  test::TemporaryDirectory folder;
  std::filesystem::path upscaler = folder / "tiny-upscaler.pt";
  TinyCascade() {
    auto model = test::tiny_upscaler(test::data_path("tiny-sr.json"));
    save_model(upscaler, model);
  }
  ContextParams params() const {
    return {.model = test::data_path("tiny.pt"), .upscaler = {UpscalerChoice::Kind::File, upscaler}, .device = "cpu", .dtype = "fp32"};
  }
  static GenerationPlan plan(Stages stages, int64_t seed, int count) {
    GenerationPlan plan;
    plan.stages = stages;
    plan.labels = read_image_unchanged(test::data_path("tiny-labels.png"));
    plan.instances = read_image_unchanged(test::data_path("tiny-instances.png"));
    plan.steps = parse_step_spec("ddim4");
    plan.detail_steps = parse_step_spec("ddim3");
    plan.guidance = 1.5;
    plan.detail_guidance = 2.0;
    plan.seed = seed;
    plan.count = count;
    return plan;
  }
};

}  // namespace

TEST_CASE("a chain is the base stage, then the detail stage on its 8-bit pictures, each with its own seed") {
  TinyCascade tiny;
  GenerationContext context(tiny.params());
  REQUIRE(context.info().upscaler);
  CHECK(context.info().output_width() == 64);

  auto chain_plan = TinyCascade::plan(Stages::Chain, 40, 2);
  chain_plan.preview_interval_ms = 0;
  std::vector<std::tuple<int, int, int, int>> seen;  // stage, step, total, first
  chain_plan.on_progress = [&](const GenerationProgress& p) {
    const bool detail = p.stage == 1;
    seen.emplace_back(p.stage, detail ? p.detail_step : p.layout_step, detail ? p.detail_total : p.layout_total, p.first);
    CHECK(p.previews.size() == (detail ? 1u : 2u));
    CHECK(p.previews.front().cols == (detail ? 64 : 32));
  };
  int layouts_told = 0;
  chain_plan.on_layouts = [&](const std::vector<cv::Mat>& layouts) {
    CHECK(layouts.size() == 2);
    CHECK(seen.size() == 8);  // after the base stage, before the detail stage
    ++layouts_told;
  };
  const auto chain = context.run(chain_plan);
  REQUIRE(!chain.cancelled);
  REQUIRE(chain.pictures.size() == 2);
  CHECK(layouts_told == 1);
  std::vector<std::tuple<int, int, int, int>> expected;
  // On a CPU each picture is sampled alone (sampling_loop.h): both stages count 2 × their steps.
  for (int step = 1; step <= 8; ++step) expected.emplace_back(0, step, 8, 0);
  for (int step = 1; step <= 6; ++step) expected.emplace_back(1, step, 6, (step - 1) / 3);
  CHECK((seen == expected));
  for (int i = 0; i < 2; ++i) {
    const auto& picture = chain.pictures[size_t(i)];
    CHECK(picture.image.size() == cv::Size(64, 64));
    CHECK(picture.layout.size() == cv::Size(32, 32));
    CHECK(picture.seed == 40 + i);
    CHECK(picture.detailed);
    CHECK(picture.detail_seed == 40 + i);
    CHECK(picture.steps.spec() == "ddim4");
    CHECK(picture.detail_steps.spec() == "ddim3");
    CHECK(picture.detail_guidance == 2.0);
  }

  // The stages run apart give the same bytes: the layouts alone, then the detail on those layouts.
  const auto layouts = context.run(TinyCascade::plan(Stages::Layout, 40, 2));
  auto detail_plan = TinyCascade::plan(Stages::Detail, 0, 0);
  for (int i = 0; i < 2; ++i) {
    CHECK(same_bytes(layouts.pictures[size_t(i)].image, chain.pictures[size_t(i)].layout));
    CHECK(!layouts.pictures[size_t(i)].detailed);
    detail_plan.layouts.push_back(layouts.pictures[size_t(i)].image);
  }
  detail_plan.detail_seeds = {40, 41};
  const auto detail = context.run(detail_plan);
  for (int i = 0; i < 2; ++i) CHECK(same_bytes(detail.pictures[size_t(i)].image, chain.pictures[size_t(i)].image));

  // Variation 1 alone, from seed 41, is variation 1 of the batch in both stages, byte for byte.
  const auto alone = context.run(TinyCascade::plan(Stages::Chain, 41, 1));
  CHECK(same_bytes(alone.pictures[0].layout, chain.pictures[1].layout));
  CHECK(same_bytes(alone.pictures[0].image, chain.pictures[1].image));
  // …and the variations and both stages' seeds matter.
  CHECK(!same_bytes(chain.pictures[0].image, chain.pictures[1].image));
  detail_plan.detail_seeds = {41, 40};
  CHECK(!same_bytes(context.run(detail_plan).pictures[0].image, chain.pictures[0].image));
}

TEST_CASE("the abort flag stops a run in either stage, before its next network forward, and returns nothing") {
  TinyCascade tiny;
  GenerationContext context(tiny.params());
  for (const int stop_in : {0, 1}) {
    std::atomic<bool> abort{false};
    auto plan = TinyCascade::plan(Stages::Chain, 3, 2);
    plan.abort = &abort;
    int after_abort = 0;
    plan.on_progress = [&](const GenerationProgress& p) {
      if (abort) ++after_abort;
      if (p.stage == stop_in && (stop_in == 0 ? p.layout_step : p.detail_step) == 2) abort = true;
    };
    const auto result = context.run(plan);
    CAPTURE(stop_in);
    CHECK(result.cancelled);
    CHECK(result.pictures.empty());
    CHECK(after_abort == 0);
  }
  std::atomic<bool> abort{true};
  auto plan = TinyCascade::plan(Stages::Chain, 3, 1);
  plan.abort = &abort;
  int steps = 0;
  plan.on_progress = [&](const GenerationProgress&) { ++steps; };
  CHECK(context.run(plan).cancelled);
  CHECK(steps == 0);
}

TEST_CASE("a photo edit through the chain is pasted back: outside its region, and its mask and feather, the photo's bytes") {
  TinyCascade tiny;
  GenerationContext context(tiny.params());
  cv::Mat photo(200, 240, CV_8UC3);
  for (int y = 0; y < photo.rows; ++y)
    for (int x = 0; x < photo.cols; ++x) photo.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x), uchar(y), uchar(255 - (x + y) / 2));
  const cv::Rect region(60, 40, 128, 128);
  cv::Mat mask(128, 128, CV_8U, cv::Scalar(0));
  cv::rectangle(mask, {40, 30}, {90, 70}, cv::Scalar(255), cv::FILLED);
  auto plan = TinyCascade::plan(Stages::Chain, 5, 2);
  const int feather = 4;
  plan.edit = PhotoEditPlan{.photo = photo, .mask = mask, .region = region, .feather = feather, .jump_length = 2, .jump_n = 2};
  const auto result = context.run(plan);
  REQUIRE(result.pictures.size() == 2);
  cv::Mat distance, outside = 255 - mask;
  cv::distanceTransform(outside, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  for (const auto& picture : result.pictures) {
    REQUIRE(picture.image.size() == photo.size());
    CHECK(picture.layout.size() == cv::Size(32, 32));
    int changed_outside = 0, changed_inside = 0;
    for (int y = 0; y < photo.rows; ++y)
      for (int x = 0; x < photo.cols; ++x) {
        const bool same = picture.image.at<cv::Vec3b>(y, x) == photo.at<cv::Vec3b>(y, x);
        const cv::Point in_region(x - region.x, y - region.y);
        const bool inside_region = region.contains({x, y});
        if ((!inside_region || distance.at<float>(in_region) >= feather) && !same) ++changed_outside;
        if (inside_region && mask.at<uchar>(in_region) && !same) ++changed_inside;
      }
    CHECK(changed_outside == 0);
    CHECK(changed_inside > 1000);
  }
  // A photo edit names its inputs when they do not fit.
  plan.edit->mask = cv::Mat(100, 50, CV_8U, cv::Scalar(255));
  plan.edit->name = "photo p.png, mask m.png";
  CHECK_THROWS_WITH_AS(context.run(plan), doctest::Contains("(photo p.png, mask m.png)"), Error);
}

TEST_CASE("the upscaler: a missing one the sidecar names is a note, a wrong one an error naming its file") {
  TinyCascade tiny;
  // tiny.pt with a sidecar naming an upscaler that is not there.
  const auto base = tiny.folder / "base.pt";
  std::filesystem::copy_file(test::data_path("tiny.pt"), base);
  auto sidecar = nlohmann::json::object();
  sidecar["flags"] = test::read_json(test::data_path("tiny.json"))["flags"];
  sidecar["upscaler"] = "gone.pt";
  write_file_atomically(tiny.folder / "base.json", sidecar.dump());
  ContextParams params{.model = base, .device = "cpu", .dtype = "fp32"};
  GenerationContext context(params);
  CHECK(!context.info().upscaler);
  CHECK(context.info().upscaler_note.find("gone.pt") != std::string::npos);
  CHECK(context.info().upscaler_note.find("missing") != std::string::npos);
  const auto pictures = context.run(TinyCascade::plan(Stages::Chain, 0, 1)).pictures;
  REQUIRE(pictures.size() == 1);
  CHECK(pictures[0].image.size() == cv::Size(32, 32));
  CHECK(!pictures[0].detailed);
  CHECK_THROWS_WITH_AS(context.run(TinyCascade::plan(Stages::Detail, 0, 1)), doctest::Contains("no upscaler"), Error);

  // Chosen explicitly: a base model is no upscaler; the note goes once one is chained.
  CHECK_THROWS_WITH_AS(context.set_upscaler({UpscalerChoice::Kind::File, test::data_path("tiny.pt")}),
                       doctest::Contains("tiny.pt: is a base model, not a super-resolution stage"), Error);
  context.set_upscaler({UpscalerChoice::Kind::File, tiny.upscaler});
  CHECK(context.info().upscaler);
  CHECK(context.info().upscaler_note.empty());

  // A stage loaded alone refines pictures; it paints none from a map alone.
  GenerationContext stage({.model = tiny.upscaler, .device = "cpu", .dtype = "fp32"});
  CHECK(stage.info().super_resolution());
  CHECK_THROWS_WITH_AS(stage.run(TinyCascade::plan(Stages::Chain, 0, 1)), doctest::Contains("is a super-resolution stage, not a base model"),
                       Error);
  auto refine = TinyCascade::plan(Stages::Detail, 0, 0);
  refine.layouts = {cv::Mat(64, 64, CV_8UC3, cv::Scalar(40, 120, 200))};  // scaled to its 32² input
  std::vector<std::string> notes;
  refine.on_note = [&](const std::string& line) { notes.push_back(line); };
  CHECK(stage.run(refine).pictures.at(0).image.size() == cv::Size(64, 64));
  // The picture, the map and the instance map were each read at the stage's sizes, and it says so.
  CHECK(notes.size() == 3);
  CHECK(std::count_if(notes.begin(), notes.end(), [](const std::string& n) { return n.find("scaled from 64x64 to the stage's 32x32") != std::string::npos; }) == 1);
}

TEST_CASE("bad inputs are refused before the first step, naming the input") {
  TinyCascade tiny;
  GenerationContext context(tiny.params());
  int steps = 0;
  auto refused = [&](GenerationPlan plan, const std::string& message) {
    plan.on_progress = [&](const GenerationProgress&) { ++steps; };
    CHECK_THROWS_WITH_AS(context.run(plan), doctest::Contains(message.c_str()), Error);
  };
  auto plan = TinyCascade::plan(Stages::Chain, 0, 1);
  plan.labels = cv::Mat(32, 48, CV_8U, cv::Scalar(1));
  plan.labels_name = "wide.png";
  refused(plan, "wide.png: is 48x32");
  plan = TinyCascade::plan(Stages::Chain, 0, 1);
  plan.labels = cv::Mat(32, 32, CV_8U, cv::Scalar(40));
  refused(plan, "40");  // an id the model does not have, in the base stage's map
  plan = TinyCascade::plan(Stages::Chain, 0, 1);
  plan.detail_steps = parse_step_spec("ddim999");
  refused(plan, "ddim999");  // the detail stage's steps, before the base stage runs
  plan = TinyCascade::plan(Stages::Chain, 0, 2);
  plan.detail_seeds = {1};
  refused(plan, "one seed per picture");
  plan = TinyCascade::plan(Stages::Chain, 0, 1);
  plan.detail_feature_reuse = {.interval = 2, .depth = 99};
  refused(plan, "out of range");
  plan = TinyCascade::plan(Stages::Detail, 0, 0);
  plan.layouts = {cv::Mat(32, 64, CV_8UC3, cv::Scalar(0))};
  refused(plan, "not the same aspect ratio");
  CHECK(steps == 0);
}
