#pragma once
/// \file residual_interval.hpp
/// The x-error's worst case over every quadratic with spectrum in [mu, L] (SPEC section 11,
/// "Iterations a user means"): r(t) = sup over lambda in [mu, L] of |p_t(lambda)|, with p_t the
/// residual polynomial of residual.hpp. p_t has degree t in lambda, so unlike the rate its
/// maximum is not at the ends in general (heavy ball alpha 1.12, beta 0.925 on [0.32, 1.84]:
/// peak 1.139 inside against 1.087 at the ends, 364 steps to 1e-6 against 322; the tuned heavy
/// ball's ends, Jordan blocks, are its worst). x_error_interval brackets it for every t:
///  - lower: the largest |p_t| sampled at N Chebyshev nodes of [mu, L] and at mu and L, minus
///    the recurrence's rounding;
///  - upper (Ehlich and Zeller 1964): a polynomial of degree t < N is bounded on the interval by
///    its maximum over the N Chebyshev nodes divided by cos(pi t / (2 N)); the scan stops at
///    t = N / 3 (factor <= 1.155) and the node positions' rounding enters through Markov's
///    |p'| <= 2 t^2 / (L - mu) sup |p|;
///  - for good: every t' >= t has r(t') <= K ||state_t||, K = sup over lambda in [mu, L] and
///    j >= 0 of ||M(lambda)^j||_2 <= 1 + C sup_j j R^(j-1), with R = rho over [mu, L] (at the
///    ends, SPEC section 5) and C = max ||M - (tr M / 2) I|| (affine in lambda, so convex: at the
///    ends), the envelope E(t) of powers.hpp, for the companion matrix of the scalar recurrence
///    (heavy ball's, Nesterov's; the velocity form runs heavy ball's, the same p_t); its state
///    [p_t; p_{t-1}] is bounded from the upper bounds of r(t) and r(t - 1). The same envelope
///    carries each step's rounding to t (a sum over the steps, kept by two recurrences).
/// So `first`, `settled` and the peak come as ranges [from the lower, from the upper bounds].
/// The work is N (t + 1) recurrence steps with N about 3 t: quadratic in the count. Beyond the
/// budget `done` is false and the caller falls back to the ends (labelled). Gradient descent
/// needs none of it: |1 - eta lambda|^t is convex in lambda, so its sup is at the ends.

#include <momentum/residual.hpp>
#include <momentum/worst_case.hpp>

#include <algorithm>
#include <cstddef>
#include <cmath>
#include <limits>
#include <vector>

