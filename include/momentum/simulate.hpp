#pragma once
/// \file simulate.hpp
/// Simulation of gradient descent, heavy ball, the velocity form, Nesterov, the two-state family
/// (TwoState), PyTorch's SGD and QHM on a quadratic, in x-space (dense Q) or in
/// eigen-coordinates, in any scalar type (SPEC sections 1, 2, 8, 11). Each method runs in its
/// own state and from its own default start (detail/state_layout.hpp): PyTorch's x-space run is
/// torch.optim.SGD's update in torch's operation order, first step included.
///
/// What is iterated is the error e_t = x_t - x*, never x_t itself. The error's dynamics are
/// linear (the gradient is Q x + c = Q e), so an error of 1e-3000 is computed to the working
/// precision, whereas x_t - x* formed by subtraction floors near epsilon |x*|. When x_t is asked
/// for it is reported as x* + e_t. In eigen-coordinates z = O(x - x*) each coordinate evolves
/// alone with its own 2x2 (1x1 for gradient descent) matrix (SPEC section 1; proofs/decoupling.md),
/// and the run is coordinate by coordinate, with a fused inner loop on raw MPFR numbers for
/// mpfr_float types (two MPFR calls per heavy-ball coordinate-step, no temporaries).
///
/// Nothing is stored that was not asked for: the norms at the requested checkpoints, x_t only
/// with `record_x`, and the final error state (O(n)) so that a run can be continued.

#include <momentum/detail/state_layout.hpp>
#include <momentum/iteration_matrix.hpp>
#include <momentum/quadratic.hpp>

#include <boost/multiprecision/mpfr.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace momentum {

/// What a simulation records.
struct SimulateOptions {
  /// Number of steps T >= 0: the run computes e_0, ..., e_T.
  long long steps = 0;
  /// Checkpoints t in [0, steps], any order, duplicates merged. If `at` is empty and
  /// `every_step` is false, the final step T alone is recorded.
  std::vector<long long> at;
  /// Record every t = 0, 1, ..., steps (overrides `at`).
  bool every_step = false;
  /// Also store x_t (x-space runs: x* + e_t; eigen-coordinate runs: z_t) at each checkpoint.
  bool record_x = false;
  /// Also store the norm of the whole error state at each checkpoint: ||[e_t; e_{t-1}]|| for
  /// heavy ball, Nesterov and TwoState, ||[v_t; e_t]|| for the velocity form, ||[b_{t-1}; e_t]||
  /// for PyTorch, ||[g_t; e_t]|| for QHM, ||e_t|| for gradient descent.
  bool record_state_norm = false;
};

/// One recorded step.
template <class S>
struct Checkpoint {
  long long t = 0;
  S error_norm;   ///< ||x_t - x*||_2 (= ||z_t||_2 in eigen-coordinates)
  S excess_loss;  ///< h(x_t) - h* = 1/2 e_t^T Q e_t = 1/2 sum lambda_i z_i^2 (PyTorch: of the
                  ///< objective it minimizes, h + weight_decay/2 ||x||^2, with Q + wd I)
  S state_norm;   ///< norm of the error state (only with `record_state_norm`, else 0)
  Vector<S> x;    ///< x_t or z_t (only with `record_x`, else empty)
};

/// The recorded part of a run.
template <class S>
struct Trajectory {
  std::vector<Checkpoint<S>> points;  ///< one per checkpoint, in increasing t
  long long steps = 0;                ///< T
  /// The error state after T steps, to continue the run: e_T (or z_T), and e_{T-1} (heavy ball,
  /// Nesterov, TwoState), v_T (velocity form; in eigen-coordinates O v_T), b_{T-1} (PyTorch's
  /// buffer), g_T (QHM's buffer), empty (gradient descent).
  Vector<S> final_error, final_second;
};

