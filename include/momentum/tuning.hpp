#pragma once
/// \file tuning.hpp
/// Optimal and standard tunings for a spectrum in [mu, L], with their worst-case rates
/// (SPEC section 6).

#include <momentum/methods.hpp>
#include <momentum/worst_case.hpp>

#include <functional>
#include <string>

namespace momentum {

/// A tuning: the method's parameters, its worst-case rate on [mu, L], and what is known of it.
template <class Method, class Scalar>
struct Tuning {
  Method method;
  Scalar rate;
  const char* status;  ///< "optimal", "optimal among two-state methods, unique", ...
  /// 1 - rate, from its own closed form (no cancellation): for kappa = 1e16 the GD rate
  /// 1 - 2e-16 has no correct digit of 1 - rate left, but gap has all of them. Iteration counts
  /// (-1/log10(rate) per digit) need it.
  Scalar gap;
};

namespace detail {
template <class Scalar>
void require_interval(const Scalar& mu, const Scalar& L, const char* who) {
  if (!is_finite(mu) || !(mu > 0))
    throw std::invalid_argument(std::string(who) + ": mu must be finite and positive, got " +
                                to_string(mu, 17));
  if (!is_finite(L) || !(L >= mu))
    throw std::invalid_argument(std::string(who) + ": L must be finite and at least mu, got " +
                                to_string(L, 17));
}
}  // namespace detail

namespace detail {
/// 1 - gap, or `direct` where the rate is small (gap > 1/2) and the subtraction would cancel.
template <class Scalar>
Scalar rate_from_gap(const Scalar& gap, const Scalar& direct) {
  return gap < Scalar(1) / 2 ? Scalar(1 - gap) : direct;
}
/// c / (a x + y) without overflowing a x + y: (c / x) / (a + y / x) where the sum would.
template <class Scalar>
Scalar over_sum(const Scalar& c, int a, const Scalar& x, const Scalar& y) {
  const Scalar sum = a * x + y;
  if (is_finite(sum)) return c / sum;
  return (c / x) / (a + y / x);
}
/// sqrt(L/mu), also where L/mu overflows (kappa beyond 1e308: mu = 1e-300, L = 1e300).
template <class Scalar>
Scalar sqrt_ratio(const Scalar& L, const Scalar& mu) {
  using std::sqrt;
  const Scalar k = L / mu;
  if (is_finite(k)) return sqrt(k);
  return sqrt(L) / sqrt(mu);
}
}  // namespace detail

/// Gradient descent, eta = 2/(mu + L): rate (kappa - 1)/(kappa + 1) = (L - mu)/(L + mu), gap
/// 2 mu/(mu + L). \note Proof: proofs/optimal_gd.md.
template <class Scalar>
Tuning<GradientDescent<Scalar>, Scalar> optimal_gd(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "optimal_gd");
  const Scalar gap = detail::over_sum(Scalar(2 * mu), 1, L, mu);
  return {GradientDescent<Scalar>(detail::over_sum(Scalar(2), 1, L, mu)),
          detail::rate_from_gap(gap, Scalar((L - mu) / (L + mu))), "optimal", gap};
}

/// Heavy ball, alpha = 4/(sqrt L + sqrt mu)^2, beta = ((sqrt L - sqrt mu)/(sqrt L + sqrt mu))^2:
/// rate (sqrt kappa - 1)/(sqrt kappa + 1); mu and L critically damped, interior complex. No
/// member of the two-state family (any alpha, beta, gamma) has a lower worst-case rate on
/// [mu, L], and for mu < L this is the only one that attains it.
/// \note Proof: proofs/README.md, theorems 4 and 4f (Coq: hb_unique, two_state_lower_bound,
/// two_state_unique).
template <class Scalar>
Tuning<HeavyBall<Scalar>, Scalar> optimal_heavy_ball(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "optimal_heavy_ball");
  const Scalar sl = sqrt(L), sm = sqrt(mu);
  const Scalar gap = 2 * sm / (sl + sm);
  const Scalar r = detail::rate_from_gap(gap, Scalar((sl - sm) / (sl + sm)));
  return {HeavyBall<Scalar>(Scalar(4 / ((sl + sm) * (sl + sm))), Scalar(r * r)), r,
          "optimal among two-state methods, unique", gap};
}

