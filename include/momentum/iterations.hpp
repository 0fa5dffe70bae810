#pragma once
/// \file iterations.hpp
/// Iterations to a tolerance (SPEC section 7): the smallest t with ||e_t|| <= eps ||e_0|| from a
/// given start, and the worst case over starts, ||M^t||_2 <= eps, honouring the transient and
/// the t^{m-1} factor of a Jordan block instead of the naive log(eps)/log(rho) (also reported).
///
/// ||M^t|| and ||e_t|| need not be monotone (oscillation, transient growth), so "the first t"
/// and "the t from which it stays below" differ; both are returned. The search:
///  1. an envelope R(t) >= ratio(t) that is non-increasing for t >= t_dec (PowerEnvelope, and the
///     modal bounds of each coordinate) gives, by doubling and bisection on closed forms (O(log t)
///     evaluations), the smallest t_hi >= t_dec with R(t_hi) <= eps: ratio(t) <= eps for all
///     t >= t_hi, so `settled` <= t_hi;
///  2. a lower bound gives t_lo: ||M^t|| >= rho(M)^t > eps for t < log(eps)/log(rho), so for the
///     worst case the first crossing is at least the naive count (minus a rounding margin); from
///     a start no such bound exists (an oscillating error can dip at one step) and t_lo = 0;
///  3. [t_lo, t_hi] is scanned by the recurrence (re-anchored on the closed form every 1024 steps);
///     any step whose ratio lies within the recurrence's rounding of eps is decided by the closed
///     form. The scan costs (t_hi - t_lo) block-steps: a few times log(constant)/(1 - rho) for the
///     worst case, t_hi times n from a start.

#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>

#include <limits>
#include <vector>

