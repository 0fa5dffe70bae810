#pragma once
/// \file landscape.hpp
/// The (step, beta) landscape of the worst-case rate, shared by `landscape` and `demo`.

#include "options.hpp"

#include <momentum/worst_case.hpp>

#include <string>
#include <vector>

namespace momentum::cli {

struct LandscapeOptions {
  OutputOptions out;
  MethodOptions method;
  ProblemOptions problem;
  std::string alpha, eta, beta = "0:0.99", grid = "200", scale = "auto", beta_scale = "auto", output, plot;
  /// Points to mark: "A,B" or "LABEL=A,B" (--mark).
  std::vector<std::string> marks;
};

/// Runs the landscape (CSV to --output or stdout, heatmap to --plot); dispatches on --digits.
int run_landscape_command(const LandscapeOptions& o);

/// Worst-case rate at one grid point.
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

}  // namespace momentum::cli
