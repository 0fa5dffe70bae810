#pragma once
/// \file spectrum.hpp
/// Closed-form spectra of the per-eigenvalue iteration matrices: both roots, the spectral
/// radius, the regime, and how far the case is from critical damping (SPEC section 3).
///
/// Error model. Each discriminant is computed in a factored, cancellation-free form together
/// with a bound on its error: the rounding of the factors plus the effect of perturbing each
/// input (step, beta, lambda) by one unit in its last place, since an input is usually itself
/// a rounded value (a tuned beta, a decimal eigenvalue). A discriminant within that bound of
/// zero cannot be told apart from a double root in Scalar, and is classified as one: the
/// spectral radius is then |trace|/2, the exact radius of inputs within an ulp of the given
/// ones and accurate to a few ulps, instead of |trace|/2 + sqrt(rounding)/2, which errs by
/// about sqrt(epsilon) (1e-8 in double). Likewise a radius within its error bound `rho_error`
/// (at least 16 epsilon) of 1 is `boundary`.
/// Exact inputs (representable, or rational at high precision) are therefore classified exactly.
///
/// Range. Every finite step, beta and lambda is a valid question (step <= 0 and |beta| >= 1 are
/// analysed: boundary or divergent where they do not converge). Where step*lambda or the
/// discriminant overflows the scalar type (double: |step*lambda| or |beta| beyond about 1e154),
/// spectrum throws std::overflow_error naming the method and its inputs instead of returning a
/// wrong radius; a wider type (MPFR's exponents reach 10^323228496) answers it.

#include <momentum/iteration_matrix.hpp>
#include <momentum/tracked.hpp>

#include <array>
#include <limits>
#include <stdexcept>
#include <string>