namespace momentum {

/// Options of the iteration counts.
struct IterationOptions {
  /// Largest number of block-steps (coordinates x steps) the exact scan may take; beyond it the
  /// result is the bracket [lower, upper] with exact = false.
  long long max_scan = 200000000;
};

/// An iteration count to a tolerance.
template <class S>
struct IterationCount {
  long long first = -1;    ///< smallest t with ratio(t) <= eps (-1: none, or not exact)
  long long settled = -1;  ///< smallest t with ratio(t') <= eps for every t' >= t (-1: never)
  long long naive = -1;    ///< ceil(log(eps)/log(rho)), what rho alone predicts (-1: rho >= 1)
  long long lower = 0;     ///< proven: no crossing before this t
  long long upper = -1;    ///< proven: ratio(t) <= eps for every t >= upper (-1: rho >= 1)
  S rho;                   ///< spectral radius (of the excited modes, from a start)
  int m = 1;               ///< Jordan size at rho
  S ratio_at_first;        ///< ratio(first): ||M^t|| or ||e_t||/||e_0||
  bool converges = false;  ///< rho < 1
  bool exact = false;      ///< first and settled were determined exactly (scan completed)
};

namespace detail {

template <class S>
void require_tolerance(const S& eps, const char* who) {
  if (!is_finite(eps) || !(eps > 0))
    throw std::invalid_argument(std::string(who) + ": eps must be finite and positive, got " +
                                to_string(eps, 17));
}

/// ceil(log(eps)/log(rho)) for 0 < rho < 1 and eps < 1; 0 if eps >= 1; -1 if rho >= 1.
template <class S>
long long naive_count(const S& rho, const S& eps) {
  using std::ceil;
  using std::log;
  if (eps >= 1) return 0;
  if (!(rho < 1)) return -1;
  if (rho == 0) return 1;
  const S x = ceil(log(eps) / log(rho));
  const S cap = S(std::numeric_limits<long long>::max() / 4);
  return x < cap ? static_cast<long long>(x) : std::numeric_limits<long long>::max() / 4;
}

/// Smallest t >= t0 with f(t) <= eps, for f non-increasing on [t0, inf) and tending to 0:
/// doubling, then bisection. Returns -1 past `cap`.
template <class S, class F>
long long first_below(const F& f, const S& eps, long long t0, long long cap) {
  if (f(t0) <= eps) return t0;
  long long lo = t0, step = 1, hi = t0 + 1;
  while (true) {
    if (hi > cap) return -1;
    if (f(hi) <= eps) break;
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  while (hi - lo > 1) {  // f(lo) > eps >= f(hi)
    const long long mid = lo + (hi - lo) / 2;
    if (f(mid) <= eps) hi = mid;
    else lo = mid;
  }
  return hi;
}

}  // namespace detail

/// Worst case over starts on a quadratic with eigenvalues `lambdas`: the smallest t with
/// ||M^t||_2 <= eps for the whole iteration matrix (the largest block norm, SPEC section 1).
/// \throws std::invalid_argument if lambdas is empty or eps is not finite and positive.
template <class S>
IterationCount<S> worst_case_iterations(const MethodForm<S>& method, const Vector<S>& lambdas,
                                        const S& eps, const IterationOptions& options = {}) {
  using std::max;
  const char* who = "worst_case_iterations";
  detail::require_tolerance(eps, who);
  if (lambdas.size() == 0) throw std::invalid_argument(std::string(who) + ": lambdas must not be empty");
  detail::require_finite_vector(lambdas, who, "lambdas");
  const Eigen::Index n = lambdas.size();
  std::vector<detail::Block<S>> blocks;
  std::vector<PowerEnvelope<S>> env;
  IterationCount<S> r;
  r.rho = S(0);
  bool all_converge = true;
  long long t_dec = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    blocks.push_back(method.block(S(lambdas(i))));
    env.push_back(power_envelope(blocks.back().M, blocks.back().sp));
    const auto& sp = blocks.back().sp;
    if (sp.rho > r.rho || i == 0) {
      r.rho = sp.rho;
      r.m = sp.jordan ? 2 : 1;
    } else if (sp.rho == r.rho && sp.jordan) {
      r.m = 2;
    }
    if (!sp.converges()) all_converge = false;
    else t_dec = max(t_dec, env.back().decreasing_from());
  }
  r.converges = all_converge;
  auto ratio = [&](long long t) {
    S v(0);
    for (auto& b : blocks) {
      const S x = norm_2(matrix_power(b.M, b.sp, t));
      if (x > v) v = x;
    }
    return v;
  };
  if (eps >= 1) {  // ||M^0|| = 1 <= eps
    r.first = 0;
    r.naive = 0;
    r.ratio_at_first = S(1);
    if (!all_converge) {
      r.exact = true;
      return r;
    }
  }
  if (!all_converge) {
    // rho >= 1 (to the classification's margin): ||M^t|| >= rho^t >= 1 - margin > eps.
    r.naive = -1;
    r.lower = 0;
    r.upper = -1;
    r.exact = true;
    return r;
  }
  r.naive = detail::naive_count(r.rho, eps);
  // Lower bound: ||M^t|| >= rho^t > eps before the naive count; 2 steps of rounding margin.
  r.lower = max(0LL, r.naive - 2);
  if (eps >= 1) r.lower = 0;
  auto envelope = [&](long long t) {
    S v(0);
    for (auto& e : env) {
      const S x = e(t);
      if (x > v) v = x;
    }
    return v;
  };
  const long long cap = std::numeric_limits<long long>::max() / 8;
  r.upper = detail::first_below(envelope, eps, max(t_dec, r.lower), cap);
  if (r.upper < 0) {
    r.exact = false;
    return r;
  }
  // Scan [lower, upper): every t beyond upper satisfies the tolerance.
  if ((r.upper - r.lower) > options.max_scan / static_cast<long long>(n)) {
    r.exact = false;
    r.first = -1;
    r.settled = -1;
    return r;
  }
  const S meps = epsilon<S>();
  std::vector<Eigen::Matrix<S, 2, 2>> P(blocks.size());
  std::vector<S> drift(blocks.size());
  long long first = -1, last_above = -1;
  long long anchor = r.lower;
  for (long long t = r.lower; t < r.upper; ++t) {
    if (t == anchor) {
      for (std::size_t j = 0; j < blocks.size(); ++j) P[j] = matrix_power(blocks[j].M, blocks[j].sp, t);
      anchor = t + 1024;
    } else {
      for (std::size_t j = 0; j < blocks.size(); ++j) P[j] = (blocks[j].M * P[j]).eval();
    }
    // Decide ratio(t) <= eps; near eps (within the products' rounding) use the closed form.
    const long long k = t - (anchor - 1024);
    bool above = false, unsure = false;
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      const S v = norm_2(P[j]);
      const S tol = 64 * meps * S(k + 2) * (1 + norm_2(blocks[j].M)) * (v + eps);
      if (v > eps + tol) {
        above = true;
        break;
      }
      if (v > eps - tol) unsure = true;
    }
    if (!above && unsure) above = ratio(t) > eps;
    if (above) last_above = t;
    else if (first < 0) first = t;
  }
  r.first = first >= 0 ? first : r.upper;
  r.settled = last_above >= 0 ? last_above + 1 : r.lower;
  if (r.lower > 0 && r.settled < r.lower) r.settled = r.lower;
  r.ratio_at_first = ratio(r.first);
  r.exact = true;
  return r;
}

