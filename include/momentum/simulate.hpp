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

#include <momentum/method_form.hpp>
#include <momentum/quadratic.hpp>

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
template <class S>
Trajectory<S> simulate_eigen(const MethodForm<S>& form, const Vector<S>& lambdas,
                             const Vector<S>& z0, const Vector<S>& second_z,
                             const SimulateOptions& options) {
  using std::abs;
  using std::sqrt;
  const char* who = "simulate_eigen";
  const std::vector<long long> ts = detail::checkpoint_times(options, who);
  const Eigen::Index n = lambdas.size();
  const Vector<S> w0 = detail::eigen_start(form, lambdas, z0, second_z, who);
  const bool two = form.states == 2;

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
    const detail::CoordinateKernel<S> kernel = form.kernel(lambda);
    const S seen = lambda + form.shift;
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
template <class S>
Trajectory<S> simulate(const MethodForm<S>& form, const Quadratic<S>& h, const Vector<S>& x0,
                       const Vector<S>& second, const SimulateOptions& options) {
  const char* who = "simulate";
  const std::vector<long long> ts = detail::checkpoint_times(options, who);
  const Eigen::Index n = h.dimension();
  if (x0.size() != n)
    throw std::invalid_argument(std::string(who) + ": x0 must have " + std::to_string(n) +
                                " entries (the size of Q), got " + std::to_string(x0.size()));
  detail::require_finite_vector(x0, who, "x0");
  const bool two = form.states == 2;
  const Matrix<S>& Q = h.Q();
  const S& shift = form.shift;
  const Vector<S> x_star = h.shifted_minimizer(shift);
  XState<S> s;
  s.e = x0 - x_star;
  if (two) {
    const Vector<S> sec = detail::second_state(form, x0, second, who, [&] {
      if (!form.x_last) return x0;
      Vector<S> b = Vector<S>::Zero(n);
      if (form.start_factor != 0) b = form.start_factor * (Q * s.e + shift * s.e);
      return b;
    });
    detail::require_finite_vector(sec, who, "the second state");
    if (form.x_last) s.second = sec;
    else s.second = sec - x_star;
    s.fresh = form.fresh_start && second.size() == 0;
  } else {
    (void)detail::second_state(form, x0, second, who, [] { return Vector<S>(); });
  }
  s.g.resize(n);
  s.next.resize(n);
  Vector<S> g(n);
  Trajectory<S> out;
  out.steps = options.steps;
  out.points.reserve(ts.size());
  auto record = [&](long long t) {
    Checkpoint<S> c;
    c.t = t;
    detail::SquareSum<S> ss, st;
    for (Eigen::Index i = 0; i < n; ++i) ss.add(s.e(i));
    c.error_norm = ss.norm();
    g.noalias() = Q * s.e;
    if (shift != 0) g += shift * s.e;
    c.excess_loss = s.e.dot(g) / 2;
    if (options.record_state_norm) {
      for (Eigen::Index i = 0; i < n; ++i) st.add(s.e(i));
      if (two)
        for (Eigen::Index i = 0; i < n; ++i) st.add(s.second(i));
      c.state_norm = st.norm();
    } else {
      c.state_norm = 0;
    }
    if (options.record_x) c.x = x_star + s.e;
    out.points.push_back(std::move(c));
  };
  std::size_t k = 0;
  for (long long t = 0;; ++t) {
    if (k < ts.size() && ts[k] == t) {
      record(t);
      ++k;
    }
    if (t == options.steps) break;
    form.step(Q, s);
  }
  out.final_error = s.e;
  if (two) out.final_second = s.second;
  return out;
}


/// Simulates on a quadratic in its eigen-coordinates (fast, O(n) per step): z0 = O(x0 - x*),
/// the second state rotated likewise, then simulate_eigen. Norms and losses are invariant
/// under O; with `record_x` the points hold x_t = x* + O^T z_t, and final_error/final_second
/// stay in eigen-coordinates. Same arguments and exceptions as simulate().
template <class S>
Trajectory<S> simulate_via_eigen(const MethodForm<S>& form, const Quadratic<S>& h,
                                 const Vector<S>& x0, const Vector<S>& second,
                                 const SimulateOptions& options) {
  const auto [z0, w] = detail::start_in_eigen(form, h, x0, second, "simulate_via_eigen");
  Trajectory<S> out = simulate_eigen(form, h.eigenvalues(), z0, w, options);
  if (options.record_x) {
    const Vector<S> x_star = h.shifted_minimizer(form.shift);
    for (auto& p : out.points) p.x = Vector<S>(h.rotate_from_eigen(p.x) + x_star);
  }
  return out;
}

/// The same for a named method (its form_of): simulate_eigen, simulate and simulate_via_eigen
/// are compiled once per scalar, on the method's MethodForm.
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
Trajectory<S> simulate_eigen(const Method& method, const Vector<S>& lambdas, const Vector<S>& z0,
                             const Vector<S>& second_z, const SimulateOptions& options) {
  return simulate_eigen(form_of(method), lambdas, z0, second_z, options);
}
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
Trajectory<S> simulate(const Method& method, const Quadratic<S>& h, const Vector<S>& x0,
                       const Vector<S>& second, const SimulateOptions& options) {
  return simulate(form_of(method), h, x0, second, options);
}
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
Trajectory<S> simulate_via_eigen(const Method& method, const Quadratic<S>& h, const Vector<S>& x0,
                                 const Vector<S>& second, const SimulateOptions& options) {
  return simulate_via_eigen(form_of(method), h, x0, second, options);
}

}  // namespace momentum

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp).
#define MOMENTUM_SIMULATE_INSTANCES(EXTERN, S)                                               \
  EXTERN template momentum::Trajectory<S> momentum::simulate_eigen<S>(                       \
      const momentum::MethodForm<S>&, const momentum::Vector<S>&, const momentum::Vector<S>&, \
      const momentum::Vector<S>&, const momentum::SimulateOptions&);                         \
  EXTERN template momentum::Trajectory<S> momentum::simulate<S>(                             \
      const momentum::MethodForm<S>&, const momentum::Quadratic<S>&,                         \
      const momentum::Vector<S>&, const momentum::Vector<S>&,                                \
      const momentum::SimulateOptions&);                                                     \
  EXTERN template momentum::Trajectory<S> momentum::simulate_via_eigen<S>(                   \
      const momentum::MethodForm<S>&, const momentum::Quadratic<S>&,                         \
      const momentum::Vector<S>&, const momentum::Vector<S>&,                                \
      const momentum::SimulateOptions&);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_SIMULATE_INSTANCES)