namespace detail {

/// True for Boost.Multiprecision numbers on the MPFR backend (fixed or run-time precision).
template <class S>
struct is_mpfr_number : std::false_type {};
template <unsigned D, boost::multiprecision::mpfr_allocation_type A,
          boost::multiprecision::expression_template_option ET>
struct is_mpfr_number<boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<D, A>, ET>>
    : std::true_type {};

/// Types whose exponent range is that of a machine float: their sums of squares must be
/// scaled (LAPACK's dnrm2 way) or an error of 1e-200 would square to 0. MPFR and cpp_bin_float
/// have exponent ranges beyond 1e+-300000000, where plain sums are safe.
template <class S>
constexpr bool needs_scaled_sums() {
  return std::numeric_limits<S>::max_exponent10 < 100000;
}

/// Sum of squares kept as scale^2 * ssq when needed: sqrt and the sum itself stay right for
/// entries down to the smallest subnormal.
template <class S>
struct SquareSum {
  S scale = S(0), ssq = S(0);
  void add(const S& x) {
    using std::abs;
    if constexpr (needs_scaled_sums<S>()) {
      if (x == 0) return;
      const S ax = abs(x);
      if (scale < ax) {
        const S r = scale / ax;
        ssq = 1 + ssq * r * r;
        scale = ax;
      } else {
        const S r = ax / scale;
        ssq += r * r;
      }
    } else {
      ssq += x * x;
    }
  }
  S norm() const {
    using std::sqrt;
    if constexpr (needs_scaled_sums<S>()) return scale == 0 ? S(0) : S(scale * sqrt(ssq));
    else return sqrt(ssq);
  }
  S sum() const {
    if constexpr (needs_scaled_sums<S>()) return scale == 0 ? S(0) : S(scale * scale * ssq);
    else return ssq;
  }
};

/// The weighted sum 1/2 sum lambda_i z_i^2, as two scaled square sums of sqrt|lambda_i| z_i.
template <class S>
struct LossSum {
  SquareSum<S> pos, neg;
  void add(const S& sqrt_abs_lambda, bool negative, const S& z) {
    if (negative) neg.add(S(sqrt_abs_lambda * z));
    else pos.add(S(sqrt_abs_lambda * z));
  }
  S value() const { return S((pos.sum() - neg.sum()) / 2); }
};

/// Checkpoint times, sorted and unique, validated against [0, steps].
inline std::vector<long long> checkpoint_times(const SimulateOptions& o, const char* who) {
  if (o.steps < 0)
    throw std::invalid_argument(std::string(who) + ": steps must be non-negative, got " +
                                std::to_string(o.steps));
  std::vector<long long> ts;
  if (o.every_step) {
    ts.resize(static_cast<std::size_t>(o.steps) + 1);
    for (long long t = 0; t <= o.steps; ++t) ts[static_cast<std::size_t>(t)] = t;
    return ts;
  }
  for (long long t : o.at) {
    if (t < 0 || t > o.steps)
      throw std::invalid_argument(std::string(who) + ": checkpoint t = " + std::to_string(t) +
                                  " must lie in [0, steps = " + std::to_string(o.steps) + "]");
    ts.push_back(t);
  }
  if (ts.empty()) ts.push_back(o.steps);
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  return ts;
}

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

/// The default second state in eigen-coordinates (detail/state_layout.hpp): z_{-1} = z_0 for
/// heavy ball, Nesterov and TwoState, v_0 = 0 and g_0 = 0 for the velocity form and QHM,
/// PyTorch's b_{-1} = (dampening/momentum) (lambda_i + weight_decay) z_0, none for gradient
/// descent.
template <class Method, class S>
Vector<S> default_second_eigen(const Method& m, const Vector<S>& lambdas, const Vector<S>& z0) {
  const Eigen::Index n = z0.size();
  if constexpr (Method::state_size == 1) {
    (void)m;
    (void)lambdas;
    return Vector<S>();
  } else if constexpr (is_pytorch<Method>()) {
    const S f = pytorch_start_factor(m);
    Vector<S> b(n);
    for (Eigen::Index i = 0; i < n; ++i)
      b(i) = f == 0 ? S(0) : S(f * (seen_eigenvalue(m, S(lambdas(i))) * z0(i)));
    return b;
  } else if constexpr (x_last<Method>()) {
    (void)m;
    (void)lambdas;
    return Vector<S>::Zero(n);
  } else {
    (void)m;
    (void)lambdas;
    return z0;
  }
}

/// The second state of a run from `first`: `second` validated in size, or, when it is empty,
/// make_default(). Gradient descent has none (a non-empty `second` is refused).
template <class Method, class S, class Default>
Vector<S> second_state(const Method&, const Vector<S>& first, const Vector<S>& second,
                       const char* who, const Default& make_default) {
  const Eigen::Index n = first.size();
  if constexpr (Method::state_size == 1) {
    (void)make_default;
    if (second.size() != 0)
      throw std::invalid_argument(std::string(who) +
                                  ": gradient descent has no second state; pass an empty vector");
    return Vector<S>();
  } else {
    if (second.size() == 0) return make_default();
    if (second.size() != n)
      throw std::invalid_argument(std::string(who) + ": the second state must have " +
                                  std::to_string(n) + " entries, got " +
                                  std::to_string(second.size()));
    return second;
  }
}

/// The second state in eigen-coordinates: `second_z`, or the default from (lambdas, z0).
template <class Method, class S>
Vector<S> second_state_eigen(const Method& method, const Vector<S>& lambdas, const Vector<S>& z0,
                             const Vector<S>& second_z, const char* who) {
  return second_state(method, z0, second_z, who,
                      [&] { return default_second_eigen(method, lambdas, z0); });
}

/// The minimizer the method converges to on h: x* of h, or for PyTorch that of h +
/// weight_decay/2 ||x||^2.
template <class Method, class S>
Vector<S> method_minimizer(const Method& method, const Quadratic<S>& h) {
  if constexpr (is_pytorch<Method>()) return h.shifted_minimizer(method.weight_decay);
  else {
    (void)method;
    return h.minimizer();
  }
}

template <class S>
void require_finite_vector(const Vector<S>& v, const char* who, const char* what) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!is_finite(v(i)))
      throw std::invalid_argument(std::string(who) + ": " + what + " must be finite, entry " +
                                  std::to_string(i + 1) + " is " + to_string(v(i), 17));
}

}  // namespace detail

