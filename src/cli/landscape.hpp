#pragma once
/// \file landscape.hpp
/// The (step, beta) landscape of the worst-case rate, shared by `landscape` and `demo`.

#include "accuracy.hpp"
#include "options.hpp"

#include <momentum/landscape.hpp>
#include <momentum/worst_case.hpp>

#include <optional>
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

/// The parameters of a method at one grid point, by name ("alpha", "beta", "gamma", "lr",
/// "momentum", "dampening", "nu"); the named methods use "alpha" as their step.
template <class Scalar>
struct PointParameters {
  Scalar alpha = 0, beta = 0, gamma = 0, lr = 0, momentum = 0, dampening = 0, nu = 0;
  bool nesterov = false;
  Scalar& operator[](const std::string& name) {
    if (name == "beta") return beta;
    if (name == "gamma") return gamma;
    if (name == "lr") return lr;
    if (name == "momentum") return momentum;
    if (name == "dampening") return dampening;
    if (name == "nu") return nu;
    return alpha;  // "alpha", "eta"
  }
};

/// The grid's two axes: for the named methods the step ("alpha" or "eta") and "beta"; for
/// general, pytorch and qhm any two of their parameters, the others fixed (`fixed`, and in a
/// double run `fixed_typed`, the same parsed in long double for the wide twin).
template <class Scalar>
struct LandscapeAxes {
  MethodKind kind = MethodKind::heavy_ball;
  std::string x = "alpha", y = "beta";  ///< parameter names of the two axes
  PointParameters<Scalar> fixed;
  PointParameters<long double> fixed_typed;
  bool named() const {
    return kind == MethodKind::gd || kind == MethodKind::heavy_ball ||
           kind == MethodKind::velocity || kind == MethodKind::nesterov;
  }
};

/// Calls f(method) with the method of kind `kind` at the parameters q (PyTorch's weight decay
/// is in the problem: problem_for).
template <class S, class F>
decltype(auto) with_point_method(MethodKind kind, const PointParameters<S>& q, F&& f) {
  switch (kind) {
    case MethodKind::general: return f(TwoState<S>(q.alpha, q.beta, q.gamma));
    case MethodKind::pytorch: return f(PyTorchSGD<S>(q.lr, q.momentum, q.dampening, S(0), q.nesterov));
    case MethodKind::qhm: return f(QHM<S>(q.alpha, q.nu, q.beta));
    case MethodKind::heavy_ball: return f(HeavyBall<S>(q.alpha, q.beta));
    case MethodKind::velocity: return f(Velocity<S>(q.alpha, q.beta));
    case MethodKind::nesterov: return f(Nesterov<S>(q.alpha, q.beta));
    case MethodKind::gd: break;
  }
  return f(GradientDescent<S>(q.alpha));
}

/// The point (x, y) of the axes: their fixed parameters with the two axes' set.
template <class S, class Axes>
PointParameters<S> point_parameters(const Axes& ax, const PointParameters<S>& fixed, const S& x,
                                    const S& y) {
  PointParameters<S> q = fixed;
  q[ax.x] = x;
  q[ax.y] = y;
  return q;
}

/// Worst-case rates over a grid: rho(i, j) at (steps[i], betas[j]), by momentum::rate_landscape
/// (vectorized in double, split over `threads`; 0 = every hardware thread) for the named
/// methods; empty for the others, whose rates come from landscape_point.
template <class Scalar>
Matrix<Scalar> landscape_rates(const LandscapeAxes<Scalar>& ax, const std::vector<Scalar>& steps,
                               const std::vector<Scalar>& betas, const Scalar& mu, const Scalar& L,
                               unsigned threads) {
  const Eigen::Map<const Vector<Scalar>> s(steps.data(), Eigen::Index(steps.size()));
  const Eigen::Map<const Vector<Scalar>> b(betas.data(), Eigen::Index(betas.size()));
  switch (ax.kind) {
    case MethodKind::heavy_ball: return rate_landscape<HeavyBall>(s, b, mu, L, threads);
    case MethodKind::velocity: return rate_landscape<Velocity>(s, b, mu, L, threads);
    case MethodKind::nesterov: return rate_landscape<Nesterov>(s, b, mu, L, threads);
    case MethodKind::gd: return rate_landscape<GradientDescent>(s, b, mu, L, threads);
    default: break;
  }
  return Matrix<Scalar>();
}

/// Worst-case rate at one grid point (its regime for the CSV; --mark).
template <class Scalar>
WorstCase<Scalar> landscape_point(const LandscapeAxes<Scalar>& ax, const Scalar& x, const Scalar& y,
                                  const Scalar& mu, const Scalar& L) {
  return with_point_method(ax.kind, point_parameters(ax, ax.fixed, x, y),
                           [&](const auto& m) { return worst_case(m, mu, L); });
}

/// The accuracy of a grid point's worst case wc = landscape_point(ax, x, y, mu, L)
/// (accuracy.hpp), with eigenvalues known to within +-lambda_error. A double run passes the
/// eigenvalues as typed and the point's x and y as printed (its wide twin).
template <class Scalar>
WorstAccuracy<Scalar> landscape_accuracy(const LandscapeAxes<Scalar>& ax, const Scalar& x,
                                         const Scalar& y, const WorstCase<Scalar>& wc,
                                         const Scalar& lambda_error, int wanted,
                                         const TypedEigenvalues* typed = nullptr,
                                         long double x_typed = 0, long double y_typed = 0) {
  return with_point_method(ax.kind, point_parameters(ax, ax.fixed, x, y), [&](const auto& m) {
    using M = std::decay_t<decltype(m)>;
    // Only the rate's own end(s): the grid prints no per-eigenvalue radii.
    if (typed == nullptr)
      return worst_case_accuracy(m, wc, lambda_error, wanted, static_cast<const Twin<M>*>(nullptr), true);
    using W = typename WideOf<M>::type;
    std::optional<W> wide;
    with_point_method(ax.kind, point_parameters(ax, ax.fixed_typed, x_typed, y_typed),
                      [&](const auto& w) {
                        if constexpr (std::is_same_v<std::decay_t<decltype(w)>, W>) wide.emplace(w);
                      });
    const Twin<M> t{*wide, typed};
    return worst_case_accuracy(m, wc, lambda_error, wanted, &t, true);
  });
}

}  // namespace momentum::cli