/// The velocity form with the optimal heavy ball's spectrum: eta = alpha, same beta.
template <class Scalar>
Tuning<Velocity<Scalar>, Scalar> optimal_velocity(const Scalar& mu, const Scalar& L) {
  const auto hb = optimal_heavy_ball(mu, L);
  return {to_velocity(hb.method), hb.rate, hb.status, hb.gap};
}

/// Nesterov, alpha = 4/(3L + mu), beta = (sqrt(3 kappa + 1) - 2)/(sqrt(3 kappa + 1) + 2):
/// rate 1 - 2/sqrt(3 kappa + 1), exact, and the best of every real (alpha, beta) for Nesterov's
/// polynomial; for mu < L the only one. \note Proof: proofs/nesterov_optimal.md (Coq:
/// nesterov_lower_bound, nesterov_optimal, nesterov_unique), proofs/nesterov_rates.md.
template <class Scalar>
Tuning<Nesterov<Scalar>, Scalar> optimal_nesterov(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "optimal_nesterov");
  // s = sqrt(3 kappa + 1), also where kappa overflows.
  const Scalar k = L / mu;
  const Scalar t = 3 * k + 1;
  const Scalar s = is_finite(t) ? Scalar(sqrt(t)) : Scalar(sqrt(L) / sqrt(mu) * sqrt(3 + mu / L));
  const Scalar gap = 2 / s;
  return {Nesterov<Scalar>(detail::over_sum(Scalar(4), 3, L, mu), Scalar((s - 2) / (s + 2))),
          Scalar(1 - gap), "optimal among Nesterov tunings, unique", gap};
}

/// Nesterov's textbook tuning alpha = 1/L, beta = (sqrt kappa - 1)/(sqrt kappa + 1):
/// rate 1 - 1/sqrt kappa, exact, not optimal. \note Proof: proofs/nesterov_rates.md.
template <class Scalar>
Tuning<Nesterov<Scalar>, Scalar> standard_nesterov(const Scalar& mu, const Scalar& L) {
  using std::sqrt;
  detail::require_interval(mu, L, "standard_nesterov");
  const Scalar sk = detail::sqrt_ratio(L, mu);
  const Scalar gap = 1 / sk;
  return {Nesterov<Scalar>(Scalar(1 / L), Scalar((sk - 1) / (sk + 1))), Scalar(1 - gap),
          "rate exact, not optimal", gap};
}

/// The momentum that critically damps one eigenvalue for a given step:
/// beta = (1 - sqrt(alpha*lambda))^2, with rate 1 - sqrt(alpha*lambda) for that eigenvalue.
/// \throws std::invalid_argument unless alpha*lambda >= 0.
template <class Scalar>
Scalar critical_beta(const Scalar& alpha, const Scalar& lambda) {
  using std::sqrt;
  const Scalar s = alpha * lambda;
  if (!is_finite(s) || s < 0)
    throw std::invalid_argument("critical_beta: alpha*lambda must be finite and non-negative");
  const Scalar r = 1 - sqrt(s);
  return r * r;
}

/// The triple momentum method (Van Scoy, Freeman, Lynch 2018): rho = 1 - 1/sqrt(kappa),
/// alpha = (1 + rho)/L, beta = rho^2/(2 - rho), gamma = rho^2/((1 + rho)(2 - rho)); on
/// quadratics its worst-case rate on [mu, L] is exactly rho, reached at both ends (checked in
/// float50 and mpfr by tests/test_tuning.cpp). Computed from the gap g = 1/sqrt(kappa):
/// 1 + rho = 2 - g, 2 - rho = 1 + g, without cancellation.
/// \note Proof: proofs/README.md, theorem TR (Coq: triple_momentum_rate, triple_momentum_ends).
template <class Scalar>
Tuning<TwoState<Scalar>, Scalar> triple_momentum(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "triple_momentum");
  const Scalar gap = 1 / detail::sqrt_ratio(L, mu);
  const Scalar rho = 1 - gap, r2 = rho * rho;
  return {TwoState<Scalar>(Scalar((2 - gap) / L), Scalar(r2 / (1 + gap)),
                           Scalar(r2 / ((2 - gap) * (1 + gap)))),
          rho, "rate proved on quadratics (proofs/README.md), not optimal", gap};
}

