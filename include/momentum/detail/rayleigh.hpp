#pragma once
/// \file detail/rayleigh.hpp
/// Rayleigh quotients with rigorous bounds (extremes.hpp's error model, near side). Part of
/// extremes.hpp's implementation.

#include <momentum/detail/extremes_rounding.hpp>
#include <momentum/eigen.hpp>

namespace momentum::detail {

/// A Rayleigh quotient with rigorous bounds (see the file's error model) and its residual.
template <class Scalar>
struct RayleighBounds {
  Scalar value, lo, hi, residual;
};

/// Normalizes u and bounds u^T Q u.
template <class Scalar, class Op>
RayleighBounds<Scalar> rayleigh(const Op& op, Vector<Scalar>& u) {
  using std::abs;
  const Eigen::Index n = op.size();
  const Scalar eps = epsilon<Scalar>();
  u.normalize();
  Vector<Scalar> y(n);
  op.multiply(u.data(), y.data());
  const Scalar num = u.dot(y), den = u.squaredNorm();
  const Eigen::Index k = op.terms_per_row();
  // |fl(u^T fl(Q u)) - u^T Q u| <= gamma_{2k+2} |u|^T |Q| |u|; the latter rounded up.
  const Scalar a = op.abs_form(u) * (1 + gamma_m<Scalar>(k + n + 2));
  const Scalar e_num = gamma_m<Scalar>(2 * k + 2) * a;
  const Scalar gd = gamma_m<Scalar>(n + 1);
  const Scalar theta = num / den;
  const Scalar err =
      ((e_num + abs(num) * gd) / (den * (1 - gd)) + 2 * eps * abs(theta)) * (1 + 8 * eps);
  return {theta, round_down(Scalar(theta - err)), round_up(Scalar(theta + err)),
          Scalar((y - theta * u).norm())};
}

}  // namespace momentum::detail