/// Worst case over starts for one eigenvalue: the smallest t with ||M^t||_2 <= eps (state norm,
/// M the method's 2x2 or 1x1 matrix), and the t from which it stays below.
/// \throws std::invalid_argument unless eps is finite and positive.
template <class Method, class S>
IterationCount<S> worst_case_iterations(const Method& method, const S& lambda, const S& eps,
                                        const IterationOptions& options = {}) {
  Vector<S> l(1);
  l(0) = lambda;
  return worst_case_iterations(method, l, eps, options);
}

/// Iterations from a start, in eigen-coordinates (z0, second_z as in simulate_eigen): the
/// smallest t with ||e_t|| <= eps ||e_0|| (e = x - x*, ||e_t|| = ||z_t||), and the t from
/// which it stays below. A start at the minimizer needs 0 steps.
/// \throws std::invalid_argument for bad sizes, non-finite inputs, or eps not positive.
template <class S>
IterationCount<S> iterations_to_tolerance(const MethodForm<S>& method, const Vector<S>& lambdas,
                                          const Vector<S>& z0, const Vector<S>& second_z,
                                          const S& eps, const IterationOptions& options = {}) {
  using std::abs;
  using std::max;
  using std::min;
  using std::pow;
  using std::sqrt;
  const char* who = "iterations_to_tolerance";
  detail::require_tolerance(eps, who);
  const Eigen::Index n = lambdas.size();
  if (n == 0) throw std::invalid_argument(std::string(who) + ": lambdas must not be empty");
  const Vector<S> w0 = detail::eigen_start(method, lambdas, z0, second_z, who);
  const bool two = method.states == 2;

  struct Coord {
    detail::Block<S> b;
    Eigen::Matrix<S, 2, 1> s;
    Modes<S> md;
    PowerEnvelope<S> env;
    S snorm = S(0);
    long long t_dec = 0;
  };
  std::vector<Coord> cs;
  IterationCount<S> r;
  r.rho = S(0);
  r.m = 1;
  const S e0 = z0.norm();
  const S meps = epsilon<S>();
  bool converges = true;
  long long t_dec = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    Coord c;
    c.b = method.block(S(lambdas(i)));
    c.s = method.block_state(S(z0(i)), two ? S(w0(i)) : S(0));
    c.snorm = c.s.norm();
    if (c.snorm == 0) continue;  // this coordinate stays at zero
    c.md = modes(c.b.M, c.b.sp, c.s);
    c.env = power_envelope(c.b.M, c.b.sp);
    // Excited modes and the start's rate (a mode below the decomposition's rounding is off).
    const S cut = 64 * meps * c.snorm * (1 + norm_2(c.b.M));
    S rho_i(0);
    int m_i = 1;
    switch (c.md.kind) {
      case Modes<S>::Kind::real:
        if (c.md.y1.norm() > cut) rho_i = c.md.modulus1;
        if (c.md.y2.norm() > cut && c.md.modulus2 > rho_i) rho_i = c.md.modulus2;
        break;
      case Modes<S>::Kind::complex:
        rho_i = c.md.modulus1;
        break;
      case Modes<S>::Kind::jordan:
        rho_i = c.md.modulus1;
        if (c.md.y2.norm() > cut) m_i = 2;
        break;
    }
    if (rho_i > r.rho) {
      r.rho = rho_i;
      r.m = m_i;
    } else if (rho_i == r.rho && m_i == 2) {
      r.m = 2;
    }
    if (!c.b.sp.converges()) converges = false;
    // The coordinate's envelope is non-increasing once its power envelope and its Jordan
    // term t |z|^{t-1} are.
    c.t_dec = c.env.decreasing_from();
    if (c.md.kind == Modes<S>::Kind::jordan && c.md.modulus1 > 0 && c.md.modulus1 < 1) {
      using std::log;
      using std::ceil;
      const S x = ceil(1 / -log(c.md.modulus1));
      c.t_dec = max(c.t_dec, static_cast<long long>(x));
    }
    if (converges) t_dec = max(t_dec, c.t_dec);
    cs.push_back(std::move(c));
  }
  if (e0 == 0 || cs.empty()) {
    r.first = r.settled = 0;
    r.naive = 0;
    r.lower = 0;
    r.upper = 0;
    r.converges = true;
    r.exact = true;
    r.ratio_at_first = S(0);
    return r;
  }
  r.converges = converges && r.rho < 1;
  r.naive = r.converges ? detail::naive_count(r.rho, eps) : -1;
  auto exact_error = [&](long long t) {
    detail::SquareSum<S> ss;
    for (auto& c : cs) {
      const Eigen::Matrix<S, 2, 1> st = matrix_power(c.b.M, c.b.sp, t) * c.s;
      ss.add(st(c.b.x_index));
    }
    return ss.norm();
  };
  // Envelope of |z_t| per coordinate: the smaller of ||s|| E(t) and the modal bound.
  auto envelope = [&](long long t) {
    detail::SquareSum<S> ss;
    for (auto& c : cs) {
      const int x = c.b.x_index;
      const S tt = S(t);
      S modal(0);
      switch (c.md.kind) {
        case Modes<S>::Kind::real:
          modal = abs(c.md.y1(x)) * pow(c.md.modulus1, tt) + abs(c.md.y2(x)) * pow(c.md.modulus2, tt);
          break;
        case Modes<S>::Kind::complex:
          modal = 2 * pow(c.md.modulus1, tt) * sqrt(c.md.y1(x) * c.md.y1(x) + c.md.y2(x) * c.md.y2(x));
          break;
        case Modes<S>::Kind::jordan:
          modal = abs(c.md.y1(x)) * pow(c.md.modulus1, tt);
          if (t >= 1) modal += tt * pow(c.md.modulus1, S(t - 1)) * abs(c.md.y2(x));
          break;
      }
      ss.add(min(modal, S(c.snorm * c.env(t))));
    }
    return S(ss.norm() / e0);
  };
  if (!r.converges) {
    r.upper = -1;
    r.lower = 0;
  } else {
    const long long cap = std::numeric_limits<long long>::max() / 8;
    r.upper = detail::first_below(envelope, eps, t_dec, cap);
    r.lower = 0;
  }
  // Scan [0, upper) (or [0, max_scan/n) when it diverges) by the recurrence.
  const long long limit = options.max_scan / static_cast<long long>(cs.size());
  const long long end = r.upper >= 0 ? r.upper : limit;
  const bool complete = r.upper >= 0 && r.upper <= limit;
  const long long stop = min(end, limit);
  std::vector<Eigen::Matrix<S, 2, 1>> st(cs.size());
  const S target = eps * e0;
  long long first = -1, last_above = -1;
  long long anchor = 0;
  S mnorm(0);
  for (auto& c : cs) mnorm = max(mnorm, norm_2(c.b.M));
  for (long long t = 0; t < stop; ++t) {
    if (t == anchor) {
      for (std::size_t j = 0; j < cs.size(); ++j) st[j] = matrix_power(cs[j].b.M, cs[j].b.sp, t) * cs[j].s;
      anchor = t + 1024;
    } else {
      for (std::size_t j = 0; j < cs.size(); ++j) st[j] = (cs[j].b.M * st[j]).eval();
    }
    detail::SquareSum<S> ss, sn;
    for (std::size_t j = 0; j < cs.size(); ++j) {
      ss.add(st[j](cs[j].b.x_index));
      sn.add(st[j](0));
      sn.add(st[j](1));
    }
    const S v = ss.norm();
    const long long k = t - (anchor - 1024);
    // Rounding of the recurrence since the anchor, relative to the state's size.
    const S tol = 64 * meps * S(k + 2) * (1 + mnorm) * (sn.norm() + target);
    bool above;
    if (v > target + tol) above = true;
    else if (v < target - tol) above = false;
    else above = exact_error(t) > target;
    if (above) last_above = t;
    else if (first < 0) {
      first = t;
      if (!complete) break;  // without an upper bound only the first crossing is sought
    }
  }
  if (complete) {
    r.first = first >= 0 ? first : r.upper;
    r.settled = last_above >= 0 ? last_above + 1 : 0;
    r.exact = true;
  } else {
    r.first = first;
    r.settled = -1;
    r.exact = false;
  }
  if (r.first >= 0) r.ratio_at_first = exact_error(r.first) / e0;
  return r;
}