namespace detail {
/// Robust momentum's parameters from rho and its gap g = 1 - rho (given, so that it keeps its
/// digits where rho rounds to 1).
template <class Scalar>
Tuning<TwoState<Scalar>, Scalar> robust_momentum_tuning(const Scalar& mu, const Scalar& L,
                                                        const Scalar& rho, const Scalar& g) {
  const char* status = "rate proved on quadratics (proofs/README.md), not optimal";
  if (L == mu) return {TwoState<Scalar>(Scalar(1 / L), Scalar(0), Scalar(0)), Scalar(0), status, Scalar(1)};
  const Scalar kappa = L / mu, r3 = rho * rho * rho;
  const Scalar km1 = (L - mu) / mu;  // kappa - 1 without the rounding of kappa
  return {TwoState<Scalar>(Scalar(kappa * g * g * (1 + rho) / L), Scalar(kappa * r3 / km1),
                           Scalar(r3 / (km1 * g * g * (1 + rho)))),
          rho, status, g};
}
}  // namespace detail

/// The ends of robust momentum's parameter range, [1 - 1/sqrt(kappa), 1 - 1/kappa].
template <class Scalar>
std::pair<Scalar, Scalar> robust_momentum_range(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "robust_momentum");
  return {Scalar(1 - 1 / detail::sqrt_ratio(L, mu)), Scalar(1 - mu / L)};
}

/// Robust momentum (Cyrus, Hu, Van Scoy, Lessard 2018) with parameter rho in
/// [1 - 1/sqrt(kappa), 1 - 1/kappa]: alpha = kappa (1 - rho)^2 (1 + rho)/L,
/// beta = kappa rho^3/(kappa - 1), gamma = rho^3/((kappa - 1)(1 - rho)^2 (1 + rho)); on
/// quadratics its worst-case rate on [mu, L] is exactly rho, reached at mu (checked in float50
/// and mpfr by tests/test_tuning.cpp); rho = 1 - 1/sqrt(kappa) is triple momentum. kappa = 1
/// leaves rho = 0: alpha = 1/L, beta = gamma = 0 (one step).
/// \note Proof: proofs/README.md, theorem TR (Coq: robust_momentum_rate, robust_momentum_ends).
/// \throws std::invalid_argument if rho is outside the range (4 ulps of slack at each end, for
/// an end computed in another precision).
template <class Scalar>
Tuning<TwoState<Scalar>, Scalar> robust_momentum(const Scalar& mu, const Scalar& L,
                                                 const Scalar& rho) {
  using std::abs;
  const auto range = robust_momentum_range(mu, L);
  const Scalar slack = 4 * epsilon<Scalar>();
  if (!is_finite(rho) || !(rho >= range.first - slack) || !(rho <= range.second + slack))
    throw std::invalid_argument(
        "robust_momentum: rho must lie in [1 - 1/sqrt(kappa), 1 - 1/kappa] = [" +
        to_string(range.first, 17) + ", " + to_string(range.second, 17) + "] for kappa = " +
        to_string(Scalar(L / mu), 17) + ", got " + to_string(rho, 17));
  return detail::robust_momentum_tuning(mu, L, rho, Scalar(1 - rho));
}

/// Robust momentum with rho in the middle of its range. Its gap 1 - rho =
/// (1/sqrt(kappa) + 1/kappa)/2 is computed directly: at kappa = 1e32 rho rounds to 1 in double,
/// and 1 - rho would leave gamma infinite.
template <class Scalar>
Tuning<TwoState<Scalar>, Scalar> robust_momentum(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "robust_momentum");
  const Scalar g = (1 / detail::sqrt_ratio(L, mu) + mu / L) / 2;
  return detail::robust_momentum_tuning(mu, L, Scalar(1 - g), g);
}

