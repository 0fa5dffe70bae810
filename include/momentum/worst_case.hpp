#pragma once
/// \file worst_case.hpp
/// The worst-case rate of a method over a spectrum, from its two extreme eigenvalues
/// (SPEC section 5), and the rate seen from a particular start.

#include <momentum/quadratic.hpp>
#include <momentum/spectrum.hpp>

#include <vector>

namespace momentum {

/// The worst case over a spectrum [lambda_min, lambda_max].
template <class Scalar>
struct WorstCase {
  Scalar rho;                    ///< max over the spectrum of the per-eigenvalue radius
  Scalar lambda_min, lambda_max;
  Spectrum<Scalar> at_min, at_max;
  /// The extreme eigenvalues that attain rho (one, or both when they tie to 16 epsilon).
  std::vector<Scalar> worst_eigenvalues;
  Regime regime;                 ///< regime of the (first) worst eigenvalue
  bool converges() const { return regime != Regime::boundary && regime != Regime::divergent; }
};

namespace detail {
template <class Scalar>
void require_eigenvalue(const Scalar& l, const char* who, const char* what) {
  if (!is_finite(l) || !(l > 0))
    throw std::invalid_argument(std::string(who) + ": " + what +
                                " must be a finite positive eigenvalue (Q positive definite), got " +
                                to_string(l, 17));
}

/// Two radii tie when they agree to the classification's 16 epsilon.
template <class Scalar>
bool ties(const Scalar& a, const Scalar& b) {
  using std::abs;
  using std::max;
  const Scalar scale = max(Scalar(1), max(abs(a), abs(b)));
  return abs(a - b) <= boundary_ulps * epsilon<Scalar>() * scale;
}
}  // namespace detail

/// Worst-case spectral radius of `method` over every eigenvalue in [lambda_min, lambda_max].
/// rho(lambda) is quasi-convex for GD, heavy ball, velocity form and Nesterov, so the maximum
/// is at an end point. \note Proof: proofs/README.md, theorem 5 (quasi-convexity, Coq).
/// \throws std::invalid_argument unless 0 < lambda_min <= lambda_max, both finite.
template <class Method, class Scalar>
WorstCase<Scalar> worst_case(const Method& method, const Scalar& lambda_min,
                             const Scalar& lambda_max) {
  detail::require_eigenvalue(lambda_min, "worst_case", "lambda_min");
  detail::require_eigenvalue(lambda_max, "worst_case", "lambda_max");
  if (lambda_max < lambda_min)
    throw std::invalid_argument("worst_case: lambda_min must not exceed lambda_max, got " +
                                to_string(lambda_min, 17) + " > " + to_string(lambda_max, 17));
  WorstCase<Scalar> w{Scalar(0), lambda_min, lambda_max, spectrum(method, lambda_min),
                      spectrum(method, lambda_max), {}, Regime::complex};
  const bool tie = detail::ties(w.at_min.rho, w.at_max.rho);
  if (tie || w.at_min.rho > w.at_max.rho) {
    w.rho = w.at_min.rho;
    w.regime = w.at_min.regime;
    w.worst_eigenvalues.push_back(lambda_min);
  }
  if (lambda_max != lambda_min && (tie || w.at_max.rho > w.at_min.rho)) {
    if (!tie) {
      w.rho = w.at_max.rho;
      w.regime = w.at_max.regime;
    }
    w.worst_eigenvalues.push_back(lambda_max);
  }
  return w;
}

/// Worst case over a list of eigenvalues (any order): only the extremes are evaluated.
/// \throws std::invalid_argument if the list is empty or has a non-finite or non-positive entry.
template <class Method, class Scalar>
WorstCase<Scalar> worst_case(const Method& method, const Vector<Scalar>& eigenvalues) {
  if (eigenvalues.size() == 0)
    throw std::invalid_argument("worst_case: eigenvalues must not be empty");
  for (Eigen::Index i = 0; i < eigenvalues.size(); ++i)
    detail::require_eigenvalue(eigenvalues(i), "worst_case", "every eigenvalue");
  return worst_case(method, Scalar(eigenvalues.minCoeff()), Scalar(eigenvalues.maxCoeff()));
}

/// Worst case of a method on a quadratic: over its eigenvalues.
template <class Method, class Scalar>
WorstCase<Scalar> worst_case(const Method& method, const Quadratic<Scalar>& h) {
  return worst_case(method, h.lambda_min(), h.lambda_max());
}

/// The rate seen from one start: the largest radius among the eigen-directions the start
/// excites. A direction counts as excited when its state component exceeds
/// 64 n epsilon times the state's norm (below that it is rounding of a zero).
template <class Scalar>
struct StartRate {
  Scalar rho;
  std::vector<Eigen::Index> excited;  ///< indices into h.eigenvalues()
  Eigen::Index dominant = -1;         ///< the excited index attaining rho (-1: start at x*)
};

/// Rate from a start whose state in eigen-coordinates is (z, w): z = O(x0 - x*) and
/// w = O(x_{-1} - x*) (heavy ball, Nesterov), O v0 (velocity form) or empty (gradient descent).
template <class Method, class Scalar>
StartRate<Scalar> rate_from_eigen_start(const Method& method, const Vector<Scalar>& lambdas,
                                        const Vector<Scalar>& z, const Vector<Scalar>& w) {
  using std::abs;
  const Eigen::Index n = lambdas.size();
  if (z.size() != n || (w.size() != 0 && w.size() != n))
    throw std::invalid_argument("rate_from_start: the start must have " + std::to_string(n) +
                                " entries");
  const Scalar norm = w.size() ? Scalar(z.norm() + w.norm()) : Scalar(z.norm());
  const Scalar cut = 64 * Scalar(n) * epsilon<Scalar>() * norm;
  StartRate<Scalar> r{Scalar(0), {}, -1};
  for (Eigen::Index i = 0; i < n; ++i) {
    const bool on = abs(z(i)) > cut || (w.size() && abs(w(i)) > cut);
    if (!on) continue;
    r.excited.push_back(i);
    const Scalar rho_i = spectral_radius(method, Scalar(lambdas(i)));
    if (r.dominant < 0 || rho_i > r.rho) {
      r.rho = rho_i;
      r.dominant = i;
    }
  }
  return r;
}

/// Rate from x0 (and x_{-1} = x0, v0 = 0) on a quadratic.
template <class Method, class Scalar>
StartRate<Scalar> rate_from_start(const Method& method, const Quadratic<Scalar>& h,
                                  const Vector<Scalar>& x0) {
  const Vector<Scalar> z = h.to_eigen(x0);
  return rate_from_eigen_start(method, h.eigenvalues(), z, Vector<Scalar>());
}

}  // namespace momentum