namespace momentum {

/// Regime of one eigenvalue's dynamics. The first five are the momentum methods' labels;
/// gradient descent uses monotone, one_step, oscillating, boundary and divergent.
enum class Regime {
  complex,        ///< complex pair, |z| = rho < 1: oscillating decay
  real_distinct,  ///< two real roots, rho < 1: overdamped decay
  critical,       ///< double root, rho < 1: critically damped, Jordan block (t rho^t)
  boundary,       ///< rho = 1: neither converges nor diverges geometrically
  divergent,      ///< rho > 1
  monotone,       ///< gradient descent, 0 < 1 - eta*lambda < 1
  one_step,       ///< gradient descent, eta*lambda = 1: exact after one step
  oscillating     ///< gradient descent, -1 < 1 - eta*lambda < 0
};

/// The label used in tables and JSON.
inline const char* to_string(Regime r) {
  switch (r) {
    case Regime::complex: return "complex";
    case Regime::real_distinct: return "real_distinct";
    case Regime::critical: return "critical";
    case Regime::boundary: return "boundary";
    case Regime::divergent: return "divergent";
    case Regime::monotone: return "monotone";
    case Regime::one_step: return "one_step";
    case Regime::oscillating: return "oscillating";
  }
  return "unknown";
}

/// A root re + i im of a characteristic polynomial.
template <class Scalar>
struct Root {
  Scalar re, im;
};

/// The spectrum of one eigenvalue's iteration matrix.
template <class Scalar>
struct Spectrum {
  int count = 2;                   ///< number of roots: 1 for gradient descent, else 2
  std::array<Root<Scalar>, 2> roots;  ///< roots[0] has the larger modulus
  Scalar rho;                      ///< spectral radius max |z|
  Regime regime = Regime::complex;
  Scalar trace;                    ///< sum of the roots (p in z^2 - p z + d)
  Scalar determinant;              ///< product of the roots (d)
  Scalar discriminant;             ///< p^2 - 4 d, in cancellation-free form (0 for GD)
  Scalar discriminant_error;       ///< bound on the error of `discriminant` (error model above)
  /// Bound on the error of `rho` under the same model; near (but not at) a double root it grows
  /// like discriminant_error / sqrt(discriminant), the roots' own ill-conditioning.
  Scalar rho_error;
  /// discriminant / (p^2 + 4|d|), in [-1, 1]: signed relative distance to a double root
  /// (0 at critical damping, < 0 complex, > 0 real). 0 for gradient descent.
  Scalar critical_distance;
  bool double_root = false;        ///< discriminant indistinguishable from 0
  bool jordan = false;             ///< double root with a non-trivial Jordan block (M != zI)
  /// rho < 1, with the 16-epsilon margin of the classification.
  bool converges() const { return regime != Regime::boundary && regime != Regime::divergent; }
};

namespace detail {

/// Rounding-error multiplier for the factored discriminants (each factor carries a few
/// roundings; 8 covers them with room).
constexpr int discriminant_ulps = 8;
/// Radius within this many epsilons of 1 counts as 1.
constexpr int boundary_ulps = 16;

template <class Scalar>
Regime classify_radius(const Scalar& rho, const Scalar& rho_error, Regime inside) {
  using std::abs;
  using std::max;
  const Scalar tol = max(Scalar(boundary_ulps * epsilon<Scalar>()), rho_error);
  if (rho > 1 + tol) return Regime::divergent;
  if (abs(rho - 1) <= tol) return Regime::boundary;
  return inside;
}

/// The coefficients of z^2 - p z + d, the discriminant delta = p^2 - 4d in stable form, and
/// bounds on the error of each (error model above).
template <class Scalar>
struct MonicQuadratic {
  Scalar p, d, delta;
  Scalar p_error, d_error, delta_error;
};

/// Roots, radius and regime of z^2 - p z + d; M is the matrix (for the Jordan test).
template <class Scalar>
Spectrum<Scalar> monic_quadratic(const MonicQuadratic<Scalar>& c,
                                 const Eigen::Matrix<Scalar, 2, 2>& M) {
  using std::abs;
  using std::min;
  using std::sqrt;
  const Scalar eps = epsilon<Scalar>();
  Spectrum<Scalar> sp;
  sp.count = 2;
  sp.trace = c.p;
  sp.determinant = c.d;
  sp.discriminant = c.delta;
  sp.discriminant_error = c.delta_error;
  const Scalar scale = c.p * c.p + 4 * abs(c.d);
  sp.critical_distance = scale == 0 ? Scalar(0) : Scalar(c.delta / scale);
  Regime inside;
  if (abs(c.delta) <= c.delta_error) {
    // Double root z = p/2; the matrix is z I or a non-trivial Jordan block.
    const Scalar z = c.p / 2;
    sp.roots = {Root<Scalar>{z, Scalar(0)}, Root<Scalar>{z, Scalar(0)}};
    sp.rho = abs(z);
    sp.rho_error = c.p_error / 2 + 2 * eps * sp.rho;
    sp.double_root = true;
    const Scalar off = abs(M(0, 1)) + abs(M(1, 0)) + abs(M(0, 0) - M(1, 1));
    sp.jordan = off > discriminant_ulps * eps * M.cwiseAbs().maxCoeff();
    inside = Regime::critical;
  } else if (c.delta < 0) {
    const Scalar re = c.p / 2, im = sqrt(-c.delta) / 2;
    sp.roots = {Root<Scalar>{re, im}, Root<Scalar>{re, Scalar(-im)}};
    sp.rho = sqrt(c.d);  // |z|^2 = z * conj(z) = d: exact to an ulp, no hypot needed
    sp.rho_error = c.d_error / (2 * sp.rho) + 2 * eps * sp.rho;
    inside = Regime::complex;
  } else {
    // Larger root without cancellation, the smaller one from Vieta (z1 z2 = d).
    const Scalar r = sqrt(c.delta);
    const Scalar z1 = c.p >= 0 ? Scalar((c.p + r) / 2) : Scalar((c.p - r) / 2);
    const Scalar z2 = c.d / z1;  // z1 != 0: |z1| >= sqrt(delta)/2 > 0
    sp.roots = {Root<Scalar>{z1, Scalar(0)}, Root<Scalar>{z2, Scalar(0)}};
    sp.rho = abs(z1);
    // d sqrt(delta) = d delta / (2 sqrt(delta)), but never more than sqrt(d delta).
    const Scalar dr = min(Scalar(c.delta_error / (2 * r)), Scalar(sqrt(c.delta_error)));
    sp.rho_error = (c.p_error + dr) / 2 + 2 * eps * sp.rho;
    inside = Regime::real_distinct;
  }
  sp.regime = classify_radius(sp.rho, sp.rho_error, inside);
  return sp;
}

/// Discriminant of z^2 - tau z + beta (heavy ball and velocity form, s = step*lambda),
/// factored for beta >= 0 as (s - (1 - sqrt beta)^2)(s - (1 + sqrt beta)^2), with
/// 1 - sqrt beta = (1 - beta)/(1 + sqrt beta) to avoid cancellation near beta = 1.
/// Returns the coefficients with their error bounds (see the error model above): a relative
/// perturbation eps of beta moves (1 -+ sqrt beta)^2 by eps sqrt(beta) |1 -+ sqrt beta|, and of
/// the step and lambda moves s by 2 eps |s|.
template <class Scalar>
MonicQuadratic<Scalar> heavy_ball_polynomial(const Scalar& s, const Scalar& beta) {
  using std::abs;
  using std::sqrt;
  const Scalar eps = epsilon<Scalar>();
  const Scalar tau = 1 + beta - s;
  const Scalar tau_error = discriminant_ulps * eps * (1 + abs(beta) + abs(s));
  const Scalar beta_error = eps * abs(beta);
  if (beta < 0) {
    const Scalar delta = tau * tau - 4 * beta;  // sum of two non-negative terms
    return {tau, beta, delta, tau_error, beta_error, Scalar(discriminant_ulps * eps * delta)};
  }
  const Scalar sb = sqrt(beta);
  const Scalar lo_root = (1 - beta) / (1 + sb);  // 1 - sqrt beta, without cancellation
  const Scalar lo = lo_root * lo_root;           // (1 - sqrt beta)^2
  const Scalar hi = (1 + sb) * (1 + sb);         // (1 + sqrt beta)^2
  const Scalar f1 = s - lo, f2 = s - hi;
  const Scalar e1 = eps * (3 * abs(s) + lo + sb * abs(lo_root));
  const Scalar e2 = eps * (3 * abs(s) + hi + sb * (1 + sb));
  return {tau, beta, Scalar(f1 * f2), tau_error, beta_error,
          Scalar(discriminant_ulps * (e1 * abs(f2) + e2 * abs(f1)))};
}

/// Nesterov's z^2 - (1+beta) q z + beta q with discriminant q((1+beta)^2 q - 4 beta), and
/// error bounds (same model: rounding plus one-ulp perturbations of alpha, beta, lambda).
/// The second factor is computed as (1 - beta)^2 - (1 + beta)^2 s, from s rather than from
/// q = 1 - s: for beta -> 1 and a small step both terms are small, whereas (1+beta)^2 q and
/// 4 beta are near 4 and cancel down to the rounding of q (about epsilon), which cost up to
/// sqrt(epsilon) in rho (Nesterov(1e-7, 0.999) at lambda = 1 erred by 1300 ulps, and inputs
/// with rho = 1 - 1e-18 were classified as a double root with rho = 1 - 1e-8). Found by
/// tests/property/test_property_rates.cpp.
template <class Scalar>
MonicQuadratic<Scalar> nesterov_polynomial(const Scalar& s, const Scalar& beta) {
  using std::abs;
  const Scalar eps = epsilon<Scalar>();
  const Scalar q = 1 - s;
  const Scalar lo = (1 - beta) * (1 - beta), b1 = (1 + beta) * (1 + beta);
  const Scalar inner = lo - b1 * s;
  const Scalar eq = eps * (abs(q) + 3 * abs(s));
  // Rounding of each term (3 and 4 roundings) and of the difference, the one-ulp perturbations
  // of the step and lambda (2 eps b1 |s|) and of beta (d inner/d beta = -2(1 - beta) - 2(1 + beta) s).
  const Scalar e_inner = eps * (4 * lo + 7 * b1 * abs(s) +
                                abs(beta) * abs(2 * (1 - beta) + 2 * (1 + beta) * s));
  const Scalar p = (1 + beta) * q, d = beta * q;
  const Scalar p_error = discriminant_ulps * (abs(1 + beta) * eq + eps * (abs(p) + abs(d)));
  const Scalar d_error = discriminant_ulps * (abs(beta) * eq + eps * abs(d));
  return {p, d, Scalar(q * inner), p_error, d_error,
          Scalar(discriminant_ulps * (eq * abs(inner) + abs(q) * e_inner))};
}

/// A member of the two-state family as the coefficients the spectrum uses: alpha, beta and
/// c = alpha gamma, each with the error bound its own parameters leave (one-ulp perturbations
/// of the parameters the user gave, plus the roundings of the exact map).
template <class Scalar>
struct TrackedTwoState {
  Tracked<Scalar> alpha, beta, c;
};

/// TwoState: alpha and beta as given, c = alpha gamma from one-ulp perturbations of alpha and
/// gamma and its own rounding (3 eps |c|; from_coefficients' c is covered as well).
template <class Scalar>
TrackedTwoState<Scalar> tracked(const TwoState<Scalar>& m) {
  return {tracked_input(m.alpha), tracked_input(m.beta), tracked_input(m.alpha_gamma, 3)};
}

/// PyTorch's SGD: the same operations as PyTorchSGD::family(), tracked from lr, momentum and
/// dampening (a cancelling 1 - momentum dampening keeps its true, large error).
template <class Scalar>
TrackedTwoState<Scalar> tracked(const PyTorchSGD<Scalar>& m) {
  const Tracked<Scalar> zero{Scalar(0), Scalar(0)}, one{Scalar(1), Scalar(0)};
  const Tracked<Scalar> lr = tracked_input(m.lr), mom = tracked_input(m.momentum);
  const Tracked<Scalar> damp = tracked_input(m.dampening);
  if (m.momentum == 0) return {lr, zero, zero};
  if (m.nesterov) return {lr * (one - mom * damp), mom, lr * mom};
  return {lr * (one - damp), mom, zero};
}

/// QHM: alpha (1 - beta), beta, alpha beta (1 - nu), as QHM::family() computes them.
template <class Scalar>
TrackedTwoState<Scalar> tracked(const QHM<Scalar>& m) {
  const Tracked<Scalar> one{Scalar(1), Scalar(0)};
  const Tracked<Scalar> a = tracked_input(m.alpha), nu = tracked_input(m.nu),
                        b = tracked_input(m.beta);
  return {a * (one - b), b, a * b * (one - nu)};
}

/// The two-state family's z^2 - p z + d with p = 1 + beta - a lambda, d = beta - c lambda
/// (c = alpha gamma, a = alpha + c). Its discriminant is a quadratic in u = a lambda,
///   delta = u^2 - 2 u (alpha^2 + Q)/(alpha a) + (1 - beta)^2,   Q = alpha ((alpha beta - c) + c beta)
/// (Q = alpha^2 (beta - gamma (1 - beta)); Nesterov: (alpha beta)^2, heavy ball: alpha^2 beta),
/// computed without cancellation beyond the distance to a double root:
///  - Q >= 0: delta = (u - u1)(u - u2), u1 = (|alpha| + sqrt Q)^2/(alpha a) and, by
///    u1 u2 = (1 - beta)^2, u2 = alpha a (1 - beta)^2/(|alpha| + sqrt Q)^2 (sums of same-sign
///    terms; heavy ball: (1 +- sqrt beta)^2);
///  - Q < 0: delta = (u - (alpha^2 + Q)/(alpha a))^2 + 4|Q|/a^2 > 0 (a sum: always real roots);
///  - alpha = 0 (gamma infinite): the roots are 1 and d, delta = (1 - d)^2 = (1 - beta + c lambda)^2;
///  - a = 0, or alpha or a not determined by its error bound: the expansion
///    (1 - beta)^2 - 2 lambda (a (1 + beta) - 2c) + (a lambda)^2 (no division).
/// Error bounds: derived by running error analysis (Tracked) from the parameters' one-ulp
/// perturbations, lambda's (`lambda` carries its own bound) and every rounding; so inputs
/// that are rational and make delta exactly 0 give |delta| <= its bound (`critical`).
template <class Scalar>
MonicQuadratic<Scalar> two_state_polynomial(const TrackedTwoState<Scalar>& m,
                                            const Tracked<Scalar>& lambda) {
  using std::abs;
  const Tracked<Scalar> one{Scalar(1), Scalar(0)};
  const Tracked<Scalar>&alpha = m.alpha, &beta = m.beta, &c = m.c;
  const Tracked<Scalar> a = alpha + c;
  const Tracked<Scalar> u = a * lambda, cl = c * lambda;
  const Tracked<Scalar> p = one + beta - u, d = beta - cl;
  const Tracked<Scalar> omb = one - beta;
  Tracked<Scalar> delta;
  if (alpha.v == 0) {
    const Tracked<Scalar> t = omb + cl;
    delta = t * t;
    // The true alpha within alpha.e of 0 moves delta by alpha (-2 lambda (1 + beta) + 2 a lambda^2) + (alpha lambda)^2.
    const Scalar l = abs(lambda.v) + lambda.e;
    const Scalar ea = alpha.e * (2 * l * (1 + abs(beta.v) + beta.e) + 2 * (abs(c.v) + c.e) * l * l) +
                      alpha.e * alpha.e * l * l;
    delta.e += ea;
  } else if (a.v == 0 || !(8 * alpha.e < abs(alpha.v)) || !(8 * a.e < abs(a.v))) {
    delta = omb * omb - tracked_times(2, lambda * (a * (one + beta) - tracked_times(2, c))) + u * u;
  } else {
    const Tracked<Scalar> Q = alpha * ((alpha * beta - c) + c * beta);
    const Tracked<Scalar> aa = alpha * a;
    const Tracked<Scalar> abs_alpha{abs(alpha.v), alpha.e};
    if (Q.v >= 0) {
      const Tracked<Scalar> w = abs_alpha + tracked_sqrt(Q);
      const Tracked<Scalar> w2 = w * w;
      const Tracked<Scalar> u1 = w2 / aa, u2 = aa * (omb * omb) / w2;
      delta = (u - u1) * (u - u2);
      // A true Q below 0 (within its bound) is outside the factored form: delta is
      // (u - (alpha^2 + Q)/(alpha a))^2 - 4Q/a^2 there, at most 4 (Q.e - Q)/a^2 from Q = 0's.
      if (Q.e > Q.v) {
        const Scalar lo_a = abs(a.v) - a.e;  // > 7/8 |a|
        delta.e += 4 * (Q.e - Q.v) / (lo_a * lo_a);
      }
    } else {
      const Tracked<Scalar> f = u - (alpha * alpha + Q) / aa;
      delta = f * f - tracked_times(4, Q / (a * a));
    }
  }
  return {p.v, d.v, delta.v, p.e, d.e, delta.e};
}

/// The family member m at lambda, with one-ulp perturbations of its parameters and of lambda.
template <class Scalar>
MonicQuadratic<Scalar> two_state_polynomial(const TwoState<Scalar>& m, const Scalar& lambda) {
  return two_state_polynomial(tracked(m), tracked_input(lambda));
}

/// Whether the coefficients, the discriminant, its error bound and the scale p^2 + 4|d| of
/// critical_distance are all finite: finite inputs whose product step*lambda or discriminant
/// overflows the type (double: step*lambda beyond about 1e154) would otherwise come out as a
/// "double root" with a radius off by a factor 2, or as NaN.
template <class Scalar>
bool representable(const MonicQuadratic<Scalar>& c) {
  using std::abs;
  return is_finite(c.p) && is_finite(c.d) && is_finite(c.delta) && is_finite(c.p_error) &&
         is_finite(c.d_error) && is_finite(c.delta_error) && is_finite(Scalar(c.p * c.p + 4 * abs(c.d)));
}

/// Throws std::overflow_error for a method whose per-eigenvalue polynomial overflows Scalar.
/// The question is valid (any finite parameters are); the type cannot hold its answer.
template <class Scalar>
[[noreturn]] void polynomial_overflow(const char* method, const char* step_name,
                                      const Scalar& step, const Scalar& lambda,
                                      const Scalar* beta) {
  throw std::overflow_error(
      std::string(method) + ": " + step_name + "*lambda = " + to_string(step, 17) + " * " +
      to_string(lambda, 17) + (beta ? " with beta = " + to_string(*beta, 17) : std::string()) +
      ": the characteristic polynomial overflows the scalar type (largest finite value " +
      to_string((std::numeric_limits<Scalar>::max)(), 3) +
      "); the spectral radius needs a type with a wider exponent range");
}

}  // namespace detail

/// Gradient descent, one eigenvalue: root 1 - eta*lambda, rho = |1 - eta*lambda|.
/// Regimes: monotone, one_step, oscillating, boundary, divergent.
template <class Scalar>
Spectrum<Scalar> spectrum(const GradientDescent<Scalar>& m, const Scalar& lambda) {
  using std::abs;
  Spectrum<Scalar> sp;
  sp.count = 1;
  const Scalar q = 1 - m.eta * lambda;
  if (!is_finite(q))
    detail::polynomial_overflow("gradient_descent", "eta", m.eta, lambda,
                                static_cast<const Scalar*>(nullptr));
  sp.roots = {Root<Scalar>{q, Scalar(0)}, Root<Scalar>{q, Scalar(0)}};
  sp.rho = abs(q);
  sp.trace = q;
  sp.determinant = q;
  sp.discriminant = 0;
  sp.discriminant_error = 0;
  sp.critical_distance = 0;
  // q = 1 - eta*lambda: rounding plus one-ulp perturbations of eta and lambda.
  sp.rho_error = 4 * epsilon<Scalar>() * (1 + abs(m.eta * lambda));
  const Scalar tol = detail::boundary_ulps * epsilon<Scalar>();
  const Regime inside =
      abs(q) <= tol ? Regime::one_step : (q > 0 ? Regime::monotone : Regime::oscillating);
  sp.regime = detail::classify_radius(sp.rho, sp.rho_error, inside);
  return sp;
}

/// Heavy ball, one eigenvalue: roots of z^2 - tau z + beta, tau = 1 + beta - alpha*lambda.
/// Complex: rho = sqrt(beta); double root: z = tau/2, Jordan block; real: (|tau| + sqrt(D))/2.
/// \note Proof: proofs/README.md (closed-form radius, Jordan block at a double root).
template <class Scalar>
Spectrum<Scalar> spectrum(const HeavyBall<Scalar>& m, const Scalar& lambda) {
  const auto c = detail::heavy_ball_polynomial(Scalar(m.alpha * lambda), m.beta);
  if (!detail::representable(c))
    detail::polynomial_overflow("heavy_ball", "alpha", m.alpha, lambda, &m.beta);
  return detail::monic_quadratic(c, iteration_matrix(m, lambda));
}

/// Velocity form, one eigenvalue: the spectrum of R, equal to heavy ball's with alpha = eta
/// (R = T A T^{-1}); only the Jordan test uses R itself.
template <class Scalar>
Spectrum<Scalar> spectrum(const Velocity<Scalar>& m, const Scalar& lambda) {
  const auto c = detail::heavy_ball_polynomial(Scalar(m.eta * lambda), m.beta);
  if (!detail::representable(c)) detail::polynomial_overflow("velocity", "eta", m.eta, lambda, &m.beta);
  return detail::monic_quadratic(c, iteration_matrix(m, lambda));
}

/// Nesterov, one eigenvalue: roots of z^2 - (1+beta) q z + beta q, q = 1 - alpha*lambda,
/// discriminant q ((1+beta)^2 q - 4 beta). At q = 0 the matrix is nilpotent: rho = 0, a
/// Jordan block (||B|| = 1).
template <class Scalar>
Spectrum<Scalar> spectrum(const Nesterov<Scalar>& m, const Scalar& lambda) {
  const auto c = detail::nesterov_polynomial(Scalar(m.alpha * lambda), m.beta);
  if (!detail::representable(c))
    detail::polynomial_overflow("nesterov", "alpha", m.alpha, lambda, &m.beta);
  return detail::monic_quadratic(c, iteration_matrix(m, lambda));
}

/// The two-state family, one eigenvalue: roots of z^2 - (1 + beta - (alpha + alpha gamma)
/// lambda) z + (beta - alpha gamma lambda), discriminant from two_state_polynomial.
template <class Scalar>
Spectrum<Scalar> spectrum(const TwoState<Scalar>& m, const Scalar& lambda) {
  const auto c = detail::two_state_polynomial(m, lambda);
  if (!detail::representable(c)) detail::polynomial_overflow("general", "alpha", m.alpha, lambda, &m.beta);
  return detail::monic_quadratic(c, iteration_matrix(m, lambda));
}

/// PyTorch's SGD and QHM, one eigenvalue of Q: the spectrum of their family member (at
/// lambda + weight_decay for PyTorch), with error bounds from their own parameters' one-ulp
/// perturbations (detail::tracked); only the Jordan test uses their own matrix, which is
/// similar to the family's wherever the change of state is invertible.
template <class Scalar>
Spectrum<Scalar> spectrum(const PyTorchSGD<Scalar>& m, const Scalar& lambda) {
  const detail::Tracked<Scalar> l =
      detail::tracked_input(lambda) + detail::tracked_input(m.weight_decay);
  const auto c = detail::two_state_polynomial(detail::tracked(m), l);
  if (!detail::representable(c)) detail::polynomial_overflow("pytorch", "lr", m.lr, l.v, &m.momentum);
  return detail::monic_quadratic(c, iteration_matrix(m, lambda));
}
template <class Scalar>
Spectrum<Scalar> spectrum(const QHM<Scalar>& m, const Scalar& lambda) {
  const auto c = detail::two_state_polynomial(detail::tracked(m), detail::tracked_input(lambda));
  if (!detail::representable(c)) detail::polynomial_overflow("qhm", "alpha", m.alpha, lambda, &m.beta);
  return detail::monic_quadratic(c, iteration_matrix(m, lambda));
}

/// Spectral radius of one eigenvalue's iteration matrix.
template <class Method, class Scalar>
Scalar spectral_radius(const Method& m, const Scalar& lambda) {
  return spectrum(m, lambda).rho;
}

}  // namespace momentum
