#pragma once
/// \file powers.hpp
/// Exact powers of the per-eigenvalue iteration matrices: M^t in closed form for any 2x2 (distinct
/// real roots, complex roots, double root / Jordan block) in O(1) operations for any t, the
/// spectral norm ||M^t||_2 in closed form, an envelope ||M^t|| <= E(t) that is eventually
/// decreasing, and the transient peak max_t ||M^t||_2 (SPEC sections 2, 3, 7, 8).
///
/// The closed form. Let p = tr M and let f(z) = z^t. The polynomial of degree one that
/// interpolates f at the two roots (with multiplicity) agrees with f on the spectrum, so by
/// Cayley-Hamilton (proofs/jordan_growth.md, Theorem 6 for the double root)
///   M^t = a_t I + u_t (M - (p/2) I),
/// with u_t = f[z1, z2] (the divided difference) and a_t = (z1^t + z2^t)/2:
///   distinct real roots  u_t = (z1^t - z2^t)/(z1 - z2),        a_t = (z1^t + z2^t)/2;
///   complex z = r e^{+-i theta}  u_t = r^t sin(t theta)/Im z,  a_t = r^t cos(t theta);
///   double root z        u_t = t z^{t-1},                      a_t = z^t
/// (the last is SPEC section 3's A^t = z^t I + t z^{t-1} (A - zI)). The centred form keeps the
/// diagonal free of the cancellation that u_t M - det(M) u_{t-1} I suffers near a double root.
/// u_t and a_t are computed without cancellation: with r = z2/z1, 1 - |r| is known exactly from
/// the stable discriminant (sqrt(Delta)/|z1| or |p|/|z1|), and 1 -+ |r|^t = -expm1(t log1p(-(1-|r|)))
/// where it would cancel. The error of M^t is then a few ulps times min(t, 1/|1 - r|) relative to
/// the envelope below: never worse than t repeated multiplications, in O(1) instead of O(t).

#include <momentum/detail/state_layout.hpp>
#include <momentum/spectrum.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <limits>
#include <vector>