/// Simulates `method` in eigen-coordinates on the spectrum `lambdas` (of Q) from the error state
/// (z0, second_z): z0 = O(x_0 - x*); second_z = O(x_{-1} - x*) for heavy ball, Nesterov and
/// TwoState (empty: z0), O v_0 for the velocity form (empty: 0), O b_{-1} for PyTorch (empty:
/// its empty buffer, b_{-1} = (dampening/momentum)(lambda + weight_decay) z_0), O g_0 for QHM
/// (empty: 0), empty for gradient descent. For PyTorch x* is the minimizer with weight decay.
/// Each coordinate evolves alone by its 2x2 (1x1) matrix (SPEC sections 1, 2, 11):
///   heavy ball   z+ = (1 + beta - alpha lambda) z - beta z-,
///   Nesterov     z+ = (1 + beta) q z - beta q z-, q = 1 - alpha lambda,
///   TwoState     z+ = (1 + beta - (alpha + alpha gamma) lambda) z - (beta - alpha gamma lambda) z-,
///   velocity     v+ = beta v + lambda z, z+ = z - eta v+,
///   PyTorch, QHM their own matrix (iteration_matrix.hpp) on [b_{t-1}; z_t] and [g_t; z_t],
///   GD           z+ = (1 - eta lambda) z.
/// Records ||z_t||, 1/2 sum lambda_i z_i^2 and (optionally) z_t and the state norm at the
/// checkpoints of `options`. Cost: n * T coordinate-steps, plus O(n) per checkpoint.
/// \throws std::invalid_argument if sizes disagree, an input is not finite, steps < 0, or a
///         checkpoint lies outside [0, steps]. Any finite lambda is accepted (lambda <= 0 too).
template <class Method, class S>
Trajectory<S> simulate_eigen(const Method& method, const Vector<S>& lambdas, const Vector<S>& z0,
                             const Vector<S>& second_z, const SimulateOptions& options) {
  using std::abs;
  using std::sqrt;
  const char* who = "simulate_eigen";
  const std::vector<long long> ts = detail::checkpoint_times(options, who);
  const Eigen::Index n = lambdas.size();
  if (z0.size() != n)
    throw std::invalid_argument(std::string(who) + ": z0 must have " + std::to_string(n) +
                                " entries (one per eigenvalue), got " + std::to_string(z0.size()));
  detail::require_finite_vector(lambdas, who, "lambdas");
  detail::require_finite_vector(z0, who, "z0");
  const Vector<S> w0 = detail::second_state_eigen(method, lambdas, z0, second_z, who);
  detail::require_finite_vector(w0, who, "the second state");
  constexpr bool two = Method::state_size == 2;

  const std::size_t K = ts.size();
  std::vector<detail::SquareSum<S>> err(K), state(K);
  std::vector<detail::LossSum<S>> loss(K);
  Trajectory<S> out;
  out.steps = options.steps;
  out.points.resize(K);
  for (std::size_t k = 0; k < K; ++k) {
    out.points[k].t = ts[k];
    if (options.record_x) out.points[k].x.resize(n);
  }
  out.final_error.resize(n);
  if (two) out.final_second.resize(n);

  for (Eigen::Index i = 0; i < n; ++i) {
    const S& lambda = lambdas(i);
    const detail::CoordinateKernel<S> kernel = detail::coordinate_kernel(method, lambda);
    const S seen = detail::seen_eigenvalue(method, lambda);
    const S sl = sqrt(abs(seen));
    const bool negative = seen < 0;
    S u = z0(i);
    S w = two ? S(w0(i)) : S(0);
    long long t = 0;
    for (std::size_t k = 0; k < K; ++k) {
      kernel.advance(u, w, ts[k] - t);
      t = ts[k];
      err[k].add(u);
      loss[k].add(sl, negative, u);
      if (options.record_state_norm) {
        state[k].add(u);
        if (two) state[k].add(w);
      }
      if (options.record_x) out.points[k].x(i) = u;
    }
    kernel.advance(u, w, options.steps - t);
    out.final_error(i) = u;
    if (two) out.final_second(i) = w;
  }
  for (std::size_t k = 0; k < K; ++k) {
    out.points[k].error_norm = err[k].norm();
    out.points[k].excess_loss = loss[k].value();
    out.points[k].state_norm = options.record_state_norm ? state[k].norm() : S(0);
  }
  return out;
}

