// The training objective against the reference's own training_losses on the tiny checkpoint
// (tests/data/tiny-losses.pt, written by make_reference_losses.py).
#include "core/checkpoint/model_file.h"
#include "core/training/training_loss.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <iterator>

using namespace sdm;

TEST_CASE("L_simple + L_vlb equals the reference's per-sample terms, the t = 0 decoder NLL included") {
  std::ifstream in(test::data_path("tiny-losses.pt"), std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto reference = torch::pickle_load(bytes).toGenericDict();
  auto get = [&](const char* key) { return reference.at(key).toTensor(); };

  auto tiny = load_model(test::data_path("tiny.pt"));
  const auto process = DiffusionProcess::create(tiny.diffusion, "", VarianceType::LearnedRange);
  torch::NoGradGuard no_grad;
  const auto terms = training_loss(tiny.model, process, get("x_start"), get("y"), get("t"), get("noise"));
  for (const char* key : {"mse", "vb", "loss"}) {
    const auto ours = key == std::string("mse") ? terms.mse : key == std::string("vb") ? terms.vb : terms.loss;
    const double relative = ((ours - get(key)).abs() / get(key).abs()).max().item<double>();
    MESSAGE(std::string(key), " max relative diff: ", relative);
    CHECK(relative < 1e-4);
  }
}

TEST_CASE("the VLB trains only the variance channels") {
  auto tiny = load_model(test::data_path("tiny.pt"));
  tiny.model->train();
  const auto process = DiffusionProcess::create(tiny.diffusion, "", VarianceType::LearnedRange);
  torch::manual_seed(0);
  const auto x0 = torch::rand({2, 3, 32, 32}) * 2 - 1, noise = torch::randn({2, 3, 32, 32});
  const auto labels = torch::zeros({2, 20, 32, 32});
  const auto t = torch::tensor({3, 700}, torch::kLong);
  const auto terms = training_loss(tiny.model, process, x0, labels, t, noise);
  terms.vb.sum().backward();
  // The output conv's rows for ε (0…2) get no gradient from the VLB; those for σ (3…5) do.
  const auto grad = tiny.model->named_parameters()["out.2.weight"].grad();
  CHECK(grad.narrow(0, 0, 3).abs().max().item<double>() == 0.0);
  CHECK(grad.narrow(0, 3, 3).abs().max().item<double>() > 0.0);
}

TEST_CASE("training timesteps: the reference's uniform draw at share 1, the trajectory's first part below it") {
  auto generator = [] { return at::make_generator<at::CPUGeneratorImpl>(7); };
  auto a = generator(), b = generator();
  CHECK(torch::equal(training_timesteps(4096, 1000, 1.0, a), torch::randint(0, 1000, {4096}, b, torch::kLong)));
  auto c = generator();
  const auto t = training_timesteps(4096, 1000, 0.3, c);
  CHECK(t.min().item<int64_t>() == 0);
  CHECK(t.max().item<int64_t>() == 299);
  // Uniform over 0 … 299: mean 149.5, its standard error 86.6 / √4096 = 1.4.
  CHECK(std::abs(t.to(torch::kDouble).mean().item<double>() - 149.5) < 6);
  auto d = generator();
  CHECK(training_timesteps(64, 1000, 0.0, d).max().item<int64_t>() == 0);  // at least the first step
}
