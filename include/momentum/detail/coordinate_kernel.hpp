#pragma once
/// \file detail/coordinate_kernel.hpp
/// One eigen-coordinate's recurrence as a small run-time kernel (simulate_eigen's inner loop):
/// the companion form of heavy ball, Nesterov and the two-state family, the velocity form's
/// own pair, gradient descent's scalar, or a general 2x2 own matrix (PyTorch, QHM), with a
/// fused in-place loop on raw MPFR numbers for mpfr_float types.

#include <momentum/detail/state_layout.hpp>
#include <momentum/iteration_matrix.hpp>

#include <boost/multiprecision/mpfr.hpp>

#include <type_traits>
#include <utility>

namespace momentum::detail {

/// True for Boost.Multiprecision numbers on the MPFR backend (fixed or run-time precision).
template <class S>
struct is_mpfr_number : std::false_type {};
template <unsigned D, boost::multiprecision::mpfr_allocation_type A,
          boost::multiprecision::expression_template_option ET>
struct is_mpfr_number<boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<D, A>, ET>>
    : std::true_type {};

/// One eigen-coordinate of a method: coefficients of its recurrence, and the state (u, w):
/// heavy ball and Nesterov u = z_t, w = z_{t-1}, with z+ = a z - b w (heavy ball a = 1 + beta -
/// alpha lambda, b = beta; Nesterov a = (1 + beta) q, b = beta q, q = 1 - alpha lambda: the first
/// rows of A and B, SPEC section 2; TwoState a = 1 + beta - (alpha + alpha gamma) lambda,
/// b = beta - alpha gamma lambda); velocity form u = z, w = v with v+ = beta v + lambda z,
/// z+ = z - eta v+; gradient descent u = z, z+ = q z, q = 1 - eta lambda; any other 2x2 own
/// matrix M on the state [w; u] (PyTorch [b; z], QHM [g; z]): w+ = a w + b u, u+ = c w + d u.
template <class S>
struct CoordinateKernel {
  enum Kind { companion, velocity, scalar, matrix } kind = companion;
  S a, b, c;  // companion: a, b; velocity: a = beta, b = lambda, c = -eta; scalar: a = q
  S d = S(0);  // matrix: M = [[a, b], [c, d]]

  /// Advances (u, w) by n steps. The MPFR path works in place on the numbers' limbs.
  void advance(S& u, S& w, long long n) const {
    if (n <= 0) return;
    if constexpr (is_mpfr_number<S>::value) {
      if (kind != matrix) {
        advance_mpfr(u, w, n);
        return;
      }
    }
    {
      switch (kind) {
        case companion:
          for (long long k = 0; k < n; ++k) {
            w = a * u - b * w;  // z_{t+1} overwrites z_{t-1}
            std::swap(u, w);
          }
          break;
        case velocity:
          for (long long k = 0; k < n; ++k) {
            w = a * w + b * u;  // v+ = beta v + lambda z
            u = u + c * w;      // z+ = z - eta v+
          }
          break;
        case scalar:
          for (long long k = 0; k < n; ++k) u = a * u;
          break;
        case matrix:
          for (long long k = 0; k < n; ++k) {
            S next_w = a * w + b * u;
            u = c * w + d * u;
            w = std::move(next_w);
          }
          break;
      }
    }
  }

 private:
  void advance_mpfr(S& u, S& w, long long n) const {
    // Two MPFR calls per heavy-ball step: tmp = b w; w = a u - tmp (fused, one rounding);
    // then the roles of u and w swap (pointer swap, no copy).
    mpfr_ptr pu = u.backend().data(), pw = w.backend().data();
    mpfr_srcptr pa = a.backend().data(), pb = b.backend().data(), pc = c.backend().data();
    switch (kind) {
      case companion: {
        S tmp_number = u;  // same precision as the state
        mpfr_ptr tmp = tmp_number.backend().data();
        for (long long k = 0; k < n; ++k) {
          mpfr_mul(tmp, pb, pw, MPFR_RNDN);
          mpfr_fms(pw, pa, pu, tmp, MPFR_RNDN);
          std::swap(pu, pw);
        }
        // After an odd number of steps the current value lives in w's storage.
        if (n % 2 != 0) u.swap(w);
        break;
      }
      case velocity:
        for (long long k = 0; k < n; ++k) {
          mpfr_mul(pw, pa, pw, MPFR_RNDN);
          mpfr_fma(pw, pb, pu, pw, MPFR_RNDN);
          mpfr_fma(pu, pc, pw, pu, MPFR_RNDN);
        }
        break;
      case scalar:
        for (long long k = 0; k < n; ++k) mpfr_mul(pu, pa, pu, MPFR_RNDN);
        break;
      case matrix:  // handled by the generic loop
        break;
    }
  }
};

template <class S>
CoordinateKernel<S> coordinate_kernel(const GradientDescent<S>& m, const S& lambda) {
  CoordinateKernel<S> k;
  k.kind = CoordinateKernel<S>::scalar;
  k.a = 1 - m.eta * lambda;
  k.b = 0;
  k.c = 0;
  return k;
}
template <class S>
CoordinateKernel<S> coordinate_kernel(const HeavyBall<S>& m, const S& lambda) {
  CoordinateKernel<S> k;
  k.a = 1 + m.beta - m.alpha * lambda;
  k.b = m.beta;
  k.c = 0;
  return k;
}
template <class S>
CoordinateKernel<S> coordinate_kernel(const Nesterov<S>& m, const S& lambda) {
  CoordinateKernel<S> k;
  const S q = 1 - m.alpha * lambda;
  k.a = (1 + m.beta) * q;
  k.b = m.beta * q;
  k.c = 0;
  return k;
}
template <class S>
CoordinateKernel<S> coordinate_kernel(const Velocity<S>& m, const S& lambda) {
  CoordinateKernel<S> k;
  k.kind = CoordinateKernel<S>::velocity;
  k.a = m.beta;
  k.b = lambda;
  k.c = -m.eta;
  return k;
}

template <class S>
CoordinateKernel<S> coordinate_kernel(const TwoState<S>& m, const S& lambda) {
  CoordinateKernel<S> k;
  k.a = 1 + m.beta - m.alpha_total() * lambda;
  k.b = m.beta - m.alpha_gamma * lambda;
  k.c = 0;
  return k;
}
/// PyTorch and QHM: their own 2x2 matrix on [b_{t-1}; z_t] and [g_t; z_t].
template <class Method, class S>
CoordinateKernel<S> own_matrix_kernel(const Method& m, const S& lambda) {
  const Eigen::Matrix<S, 2, 2> M = iteration_matrix(m, lambda);
  CoordinateKernel<S> k;
  k.kind = CoordinateKernel<S>::matrix;
  k.a = M(0, 0);
  k.b = M(0, 1);
  k.c = M(1, 0);
  k.d = M(1, 1);
  return k;
}
template <class S>
CoordinateKernel<S> coordinate_kernel(const PyTorchSGD<S>& m, const S& lambda) {
  return own_matrix_kernel(m, lambda);
}
template <class S>
CoordinateKernel<S> coordinate_kernel(const QHM<S>& m, const S& lambda) {
  return own_matrix_kernel(m, lambda);
}

template <class Method>
struct is_velocity_method : std::false_type {};
template <class S>
struct is_velocity_method<Velocity<S>> : std::true_type {};
template <class Method>
constexpr bool is_velocity() {
  return is_velocity_method<Method>::value;
}

}  // namespace momentum::detail
