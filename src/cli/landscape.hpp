#pragma once
/// \file landscape.hpp
/// The (step, beta) landscape of the worst-case rate, shared by `landscape` and `demo`.

#include "accuracy.hpp"
#include "options.hpp"

#include <momentum/landscape.hpp>
#include <momentum/worst_case.hpp>

#include <string>
#include <type_traits>
#include <vector>

namespace momentum::cli {

struct LandscapeOptions {
  OutputOptions out;
  MethodOptions method;
  ProblemOptions problem;
  /// Empty alpha and eta: the step range from the convergence region; empty beta:
  /// default_beta_range.
  std::string alpha, eta, beta, grid = "200", scale = "auto", beta_scale = "auto", output, plot;
  /// Points to mark: "A,B" or "LABEL=A,B" (--mark).
  std::vector<std::string> marks;
};

/// The beta range without --beta.
constexpr const char* default_beta_range = "0:0.99";

/// Runs the landscape (CSV to --output or stdout, heatmap to --plot); dispatches on --digits.
int run_landscape_command(const LandscapeOptions& o);

/// Worst-case rates over a grid: rho(i, j) at (steps[i], betas[j]), by momentum::rate_landscape
/// (vectorized in double, split over `threads`; 0 = every hardware thread).
template <class Scalar>
Matrix<Scalar> landscape_rates(MethodKind kind, const std::vector<Scalar>& steps,
                               const std::vector<Scalar>& betas, const Scalar& mu, const Scalar& L,
                               unsigned threads) {
  const Eigen::Map<const Vector<Scalar>> s(steps.data(), Eigen::Index(steps.size()));
  const Eigen::Map<const Vector<Scalar>> b(betas.data(), Eigen::Index(betas.size()));
  switch (kind) {
    case MethodKind::heavy_ball: return rate_landscape<HeavyBall>(s, b, mu, L, threads);
    case MethodKind::velocity: return rate_landscape<Velocity>(s, b, mu, L, threads);
    case MethodKind::nesterov: return rate_landscape<Nesterov>(s, b, mu, L, threads);
    case MethodKind::gd: break;
  }
  return rate_landscape<GradientDescent>(s, b, mu, L, threads);
}

/// Worst-case rate at one grid point (its regime for the CSV; --mark).
template <class Scalar>
WorstCase<Scalar> landscape_point(MethodKind kind, const Scalar& step, const Scalar& beta,
                                  const Scalar& mu, const Scalar& L) {
  switch (kind) {
    case MethodKind::heavy_ball: return worst_case(HeavyBall<Scalar>(step, beta), mu, L);
    case MethodKind::velocity: return worst_case(Velocity<Scalar>(step, beta), mu, L);
    case MethodKind::nesterov: return worst_case(Nesterov<Scalar>(step, beta), mu, L);
    case MethodKind::gd: break;
  }
  return worst_case(GradientDescent<Scalar>(step), mu, L);
}

/// The accuracy of a grid point's worst case wc = landscape_point(kind, step, beta, mu, L)
/// (accuracy.hpp), with eigenvalues known to within +-lambda_error. A double run passes the
/// eigenvalues as typed and the point's step and beta as printed (its wide twin).
template <class Scalar>
WorstAccuracy<Scalar> landscape_accuracy(MethodKind kind, const Scalar& step, const Scalar& beta,
                                         const WorstCase<Scalar>& wc, const Scalar& lambda_error,
                                         int wanted, const TypedEigenvalues* typed = nullptr,
                                         long double step_typed = 0, long double beta_typed = 0) {
  auto accuracy = [&](const auto& m) {
    using M = std::decay_t<decltype(m)>;
    using W = typename WideOf<M>::type;
    // Only the rate's own end(s): the grid prints no per-eigenvalue radii.
    if (typed == nullptr)
      return worst_case_accuracy(m, wc, lambda_error, wanted, static_cast<const Twin<M>*>(nullptr), true);
    if constexpr (W::state_size == 1) {
      const Twin<M> t{W(step_typed), typed};
      return worst_case_accuracy(m, wc, lambda_error, wanted, &t, true);
    } else {
      const Twin<M> t{W(step_typed, beta_typed), typed};
      return worst_case_accuracy(m, wc, lambda_error, wanted, &t, true);
    }
  };
  switch (kind) {
    case MethodKind::heavy_ball: return accuracy(HeavyBall<Scalar>(step, beta));
    case MethodKind::velocity: return accuracy(Velocity<Scalar>(step, beta));
    case MethodKind::nesterov: return accuracy(Nesterov<Scalar>(step, beta));
    case MethodKind::gd: break;
  }
  return accuracy(GradientDescent<Scalar>(step));
}

}  // namespace momentum::cli