namespace detail {
/// The lowest worst-case rate over a box of two parameters: f(x, y) is the worst-case rate
/// (non-smooth: a maximum of two radii). A 13 x 13 grid over the box, then the same grid over
/// a box half as wide (6 grid steps) centred on the best point so far, until the box is below
/// 8 epsilons of its centre (or 1e-30 of the first box, at most 200 rounds). The best point is
/// kept across rounds, so the result never gets worse; deterministic.
template <class Scalar>
std::pair<Scalar, Scalar> minimize_box(const std::function<Scalar(const Scalar&, const Scalar&)>& f,
                                       Scalar x0, Scalar x1, Scalar y0, Scalar y1) {
  using std::abs;
  using std::max;
  using std::pow;
  const int n = 12;
  Scalar bx = (x0 + x1) / 2, by = (y0 + y1) / 2, best = f(bx, by);
  const Scalar width0 = max(Scalar(x1 - x0), Scalar(y1 - y0));
  const Scalar eps = epsilon<Scalar>();
  for (int round = 0; round < 200; ++round) {
    const Scalar hx = (x1 - x0) / n, hy = (y1 - y0) / n;
    for (int i = 0; i <= n; ++i)
      for (int j = 0; j <= n; ++j) {
        const Scalar x = x0 + i * hx, y = y0 + j * hy;
        const Scalar v = f(x, y);
        if (v < best) best = v, bx = x, by = y;
      }
    const Scalar wx = 3 * hx, wy = 3 * hy;
    x0 = bx - wx, x1 = bx + wx, y0 = by - wy, y1 = by + wy;
    const bool small_x = x1 - x0 <= 8 * eps * max(Scalar(1), abs(bx));
    const bool small_y = y1 - y0 <= 8 * eps * max(Scalar(1), abs(by));
    if ((small_x && small_y) || max(Scalar(x1 - x0), Scalar(y1 - y0)) < width0 * pow(Scalar(10), -30)) break;
  }
  return {bx, by};
}

/// The worst-case rate on [mu, L] of the method make(x, y), or 2 if its parameters are not
/// finite or its polynomial overflows (outside what the search should pick).
template <class Scalar, class Make>
Scalar worst_rate(const Make& make, const Scalar& x, const Scalar& y, const Scalar& mu,
                  const Scalar& L) {
  try {
    return worst_case(make(x, y), mu, L).rho;
  } catch (const std::exception&) {
    return Scalar(2);
  }
}

/// The numerical optimum of make(x, y) on [mu, L] over x = log10 of the effective step times L
/// in (1e-4, 8) and y = -log10(1 - momentum) in [0, 2 + log10 sqrt(kappa)], with the exact
/// worst-case rate of the parameters found.
template <class Scalar, class Make>
auto numerical_tuning(const Make& make, const Scalar& mu, const Scalar& L)
    -> Tuning<decltype(make(mu, L)), Scalar> {
  using std::log10;
  const std::function<Scalar(const Scalar&, const Scalar&)> f = [&](const Scalar& x, const Scalar& y) {
    return worst_rate(make, x, y, mu, L);
  };
  const Scalar ymax = 2 + log10(sqrt_ratio(L, mu));
  const auto xy = minimize_box(f, Scalar(-4), Scalar(log10(Scalar(8))), Scalar(0), ymax);
  auto m = make(xy.first, xy.second);
  const Scalar rate = worst_case(m, mu, L).rho;
  return {m, rate,
          "numerical optimum; rate exact (no two-state method beats (sqrt(kappa) - 1)/(sqrt(kappa) + 1))",
          Scalar(1 - rate)};
}
}  // namespace detail