/// Simulates `method` on the quadratic h in x-space with the dense Q, from x0 and the second
/// state `second` (x_{-1} for heavy ball, Nesterov and TwoState, empty: x0; v_0 for the velocity
/// form, empty: 0; PyTorch's buffer b_{-1}, empty: torch's start without a buffer; QHM's g_0,
/// empty: 0; empty for gradient descent). Iterates the error e = x - x* (SPEC section 1: the
/// gradient is Q x + c = Q e):
///   GD       e+ = e - eta Q e
///   heavy    e+ = e - alpha Q e + beta (e - e-)
///   velocity v+ = beta v + Q e, e+ = e - eta v+
///   Nesterov y = e + beta (e - e-), e+ = y - alpha Q y
///   TwoState e+ = e + beta (e - e-) - Q (alpha e + alpha gamma (e - e-))
///   PyTorch  torch.optim.SGD 1.13 in its operation order, on e relative to the minimizer x* of
///            h + wd/2 ||x||^2: d = Q e + wd e; b = d at the first step from torch's start, then
///            b = momentum b + (1 - dampening) d; step = d + momentum b (nesterov) or b (step = d
///            when momentum = 0); e = e + (-lr) step
///   QHM      qhoptim's order: g = beta g + (1 - beta) Q e; e = e + (-alpha nu) g;
///            e = e + (-alpha (1 - nu)) Q e
/// and records ||e_t||, 1/2 e_t^T Q e_t (= h(x_t) - h*, without cancellation; PyTorch: with
/// Q + wd I) and optionally x_t = x* + e_t at the checkpoints. Cost O(n^2) per step.
/// \throws std::invalid_argument if x0 or `second` has the wrong size or a non-finite entry,
///         steps < 0, or a checkpoint lies outside [0, steps].
template <class Method, class S>
Trajectory<S> simulate(const Method& method, const Quadratic<S>& h, const Vector<S>& x0,
                       const Vector<S>& second, const SimulateOptions& options) {
  const char* who = "simulate";
  const std::vector<long long> ts = detail::checkpoint_times(options, who);
  const Eigen::Index n = h.dimension();
  if (x0.size() != n)
    throw std::invalid_argument(std::string(who) + ": x0 must have " + std::to_string(n) +
                                " entries (the size of Q), got " + std::to_string(x0.size()));
  detail::require_finite_vector(x0, who, "x0");
  constexpr bool two = Method::state_size == 2;
  constexpr bool x_last = detail::x_last<Method>();
  constexpr bool pytorch = detail::is_pytorch<Method>();
  const Matrix<S>& Q = h.Q();
  const Vector<S> x_star = detail::method_minimizer(method, h);
  S shift(0);  // weight decay (PyTorch)
  if constexpr (pytorch) shift = method.weight_decay;
  Vector<S> e = x0 - x_star;
  Vector<S> w;  // e_{t-1} (heavy ball, Nesterov, TwoState), v_t, b_{t-1} or g_t
  bool fresh = false;  // PyTorch from torch's start: the first step sets b = d
  if constexpr (two) {
    const Vector<S> sec = detail::second_state(method, x0, second, who, [&] {
      if constexpr (pytorch) {
        const S f = detail::pytorch_start_factor(method);
        Vector<S> b = Vector<S>::Zero(n);
        if (f != 0) b = f * (Q * e + shift * e);
        return b;
      } else if constexpr (x_last) {
        return Vector<S>(Vector<S>::Zero(n));
      } else {
        return x0;
      }
    });
    detail::require_finite_vector(sec, who, "the second state");
    if constexpr (x_last) w = sec;
    else w = sec - x_star;
    if constexpr (pytorch) fresh = second.size() == 0;
  } else {
    (void)detail::second_state(method, x0, second, who, [] { return Vector<S>(); });
  }
  Vector<S> g(n), next(n);
  Trajectory<S> out;
  out.steps = options.steps;
  out.points.reserve(ts.size());
  auto record = [&](long long t) {
    Checkpoint<S> c;
    c.t = t;
    detail::SquareSum<S> ss, st;
    for (Eigen::Index i = 0; i < n; ++i) ss.add(e(i));
    c.error_norm = ss.norm();
    g.noalias() = Q * e;
    if (shift != 0) g += shift * e;
    c.excess_loss = e.dot(g) / 2;
    if (options.record_state_norm) {
      for (Eigen::Index i = 0; i < n; ++i) st.add(e(i));
      if (two)
        for (Eigen::Index i = 0; i < n; ++i) st.add(w(i));
      c.state_norm = st.norm();
    } else {
      c.state_norm = 0;
    }
    if (options.record_x) c.x = x_star + e;
    out.points.push_back(std::move(c));
  };
  std::size_t k = 0;
  for (long long t = 0;; ++t) {
    if (k < ts.size() && ts[k] == t) {
      record(t);
      ++k;
    }
    if (t == options.steps) break;
    if constexpr (std::is_same_v<Method, GradientDescent<S>>) {
      g.noalias() = Q * e;
      for (Eigen::Index i = 0; i < n; ++i) e(i) -= method.eta * g(i);
    } else if constexpr (std::is_same_v<Method, HeavyBall<S>>) {
      g.noalias() = Q * e;
      for (Eigen::Index i = 0; i < n; ++i)
        next(i) = e(i) - method.alpha * g(i) + method.beta * (e(i) - w(i));
      w.swap(e);
      e.swap(next);
    } else if constexpr (std::is_same_v<Method, Nesterov<S>>) {
      for (Eigen::Index i = 0; i < n; ++i) next(i) = e(i) + method.beta * (e(i) - w(i));
      g.noalias() = Q * next;
      for (Eigen::Index i = 0; i < n; ++i) next(i) -= method.alpha * g(i);
      w.swap(e);
      e.swap(next);
    } else if constexpr (std::is_same_v<Method, TwoState<S>>) {
      // next = alpha e + alpha gamma (e - e-), the step's argument before Q.
      for (Eigen::Index i = 0; i < n; ++i)
        next(i) = method.alpha * e(i) + method.alpha_gamma * (e(i) - w(i));
      g.noalias() = Q * next;
      for (Eigen::Index i = 0; i < n; ++i) next(i) = e(i) + method.beta * (e(i) - w(i)) - g(i);
      w.swap(e);
      e.swap(next);
    } else if constexpr (pytorch) {
      // torch.optim.SGD (1.13, _single_tensor_sgd): d_p = grad.add(param, alpha=wd);
      // buf = clone(d_p) or buf.mul_(momentum).add_(d_p, alpha=1 - dampening);
      // d_p = d_p.add(buf, alpha=momentum) (nesterov) or buf; param.add_(d_p, alpha=-lr).
      g.noalias() = Q * e;
      if (shift != 0)
        for (Eigen::Index i = 0; i < n; ++i) g(i) = g(i) + shift * e(i);
      const S neg_lr = -method.lr;
      if (method.momentum == 0) {
        for (Eigen::Index i = 0; i < n; ++i) e(i) = e(i) + neg_lr * g(i);
        w = g;  // no buffer: the state's first row is d_t (iteration_matrix.hpp)
      } else {
        if (fresh) {
          w = g;
          fresh = false;
        } else {
          const S keep = 1 - method.dampening;
          for (Eigen::Index i = 0; i < n; ++i) w(i) = w(i) * method.momentum + keep * g(i);
        }
        if (method.nesterov)
          for (Eigen::Index i = 0; i < n; ++i) e(i) = e(i) + neg_lr * (g(i) + method.momentum * w(i));
        else
          for (Eigen::Index i = 0; i < n; ++i) e(i) = e(i) + neg_lr * w(i);
      }
    } else if constexpr (std::is_same_v<Method, QHM<S>>) {
      // qhoptim: buf.mul_(beta).add_(1 - beta, d_p); p.add_(-lr nu, buf);
      // p.add_(-lr (1 - nu), d_p).
      g.noalias() = Q * e;
      const S keep = 1 - method.beta;
      const S on_buffer = -method.alpha * method.nu;
      const S on_gradient = -method.alpha * (1 - method.nu);
      for (Eigen::Index i = 0; i < n; ++i) {
        w(i) = w(i) * method.beta + keep * g(i);
        e(i) = e(i) + on_buffer * w(i);
        e(i) = e(i) + on_gradient * g(i);
      }
    } else {
      static_assert(detail::is_velocity<Method>(), "simulate: unknown method");
      g.noalias() = Q * e;
      for (Eigen::Index i = 0; i < n; ++i) w(i) = method.beta * w(i) + g(i);
      for (Eigen::Index i = 0; i < n; ++i) e(i) -= method.eta * w(i);
    }
  }
  out.final_error = e;
  if (two) out.final_second = w;
  return out;
}

