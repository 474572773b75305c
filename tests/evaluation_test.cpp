// The evaluation's measures against hand-worked values, and the segmenter and the evaluation run
// end to end on a few procedural scenes.
#include "core/base/error.h"
#include "core/evaluation/evaluation.h"
#include "core/evaluation/segmentation_metrics.h"
#include "core/evaluation/segmenter.h"
#include "core/evaluation/segmenter_training.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/training/trainer.h"
#include "scene_folder.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <cmath>
#include <numeric>

using namespace sdm;

TEST_CASE("confusion matrix and mIoU on a hand-worked segmentation") {
  const auto predicted = torch::tensor({0, 0, 1, 1}, torch::kLong), truth = torch::tensor({0, 1, 1, 1}, torch::kLong);
  const auto confusion = confusion_matrix(predicted, truth, 3);
  CHECK(confusion[0][0].item<int64_t>() == 1);
  CHECK(confusion[1][0].item<int64_t>() == 1);
  CHECK(confusion[1][1].item<int64_t>() == 2);
  CHECK(confusion.sum().item<int64_t>() == 4);
  std::vector<double> per_class;
  // Class 0: 1 / (1 + 2 − 1); class 1: 2 / (3 + 2 − 2); class 2 never occurs.
  CHECK(mean_iou(confusion, &per_class) == doctest::Approx((0.5 + 2.0 / 3.0) / 2));
  CHECK(per_class[0] == doctest::Approx(0.5));
  CHECK(per_class[1] == doctest::Approx(2.0 / 3.0));
  CHECK(std::isnan(per_class[2]));
  CHECK(mean_iou(confusion_matrix(truth, truth, 3)) == doctest::Approx(1.0));
}

TEST_CASE("perceptual distance is zero for the same features, scale-free per position, symmetric") {
  torch::manual_seed(3);
  const std::vector<torch::Tensor> a{torch::randn({2, 4, 5, 5}), torch::randn({2, 8, 3, 3})};
  const std::vector<torch::Tensor> b{torch::randn({2, 4, 5, 5}), torch::randn({2, 8, 3, 3})};
  CHECK(perceptual_distance(a, a).abs().max().item<double>() < 1e-6);
  const std::vector<torch::Tensor> scaled{a[0] * 3.0, a[1] * torch::rand({2, 1, 3, 3}).add(0.5)};
  CHECK(perceptual_distance(a, scaled).abs().max().item<double>() < 1e-5);
  CHECK(torch::allclose(perceptual_distance(a, b), perceptual_distance(b, a)));
  CHECK(perceptual_distance(a, b).min().item<double>() > 0.1);
}

TEST_CASE("the segmenter learns the scenes, saves and loads; the evaluation runs its sweep") {
  test::TemporaryDirectory dir;
  const auto classes = test::class_set("ade20k-landscape");
  const auto train = test::write_scenes(dir / "train", 0, 12, 32);
  const auto held_out = test::write_scenes(dir / "held-out", 5000, 4, 32);

  SegmenterTrainingOptions o;
  o.data = train;
  o.validation = held_out;
  o.out = dir / "segmenter.pt";
  o.classes = classes;
  o.image_size = 32;
  o.width = 8;
  o.batch = 4;
  o.steps = 150;
  std::vector<double> losses;
  const double miou = train_segmenter(o, [&](int64_t, double loss) { losses.push_back(loss); });
  CHECK(std::accumulate(losses.end() - 10, losses.end(), 0.0) < 0.7 * std::accumulate(losses.begin(), losses.begin() + 10, 0.0));
  CHECK(miou > 0.0);
  CHECK(miou <= 1.0);
  auto loaded = load_segmenter(o.out);
  CHECK(loaded.validation_miou == doctest::Approx(miou));
  CHECK(segmenter_miou(held_out, classes, 32, o.out) == doctest::Approx(miou));
  CHECK_THROWS_WITH_AS(load_segmenter(dir / "missing.pt"), doctest::Contains("missing.json"), Error);

  // A diffusion model trained two steps: its pictures are noise, but every figure must be there.
  TrainingOptions t;
  t.data = train;
  t.out = dir / "run";
  t.classes = classes;
  t.model.image_height = t.model.image_width = 32;
  t.model.num_channels = 32;
  t.model.channel_mult = {1, 2};
  t.model.num_res_blocks = 1;
  t.model.attention_resolutions = {};
  t.model.num_classes = classes.num_classes;
  t.model.instance_edges = false;
  t.model.spade_hidden = 32;
  t.batch = 2;
  t.steps = 2;
  t.save_every = 2;
  t.sample_every = 0;
  t.device = "cpu";
  std::atomic<bool> stop{false};
  Trainer(t).run({}, stop);
  GenerationContext context({.model = t.out / "ema.pt", .upscaler = {UpscalerChoice::Kind::None, {}}, .device = "cpu", .dtype = "fp32"});
  EvaluationOptions e;
  e.maps = held_out;
  e.count = 4;
  e.samples_per_map = 2;
  e.guidance = {1.0, 2.0};
  e.steps = "ddim2";
  e.batch = 4;
  const auto evaluation = evaluate(context, loaded.segmenter, classes, e);
  CHECK(evaluation.real_miou == doctest::Approx(miou));  // all four held-out maps: the segmenter's own figure
  CHECK(evaluation.mismatched_miou >= 0.0);
  CHECK(evaluation.mismatched_miou < evaluation.real_miou);  // a picture of another map follows this one worse
  CHECK(std::isfinite(evaluation.noise_gain.mean));
  CHECK(std::isfinite(evaluation.noise_gain.pattern));
  REQUIRE(evaluation.sweep.size() == 2);
  for (const auto& g : evaluation.sweep) {
    CHECK(g.miou >= 0.0);
    CHECK(g.miou <= 1.0);
    CHECK(g.perceptual_diversity > 0.0);
    CHECK(g.pixel_diversity > 0.0);
    CHECK(g.class_iou.size() == size_t(classes.num_classes));
    CHECK(g.examples.size(0) == 4 * 2);
    CHECK(g.swd.size() == 1);  // 32² pictures: one level of at least 32 pixels
    CHECK(g.swd[0] > 0.0);
    CHECK(std::isfinite(g.texture.block_ratio));
    // The pictures graded are the ones `sdm generate` paints for that map, seed and guidance.
    GenerationPlan plan;
    plan.labels = channel_ids(evaluation.example_maps[1], &classes);
    plan.steps = parse_step_spec("ddim2");
    plan.guidance = g.guidance;
    plan.seed = e.seed + 1 * e.samples_per_map;
    plan.count = e.samples_per_map;
    const auto pictures = context.run(plan).pictures;
    for (int k = 0; k < e.samples_per_map; ++k) CHECK(torch::equal(rgb_to_tensor(pictures[size_t(k)].image), g.examples[2 + k]));
  }
  CHECK(evaluation.swd_floor.empty());  // four scenes: no second sample for the floor
  const auto sky = size_t(classes.find_id(3)->channel);
  CHECK(!std::isnan(evaluation.real_colors[sky][2]));  // every scene has sky
}