/// torch.optim.SGD's best (lr, momentum) on [mu, L] for a given dampening and nesterov
/// (weight_decay 0; mu and L are the spectrum the method sees):
///  - without nesterov the family member is (lr (1 - dampening), momentum, 0): the tuned heavy
///    ball, lr = alpha*/(1 - dampening) and momentum = beta*, optimal among two-state methods
///    and unique (optimal_heavy_ball). At kappa = 1 momentum is 0, PyTorch keeps no buffer and
///    lr = alpha*.
///  - nesterov with dampening 0 is Nesterov's method (lr = alpha, momentum = beta):
///    optimal_nesterov, proved.
///  - nesterov with dampening != 0: a numerical optimum over (lr, momentum), momentum in
///    [0, 1) (as 1 - 10^-y) and the effective step lr (1 + momentum (1 - dampening)) L in
///    (1e-4, 8), with the exact worst-case rate of the parameters found; no two-state method
///    beats (sqrt(kappa) - 1)/(sqrt(kappa) + 1).
/// \throws std::invalid_argument for dampening = 1 without nesterov (lr (1 - dampening) = 0:
/// no lr converges) or a non-finite dampening.
template <class Scalar>
Tuning<PyTorchSGD<Scalar>, Scalar> optimal_pytorch(const Scalar& mu, const Scalar& L,
                                                   const Scalar& dampening, bool nesterov) {
  using std::log10;
  using std::pow;
  detail::require_interval(mu, L, "optimal_pytorch");
  detail::require_finite(dampening, "optimal_pytorch", "dampening");
  if (!nesterov) {
    const auto hb = optimal_heavy_ball(mu, L);
    if (hb.method.beta == 0)
      return {PyTorchSGD<Scalar>(hb.method.alpha, Scalar(0), dampening), hb.rate, hb.status, hb.gap};
    if (dampening == 1)
      throw std::invalid_argument(
          "optimal_pytorch: dampening = 1 leaves the step lr (1 - dampening) = 0 without "
          "nesterov: no lr converges");
    return {PyTorchSGD<Scalar>(Scalar(hb.method.alpha / (1 - dampening)), hb.method.beta, dampening),
            hb.rate, hb.status, hb.gap};
  }
  if (dampening == 0) {
    const auto n = optimal_nesterov(mu, L);
    return {PyTorchSGD<Scalar>(n.method.alpha, n.method.beta, Scalar(0), Scalar(0), true), n.rate,
            n.status, n.gap};
  }
  const Scalar ten(10);
  auto make = [&](const Scalar& x, const Scalar& y) {
    const Scalar m = 1 - pow(ten, -y);
    const Scalar lr = pow(ten, x) / (L * (1 + m * (1 - dampening)));
    return PyTorchSGD<Scalar>(lr, m, dampening, Scalar(0), true);
  };
  return detail::numerical_tuning(make, mu, L);
}

/// QHM's best parameters on [mu, L]: nu = 1, beta = beta*, alpha = alpha*/(1 - beta*) is the
/// tuned heavy ball's family member, optimal among two-state methods and unique
/// (optimal_heavy_ball).
template <class Scalar>
Tuning<QHM<Scalar>, Scalar> optimal_qhm(const Scalar& mu, const Scalar& L) {
  detail::require_interval(mu, L, "optimal_qhm");
  const auto hb = optimal_heavy_ball(mu, L);
  return {QHM<Scalar>(Scalar(hb.method.alpha / (1 - hb.method.beta)), Scalar(1), hb.method.beta),
          hb.rate, hb.status, hb.gap};
}

/// QHM's best (alpha, beta) on [mu, L] for a given nu: nu = 1 is optimal_qhm(mu, L); otherwise a
/// numerical optimum over beta in [0, 1) (as 1 - 10^-y) and the effective step
/// alpha (1 - nu beta) L in (1e-4, 8), with the exact worst-case rate of the parameters found.
template <class Scalar>
Tuning<QHM<Scalar>, Scalar> optimal_qhm(const Scalar& mu, const Scalar& L, const Scalar& nu) {
  using std::log10;
  using std::pow;
  detail::require_interval(mu, L, "optimal_qhm");
  detail::require_finite(nu, "optimal_qhm", "nu");
  if (nu == 1) return optimal_qhm(mu, L);
  const Scalar ten(10);
  auto make = [&](const Scalar& x, const Scalar& y) {
    const Scalar b = 1 - pow(ten, -y);
    return QHM<Scalar>(Scalar(pow(ten, x) / (L * (1 - nu * b))), nu, b);
  };
  return detail::numerical_tuning(make, mu, L);
}

}  // namespace momentum