namespace momentum {

/// sup over lambda in [mu, L] of |p_t(lambda)| over t: its counts and peak as proven ranges.
template <class S>
struct XErrorInterval {
  bool done = false;       ///< certified within the budget (false: use the ends, labelled)
  bool converges = true;   ///< rho over [mu, L] < 1 (else no count and no finite peak)
  long long first_lo = -1, first_hi = -1;      ///< the first t with r(t) <= eps lies in here
  long long settled_lo = -1, settled_hi = -1;  ///< the t from which r stays <= eps for good
  S peak_lo = S(1), peak_hi = S(1);            ///< max_t r(t) lies in [peak_lo, peak_hi]
  long long peak_t = 0;                        ///< the t of the largest sampled |p_t|
  S peak_lambda = S(0);                        ///< and its lambda
  long long nodes = 0;                         ///< Chebyshev nodes of the last pass
  long long scanned = 0;                       ///< the t where the tail was certified
};

namespace detail {

/// p_{t+1} = a p_t - c p_{t-1} (residual_sequence's coefficients).
template <class Method, class S>
std::pair<S, S> residual_coefficients(const Method& method, const S& lambda) {
  if constexpr (std::is_same_v<Method, Nesterov<S>>) {
    const S q = 1 - method.alpha * lambda;
    return {S((1 + method.beta) * q), S(method.beta * q)};
  } else if constexpr (std::is_same_v<Method, Velocity<S>>) {
    return {S(1 + method.beta - method.eta * lambda), method.beta};
  } else if constexpr (std::is_same_v<Method, GradientDescent<S>>) {
    return {S(1 - method.eta * lambda), S(0)};
  } else if constexpr (std::is_same_v<Method, TwoState<S>>) {
    return {S(1 + method.beta - method.alpha_total() * lambda),
            S(method.beta - method.alpha_gamma * lambda)};
  } else {
    return {S(1 + method.beta - method.alpha * lambda), method.beta};
  }
}

}  // namespace detail

/// The scan behind x_error_interval (below). `first` (a callable S -> S), when given, is p_1(lambda)
/// of a method whose first step is its own (PyTorch with dampening) and `own` that method, on
/// eigenvalues less `own_shift` (its weight decay): from t = 1 on p_t is `method`'s recurrence.
template <class Method, class S, class First = std::nullptr_t, class Own = Method>
XErrorInterval<S> x_error_interval_scan(const Method& method, const S& mu, const S& L,
                                        const S& eps, long long budget, First first = nullptr,
                                        const Own* own = nullptr, const S& own_shift = S(0));

/// The bracket of sup_{lambda in [mu, L]} |p_t(lambda)| over t (file comment), within `budget`
/// recurrence steps (node count times t). \throws std::invalid_argument if mu or L is not
/// finite, mu > L, or eps is not finite and in (0, 1).
template <class Method, class S>
XErrorInterval<S> x_error_interval(const Method& method, const S& mu, const S& L, const S& eps,
                                   long long budget) {
  const char* who = "x_error_interval";
  detail::require_tolerance(eps, who);
  if (!(eps < 1))
    throw std::invalid_argument(std::string(who) + ": eps must be below 1, got " + to_string(eps, 17));
  if (!is_finite(mu) || !is_finite(L) || !(mu <= L))
    throw std::invalid_argument(std::string(who) + ": need finite mu <= L, got mu = " +
                                to_string(mu, 17) + ", L = " + to_string(L, 17));
  // The velocity form's p_t is heavy ball's (alpha = eta): the scan runs heavy ball's
  // recurrence, whose companion matrix carries its rounding and its tail.
  if constexpr (std::is_same_v<Method, Velocity<S>>) {
    return x_error_interval(HeavyBall<S>(method.eta, method.beta), mu, L, eps, budget);
  } else if constexpr (std::is_same_v<Method, QHM<S>>) {
    // QHM's first step from g_0 = 0 is its family member's from x_{-1} = x_0 (both move by
    // alpha (1 - nu beta) lambda): the same p_t.
    return x_error_interval(method.family(), mu, L, eps, budget);
  } else if constexpr (std::is_same_v<Method, PyTorchSGD<S>>) {
    // Without dampening (or momentum) PyTorch's first step b_0 = d_0 is the family member's
    // from x_{-1} = x_0, on lambda + weight_decay: the same p_t. With dampening it is not (its
    // p_1 differs), and the scan here runs the family's recurrence from p_{-1} = p_0 = 1 only.
    // With dampening its p_1 = 1 - lr l (1 + momentum with nesterov), l = lambda + wd, is not
    // the family member's 1 - alpha l: the scan runs the member's recurrence from PyTorch's own
    // p_0 = 1 and p_1 (from t = 1 on, PyTorch is its family member: theorem 1f), and its ends'
    // counts are PyTorch's own.
    const S wd = method.weight_decay;
    if (method.dampening != 0 && method.momentum != 0) {
      const S first = method.nesterov ? S(method.lr * (1 + method.momentum)) : method.lr;
      return x_error_interval_scan(method.family(), S(mu + wd), S(L + wd), eps, budget,
                                   [first](const S& l) { return S(1 - first * l); }, &method, wd);
    }
    return x_error_interval(method.family(), S(mu + wd), S(L + wd), eps, budget);
  } else {
    return x_error_interval_scan(method, mu, L, eps, budget);
  }
}

/// The scan of x_error_interval for methods whose p_t is the scalar recurrence of
/// residual_coefficients from p_{-1} = p_0 = 1 (gradient descent, heavy ball, Nesterov,
/// TwoState).
template <class Method, class S, class First, class Own>
XErrorInterval<S> x_error_interval_scan(const Method& method, const S& mu, const S& L,
                                        const S& eps, long long budget, First first,
                                        const Own* own, const S& own_shift) {
  using std::abs;
  using std::acos;
  using std::ceil;
  using std::cos;
  using std::log;
  using std::max;
  using std::min;
  using std::sqrt;
  XErrorInterval<S> r;
  r.peak_lambda = mu;
  const WorstCase<S> wc = worst_case(method, mu, L);
  if (!(wc.rho < 1)) {
    r.converges = false;
    r.done = true;
    r.peak_lo = r.peak_hi = std::numeric_limits<S>::infinity();
    return r;
  }
  // Gradient descent or a single point: the sup is at the ends, where x_error is exact.
  Vector<S> ends(mu == L ? 1 : 2);
  if (mu == L) ends << mu;
  else ends << mu, L;
  IterationOptions io;
  // Gradient descent: the ends are the answer (x_error_json's share for rate at 4e8). Else the
  // interior costs at least 3 t^2 for a count t past the ends': more than 2 sqrt(budget)
  // block-steps at the ends means over the budget.
  io.max_scan = Method::state_size == 1
                    ? max(1000LL, budget / 80)
                    : max(1000LL, 2 * static_cast<long long>(std::sqrt(static_cast<double>(budget))));
  // The ends' own counts: the method's, or (a first step of its own) the method `own` whose
  // eigenvalues are the ends less own_shift.
  const XError<S> e = [&] {
    if constexpr (std::is_same_v<First, std::nullptr_t>) {
      (void)own, (void)own_shift;
      return x_error(method, ends, eps, Vector<S>(), io);
    } else {
      return x_error(*own, Vector<S>((ends.array() - own_shift).matrix()), eps, Vector<S>(), io);
    }
  }();
  if (!e.count.converges) {  // rho rounds to 1 at an end
    r.converges = false;
    r.done = true;
    r.peak_lo = r.peak_hi = std::numeric_limits<S>::infinity();
    return r;
  }
  if (Method::state_size == 1 || mu == L) {
    r.done = e.count.exact && e.peak.complete;
    r.first_lo = r.first_hi = e.count.first;
    r.settled_lo = r.settled_hi = e.count.settled;
    r.peak_lo = S(e.peak.peak - e.peak_error);
    r.peak_hi = S(e.peak.peak + e.peak_error);
    r.peak_t = e.peak.t;
    r.peak_lambda = ends(e.peak.index);
    r.scanned = e.peak.searched_to;
    return r;
  }
  if (!e.count.exact) return r;  // the ends alone exceed the budget

  // K >= ||M(lambda)^j||_2 for every lambda in [mu, L] and j >= 0.
  S cmax(0), amax(0), cmx(0);
  for (const S& l : {mu, L}) {
    const detail::Block<S> b = detail::block(method, l);
    cmax = max(cmax, power_envelope(b.M, b.sp).centred_norm);
    const auto ac = detail::residual_coefficients(method, l);
    amax = max(amax, S(abs(ac.first)));  // affine in lambda: largest at an end
    cmx = max(cmx, S(abs(ac.second)));
  }
  const S R = wc.rho;
  const S K = 1 + cmax * (R > 0 ? S(detail::sup_t_power(R) / R) : S(1));
  const S meps = epsilon<S>();
  const S pi = acos(S(-1));
  const S half = (L - mu) / 2, mid = (L + mu) / 2;
  // A node's rounding, and the coefficients' (a shift of a by da is one of lambda by da / slope).
  const S slope = abs(detail::residual_coefficients(method, L).first -
                      detail::residual_coefficients(method, mu).first) / (L - mu);
  const S node_shift = 8 * meps * (max(abs(mu), abs(L)) + (1 + amax + cmx) / slope);
  // The scan must pass the ends' settled count and the tail's factor K.
  long long t_est = max(8LL, e.count.settled);
  if (R > 0) {
    const S extra = ceil(log(S(2 * K)) / -log(R));
    if (!(extra < S(budget))) return r;
    t_est += static_cast<long long>(extra);
  }
  for (long long n = max(64LL, 3 * t_est + 3);; n *= 2) {
    const long long t_max = n / 3;
    if (n > budget / max(1LL, t_max)) return r;  // over the budget
    const std::size_t m = static_cast<std::size_t>(n) + 2;
    std::vector<S> lam(m), a(m), c(m), p(m, S(1)), q(m, S(1));
    for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k)
      lam[k] = min(L, max(mu, S(mid + half * cos(pi * S(2 * k + 1) / S(2 * n)))));
    lam[m - 2] = mu;
    lam[m - 1] = L;
    for (std::size_t k = 0; k < m; ++k) std::tie(a[k], c[k]) = detail::residual_coefficients(method, lam[k]);
    // A first step of its own: p_1 given, p_2 on from the recurrence (the state [p_1; p_0]).
    std::vector<S> p1;
    S p1_scale(0);  // bounds the rounding of p_1 = 1 - s lambda: 1 + |s lambda|
    if constexpr (!std::is_same_v<First, std::nullptr_t>) {
      p1.resize(m);
      for (std::size_t k = 0; k < m; ++k) {
        p1[k] = first(lam[k]);
        p1_scale = max(p1_scale, S(1 + abs(S(1 - p1[k]))));
      }
    }
    long long first_lo = -1, first_hi = -1, last_lo = -1, last_hi = -1, peak_t = 0;
    S peak_lo(1), peak_hi(1), peak_lambda = mu, u_prev(1);
    // The recurrence's rounding: delta_k <= 4 eps (|a| |p_k| + |c| |p_{k-1}|) per step, carried
    // to t by M^(t-1-k), at most R^j + C j R^(j-1): A = sum R^j delta, B = sum j R^(j-1) delta.
    S acc_a(0), acc_b(0);
    bool certified = false;
    long long t = 0;
    for (; t <= t_max; ++t) {
      S smax(0);
      std::size_t arg = 0;
      for (std::size_t k = 0; k < m; ++k) {
        const S v = abs(p[k]);
        if (v > smax) {
          smax = v;
          arg = k;
        }
      }
      S lo, hi;
      if (t == 0) {
        lo = hi = S(1);
      } else {
        const S rs = (acc_a + cmax * acc_b) * (1 + 16 * meps);
        const S den = cos(pi * S(t) / S(2 * n)) - 2 * S(t) * S(t) / (L - mu) * node_shift;
        if (!(den > 0)) return r;
        lo = max(S(0), S(smax - rs));
        hi = (smax + rs) / den;
      }
      if (lo > eps) last_lo = t;
      else if (first_lo < 0) first_lo = t;
      if (hi > eps) last_hi = t;
      else if (first_hi < 0) first_hi = t;
      if (lo > peak_lo) {
        peak_lo = lo;
        peak_t = t;
        peak_lambda = lam[arg];
      }
      peak_hi = max(peak_hi, hi);
      if (t >= 1) {
        const S st = sqrt(hi * hi + u_prev * u_prev);  // the state [p_t; p_{t-1}]
        if (K * st <= eps) {
          certified = true;
          break;
        }
      }
      u_prev = hi;
      S qmax(0);
      for (std::size_t k = 0; k < m; ++k) qmax = max(qmax, S(abs(q[k])));
      const S delta = 4 * meps * (amax * smax + cmx * qmax + (t == 0 ? p1_scale : S(0)));
      acc_b = R * acc_b + acc_a;
      acc_a = R * acc_a + delta;
      for (std::size_t k = 0; k < m; ++k) {
        const S next = t == 0 && !p1.empty() ? p1[k] : S(a[k] * p[k] - c[k] * q[k]);
        q[k] = p[k];
        p[k] = next;
      }
    }
    if (!certified) continue;
    r.done = true;
    r.first_lo = first_lo;
    r.first_hi = first_hi;
    r.settled_lo = last_lo + 1;
    r.settled_hi = last_hi + 1;
    r.peak_lo = peak_lo;
    r.peak_hi = peak_hi;
    r.peak_t = peak_t;
    r.peak_lambda = peak_lambda;
    r.nodes = n;
    r.scanned = t;
    return r;
  }
}

}  // namespace momentum