namespace detail {
/// The start (x0, second) of a run on a quadratic, in its eigen-coordinates: z0 = O(x0 - x*)
/// (x* = method_minimizer) and w = O(x_{-1} - x*) (heavy ball, Nesterov, TwoState), O v0, O b_{-1}
/// or O g_0 (velocity form, PyTorch, QHM), empty for gradient descent; an empty `second` stays
/// empty (the eigen-coordinate functions then take the method's default start). Validates sizes
/// and finiteness, naming `who`.
template <class Method, class S>
std::pair<Vector<S>, Vector<S>> start_in_eigen(const Method& method, const Quadratic<S>& h,
                                               const Vector<S>& x0, const Vector<S>& second,
                                               const char* who) {
  if (x0.size() != h.dimension())
    throw std::invalid_argument(std::string(who) + ": x0 must have " +
                                std::to_string(h.dimension()) + " entries (the size of Q), got " +
                                std::to_string(x0.size()));
  require_finite_vector(x0, who, "x0");
  const Vector<S> x_star = method_minimizer(method, h);
  Vector<S> w;
  const Vector<S> sec = second_state(method, x0, second, who, [] { return Vector<S>(); });
  if constexpr (Method::state_size == 2) {
    if (sec.size() != 0) {
      require_finite_vector(sec, who, "the second state");
      if constexpr (x_last<Method>()) w = h.rotate_to_eigen(sec);
      else w = h.rotate_to_eigen(Vector<S>(sec - x_star));
    }
  }
  return {h.rotate_to_eigen(Vector<S>(x0 - x_star)), w};
}
}  // namespace detail

