// Mixed-precision training's two pieces: autocast switched on and off by scope, and fp16's dynamic
// loss scaling.
#include "core/base/autocast_scope.h"
#include "core/base/device.h"
#include "core/checkpoint/model_file.h"
#include "core/training/loss_scaler.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <torch/torch.h>

#include <limits>

using namespace sdm;

TEST_CASE("an autocast scope runs convolutions in bf16 while it lives, and only then") {
  const auto x = torch::randn({1, 4, 8, 8}), w = torch::randn({4, 4, 3, 3});
  const c10::Device cpu(c10::kCPU);
  {
    AutocastScope outer(cpu, torch::kBFloat16);
    CHECK((torch::conv2d(x, w).scalar_type() == torch::kBFloat16));
    CHECK((torch::softmax(x, -1).scalar_type() == torch::kFloat));  // kept in fp32
    {
      AutocastScope inner(cpu, torch::kBFloat16);
      CHECK((torch::conv2d(x, w).scalar_type() == torch::kBFloat16));
    }
    CHECK((torch::conv2d(x, w).scalar_type() == torch::kBFloat16));  // the inner scope restored, not switched off
  }
  CHECK((torch::conv2d(x, w).scalar_type() == torch::kFloat));
  AutocastScope fp32(cpu, torch::kFloat);
  CHECK((torch::conv2d(x, w).scalar_type() == torch::kFloat));
}

TEST_CASE("the loss scaler divides gradients by its scale, skips overflowing steps and grows") {
  auto a = torch::zeros({3}, torch::requires_grad()), b = torch::zeros({2}, torch::requires_grad());
  LossScaler scaler(1024.0, 3);
  auto backward = [&](double grad_b) {
    a.mutable_grad() = torch::full({3}, 2048.0);
    b.mutable_grad() = torch::full({2}, grad_b);
    return scaler.unscale({a, b});
  };
  CHECK(scaler.scale(torch::ones({})).item<double>() == 1024.0);

  CHECK(backward(512.0));
  CHECK(a.grad().equal(torch::full({3}, 2.0)));
  CHECK(b.grad().equal(torch::full({2}, 0.5)));
  CHECK(scaler.value() == 1024.0);

  CHECK_FALSE(backward(std::numeric_limits<double>::infinity()));
  CHECK(scaler.value() == 512.0);
  CHECK_FALSE(backward(std::numeric_limits<double>::quiet_NaN()));
  CHECK(scaler.value() == 256.0);

  CHECK(backward(1.0));
  CHECK(backward(1.0));
  const auto saved = scaler.state();
  CHECK(backward(1.0));  // the third good step in a row doubles the scale
  CHECK(scaler.value() == 512.0);

  LossScaler resumed(1.0, 3);
  resumed.restore(saved);
  CHECK(resumed.value() == 256.0);
  scaler = resumed;
  CHECK(backward(1.0));
  CHECK(scaler.value() == 512.0);  // the restored count of good steps carried on
}

TEST_CASE("the network under an autocast scope computes in bf16 and stays near its fp32 output") {
  auto loaded = load_model(test::data_path("tiny.pt"));
  torch::manual_seed(0);
  const auto x = torch::randn({2, 3, 32, 32});
  const auto t = torch::tensor({10, 700});
  const auto labels = torch::zeros({2, loaded.model->config().condition_channels(), 32, 32}).index_fill_(1, torch::tensor({2}), 1.0);
  torch::NoGradGuard no_grad;
  const auto full = loaded.model->forward(x, t, labels);
  AutocastScope autocast(c10::Device(c10::kCPU), torch::kBFloat16);
  const auto mixed = loaded.model->forward(x, t, labels);
  CHECK((mixed.scalar_type() == torch::kBFloat16));
  const double error = ((mixed.to(torch::kFloat) - full).norm() / full.norm()).item<double>();
  MESSAGE("relative error of the bf16-autocast forward: ", error);
  CHECK(error > 0);
  CHECK(error < 0.05);
}

TEST_CASE("bf16 is chosen only for released-size models on a CPU that computes it natively") {
  const c10::Device cpu(c10::kCPU), gpu(c10::kCUDA);
  CHECK((sdm::automatic_dtype(cpu, 660'000'000, true) == c10::kBFloat16));
  CHECK((sdm::automatic_dtype(cpu, 660'000'000, false) == c10::kFloat));  // no bf16 arithmetic: emulated
  CHECK((sdm::automatic_dtype(cpu, 4'700'000, true) == c10::kFloat));     // the shipped models keep fp32's results
  CHECK((sdm::automatic_dtype(gpu, 660'000'000, true) == c10::kFloat));
  CHECK(sdm::dtype_name(sdm::automatic_dtype(cpu, sdm::kReleasedSizeParameters, true)) == "bf16");
}