namespace momentum {

/// The coefficients of M^t = a I + u (M - (p/2) I), p = tr M.
template <class S>
struct PowerCoefficients {
  S a, u;
};

namespace detail {

/// sign(x)^k |x|^k for a long long k >= 0: pow with a Scalar exponent on |x|, the sign from the
/// parity of k (some types reject a negative base even with an integral exponent).
template <class S>
S signed_power(const S& x, long long k) {
  using std::abs;
  using std::pow;
  if (k == 0) return S(1);
  const S m = pow(abs(x), S(k));
  return (x < 0 && (k % 2 != 0)) ? S(-m) : m;
}

/// Spectral norm and smallest singular value of [[a, b], [c, d]] in closed form:
/// sigma_max = (sqrt((a+d)^2 + (b-c)^2) + sqrt((a-d)^2 + (b+c)^2))/2, sigma_min = |ad - bc| /
/// sigma_max (both square roots are sums of squares: no cancellation). Entries are scaled by
/// the largest one for machine types, so no square under- or overflows.
template <class S>
std::pair<S, S> singular_values_2x2(const S& a, const S& b, const S& c, const S& d) {
  using std::abs;
  using std::max;
  using std::sqrt;
  S scale(1);
  if constexpr (std::numeric_limits<S>::max_exponent10 < 100000) {
    scale = max(max(abs(a), abs(b)), max(abs(c), abs(d)));
    if (scale == 0) return {S(0), S(0)};
  }
  const S A = a / scale, B = b / scale, C = c / scale, D = d / scale;
  const S s1 = sqrt((A + D) * (A + D) + (B - C) * (B - C));
  const S s2 = sqrt((A - D) * (A - D) + (B + C) * (B + C));
  const S smax = (s1 + s2) / 2;
  if (smax == 0) return {S(0), S(0)};
  const S smin = abs(A * D - B * C) / smax;
  return {S(smax * scale), S(smin * scale)};
}

}  // namespace detail

/// ||M||_2 of a 2x2 matrix, in closed form (largest singular value).
template <class S>
S norm_2(const Eigen::Matrix<S, 2, 2>& M) {
  return detail::singular_values_2x2(M(0, 0), M(0, 1), M(1, 0), M(1, 1)).first;
}

/// ||M||_2 of a 1x1 matrix: |m|.
template <class S>
S norm_2(const Eigen::Matrix<S, 1, 1>& M) {
  using std::abs;
  return abs(M(0, 0));
}

/// Smallest singular value of a 2x2 matrix, |det M| / ||M||_2.
template <class S>
S sigma_min(const Eigen::Matrix<S, 2, 2>& M) {
  return detail::singular_values_2x2(M(0, 0), M(0, 1), M(1, 0), M(1, 1)).second;
}

/// Spectrum of a general real 2x2 matrix: the roots of z^2 - p z + det with the discriminant
/// (a - d)^2 + 4 b c (equal to p^2 - 4 det, with the diagonal's cancellation removed) and the
/// same double-root classification as spectrum.hpp (a discriminant within its rounding bound of
/// zero is a double root). For the methods' matrices prefer spectrum(method, lambda), whose
/// discriminant is factored exactly.
template <class S>
Spectrum<S> spectrum_2x2(const Eigen::Matrix<S, 2, 2>& M) {
  using std::abs;
  const S eps = epsilon<S>();
  const S amd = M(0, 0) - M(1, 1);
  const S bc = M(0, 1) * M(1, 0);
  const S ad = M(0, 0) * M(1, 1);
  detail::MonicQuadratic<S> c;
  c.p = M(0, 0) + M(1, 1);
  c.d = ad - bc;
  c.delta = amd * amd + 4 * bc;
  c.p_error = detail::discriminant_ulps * eps * (abs(M(0, 0)) + abs(M(1, 1)));
  c.d_error = detail::discriminant_ulps * eps * (abs(ad) + abs(bc));
  c.delta_error = detail::discriminant_ulps * eps * (amd * amd + 4 * abs(bc));
  return detail::monic_quadratic(c, M);
}

/// a_t and u_t of M^t = a_t I + u_t (M - (p/2) I) from M's spectrum (see the file comment).
/// Valid for every t >= 0, including a zero root and the nilpotent double root z = 0.
/// \throws std::invalid_argument if t < 0.
template <class S>
PowerCoefficients<S> power_coefficients(const Spectrum<S>& sp, long long t) {
  using std::abs;
  using std::atan2;
  using std::cos;
  using std::exp;
  using std::expm1;
  using std::log1p;
  using std::pow;
  using std::sin;
  using std::sqrt;
  if (t < 0)
    throw std::invalid_argument("power_coefficients: t must be non-negative, got " +
                                std::to_string(t));
  if (t == 0) return {S(1), S(0)};
  if (sp.double_root) {
    const S& z = sp.roots[0].re;
    if (z == 0) return {S(0), t == 1 ? S(1) : S(0)};
    const S zt1 = detail::signed_power(z, t - 1);
    return {S(zt1 * z), S(S(t) * zt1)};
  }
  if (sp.roots[0].im != 0) {
    // z = re + i im = r e^{i theta}, theta in (0, pi); u_t = r^{t-1} sin(t theta)/sin(theta)
    // with r sin(theta) = im.
    const S& re = sp.roots[0].re;
    const S im = abs(sp.roots[0].im);
    const S theta = atan2(im, re);
    const S rt = pow(sp.rho, S(t));
    const S angle = S(t) * theta;
    return {S(rt * cos(angle)), S(rt * sin(angle) / im)};
  }
  // Distinct real roots, |z1| >= |z2|, z1 != 0.
  const S& z1 = sp.roots[0].re;
  const S& z2 = sp.roots[1].re;
  const S z1t1 = detail::signed_power(z1, t - 1);
  const S z1t = z1t1 * z1;
  if (z2 == 0) return {S(z1t / 2), z1t1};  // r = 0: u_t = z1^{t-1}, a_t = z1^t / 2
  const bool positive = (z1 > 0) == (z2 > 0);  // r = z2/z1 > 0
  // 1 - |r| without cancellation: |z1| - |z2| = sqrt(Delta) for roots of one sign, |p| otherwise.
  const S gap = positive ? S(sqrt(sp.discriminant)) : S(abs(sp.trace));
  const S dr = gap / abs(z1);
  const S L = log1p(-dr);                 // log |r|
  const S tL = S(t) * L;
  const S minus = -expm1(tL);            // 1 - |r|^t >= 0, accurate
  const S plus = 1 + exp(tL);            // 1 + |r|^t in [1, 2]
  const bool even = t % 2 == 0;
  const S one_minus_rt = (positive || even) ? minus : plus;  // 1 - r^t
  const S one_plus_rt = (positive || even) ? plus : minus;   // 1 + r^t
  const S one_minus_r = positive ? dr : S(2 - dr);           // 1 - r
  return {S(z1t * one_plus_rt / 2), S(z1t1 * one_minus_rt / one_minus_r)};
}

/// M^t for a 2x2 M whose spectrum `sp` is known (e.g. spectrum(method, lambda)), in O(1).
/// \throws std::invalid_argument if t < 0.
template <class S>
Eigen::Matrix<S, 2, 2> matrix_power(const Eigen::Matrix<S, 2, 2>& M, const Spectrum<S>& sp,
                                    long long t) {
  const PowerCoefficients<S> c = power_coefficients(sp, t);
  const S half_diff = (M(0, 0) - M(1, 1)) / 2;  // M - (p/2) I = [[h, b], [c, -h]]
  Eigen::Matrix<S, 2, 2> P;
  P(0, 0) = c.a + c.u * half_diff;
  P(1, 1) = c.a - c.u * half_diff;
  P(0, 1) = c.u * M(0, 1);
  P(1, 0) = c.u * M(1, 0);
  return P;
}

/// M^t for any real 2x2 M, in closed form (spectrum_2x2, then the centred interpolation form).
/// \throws std::invalid_argument if t < 0.
template <class S>
Eigen::Matrix<S, 2, 2> matrix_power(const Eigen::Matrix<S, 2, 2>& M, long long t) {
  return matrix_power(M, spectrum_2x2(M), t);
}

/// m^t for a 1x1 matrix (gradient descent).
template <class S>
Eigen::Matrix<S, 1, 1> matrix_power(const Eigen::Matrix<S, 1, 1>& M, long long t) {
  if (t < 0)
    throw std::invalid_argument("matrix_power: t must be non-negative, got " + std::to_string(t));
  Eigen::Matrix<S, 1, 1> P;
  P(0, 0) = detail::signed_power(M(0, 0), t);
  return P;
}

/// M^t by binary powering (O(log t) products): the reference for the closed form, exact when
/// every product is (small integer or dyadic entries at high precision).
/// \throws std::invalid_argument if t < 0.
template <class S, int N>
Eigen::Matrix<S, N, N> matrix_power_binary(const Eigen::Matrix<S, N, N>& M, long long t) {
  if (t < 0)
    throw std::invalid_argument("matrix_power_binary: t must be non-negative, got " +
                                std::to_string(t));
  Eigen::Matrix<S, N, N> result = Eigen::Matrix<S, N, N>::Identity(), base = M;
  while (t > 0) {
    if (t & 1) result = (result * base).eval();
    t >>= 1;
    if (t > 0) base = (base * base).eval();
  }
  return result;
}

/// The t-th power of one eigenvalue's iteration matrix of `method`, in closed form with the
/// method's cancellation-free spectrum.
template <class Method, class S>
BlockMatrix<Method, S> power(const Method& method, const S& lambda, long long t) {
  if constexpr (Method::state_size == 1) {
    return matrix_power(iteration_matrix(method, lambda), t);
  } else {
    return matrix_power(iteration_matrix(method, lambda), spectrum(method, lambda), t);
  }
}

/// ||M^t||_2 for one eigenvalue of `method`, exactly (closed-form power, closed-form norm).
template <class Method, class S>
S power_norm(const Method& method, const S& lambda, long long t) {
  return norm_2(power(method, lambda, t));
}

/// ||M^t||_2 of a general 2x2 M.
template <class S>
S power_norm(const Eigen::Matrix<S, 2, 2>& M, long long t) {
  return norm_2(matrix_power(M, t));
}

/// ||M^t||_2 of the whole n x n (GD) or 2n x 2n iteration matrix of `method` on a quadratic
/// with eigenvalues `lambdas`: it is orthogonally similar to the block diagonal matrix of the
/// 2x2 blocks (SPEC section 1, proofs/decoupling.md), so its norm is the largest block norm.
/// \throws std::invalid_argument if lambdas is empty or t < 0.
template <class Method, class S>
S power_norm(const Method& method, const Vector<S>& lambdas, long long t) {
  if (lambdas.size() == 0) throw std::invalid_argument("power_norm: lambdas must not be empty");
  S best(0);
  for (Eigen::Index i = 0; i < lambdas.size(); ++i) {
    const S v = power_norm(method, S(lambdas(i)), t);
    if (v > best) best = v;
  }
  return best;
}

/// An envelope ||M^t||_2 <= E(t) = rho^t + ||M - (p/2) I||_2 min(t rho^{t-1}, 2 rho^t / g), with
/// g = |z1 - z2| = sqrt|Delta| (proof: |a_t| <= rho^t; |u_t| is a sum of t products of t - 1
/// roots, and |z1^t - z2^t| <= 2 rho^t). For rho < 1 it is non-increasing for t >= t_dec =
/// ceil(1/ln(1/rho)) (t rho^{t-1} decreases beyond its maximum at 1/ln(1/rho); the rest always
/// decreases). \note Proof: proofs/jordan_growth.md (the Theta(t^{m-1} rho^t) bound).
template <class S>
struct PowerEnvelope {
  S rho = S(0), centred_norm = S(0), gap = S(0);
  /// E(t) for t >= 0.
  S operator()(long long t) const {
    using std::min;
    using std::pow;
    if (t == 0) return S(1);
    const S rt = pow(rho, S(t));
    S u = S(t) * pow(rho, S(t - 1));
    if (gap > 0) u = min(u, S(2 * rt / gap));
    return rt + centred_norm * u;
  }
  /// The t from which E is non-increasing (rho < 1); -1 if rho >= 1.
  long long decreasing_from() const {
    using std::ceil;
    using std::log;
    if (!(rho < 1)) return -1;
    if (rho == 0) return 1;
    const S x = ceil(1 / -log(rho));
    if (!(x < S(std::numeric_limits<long long>::max() / 4))) return std::numeric_limits<long long>::max() / 4;
    return static_cast<long long>(x);
  }
};

/// The envelope of M^t for a 2x2 M with spectrum sp.
template <class S>
PowerEnvelope<S> power_envelope(const Eigen::Matrix<S, 2, 2>& M, const Spectrum<S>& sp) {
  using std::abs;
  using std::sqrt;
  Eigen::Matrix<S, 2, 2> C = M;
  const S h = (M(0, 0) - M(1, 1)) / 2;
  C(0, 0) = h;
  C(1, 1) = -h;
  return {sp.rho, norm_2(C), sp.double_root ? S(0) : S(sqrt(abs(sp.discriminant)))};
}

/// The transient peak: the maximum over t >= 0 of ||M^t||_2 (>= 1, from t = 0) and the smallest
/// t attaining it.
template <class S>
struct TransientPeak {
  S peak;                 ///< max_t ||M^t||_2 (+infinity when rho >= 1)
  long long t = 0;        ///< the smallest t attaining it (-1 when rho >= 1)
  bool bounded = false;   ///< rho < 1: the maximum exists
  bool complete = false;  ///< the search provably covered every t (else it hit max_t)
  long long searched_to = 0;  ///< the largest t examined
  Eigen::Index index = 0;     ///< for a spectrum: the eigenvalue's index attaining the peak
};

/// Transient peak of a 2x2 M with spectrum sp. The norms ||M^t|| are scanned by one matrix
/// product per step until t >= t_dec and the envelope E(t+1) falls below the best norm seen:
/// beyond that no t can beat it (PowerEnvelope). Every t whose scanned norm lies within the
/// products' rounding (a few t epsilon ||M|| peak) of the best is then re-evaluated in closed
/// form, so the peak and its t are exact to working precision. Cost O(t_stop), about a few
/// times 1/(1 - rho) steps. \throws std::invalid_argument if max_t < 0.
template <class S>
TransientPeak<S> transient_peak(const Eigen::Matrix<S, 2, 2>& M, const Spectrum<S>& sp,
                                long long max_t = 100000000) {
  if (max_t < 0)
    throw std::invalid_argument("transient_peak: max_t must be non-negative, got " +
                                std::to_string(max_t));
  TransientPeak<S> r;
  if (!(sp.rho < 1) || !sp.converges()) {
    r.peak = std::numeric_limits<S>::infinity();
    r.t = -1;
    r.bounded = false;
    r.complete = true;
    return r;
  }
  r.bounded = true;
  const PowerEnvelope<S> env = power_envelope(M, sp);
  const long long t_dec = env.decreasing_from();
  const S eps = epsilon<S>();
  const S mnorm = norm_2(M);
  S best(1);
  std::vector<std::pair<long long, S>> candidates{{0, S(1)}};
  // Pruned in place once the list doubles: near a flat peak every step is a candidate, and a
  // prune per step (with a copy) would make the scan quadratic in the plateau's width.
  std::size_t prune_above = 64;
  Eigen::Matrix<S, 2, 2> P = Eigen::Matrix<S, 2, 2>::Identity();
  long long t = 0;
  bool done = false;
  while (t < max_t) {
    ++t;
    P = (M * P).eval();
    const S v = norm_2(P);
    const S slack = 8 * eps * (mnorm + 1) * S(t + 1) * (best > v ? best : v);
    if (v > best) best = v;
    if (v >= best - slack) candidates.emplace_back(t, v);
    if (candidates.size() > prune_above) {
      const S keep_from = best - slack;
      const auto below = [&](const std::pair<long long, S>& c) { return c.second < keep_from; };
      candidates.erase(std::remove_if(candidates.begin(), candidates.end(), below), candidates.end());
      prune_above = std::max<std::size_t>(64, 2 * candidates.size());
    }
    if (t >= t_dec && env(t + 1) < best - slack) {
      done = true;
      break;
    }
  }
  r.complete = done;
  r.searched_to = t;
  // Re-evaluate the near-best candidates in closed form; ties go to the smallest t.
  const S slack = 8 * eps * (mnorm + 1) * S(t + 1) * best;
  r.peak = S(0);
  r.t = -1;
  for (auto& c : candidates) {
    if (c.second < best - slack) continue;
    const S exact = c.first == 0 ? S(1) : norm_2(matrix_power(M, sp, c.first));
    if (r.t < 0 || exact > r.peak) {
      r.peak = exact;
      r.t = c.first;
    }
  }
  return r;
}

/// Transient peak of a general 2x2 M (spectrum by spectrum_2x2).
template <class S>
TransientPeak<S> transient_peak(const Eigen::Matrix<S, 2, 2>& M, long long max_t = 100000000) {
  return transient_peak(M, spectrum_2x2(M), max_t);
}

/// Transient peak of one eigenvalue's matrix of `method`: heavy ball's A, the velocity form's R
/// and Nesterov's B have different peaks (R = T A T^{-1} with T not orthogonal, SPEC section 2).
/// Gradient descent: |1 - eta lambda|^t peaks at t = 0 when it converges.
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
TransientPeak<S> transient_peak(const Method& method, const S& lambda,
                                long long max_t = 100000000) {
  if constexpr (Method::state_size == 1) {
    const Spectrum<S> sp = spectrum(method, lambda);
    TransientPeak<S> r;
    r.bounded = sp.converges();
    r.complete = true;
    r.peak = r.bounded ? S(1) : std::numeric_limits<S>::infinity();
    r.t = r.bounded ? 0 : -1;
    (void)max_t;
    return r;
  } else {
    return transient_peak(iteration_matrix(method, lambda), spectrum(method, lambda), max_t);
  }
}

/// Transient peak of the whole iteration matrix on a quadratic with eigenvalues `lambdas`:
/// ||M^t|| is the largest block norm, so the peak is the largest block peak (ties: smallest t);
/// `index` says which eigenvalue. \throws std::invalid_argument if lambdas is empty.
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
TransientPeak<S> transient_peak(const Method& method, const Vector<S>& lambdas,
                                long long max_t = 100000000) {
  if (lambdas.size() == 0)
    throw std::invalid_argument("transient_peak: lambdas must not be empty");
  TransientPeak<S> best;
  for (Eigen::Index i = 0; i < lambdas.size(); ++i) {
    TransientPeak<S> r = transient_peak(method, S(lambdas(i)), max_t);
    r.index = i;
    if (!r.bounded) return r;
    if (i == 0 || r.peak > best.peak || (r.peak == best.peak && r.t < best.t)) {
      const bool complete = i == 0 ? r.complete : (best.complete && r.complete);
      best = r;
      best.complete = complete;
    } else {
      best.complete = best.complete && r.complete;
    }
  }
  return best;
}

/// The closed-form solution s_t = M^t s of one eigen-coordinate, split into its modes
/// (the eigenvector or Jordan-chain expansion behind SPEC section 8; proofs/jordan_growth.md):
///   real      s_t = z1^t y1 + z2^t y2,  y1 = (M - z2 I) s/(z1 - z2), y2 = (z1 I - M) s/(z1 - z2)
///             (the spectral projectors; computed as y2, then y1 = s - y2: see below);
///   complex   s_t = 2 Re(z^t (y1 + i y2)) = 2 r^t (cos(t theta) y1 - sin(t theta) y2),
///             y1 = s/2, y2 = -(M s - Re(z) s)/(2 Im z), z = r e^{i theta}, Im z > 0;
///   jordan    s_t = z^t y1 + t z^{t-1} y2, y1 = s, y2 = (M - zI) s (double root; y2 = 0 when
///             M = zI, and for z = 0 the second term is y2 at t = 1 only).
template <class S>
struct Modes {
  enum class Kind { real, complex, jordan };
  Kind kind = Kind::real;
  S z1 = S(0), z2 = S(0);  ///< real: the roots, |z1| >= |z2|; jordan: z1 = z2 = z; complex: Re z, Im z
  S modulus1 = S(0), modulus2 = S(0);  ///< |z1|, |z2| (complex: r, r; jordan: |z|, |z|)
  S theta = S(0);  ///< complex: arg z in (0, pi); otherwise 0
  Eigen::Matrix<S, 2, 1> y1 = Eigen::Matrix<S, 2, 1>::Zero(), y2 = Eigen::Matrix<S, 2, 1>::Zero();
};

/// The modes of s_t = M^t s for a 2x2 M with spectrum sp (see Modes).
template <class S>
Modes<S> modes(const Eigen::Matrix<S, 2, 2>& M, const Spectrum<S>& sp,
               const Eigen::Matrix<S, 2, 1>& s) {
  using std::abs;
  using std::atan2;
  using std::sqrt;
  Modes<S> md;
  // (M - zI) s with M - zI formed entrywise first: M s - z s cancels when M is near a multiple
  // of the identity (the velocity form at a small lambda: ||M|| ~ 1, ||M - zI|| ~ 1e-3), and its
  // rounding, eps (||M|| + |z|) ||s||, divided by a small root gap, exceeded what verify_rate
  // allows for the modes (a few eps ||M - zI|| ||s|| / gap). Found by
  // tests/property/test_property_rates.cpp.
  auto shifted = [&](const S& z) {
    Eigen::Matrix<S, 2, 2> A = M;
    A(0, 0) -= z;
    A(1, 1) -= z;
    return Eigen::Matrix<S, 2, 1>(A * s);
  };
  if (sp.double_root) {
    md.kind = Modes<S>::Kind::jordan;
    md.z1 = md.z2 = sp.roots[0].re;
    md.modulus1 = md.modulus2 = abs(md.z1);
    md.theta = 0;
    md.y1 = s;
    md.y2 = shifted(md.z1);
    return md;
  }
  if (sp.roots[0].im != 0) {
    md.kind = Modes<S>::Kind::complex;
    md.z1 = sp.roots[0].re;
    md.z2 = abs(sp.roots[0].im);
    md.modulus1 = md.modulus2 = sp.rho;
    md.theta = atan2(md.z2, md.z1);
    md.y1 = s / 2;
    md.y2 = -shifted(md.z1) / (2 * md.z2);
    return md;
  }
  md.kind = Modes<S>::Kind::real;
  md.z1 = sp.roots[0].re;
  md.z2 = sp.roots[1].re;
  md.modulus1 = abs(md.z1);
  md.modulus2 = abs(md.z2);
  md.theta = 0;
  // y2 = (z1 I - M) s/(z1 - z2) and y1 = s - y2 (the same in exact arithmetic: the Lagrange
  // interpolant of x^t at z1, z2 applied to s), divided by z1 - z2 as computed from the two
  // roots: then y1 + y2 = s (t = 0) and z1 y1 + z2 y2 = M s (t = 1) hold to rounding whatever
  // the roots' errors, and the rounding of y2 (eps ||M - z1 I|| ||s|| / |z1 - z2|, large next to
  // a double root) enters the prediction only as (z2^t - z1^t) dy2, growing like t as
  // verify_rate's tolerance does. Computing each mode on its own, divided by sqrt(Delta), left
  // y1 + y2 off s by eps |z1|/|z1 - z2| relative, and by eps ||M - zI||/|z1 - z2| where the start
  // is close to an eigenvector: beyond that tolerance at t = 0. Found by
  // tests/property/test_property_rates.cpp.
  const S gap = md.z1 - md.z2;
  md.y2 = -shifted(md.z1) / gap;
  md.y1 = s - md.y2;
  return md;
}

namespace detail {

/// sup_t t q^t over t >= 1 for 0 <= q < 1: q if ln(1/q) >= 1, else at most 1/(e ln(1/q)).
template <class S>
S sup_t_power(const S& q) {
  using std::exp;
  using std::log;
  if (q <= 0) return S(0);
  const S l = -log(q);
  if (l >= 1) return q;
  return 1 / (exp(S(1)) * l);
}

/// One eigen-coordinate as a 2x2 system: gradient descent's 1x1 [q] is embedded as
/// diag(q, 0) acting on [z; 0], so every method is handled by the same 2x2 formulas.
/// x_index is the position of the error z in the state ([z; z-] for heavy ball, Nesterov and
/// TwoState, [v; z], [b_{t-1}; z], [g; z] for the velocity form, PyTorch and QHM, [z; 0] for
/// gradient descent).
template <class S>
struct Block {
  Eigen::Matrix<S, 2, 2> M;
  Spectrum<S> sp;
  int x_index = 0;
};

template <class Method, class S>
Block<S> block(const Method& method, const S& lambda) {
  Block<S> b;
  if constexpr (Method::state_size == 1) {
    b.M.setZero();
    b.M(0, 0) = iteration_matrix(method, lambda)(0, 0);
    b.sp = spectrum_2x2(b.M);
  } else {
    b.M = iteration_matrix(method, lambda);
    b.sp = spectrum(method, lambda);
  }
  b.x_index = x_last<Method>() ? 1 : 0;
  return b;
}

/// The block state of one coordinate from its error z and second state w, laid out as the
/// method keeps it: [z; 0] (one state), [w; z] (x last) or [z; w]. block_state(method, ...) and
/// MethodForm::block_state use it. (w is z_{-1} for heavy
/// ball, Nesterov and TwoState, v, b_{-1}, g for the velocity form, PyTorch and QHM, ignored
/// for gradient descent).
template <class S>
Eigen::Matrix<S, 2, 1> layout_state(int states, bool x_at_end, const S& z, const S& w) {
  Eigen::Matrix<S, 2, 1> s;
  if (states == 1) {
    s(0) = z;
    s(1) = 0;
  } else if (x_at_end) {
    s(0) = w;
    s(1) = z;
  } else {
    s(0) = z;
    s(1) = w;
  }
  return s;
}
template <class Method, class S>
Eigen::Matrix<S, 2, 1> block_state(const Method&, const S& z, const S& w) {
  return layout_state(Method::state_size, x_last<Method>(), z, w);
}

}  // namespace detail

}  // namespace momentum

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp).
#define MOMENTUM_POWERS_INSTANCES(EXTERN, S)                                                 \
  EXTERN template momentum::PowerCoefficients<S> momentum::power_coefficients<S>(            \
      const momentum::Spectrum<S>&, long long);                                              \
  EXTERN template momentum::TransientPeak<S> momentum::transient_peak<S>(                    \
      const Eigen::Matrix<S, 2, 2>&, const momentum::Spectrum<S>&, long long);               \
  EXTERN template momentum::Modes<S> momentum::modes<S>(                                     \
      const Eigen::Matrix<S, 2, 2>&, const momentum::Spectrum<S>&,                           \
      const Eigen::Matrix<S, 2, 1>&);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_POWERS_INSTANCES)
