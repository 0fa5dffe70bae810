#pragma once
/// \file residual.hpp
/// The x-error a user watches (SPEC section 11, "Iterations a user means"): from the standard
/// start (x_{-1} = x_0, zero velocity, an empty PyTorch buffer) every method moves each
/// eigen-coordinate by a scalar residual polynomial, z_t = p_t(lambda) z_0:
///   gradient descent        p_t = (1 - eta lambda)^t;
///   heavy ball, velocity    p_0 = 1, p_1 = 1 - alpha lambda,
///                           p_{t+1} = (1 + beta - alpha lambda) p_t - beta p_{t-1}
///                           (x_{-1} = x_0 and v_0 = 0 give the same x-trajectory, SPEC 2);
///   Nesterov                p_0 = 1, p_1 = q, p_{t+1} = (1 + beta) q p_t - beta q p_{t-1},
///                           q = 1 - alpha lambda;
///   TwoState                p_{-1} = p_0 = 1, p_{t+1} = (1 + beta - (alpha + alpha gamma)
///                           lambda) p_t - (beta - alpha gamma lambda) p_{t-1};
///   PyTorch, QHM            their own matrix from their own start (an empty buffer): from
///                           t = 1 on the family's recurrence (on lambda + weight_decay for
///                           PyTorch), from p_0 = 1 and their own first step p_1.
/// So the worst case over starts of ||x_t - x*|| / ||x_0 - x*|| is max_i |p_t(lambda_i)|, and
/// from a start with eigen-coordinates w it is sqrt(sum_i w_i^2 p_t(lambda_i)^2) / ||w||.
/// Neither depends on the state representation (velocity form and heavy ball agree), unlike
/// ||M^t||_2 (iterations.hpp, powers.hpp).
///
/// p_t(lambda) = e^T M^t s with s the standard start state ([1; 1], or [0; 1] for the velocity
/// form's [v; x]) and e the x entry, so M^t's closed form (powers.hpp) gives it in O(1), and the
/// modes of s (Modes) together with ||s|| E(t) (PowerEnvelope) bound it by an envelope that is
/// non-increasing from a known t_dec on. x_error scans t = 0, 1, ... by the recurrence
/// (re-anchored on the closed form every 1024 steps; a step within the recurrence's rounding of
/// the tolerance is decided by the closed form) up to the first t_hi >= t_dec where the envelope
/// is below the tolerance: the first crossing and the t from which the error stays below for
/// good are then exact, and the peak max_t too (once the envelope is below the best value seen,
/// no later t can beat it). Unlike ||M^t|| >= rho^t, |p_t| has no lower bound (an oscillating
/// error can vanish at one step), so the scan starts at t = 0: (t_hi + 1) n block-steps.

#include <momentum/iterations.hpp>
#include <momentum/powers.hpp>

#include <algorithm>
#include <limits>
#include <vector>