/// Simulates on a quadratic in its eigen-coordinates (fast, O(n) per step): z0 = O(x0 - x*),
/// the second state rotated likewise, then simulate_eigen. Norms and losses are invariant
/// under O; with `record_x` the points hold x_t = x* + O^T z_t, and final_error/final_second
/// stay in eigen-coordinates. Same arguments and exceptions as simulate().
template <class Method, class S>
Trajectory<S> simulate_via_eigen(const Method& method, const Quadratic<S>& h, const Vector<S>& x0,
                                 const Vector<S>& second, const SimulateOptions& options) {
  const auto [z0, w] = detail::start_in_eigen(method, h, x0, second, "simulate_via_eigen");
  Trajectory<S> out = simulate_eigen(method, h.eigenvalues(), z0, w, options);
  if (options.record_x) {
    const Vector<S> x_star = detail::method_minimizer(method, h);
    for (auto& p : out.points) p.x = Vector<S>(h.rotate_from_eigen(p.x) + x_star);
  }
  return out;
}

}  // namespace momentum

// Compiled once per method and scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in
// scalar.hpp).
#define MOMENTUM_SIMULATE_METHOD_INSTANCES(EXTERN, M, S)                                     \
  EXTERN template momentum::Trajectory<S> momentum::simulate_eigen<M, S>(                    \
      const M&, const momentum::Vector<S>&, const momentum::Vector<S>&,                      \
      const momentum::Vector<S>&, const momentum::SimulateOptions&);                         \
  EXTERN template momentum::Trajectory<S> momentum::simulate<M, S>(                          \
      const M&, const momentum::Quadratic<S>&, const momentum::Vector<S>&,                   \
      const momentum::Vector<S>&, const momentum::SimulateOptions&);                         \
  EXTERN template momentum::Trajectory<S> momentum::simulate_via_eigen<M, S>(                \
      const M&, const momentum::Quadratic<S>&, const momentum::Vector<S>&,                   \
      const momentum::Vector<S>&, const momentum::SimulateOptions&);
#define MOMENTUM_SIMULATE_INSTANCES(EXTERN, S)                                               \
  MOMENTUM_FOR_EACH_METHOD(MOMENTUM_SIMULATE_METHOD_INSTANCES, EXTERN, S)
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_SIMULATE_INSTANCES)