/// Iterations from x0 (and its second state, as in simulate) on a quadratic, in its
/// eigen-coordinates.
template <class S>
IterationCount<S> iterations_to_tolerance(const MethodForm<S>& method, const Quadratic<S>& h,
                                          const Vector<S>& x0, const Vector<S>& second,
                                          const S& eps, const IterationOptions& options = {}) {
  const auto [z0, w] = detail::start_in_eigen(method, h, x0, second, "iterations_to_tolerance");
  return iterations_to_tolerance(method, h.eigenvalues(), z0, w, eps, options);
}

/// The same for a named method (its form_of): compiled once per scalar, on the MethodForm.
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
IterationCount<S> worst_case_iterations(const Method& method, const Vector<S>& lambdas,
                                        const S& eps, const IterationOptions& options = {}) {
  return worst_case_iterations(form_of(method), lambdas, eps, options);
}
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
IterationCount<S> iterations_to_tolerance(const Method& method, const Vector<S>& lambdas,
                                          const Vector<S>& z0, const Vector<S>& second_z,
                                          const S& eps, const IterationOptions& options = {}) {
  return iterations_to_tolerance(form_of(method), lambdas, z0, second_z, eps, options);
}
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
IterationCount<S> iterations_to_tolerance(const Method& method, const Quadratic<S>& h,
                                          const Vector<S>& x0, const Vector<S>& second,
                                          const S& eps, const IterationOptions& options = {}) {
  return iterations_to_tolerance(form_of(method), h, x0, second, eps, options);
}

}  // namespace momentum

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp).
#define MOMENTUM_ITERATIONS_INSTANCES(EXTERN, S)                                             \
  EXTERN template momentum::IterationCount<S> momentum::worst_case_iterations<S>(            \
      const momentum::MethodForm<S>&, const momentum::Vector<S>&, const S&,                  \
      const momentum::IterationOptions&);                                                    \
  EXTERN template momentum::IterationCount<S> momentum::iterations_to_tolerance<S>(          \
      const momentum::MethodForm<S>&, const momentum::Vector<S>&, const momentum::Vector<S>&, \
      const momentum::Vector<S>&, const S&, const momentum::IterationOptions&);              \
  EXTERN template momentum::IterationCount<S> momentum::iterations_to_tolerance<S>(          \
      const momentum::MethodForm<S>&, const momentum::Quadratic<S>&,                         \
      const momentum::Vector<S>&, const momentum::Vector<S>&, const S&,                      \
      const momentum::IterationOptions&);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_ITERATIONS_INSTANCES)