namespace momentum {

namespace detail {

/// The standard start of one eigen-coordinate of eigenvalue lambda as a block state: z_0 = 1
/// and z_{-1} = 1 (heavy ball, Nesterov, TwoState), v_0 = 0, g_0 = 0 (velocity form, QHM),
/// PyTorch's empty buffer b_{-1} = (dampening/momentum)(lambda + weight_decay), nothing
/// (gradient descent).
template <class Method, class S, class = std::enable_if_t<is_method<Method>::value>>
Eigen::Matrix<S, 2, 1> standard_start_state(const Method& m, const S& lambda) {
  S w(0);
  if constexpr (Method::state_size == 2) {
    if constexpr (!x_last<Method>()) {
      w = 1;
    } else if constexpr (is_pytorch<Method>()) {
      const S f = pytorch_start_factor(m);
      if (f != 0) w = f * (seen_eigenvalue(m, lambda) * S(1));
    }
  }
  return block_state(m, S(1), w);
}

}  // namespace detail

/// p_t(lambda), the x-error of one eigen-coordinate after t steps from the standard start, in
/// closed form (O(1) for any t). \throws std::invalid_argument if t < 0 or lambda is not finite.
template <class Method, class S>
S residual(const Method& method, const S& lambda, long long t) {
  if (t < 0)
    throw std::invalid_argument("residual: t must be non-negative, got " + std::to_string(t));
  if (!is_finite(lambda))
    throw std::invalid_argument("residual: lambda must be finite, got " + to_string(lambda, 17));
  if constexpr (Method::state_size == 1) {
    return detail::signed_power(S(1 - method.eta * lambda), t);
  } else {
    const detail::Block<S> b = detail::block(method, lambda);
    const Eigen::Matrix<S, 2, 1> st =
        matrix_power(b.M, b.sp, t) * detail::standard_start_state<Method, S>(method, lambda);
    return st(b.x_index);
  }
}

/// p_0, ..., p_T by the scalar recurrence of the file comment (the definition; O(T)).
/// \throws std::invalid_argument if T < 0 or lambda is not finite.
template <class Method, class S>
std::vector<S> residual_sequence(const Method& method, const S& lambda, long long T) {
  if (T < 0)
    throw std::invalid_argument("residual_sequence: T must be non-negative, got " +
                                std::to_string(T));
  if (!is_finite(lambda))
    throw std::invalid_argument("residual_sequence: lambda must be finite, got " +
                                to_string(lambda, 17));
  std::vector<S> p{S(1)};
  p.reserve(static_cast<std::size_t>(T) + 1);
  if constexpr (Method::state_size == 1) {
    const S q = 1 - method.eta * lambda;
    for (long long t = 0; t < T; ++t) p.push_back(S(q * p.back()));
  } else if constexpr (detail::x_last<Method>() && !detail::is_velocity<Method>()) {
    // PyTorch and QHM: their own matrix on [second; x] from the standard start (PyTorch's first
    // step differs from the family's from (x_0, x_0); from t = 1 on the recurrence is the same).
    const Eigen::Matrix<S, 2, 2> M = iteration_matrix(method, lambda);
    Eigen::Matrix<S, 2, 1> st = detail::standard_start_state<Method, S>(method, lambda);
    for (long long t = 0; t < T; ++t) {
      st = (M * st).eval();
      p.push_back(S(st(1)));
    }
  } else {
    // x_{t+1} = a x_t - b x_{t-1} with x_{-1} = x_0 = 1 (heavy ball and velocity: a = 1 + beta
    // - step lambda, b = beta; Nesterov: a = (1 + beta) q, b = beta q).
    S a, c;
    if constexpr (std::is_same_v<Method, Nesterov<S>>) {
      const S q = 1 - method.alpha * lambda;
      a = (1 + method.beta) * q;
      c = method.beta * q;
    } else if constexpr (std::is_same_v<Method, Velocity<S>>) {
      a = 1 + method.beta - method.eta * lambda;
      c = method.beta;
    } else if constexpr (std::is_same_v<Method, TwoState<S>>) {
      a = 1 + method.beta - method.alpha_total() * lambda;
      c = method.beta - method.alpha_gamma * lambda;
    } else {
      a = 1 + method.beta - method.alpha * lambda;
      c = method.beta;
    }
    S prev(1);
    for (long long t = 0; t < T; ++t) {
      const S next = a * p.back() - c * prev;
      prev = p.back();
      p.push_back(next);
    }
  }
  return p;
}

/// The x-error ratio r(t) = ||x_t - x*|| / ||x_0 - x*|| over t: its iteration count to a
/// tolerance and its peak.
template <class S>
struct XError {
  /// Smallest t with r(t) <= eps (`first`), from when it stays below (`settled`), the naive
  /// log(eps)/log(rho), the proven bracket [lower, upper] and whether the scan completed
  /// (`exact`), as for ||M^t|| in iterations.hpp; `ratio_at_first` is r(first).
  IterationCount<S> count;
  /// max_t r(t) (>= 1, from t = 0) and the smallest t attaining it; `index`: the eigenvalue
  /// with the largest |w_i p_t(lambda_i)| there; `complete`: the scan reached a t from which the
  /// envelope stays below the peak. Unbounded (infinite) when a coordinate does not converge.
  TransientPeak<S> peak;
  /// A bound on the rounding error of peak.peak (the closed form's, a few ulps times t).
  S peak_error = S(0);
};

/// The x-error from the standard start on a quadratic with eigenvalues `lambdas`: with empty
/// `weights`, the worst case over starts, r(t) = max_i |p_t(lambda_i)|; with weights (the start's
/// eigen-coordinates z_0 = O(x_0 - x*), one per eigenvalue), r(t) = ||(w_i p_t(lambda_i))_i|| /
/// ||w|| for that start. Work is capped at options.max_scan block-steps: beyond, the count is
/// the bracket (exact = false, `first` only if already seen) and the peak is incomplete.
/// \throws std::invalid_argument if lambdas is empty, sizes disagree, an input is not finite,
///         or eps is not finite and positive.
template <class S>
XError<S> x_error(const MethodForm<S>& method, const Vector<S>& lambdas, const S& eps,
                  const Vector<S>& weights = Vector<S>(), const IterationOptions& options = {}) {
  using std::abs;
  using std::max;
  using std::min;
  using std::pow;
  using std::sqrt;
  const char* who = "x_error";
  detail::require_tolerance(eps, who);
  const Eigen::Index n = lambdas.size();
  if (n == 0) throw std::invalid_argument(std::string(who) + ": lambdas must not be empty");
  detail::require_finite_vector(lambdas, who, "lambdas");
  const bool worst = weights.size() == 0;
  if (!worst && weights.size() != n)
    throw std::invalid_argument(std::string(who) + ": weights must have " + std::to_string(n) +
                                " entries (one per eigenvalue), got " +
                                std::to_string(weights.size()));
  if (!worst) detail::require_finite_vector(weights, who, "weights");

  struct Coord {
    detail::Block<S> b;
    Eigen::Matrix<S, 2, 1> s;
    Modes<S> md;
    PowerEnvelope<S> env;
    S snorm = S(0), w = S(1), mnorm = S(0);
    S env_max = S(0);  ///< sup_t E(t): 1 + ||M - (p/2) I|| min(sup_t t rho^{t-1}, 2/gap)
    long long t_dec = 0;
    Eigen::Index index = 0;
  };
  std::vector<Coord> cs;
  XError<S> r;
  IterationCount<S>& c = r.count;
  c.rho = S(0);
  c.m = 1;
  bool converges = true;
  long long t_dec = 0;
  detail::SquareSum<S> wsum;
  for (Eigen::Index i = 0; i < n; ++i) {
    Coord k;
    k.index = i;
    if (!worst) {
      k.w = weights(i);
      if (k.w == 0) continue;  // this coordinate stays at zero
      wsum.add(k.w);
    }
    k.b = method.block(S(lambdas(i)));
    k.s = detail::standard_start_state(method, S(lambdas(i)));
    k.snorm = k.s.norm();
    k.mnorm = norm_2(k.b.M);
    k.md = modes(k.b.M, k.b.sp, k.s);
    k.env = power_envelope(k.b.M, k.b.sp);
    const Spectrum<S>& sp = k.b.sp;
    if (sp.rho > c.rho || cs.empty()) {
      c.rho = sp.rho;
      c.m = sp.jordan ? 2 : 1;
    } else if (sp.rho == c.rho && sp.jordan) {
      c.m = 2;
    }
    if (!sp.converges()) converges = false;
    long long td = k.env.decreasing_from();
    if (k.md.kind == Modes<S>::Kind::jordan && k.md.modulus1 > 0 && k.md.modulus1 < 1) {
      using std::ceil;
      using std::log;
      // t |z|^{t-1} decreases from 1/ln(1/|z|) on (capped: |z| = 1 - 1e-10000 in MPFR).
      const S x = ceil(1 / -log(k.md.modulus1));
      const long long big = std::numeric_limits<long long>::max() / 4;
      td = max(td, x < S(big) ? static_cast<long long>(x) : big);
    }
    k.t_dec = td;
    if (sp.converges()) {
      t_dec = max(t_dec, td);
      S u = sp.rho > 0 ? S(detail::sup_t_power(sp.rho) / sp.rho) : S(1);
      if (k.env.gap > 0) u = min(u, S(2 / k.env.gap));
      k.env_max = 1 + k.env.centred_norm * u;
    }
    cs.push_back(std::move(k));
  }
  r.peak.index = cs.empty() ? 0 : cs.front().index;
  if (cs.empty()) {  // x_0 = x*: nothing to reduce
    c.first = c.settled = c.naive = c.lower = c.upper = 0;
    c.converges = c.exact = true;
    c.ratio_at_first = S(0);
    r.peak.peak = S(1);
    r.peak.bounded = r.peak.complete = true;
    return r;
  }
  const S wnorm = worst ? S(1) : wsum.norm();
  // Combines per-coordinate values (x entries, envelopes or error bounds: all monotone in each
  // |v_j|) into the ratio.
  auto combine = [&](const std::vector<S>& v) {
    if (worst) {
      S m(0);
      for (const S& x : v) m = max(m, S(abs(x)));
      return m;
    }
    detail::SquareSum<S> ss;
    for (std::size_t j = 0; j < v.size(); ++j) ss.add(S(cs[j].w * v[j]));
    return S(ss.norm() / wnorm);
  };
  std::vector<S> buf(cs.size());
  auto exact = [&](long long t) {
    for (std::size_t j = 0; j < cs.size(); ++j)
      buf[j] = Eigen::Matrix<S, 2, 1>(matrix_power(cs[j].b.M, cs[j].b.sp, t) * cs[j].s)(cs[j].b.x_index);
    return combine(buf);
  };
  const S meps = epsilon<S>();
  auto exact_error = [&](long long t) {  // closed form: a few ulps of the envelope, times t
    if (t == 0) return S(0);               // M^0 s = s exactly: the ratio is 1
    for (std::size_t j = 0; j < cs.size(); ++j)
      buf[j] = 16 * meps * S(t + 1) * (1 + cs[j].mnorm) * cs[j].snorm * cs[j].env(t);
    return combine(buf);
  };
  auto envelope = [&](long long t) {
    for (std::size_t j = 0; j < cs.size(); ++j) {
      const Coord& k = cs[j];
      const int x = k.b.x_index;
      const S tt = S(t);
      S modal(0);
      switch (k.md.kind) {
        case Modes<S>::Kind::real:
          modal = abs(k.md.y1(x)) * pow(k.md.modulus1, tt) + abs(k.md.y2(x)) * pow(k.md.modulus2, tt);
          break;
        case Modes<S>::Kind::complex:
          modal = 2 * pow(k.md.modulus1, tt) * sqrt(k.md.y1(x) * k.md.y1(x) + k.md.y2(x) * k.md.y2(x));
          break;
        case Modes<S>::Kind::jordan:
          modal = abs(k.md.y1(x)) * pow(k.md.modulus1, tt);
          if (t >= 1) modal += tt * pow(k.md.modulus1, S(t - 1)) * abs(k.md.y2(x));
          break;
      }
      buf[j] = min(modal, S(k.snorm * k.env(t)));
    }
    return combine(buf);
  };

  c.converges = converges && c.rho < 1;
  if (!c.converges) {  // some |p_t| does not tend to 0: never below for good
    c.first = c.settled = c.upper = -1;
    c.naive = -1;
    c.exact = true;
    r.peak.peak = std::numeric_limits<S>::infinity();
    r.peak.t = -1;
    r.peak.bounded = false;
    r.peak.complete = true;
    return r;
  }
  c.naive = detail::naive_count(c.rho, eps);
  c.lower = 0;
  const long long cap = std::numeric_limits<long long>::max() / 8;
  c.upper = detail::first_below(envelope, eps, t_dec, cap);
  const long long limit = max(1LL, options.max_scan / static_cast<long long>(cs.size()));
  r.peak.bounded = true;

  // The scan: states by the recurrence, anchored on the closed form every 1024 steps.
  std::vector<Eigen::Matrix<S, 2, 1>> st(cs.size());
  std::vector<S> err(cs.size()), env_anchor(cs.size());
  long long first = -1, last_above = -1, anchor = 0, t = 0;
  S best(0), best_err(0);
  std::vector<std::pair<long long, S>> candidates;
  std::size_t prune_above = 64;
  bool peak_done = false;
  for (; t < limit; ++t) {
    if (c.upper >= 0 && t >= c.upper && peak_done) break;
    if (t == anchor) {
      for (std::size_t j = 0; j < cs.size(); ++j) {
        st[j] = matrix_power(cs[j].b.M, cs[j].b.sp, t) * cs[j].s;
        // Bounds E(t') for t' in [t, t + 1024): the envelope does not increase past t_dec.
        env_anchor[j] = t >= cs[j].t_dec ? cs[j].env(t) : cs[j].env_max;
      }
      anchor = t + 1024;
    } else {
      for (std::size_t j = 0; j < cs.size(); ++j) st[j] = (cs[j].b.M * st[j]).eval();
    }
    const long long k = t - (anchor - 1024);
    for (std::size_t j = 0; j < cs.size(); ++j) {
      buf[j] = st[j](cs[j].b.x_index);
      // Rounding of the recurrence since the anchor, and of the anchor's closed form (a few
      // ulps times t of the envelope), carried along by M^k (at most sup E).
      err[j] = 64 * meps * (1 + cs[j].mnorm) *
               (S(k + 2) * st[j].norm() + S(t + 1) * cs[j].env_max * cs[j].snorm * env_anchor[j]);
    }
    const S v = combine(buf), ve = combine(err);
    if (c.upper < 0 || t < c.upper) {
      bool above;
      if (v > eps + ve) above = true;
      else if (v < eps - ve) above = false;
      else above = exact(t) > eps;
      if (above) last_above = t;
      else if (first < 0) first = t;
    }
    if (!peak_done) {
      if (v > best) {
        best = v;
        best_err = ve;
      }
      if (v + ve >= best - best_err) candidates.emplace_back(t, v);
      if (candidates.size() > prune_above) {
        const S keep_from = best - best_err;
        auto below = [&](const std::pair<long long, S>& p) {
          return p.second + 2 * best_err < keep_from;
        };
        candidates.erase(std::remove_if(candidates.begin(), candidates.end(), below),
                         candidates.end());
        prune_above = std::max<std::size_t>(64, 2 * candidates.size());
      }
      // Beyond t_dec the envelope does not increase: below the best, no later t beats it.
      if (t >= t_dec && (t % 16 == 0 || (c.upper >= 0 && t + 1 >= c.upper)) &&
          envelope(t + 1) < best - best_err)
        peak_done = true;
    }
  }
  const bool complete = c.upper >= 0 && c.upper <= t;
  if (complete) {
    c.first = first >= 0 ? first : c.upper;
    c.settled = last_above >= 0 ? last_above + 1 : 0;
    c.exact = true;
  } else {
    c.first = first;
    c.settled = -1;
    c.exact = false;
  }
  if (c.first >= 0) c.ratio_at_first = exact(c.first);
  // The peak: near-best candidates re-evaluated in closed form; ties go to the smallest t.
  r.peak.complete = peak_done;
  r.peak.searched_to = t;
  r.peak.peak = S(0);
  r.peak.t = -1;
  for (const auto& cand : candidates) {
    if (cand.second + 2 * best_err < best - best_err) continue;
    const S x = exact(cand.first);
    if (r.peak.t < 0 || x > r.peak.peak) {
      r.peak.peak = x;
      r.peak.t = cand.first;
    }
  }
  exact(r.peak.t);
  std::size_t arg = 0;
  for (std::size_t j = 1; j < cs.size(); ++j)
    if (abs(cs[j].w * buf[j]) > abs(cs[arg].w * buf[arg])) arg = j;
  r.peak.index = cs[arg].index;
  r.peak_error = exact_error(r.peak.t);
  return r;
}

/// The same for a named method (its form_of): compiled once per scalar, on the MethodForm.
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
XError<S> x_error(const Method& method, const Vector<S>& lambdas, const S& eps,
                  const Vector<S>& weights = Vector<S>(), const IterationOptions& options = {}) {
  return x_error(form_of(method), lambdas, eps, weights, options);
}

}  // namespace momentum

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp).
#define MOMENTUM_RESIDUAL_INSTANCES(EXTERN, S)                                               \
  EXTERN template momentum::XError<S> momentum::x_error<S>(                                  \
      const momentum::MethodForm<S>&, const momentum::Vector<S>&, const S&,                  \
      const momentum::Vector<S>&, const momentum::IterationOptions&);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_RESIDUAL_INSTANCES)
