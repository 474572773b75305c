#include "app/eval_command.h"

#include "app/model_options.h"
#include "app/option_checks.h"
#include "app/progress_bar.h"
#include "core/base/error.h"
#include "core/evaluation/evaluation.h"
#include "core/generation/generator.h"
#include "core/io/atomic_file.h"
#include "core/io/class_set.h"
#include "core/io/image_io.h"
#include "core/io/label_map.h"
#include "core/io/resource_paths.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

namespace sdm::cli {

namespace {

// A measured mean colour, rounded; "—" where the class never appeared.
std::string hex(const Rgb& c) {
  if (std::isnan(c[0])) return "—";
  const auto channel = [](double v) { return static_cast<uint8_t>(std::clamp<long>(std::lround(v), 0, 255)); };
  return hex_color({channel(c[0]), channel(c[1]), channel(c[2])});
}

double distance(const Rgb& a, const Rgb& b) { return std::sqrt(std::pow(a[0] - b[0], 2) + std::pow(a[1] - b[1], 2) + std::pow(a[2] - b[2], 2)); }

// mIoU (solid) and perceptual diversity (dashed, its own scale) against the guidance scale.
cv::Mat sweep_plot(const Evaluation& e, double real_miou) {
  const int width = 640, height = 400, left = 60, right = 70, top = 30, bottom = 50;
  cv::Mat plot(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  double s_min = e.sweep.front().guidance, s_max = e.sweep.back().guidance, d_max = 1e-9;
  for (const auto& g : e.sweep) {
    s_min = std::min(s_min, g.guidance);
    s_max = std::max(s_max, g.guidance);
    d_max = std::max(d_max, g.perceptual_diversity);
  }
  if (s_max == s_min) s_max = s_min + 1;
  const auto x = [&](double s) { return left + int((s - s_min) / (s_max - s_min) * (width - left - right)); };
  const auto y = [&](double v) { return top + int((1.0 - v) * (height - top - bottom)); };
  const auto text = [&](const std::string& t, int px, int py, cv::Scalar colour) {
    cv::putText(plot, t, {px, py}, cv::FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, cv::LINE_AA);
  };
  cv::rectangle(plot, {left, top}, {width - right, height - bottom}, cv::Scalar(0, 0, 0));
  for (int i = 0; i <= 4; ++i) text(std::to_string(i * 25) + "%", 15, y(i / 4.0) + 4, cv::Scalar(40, 90, 200));
  for (const auto& g : e.sweep) text(std::to_string(g.guidance).substr(0, 3), x(g.guidance) - 10, height - bottom + 20, cv::Scalar(0, 0, 0));
  text("guidance scale s", width / 2 - 60, height - 12, cv::Scalar(0, 0, 0));
  text("mIoU", left + 8, top + 18, cv::Scalar(200, 90, 40));
  text("diversity (LPIPS-style)", width - right - 190, top + 18, cv::Scalar(40, 150, 40));
  cv::line(plot, {left, y(real_miou)}, {width - right, y(real_miou)}, cv::Scalar(170, 170, 170), 1, cv::LINE_AA);
  text("real pictures", left + 8, y(real_miou) - 5, cv::Scalar(130, 130, 130));
  for (size_t i = 0; i < e.sweep.size(); ++i) {
    const auto& g = e.sweep[i];
    cv::circle(plot, {x(g.guidance), y(g.miou)}, 4, cv::Scalar(200, 90, 40), cv::FILLED, cv::LINE_AA);
    cv::circle(plot, {x(g.guidance), y(g.perceptual_diversity / d_max)}, 4, cv::Scalar(40, 150, 40), cv::FILLED, cv::LINE_AA);
    if (i == 0) continue;
    const auto& p = e.sweep[i - 1];
    cv::line(plot, {x(p.guidance), y(p.miou)}, {x(g.guidance), y(g.miou)}, cv::Scalar(200, 90, 40), 2, cv::LINE_AA);
    cv::line(plot, {x(p.guidance), y(p.perceptual_diversity / d_max)}, {x(g.guidance), y(g.perceptual_diversity / d_max)},
             cv::Scalar(40, 150, 40), 2, cv::LINE_AA);
  }
  cv::cvtColor(plot, plot, cv::COLOR_BGR2RGB);
  return plot;
}

// One row per example map: the map, its real picture, then the first picture at each guidance scale.
cv::Mat example_grid(const Evaluation& e, const ClassSet& classes, int per_map) {
  std::vector<cv::Mat> rows;
  for (int64_t i = 0; i < e.example_maps.size(0); ++i) {
    std::vector<cv::Mat> row{channel_colors(e.example_maps[i], classes), tensor_to_rgb(e.example_reals[i])};
    for (const auto& g : e.sweep) row.push_back(tensor_to_rgb(g.examples[i * per_map]));
    cv::Mat joined;
    cv::hconcat(row, joined);
    rows.push_back(joined);
  }
  cv::Mat grid;
  cv::vconcat(rows, grid);
  cv::resize(grid, grid, {}, 2, 2, cv::INTER_NEAREST);
  return grid;
}

std::string markdown(const Evaluation& e, const ClassSet& classes, int maps, int per_map, const std::string& steps, int base_height) {
  std::ostringstream out;
  char line[256];
  out << "Held-out maps: " << maps << ", " << per_map << " pictures each, sampler " << steps << ", pictures at " << e.final_width << "x"
      << e.final_height << (e.final_height != base_height ? " (mIoU, diversity and colours by the " + std::to_string(base_height) +
                                                                "² segmenter on the pictures area-downsampled to its size)"
                                                          : std::string())
      << ".\n\n";
  out << "| guidance s | mIoU | diversity (LPIPS-style) | diversity (pixels, L1) | detail above " << base_height << "² | time |\n"
      << "|---|---|---|---|---|---|\n";
  for (const auto& g : e.sweep) {
    std::snprintf(line, sizeof line, "| %.1f | %.3f | %.4f | %.4f | %.4f | %.0f s |\n", g.guidance, g.miou, g.perceptual_diversity,
                  g.pixel_diversity, g.detail, g.seconds);
    out << line;
  }
  std::snprintf(line, sizeof line, "| real pictures (ceiling) | %.3f | | | %.4f | |\n", e.real_miou, e.real_detail);
  out << line;
  std::snprintf(line, sizeof line, "| real pictures, each against another map (floor) | %.3f | | | | |\n", e.mismatched_miou);
  out << line;
  std::snprintf(line, sizeof line,
                "\nAt the largest t the noise prediction follows a change of x_t's mean colour with gain %.3f and a zero-mean "
                "pattern with gain %.3f (1 is right; a mean gain near 0 gives colour casts).\n",
                e.noise_gain.mean, e.noise_gain.pattern);
  out << line;
  // The pictures as a sample of the data: how far from the real ones of the same maps, scale by
  // scale, against how far two samples of real scenes are; and where the maps are simple.
  auto levels = [](const std::vector<double>& swd) {
    std::string cells;
    double sum = 0;
    for (const double d : swd) {
      cells += std::to_string(std::lround(d * 1e3)) + ", ";
      sum += d;
    }
    return cells + "mean " + std::to_string(std::lround(sum * 1e3 / double(std::max<size_t>(1, swd.size()))));
  };
  const auto& real = e.real_texture;
  out << "\nAgainst the real pictures of the same maps, at " << e.final_width << "x" << e.final_height
      << ": sliced Wasserstein distance ×10³ of 7×7 Laplacian-pyramid neighbourhoods, finest level first; grain (RMS of the "
         "picture minus its σ 1.5 blur in sky, water and sea, 8-bit levels); gradient on label boundaries relative to the "
         "real pictures'; the 4×4 grid (difference energy across it over elsewhere).\n\n"
      << "| | SWD ×10³ | grain | boundary sharpness | 4×4 grid |\n|---|---|---|---|---|\n";
  for (const auto& g : e.sweep) {
    std::snprintf(line, sizeof line, "| s = %.1f | %s | %.1f | %.2f | %.3f |\n", g.guidance, levels(g.swd).c_str(), g.texture.grain,
                  g.texture.boundary_gradient / real.boundary_gradient, g.texture.block_ratio);
    out << line;
  }
  std::snprintf(line, sizeof line, "| real pictures | %s | %.1f | 1 | %.3f |\n",
                e.swd_floor.empty() ? "floor: needs twice as many scenes in the folder" : ("floor, another sample: " + levels(e.swd_floor)).c_str(),
                real.grain, real.block_ratio);
  out << line;
  // Colours at the guidance closest to 1.5, the app's default.
  const auto& at = *std::min_element(e.sweep.begin(), e.sweep.end(),
                                     [](const auto& a, const auto& b) { return std::abs(a.guidance - 1.5) < std::abs(b.guidance - 1.5); });
  std::snprintf(line, sizeof line, "\nPer class, at s = %.1f: IoU, and the mean colour of its regions in generated vs real pictures.\n\n", at.guidance);
  out << line << "| class | IoU | generated | real | RGB distance |\n|---|---|---|---|---|\n";
  for (const auto& c : classes.classes) {
    const auto channel = size_t(c.channel);
    if (std::isnan(e.real_colors[channel][0])) continue;
    std::snprintf(line, sizeof line, "| %s | %.3f | %s | %s | %.0f |\n", c.name.c_str(), at.class_iou[channel],
                  hex(at.class_colors[channel]).c_str(), hex(e.real_colors[channel]).c_str(),
                  distance(at.class_colors[channel], e.real_colors[channel]));
    out << line;
  }
  return out.str();
}

}  // namespace

void add_eval_command(CLI::App& app) {
  struct Arguments {
    ModelOptions model;
    EvaluationOptions evaluation;
    std::string maps, segmenter, report, json, plot, grid, upscaler;
    bool no_upscale = false;
    int upscale_deep_cache = 1;
    std::vector<double> guidance{1, 1.5, 2, 3, 4};
  };
  auto a = std::make_shared<Arguments>();
  auto& e = a->evaluation;
  auto* command = app.add_subcommand("eval", "Measure a model: mIoU of its pictures against the maps, diversity, the guidance sweep");
  a->model.add_to(*command);
  command->add_option("--segmenter", a->segmenter, "segmenter (sdm segmenter); default: the shipped one")->check(readable_file);
  command->add_option("--maps", a->maps, "held-out image/label pairs (e.g. sdm scenes with another --seed)")
      ->required()
      ->check(existing_folder);
  command->add_option("--count", e.count, "maps to use")->check(whole_range(1, 1000000))->capture_default_str();
  command->add_option("--per-map", e.samples_per_map, "pictures per map (diversity needs ≥ 2)")->check(whole_range(1, 64))->capture_default_str();
  command->add_option("--guidance", a->guidance, "guidance scales to sweep, comma-separated")
      ->delimiter(',')
      ->check(finite_range(0, kMaxGuidance))
      ->capture_default_str();
  command->add_option("--steps", e.steps, "sampler and steps; default: the model's recommendation")->check(step_spec);
  command->add_option("--upscaler", a->upscaler, "grade the cascade with this super-resolution stage; default: the model's own")
      ->check(readable_file);
  command->add_flag("--no-upscale", a->no_upscale, "grade the base model alone");
  command->add_option("--upscale-steps", e.upscale_steps, "the upscaler's steps; default: its recommendation")->check(step_spec);
  command->add_option("--seed", e.seed, "seed of the first picture")->check(whole_range(0, INT64_MAX))->capture_default_str();
  command->add_option("--batch", e.batch, "pictures per batch the segmenter reads")->check(whole_range(1, 4096))->capture_default_str();
  add_feature_reuse_options(*command, e.feature_reuse, &a->upscale_deep_cache);
  command->add_option("--report", a->report, "write the tables as Markdown")->check(writable_file);
  command->add_option("--json", a->json, "write every figure as JSON")->check(writable_file);
  command->add_option("--plot", a->plot, "write the guidance sweep as a PNG plot")->check(writable_file);
  command->add_option("--grid", a->grid, "write map | real picture | a picture per guidance scale, for the first maps, as PNG")
      ->check(writable_file);
  add_threads_option(*command);
  command->callback([a] {
    auto& o = a->evaluation;
    o.maps = a->maps;
    o.guidance = a->guidance;
    ContextParams params{.model = a->model.checkpoint(), .heads = a->model.heads(), .dtype = "fp32"};
    if (a->no_upscale) params.upscaler.kind = UpscalerChoice::Kind::None;
    else if (!a->upscaler.empty()) params.upscaler = {UpscalerChoice::Kind::File, a->upscaler};
    GenerationContext context(params);
    const Generator& generator = context.generator();
    require_base_model(generator);
    if (!generator.classes) throw Error(generator.model.path.string() + ": its label set has no class set here; sdm eval needs one");
    if (!context.info().upscaler_note.empty()) std::cerr << "note: " << context.info().upscaler_note << "\n";
    o.upscale_feature_reuse = upscale_feature_reuse(o.feature_reuse, a->upscale_deep_cache);
    check_feature_reuse(o.feature_reuse, o.upscale_feature_reuse, generator);
    auto segmenter = load_segmenter(a->segmenter.empty() ? default_segmenter_path() : std::filesystem::path(a->segmenter));
    if (o.steps.empty()) o.steps = generator.default_steps();
    ProgressBar progress("eval");
    const auto evaluation = evaluate(context, segmenter.segmenter, *generator.classes, o, [&](double s, int done, int total) {
      char note[32];
      std::snprintf(note, sizeof note, "s = %.1f", s);
      progress.update(done, total, note);
    });
    progress.finish();
    const int maps = o.count;
    std::string steps = o.steps;
    if (generator.upscaler) steps += " + " + (o.upscale_steps.empty() ? generator.upscaler->default_steps() : o.upscale_steps);
    const auto report = markdown(evaluation, *generator.classes, maps, o.samples_per_map, steps, generator.model.config.image_height);
    std::printf("%s", report.c_str());
    if (!a->report.empty()) write_file_atomically(a->report, report);
    if (!a->plot.empty()) write_png(a->plot, sweep_plot(evaluation, evaluation.real_miou));
    if (!a->grid.empty()) write_png(a->grid, example_grid(evaluation, *generator.classes, std::max(1, o.samples_per_map)));
    if (!a->json.empty()) {
      nlohmann::json json{{"model", generator.model.path.string()}, {"steps", steps}, {"maps", maps},
                          {"upscaler", generator.upscaler ? nlohmann::json(generator.upscaler->model.path.string()) : nlohmann::json(nullptr)},
                          {"image_size", {evaluation.final_height, evaluation.final_width}}, {"real_detail", evaluation.real_detail},
                          {"per_map", o.samples_per_map}, {"real_miou", evaluation.real_miou}, {"mismatched_miou", evaluation.mismatched_miou},
                          {"noise_gain", {{"mean", evaluation.noise_gain.mean}, {"pattern", evaluation.noise_gain.pattern}}}};
      auto texture = [](const TextureStatistics& t) {
        return nlohmann::json{{"grain", t.grain}, {"boundary_gradient", t.boundary_gradient}, {"block_ratio", t.block_ratio}};
      };
      json["swd_floor"] = evaluation.swd_floor;
      json["real_texture"] = texture(evaluation.real_texture);
      for (const auto& g : evaluation.sweep)
        json["sweep"].push_back({{"guidance", g.guidance}, {"miou", g.miou}, {"perceptual_diversity", g.perceptual_diversity},
                                 {"pixel_diversity", g.pixel_diversity}, {"detail", g.detail}, {"seconds", g.seconds},
                                 {"swd", g.swd}, {"texture", texture(g.texture)}});
      write_file_atomically(a->json, json.dump(1) + "\n");
    }
  });
}

}  // namespace sdm::cli
