#pragma once
/// \file landscape.hpp
/// The rate landscape: the worst-case spectral radius over a grid of (step, beta) for a spectrum
/// in [mu, L] (SPEC sections 3 and 5), equal at every point to
/// worst_case(Method(step, beta), mu, L).rho, with a vectorized path for double.
///
/// Why the double path is exact. worst_case evaluates, at each end, the closed forms of
/// spectrum.hpp: the factored discriminant and its error bound (heavy_ball_polynomial,
/// nesterov_polynomial), then picks |p|/2 (double root), sqrt(d) (complex) or
/// (|p| + sqrt(delta))/2 (real), then its tie rule between the two ends. The vectorized kernel
/// below performs the same IEEE operations in the same order on every lane: the terms that
/// depend on beta alone are hoisted per column, those that depend on the step alone per row,
/// and each branch is a lane-wise select. Every operation is correctly rounded, so the results
/// are bitwise identical to the scalar code's, as long as the compiler does not contract
/// a * b + c into a fused multiply-add in one of the two (it does not on the default x86-64
/// target, which has no FMA; with -march=native it may, and then the two differ by a few ulps,
/// or, for a point within its discriminant's error bound of a double root, by up to the
/// sqrt(discriminant_error) the double root's ill-conditioning allows). The square root is the
/// hardware's correctly rounded one (landscape_simd::exact_sqrt), not Eigen's psqrt.

#include <momentum/worst_case.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace momentum {

namespace detail {

/// The radius branch of monic_quadratic (spectrum.hpp) alone, operation for operation:
/// |p|/2 at a double root (|delta| within its error bound), sqrt(d) for a complex pair,
/// |(p +- sqrt(delta))/2| for real roots.
template <class Scalar>
Scalar monic_radius(const MonicQuadratic<Scalar>& c) {
  using std::abs;
  using std::sqrt;
  if (abs(c.delta) <= c.delta_error) {
    const Scalar z = c.p / 2;
    return abs(z);
  }
  if (c.delta < 0) return sqrt(c.d);
  const Scalar r = sqrt(c.delta);
  const Scalar z1 = c.p >= 0 ? Scalar((c.p + r) / 2) : Scalar((c.p - r) / 2);
  return abs(z1);
}

template <template <class> class Method>
constexpr bool is_landscape_method =
    std::is_same_v<Method<double>, GradientDescent<double>> ||
    std::is_same_v<Method<double>, HeavyBall<double>> ||
    std::is_same_v<Method<double>, Velocity<double>> ||
    std::is_same_v<Method<double>, Nesterov<double>>;

/// spectral_radius(Method(step, beta), lambda), by the same operations as spectrum.hpp (beta
/// is unused by gradient descent). The velocity form has the heavy ball's polynomial.
template <template <class> class Method, class Scalar>
Scalar end_radius(const Scalar& step, const Scalar& beta, const Scalar& lambda) {
  using std::abs;
  // The same overflow checks as spectrum(): a polynomial the type cannot hold throws
  // std::overflow_error rather than yield a wrong radius.
  if constexpr (std::is_same_v<Method<Scalar>, GradientDescent<Scalar>>) {
    (void)beta;
    const Scalar q = 1 - step * lambda;
    if (!is_finite(q))
      polynomial_overflow("gradient_descent", "eta", step, lambda, static_cast<const Scalar*>(nullptr));
    return abs(q);
  } else if constexpr (std::is_same_v<Method<Scalar>, Nesterov<Scalar>>) {
    const auto c = nesterov_polynomial(Scalar(step * lambda), beta);
    if (!representable(c)) polynomial_overflow("nesterov", "alpha", step, lambda, &beta);
    return monic_radius(c);
  } else {
    const auto c = heavy_ball_polynomial(Scalar(step * lambda), beta);
    if (!representable(c))
      polynomial_overflow(std::is_same_v<Method<Scalar>, Velocity<Scalar>> ? "velocity" : "heavy_ball",
                          std::is_same_v<Method<Scalar>, Velocity<Scalar>> ? "eta" : "alpha", step,
                          lambda, &beta);
    return monic_radius(c);
  }
}

/// Whether every polynomial of the grid is surely finite, so that the vectorized double path
/// (which has no overflow checks) computes what the checked scalar code would. With
/// S = max |step| * L and B = max |beta|, X = (2 + S)(2 + B) bounds |p| and |q|, and 2 X^2
/// bounds the discriminants (heavy ball: (S + (1 + sqrt B)^2)^2 + 4B; Nesterov:
/// |q|((1 + B)^2 |q| + 4B)), their error bounds and p^2 + 4|d|.
template <class Scalar>
bool grid_surely_finite(const std::vector<Scalar>& steps, const std::vector<Scalar>& betas,
                        const Scalar& L) {
  using std::abs;
  using std::sqrt;
  Scalar S(0), B(0);
  for (const Scalar& s : steps) S = std::max(S, Scalar(abs(s)));
  for (const Scalar& b : betas) B = std::max(B, Scalar(abs(b)));
  const Scalar X = (2 + S * L) * (2 + B);
  return is_finite(X) && X <= sqrt((std::numeric_limits<Scalar>::max)() / 64);
}

/// worst_case's choice between the radii at lambda_min and lambda_max: the one at lambda_min
/// when they tie to 16 epsilon (detail::ties), else the larger; 0 if neither compares (NaN),
/// as worst_case leaves it.
template <class Scalar>
Scalar worse_end(const Scalar& at_min, const Scalar& at_max) {
  if (ties(at_min, at_max) || at_min > at_max) return at_min;
  if (at_max > at_min) return at_max;
  return Scalar(0);
}

/// Runs fn(first_column, end_column) over [0, columns) split into `threads` contiguous blocks,
/// the first on the calling thread. If the system refuses a thread, its blocks run here.
template <class Fn>
void for_column_blocks(Eigen::Index columns, unsigned threads, const Fn& fn) {
  Eigen::Index t = threads == 0 ? Eigen::Index(std::max(1u, std::thread::hardware_concurrency()))
                                : Eigen::Index(threads);
  t = std::min(t, columns);
  if (t <= 1) {
    fn(Eigen::Index(0), columns);
    return;
  }
  auto bound = [&](Eigen::Index k) { return columns * k / t; };
  std::vector<std::thread> pool;
  pool.reserve(std::size_t(t - 1));
  Eigen::Index started = 1;  // blocks [0, started) are taken: block 0 by this thread
  try {
    for (; started < t; ++started) pool.emplace_back(fn, bound(started), bound(started + 1));
  } catch (const std::system_error&) {
    // No more threads: this thread takes the blocks that have none.
  }
  fn(bound(0), bound(1));
  if (started < t) fn(bound(started), columns);
  for (std::thread& th : pool) th.join();
}

/// The vectorized double path: Eigen's packets (SSE2 on the default x86-64 target, wider
/// when the compiler is told the machine has AVX or AVX-512; NEON on AArch64).
namespace landscape_simd {

namespace ei = Eigen::internal;
using Packet = ei::packet_traits<double>::type;

/// A correctly rounded square root, lane-wise. Eigen's psqrt is not one everywhere: with
/// AVX-512 and EIGEN_FAST_MATH (its default) Packet8d's is a Newton-refined reciprocal square
/// root estimate, an ulp off and NaN at infinity. Where no such instruction is known here, the
/// double path falls back to the generic one (width 1).
#if defined(EIGEN_VECTORIZE_AVX512)
inline Packet exact_sqrt(const Packet& x) { return _mm512_sqrt_pd(x); }
constexpr bool exact_sqrt_known = true;
#elif defined(EIGEN_VECTORIZE_AVX)
inline Packet exact_sqrt(const Packet& x) { return _mm256_sqrt_pd(x); }
constexpr bool exact_sqrt_known = true;
#elif defined(EIGEN_VECTORIZE_SSE2)
inline Packet exact_sqrt(const Packet& x) { return _mm_sqrt_pd(x); }
constexpr bool exact_sqrt_known = true;
#elif defined(EIGEN_VECTORIZE_NEON) && EIGEN_ARCH_ARM64
inline Packet exact_sqrt(const Packet& x) { return vsqrtq_f64(x); }
constexpr bool exact_sqrt_known = true;
#else
inline Packet exact_sqrt(const Packet& x) { return ei::psqrt(x); }  // unused
constexpr bool exact_sqrt_known = false;
#endif
constexpr Eigen::Index width = exact_sqrt_known ? Eigen::Index(ei::packet_traits<double>::size) : 1;

inline Packet splat(double x) { return ei::pset1<Packet>(x); }
/// detail::worse_end, lane-wise. Radii are >= 0 or NaN, so max(1, max(|a|, |b|)) is
/// pmax(1, pmax(a, b)) wherever it matters (a NaN lane fails the tie test whatever the scale),
/// and "b where a < b, else +0" is a bitwise and with the comparison's mask.
inline Packet worse_end(const Packet& a, const Packet& b) {
  const Packet scale = ei::pmax(splat(1), ei::pmax(a, b));
  const Packet tol = ei::pmul(splat(boundary_ulps * epsilon<double>()), scale);
  const Packet tie = ei::pcmp_le(ei::pabs(ei::psub(a, b)), tol);
  const Packet take_a = ei::por(tie, ei::pcmp_lt(b, a));
  return ei::pselect(take_a, a, ei::pand(b, ei::pcmp_lt(a, b)));
}
/// monic_radius, lane-wise, given p, delta, its error bound and sqrt(d) (used where delta < 0).
inline Packet radius(const Packet& p, const Packet& delta, const Packet& error,
                     const Packet& complex_radius, const Packet& root_of_delta) {
  const Packet ap = ei::pabs(p), half = splat(0.5);  // x * 0.5 == x / 2 exactly
  const Packet real = ei::pmul(ei::padd(ap, root_of_delta), half);
  const Packet off = ei::pselect(ei::pcmp_lt(delta, ei::pzero(delta)), complex_radius, real);
  return ei::pselect(ei::pcmp_le(ei::pabs(delta), error), ei::pmul(ap, half), off);
}

/// The lanes a screen U > delta_error cannot clear: unless U <= |delta| < infinity (an
/// infinite |delta| may meet an infinite error bound; a NaN compares false).
inline Packet may_be_critical(const Packet& delta, const Packet& bound) {
  const Packet ad = ei::pabs(delta);
  return ei::por(ei::pcmp_lt_or_nan(ad, bound),
                 ei::pcmp_lt(splat(std::numeric_limits<double>::max()), ad));
}

/// Terms of one eigenvalue that depend on the step alone, one entry per step.
struct RowTerms {
  std::vector<double> a, b, c;
};
/// Plain pointers into RowTerms for the loop (the compiler then need not reload them after
/// each store to the output).
struct RowView {
  const double *a, *b, *c;
  explicit RowView(const RowTerms& t) : a(t.a.data()), b(t.b.data()), c(t.c.data()) {}
  Packet load_a(Eigen::Index i) const { return ei::ploadu<Packet>(a + i); }
  Packet load_b(Eigen::Index i) const { return ei::ploadu<Packet>(b + i); }
  Packet load_c(Eigen::Index i) const { return ei::ploadu<Packet>(c + i); }
};

/// Heavy ball / velocity form, beta >= 0: heavy_ball_polynomial's factored branch.
/// Row terms: a = s = step*lambda, b = 3|s|.
///
/// Most points are far from a double root, where the error bound of the discriminant only
/// serves to say "not critical". A cheaper bound U >= delta_error screens them: with
/// C = hi + sb(1 + sb) >= lo + sb|1 - sqrt beta| and D = lo + hi,
///   delta_error = 8 eps (e1'|f2| + e2'|f1|) <= 8 eps (3|s| + C)(|f1| + |f2|)
///               <= 8 eps (3|s| + C)(2|s| + D) (1 + O(eps)),
/// and U = 16 eps ((2/3)(3|s|)^2 + (D + 2C/3)(3|s|) + C D) keeps a factor 2 over that for the
/// rounding of both. U >= 16 eps (D >= 1, C >= 1) never underflows; an overflow gives U = inf or
/// NaN, which screens nothing. Where |delta| >= U for every lane, no lane is critical and the
/// exact error bound is not needed; otherwise (a packet near a double root, rare) the packet is
/// evaluated in full.
struct HeavyBallColumn {
  double opb, sb, lo, hi, sbl, sbh, k2, k1, k0;
  explicit HeavyBallColumn(double beta) {
    using std::abs;
    using std::sqrt;
    opb = 1 + beta;
    sb = sqrt(beta);
    const double lo_root = (1 - beta) / (1 + sb);
    lo = lo_root * lo_root;
    hi = (1 + sb) * (1 + sb);
    sbl = sb * abs(lo_root);
    sbh = sb * (1 + sb);
    const double eps = epsilon<double>(), C = hi + sbh, D = lo + hi;
    k2 = 16 * eps * 2 / 3;
    k1 = 16 * eps * (D + 2 * C / 3);
    k0 = 16 * eps * (C * D);
  }
  /// Everything, as heavy_ball_polynomial and monic_quadratic.
  Packet exact(const Packet& s, const Packet& t3) const {
    const Packet eps = splat(epsilon<double>());
    const Packet tau = ei::psub(splat(opb), s);
    const Packet f1 = ei::psub(s, splat(lo)), f2 = ei::psub(s, splat(hi));
    const Packet delta = ei::pmul(f1, f2);
    const Packet e1 = ei::pmul(eps, ei::padd(ei::padd(t3, splat(lo)), splat(sbl)));
    const Packet e2 = ei::pmul(eps, ei::padd(ei::padd(t3, splat(hi)), splat(sbh)));
    const Packet error = ei::pmul(splat(discriminant_ulps),
                                  ei::padd(ei::pmul(e1, ei::pabs(f2)), ei::pmul(e2, ei::pabs(f1))));
    return radius(tau, delta, error, splat(sb), exact_sqrt(delta));
  }
  /// The radius where the screen has ruled out a double root: sqrt(beta) or (|tau| + sqrt(delta))/2.
  Packet off_critical(const Packet& tau, const Packet& delta) const {
    const Packet real = ei::pmul(ei::padd(ei::pabs(tau), exact_sqrt(delta)), splat(0.5));
    return ei::pselect(ei::pcmp_lt(delta, ei::pzero(delta)), splat(sb), real);
  }
  Packet operator()(const RowView& at_mu, const RowView& at_L, Eigen::Index i) const {
    const Packet s0 = at_mu.load_a(i), t0 = at_mu.load_b(i);
    const Packet s1 = at_L.load_a(i), t1 = at_L.load_b(i);
    const Packet tau0 = ei::psub(splat(opb), s0), tau1 = ei::psub(splat(opb), s1);
    const Packet d0 = ei::pmul(ei::psub(s0, splat(lo)), ei::psub(s0, splat(hi)));
    const Packet d1 = ei::pmul(ei::psub(s1, splat(lo)), ei::psub(s1, splat(hi)));
    auto bound = [&](const Packet& t3) {
      return ei::padd(ei::pmul(ei::padd(ei::pmul(splat(k2), t3), splat(k1)), t3), splat(k0));
    };
    const Packet maybe = ei::por(may_be_critical(d0, bound(t0)), may_be_critical(d1, bound(t1)));
    if (ei::predux_any(maybe)) return worse_end(exact(s0, t0), exact(s1, t1));
    return worse_end(off_critical(tau0, d0), off_critical(tau1, d1));
  }
};

/// Heavy ball / velocity form, beta < 0: tau^2 - 4 beta, a sum of non-negative terms.
struct HeavyBallNegativeColumn {
  double opb, four_beta, sb;
  explicit HeavyBallNegativeColumn(double beta) {
    using std::sqrt;
    opb = 1 + beta;
    four_beta = 4 * beta;
    sb = sqrt(beta);  // NaN, as in monic_quadratic; never selected (delta >= 0)
  }
  Packet exact(const Packet& s) const {
    const Packet tau = ei::psub(splat(opb), s);
    const Packet delta = ei::psub(ei::pmul(tau, tau), splat(four_beta));
    const Packet error = ei::pmul(splat(discriminant_ulps * epsilon<double>()), delta);
    return radius(tau, delta, error, splat(sb), exact_sqrt(delta));
  }
  Packet operator()(const RowView& at_mu, const RowView& at_L, Eigen::Index i) const {
    return worse_end(exact(at_mu.load_a(i)), exact(at_L.load_a(i)));
  }
};

/// Nesterov: nesterov_polynomial. Row terms: a = q = 1 - s, b = s, c = eq = eps (|q| + 3|s|).
///
/// Screened like the heavy ball: with inner = lo - b1 s, lo = (1 - beta)^2, b1 = (1 + beta)^2,
/// |inner| <= lo + b1|s| and |2(1 - beta) + 2(1 + beta) s| <= 2|1 - beta| + 2|1 + beta||s|, so
///   delta_error <= 8 (eq (lo + b1|s|) + eps |q| (c0 + c1|s|)) (1 + O(eps)),
///   c0 = 4 lo + 2|beta||1 - beta|,  c1 = 7 b1 + 2|beta||1 + beta|,
/// and U is twice that plus the smallest normal number, so that U > delta_error also where
/// the latter is 0 (q = 0, or s = 0 and beta = 1).
struct NesterovColumn {
  double beta, opb, lo, b1, four_lo, seven_b1, abs_beta, two_omb, two_opb, c0, c1;
  explicit NesterovColumn(double beta_) : beta(beta_) {
    using std::abs;
    opb = 1 + beta;
    lo = (1 - beta) * (1 - beta);
    b1 = (1 + beta) * (1 + beta);
    four_lo = 4 * lo;
    seven_b1 = 7 * b1;
    abs_beta = abs(beta);
    two_omb = 2 * (1 - beta);
    two_opb = 2 * (1 + beta);
    c0 = 4 * lo + 2 * abs_beta * abs(1 - beta);
    c1 = 7 * b1 + 2 * abs_beta * abs(1 + beta);
  }
  /// Everything, as nesterov_polynomial and monic_quadratic (the same operations in the same
  /// order, so the same bits).
  Packet exact(const Packet& q, const Packet& s, const Packet& eq) const {
    const Packet eps = splat(epsilon<double>());
    const Packet aq = ei::pabs(q), as = ei::pabs(s);
    const Packet inner = ei::psub(splat(lo), ei::pmul(splat(b1), s));
    const Packet lin = ei::pabs(ei::padd(splat(two_omb), ei::pmul(splat(two_opb), s)));
    const Packet sum = ei::padd(ei::padd(splat(four_lo), ei::pmul(splat(seven_b1), as)),
                                ei::pmul(splat(abs_beta), lin));
    const Packet e_inner = ei::pmul(eps, sum);
    const Packet p = ei::pmul(splat(opb), q), d = ei::pmul(splat(beta), q);
    const Packet delta = ei::pmul(q, inner);
    const Packet error = ei::pmul(splat(discriminant_ulps),
                                  ei::padd(ei::pmul(eq, ei::pabs(inner)), ei::pmul(aq, e_inner)));
    const Packet neg = ei::pcmp_lt(delta, ei::pzero(delta));
    const Packet root = exact_sqrt(ei::pselect(neg, d, delta));  // one square root per lane
    return radius(p, delta, error, root, root);
  }
  /// The radius where the screen has ruled out a double root.
  Packet off_critical(const Packet& q, const Packet& delta) const {
    const Packet neg = ei::pcmp_lt(delta, ei::pzero(delta));
    const Packet root = exact_sqrt(ei::pselect(neg, ei::pmul(splat(beta), q), delta));
    const Packet p = ei::pmul(splat(opb), q);
    const Packet real = ei::pmul(ei::padd(ei::pabs(p), root), splat(0.5));
    return ei::pselect(neg, root, real);
  }
  Packet operator()(const RowView& at_mu, const RowView& at_L, Eigen::Index i) const {
    const Packet q0 = at_mu.load_a(i), s0 = at_mu.load_b(i), eq0 = at_mu.load_c(i);
    const Packet q1 = at_L.load_a(i), s1 = at_L.load_b(i), eq1 = at_L.load_c(i);
    const Packet d0 = ei::pmul(q0, ei::psub(splat(lo), ei::pmul(splat(b1), s0)));
    const Packet d1 = ei::pmul(q1, ei::psub(splat(lo), ei::pmul(splat(b1), s1)));
    auto bound = [&](const Packet& q, const Packet& s, const Packet& eq) {
      const Packet as = ei::pabs(s);
      const Packet t_eq = ei::pmul(eq, ei::padd(splat(lo), ei::pmul(splat(b1), as)));
      const Packet t_q = ei::pmul(ei::pmul(splat(epsilon<double>()), ei::pabs(q)),
                                  ei::padd(splat(c0), ei::pmul(splat(c1), as)));
      return ei::padd(ei::pmul(splat(16), ei::padd(t_eq, t_q)),
                      splat(std::numeric_limits<double>::min()));
    };
    const Packet maybe = ei::por(may_be_critical(d0, bound(q0, s0, eq0)),
                                 may_be_critical(d1, bound(q1, s1, eq1)));
    if (ei::predux_any(maybe)) return worse_end(exact(q0, s0, eq0), exact(q1, s1, eq1));
    return worse_end(off_critical(q0, d0), off_critical(q1, d1));
  }
};

/// One column (fixed beta) of the double landscape over all steps.
template <template <class> class Method>
void column(const std::vector<double>& steps, double beta, double mu, double L,
            const RowTerms& at_mu, const RowTerms& at_L, double* out) {
  const Eigen::Index n = Eigen::Index(steps.size());
  Eigen::Index i = 0;
  const RowView view_mu(at_mu), view_L(at_L);
  auto run = [&](const auto& kernel) {
    for (; i + width <= n; i += width) ei::pstoreu(out + i, kernel(view_mu, view_L, i));
  };
  if constexpr (std::is_same_v<Method<double>, Nesterov<double>>) {
    run(NesterovColumn(beta));
  } else {
    if (beta < 0) run(HeavyBallNegativeColumn(beta));
    else run(HeavyBallColumn(beta));
  }
  // The last steps that do not fill a packet: the scalar code itself.
  for (; i < n; ++i)
    out[i] = detail::worse_end(end_radius<Method>(steps[std::size_t(i)], beta, mu),
                               end_radius<Method>(steps[std::size_t(i)], beta, L));
}

/// The terms of the steps for one eigenvalue (see the column kernels).
template <template <class> class Method>
RowTerms row_terms(const std::vector<double>& steps, double lambda) {
  using std::abs;
  RowTerms t;
  const std::size_t n = steps.size();
  t.a.resize(n);
  t.b.resize(n);
  if constexpr (std::is_same_v<Method<double>, Nesterov<double>>) {
    t.c.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double s = steps[i] * lambda, q = 1 - s;
      t.a[i] = q;
      t.b[i] = s;
      t.c[i] = epsilon<double>() * (abs(q) + 3 * abs(s));
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const double s = steps[i] * lambda;
      t.a[i] = s;
      t.b[i] = 3 * abs(s);
    }
  }
  return t;
}

}  // namespace landscape_simd

template <class Derived>
void require_grid(const Eigen::MatrixBase<Derived>& v, const char* name) {
  if (v.size() == 0)
    throw std::invalid_argument(std::string("rate_landscape: ") + name + " must not be empty");
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!is_finite(v(i)))
      throw std::invalid_argument(std::string("rate_landscape: ") + name +
                                  " must be finite, got " + to_string(v(i), 17) + " at index " +
                                  std::to_string(i));
}

}  // namespace detail

/// The rate landscape of a method over a grid of (step, beta) for a spectrum in [mu, L]:
/// rho(i, j) = worst_case(Method<Scalar>(steps(i), betas(j)), mu, L).rho
///           = max(rho(mu), rho(L)) for the closed-form radius rho(lambda) of SPEC section 3
/// (the maximum over [mu, L] is at an end point, SPEC section 5; at a tie to 16 epsilon the value
/// at mu, as worst_case). The result is that of worst_case bit for bit: the generic path calls
/// the same closed forms, and the double path repeats their operations lane by lane (file
/// comment). Gradient descent ignores beta: its columns are equal.
/// The regime of a point is worst_case(...).regime; it is not computed here.
/// Cost: two closed forms per point; for double, a vectorized loop over the steps of each beta
/// (about 3 ns per point on one core with the default x86-64 target's SSE2, 1-1.5 ns with
/// AVX-512), split over `threads`.
///
/// \tparam Method GradientDescent, HeavyBall, Velocity or Nesterov: rate_landscape<HeavyBall>(...).
/// \param steps the steps (alpha, or eta for gradient descent and the velocity form), any finite
///        values in any order: divergent points get rho >= 1 (rho(i, j) is a value, not an error).
/// \param betas the momenta, any finite values (beta < 0 and beta >= 1 included).
/// \param mu, L the ends of the spectrum, 0 < mu <= L, finite.
/// \param threads threads for double, long double and float: 1 (the default) computes on the
///        calling thread, 0 uses std::thread::hardware_concurrency(), k > 1 splits the betas into
///        k blocks. The result does not depend on it. Multiprecision scalars always run on the
///        calling thread (MPFR's working precision is set per thread).
/// \returns a steps.size() x betas.size() matrix, column j holding betas(j) (contiguous over the
///          steps).
/// \throws std::invalid_argument if steps or betas is empty or has a NaN or infinite entry, or
///         unless 0 < mu <= L, both finite; the message names the argument.
/// \throws std::overflow_error, as spectrum(), where a point's polynomial overflows Scalar
///         (double: |step * L| or |beta| beyond about 1e154).
/// \note Proof: proofs/README.md, theorem 5 (the worst case is at an end point).
template <template <class> class Method, class DerivedS, class DerivedB>
Matrix<typename DerivedS::Scalar> rate_landscape(const Eigen::MatrixBase<DerivedS>& steps,
                                                 const Eigen::MatrixBase<DerivedB>& betas,
                                                 const typename DerivedS::Scalar& mu,
                                                 const typename DerivedS::Scalar& L,
                                                 unsigned threads = 1) {
  using Scalar = typename DerivedS::Scalar;
  static_assert(detail::is_landscape_method<Method>,
                "rate_landscape: Method must be GradientDescent, HeavyBall, Velocity or Nesterov");
  static_assert(std::is_same_v<Scalar, typename DerivedB::Scalar>,
                "rate_landscape: steps and betas must have the same scalar type");
  static_assert(DerivedS::IsVectorAtCompileTime && DerivedB::IsVectorAtCompileTime,
                "rate_landscape: steps and betas must be vectors");
  detail::require_eigenvalue(mu, "rate_landscape", "mu");
  detail::require_eigenvalue(L, "rate_landscape", "L");
  if (L < mu)
    throw std::invalid_argument("rate_landscape: L must be at least mu, got L = " +
                                to_string(L, 17) + " < mu = " + to_string(mu, 17));
  detail::require_grid(steps, "steps");
  detail::require_grid(betas, "betas");

  const Eigen::Index n = steps.size(), m = betas.size();
  Matrix<Scalar> rho(n, m);
  std::vector<Scalar> step_list(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) step_list[std::size_t(i)] = steps(i);
  std::vector<Scalar> beta_list(static_cast<std::size_t>(m));
  for (Eigen::Index j = 0; j < m; ++j) beta_list[std::size_t(j)] = betas(j);

  if constexpr (std::is_same_v<Method<Scalar>, GradientDescent<Scalar>>) {
    // No beta: one column, copied.
    for (Eigen::Index i = 0; i < n; ++i) {
      const Scalar& s = step_list[std::size_t(i)];
      rho(i, 0) = detail::worse_end(detail::end_radius<Method>(s, Scalar(0), mu),
                                    detail::end_radius<Method>(s, Scalar(0), L));
    }
    for (Eigen::Index j = 1; j < m; ++j) rho.col(j) = rho.col(0);
    return rho;
  } else if constexpr (std::is_same_v<Scalar, double> && detail::landscape_simd::width > 1) {
    if (!detail::grid_surely_finite(step_list, beta_list, L)) {
      // Steps or betas near the top of double's range (beyond about 1e150): the checked scalar
      // code, on this thread (its overflow exception must not escape a worker thread).
      for (Eigen::Index j = 0; j < m; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
          rho(i, j) = detail::worse_end(
              detail::end_radius<Method>(step_list[std::size_t(i)], beta_list[std::size_t(j)], mu),
              detail::end_radius<Method>(step_list[std::size_t(i)], beta_list[std::size_t(j)], L));
      return rho;
    }
    namespace simd = detail::landscape_simd;
    const simd::RowTerms at_mu = simd::row_terms<Method>(step_list, mu);
    const simd::RowTerms at_L = simd::row_terms<Method>(step_list, L);
    double* out = rho.data();
    detail::for_column_blocks(m, threads, [&](Eigen::Index j0, Eigen::Index j1) {
      for (Eigen::Index j = j0; j < j1; ++j)
        simd::column<Method>(step_list, beta_list[std::size_t(j)], mu, L, at_mu, at_L,
                             out + j * n);
    });
    return rho;
  } else {
    auto block = [&](Eigen::Index j0, Eigen::Index j1) {
      for (Eigen::Index j = j0; j < j1; ++j) {
        const Scalar& b = beta_list[std::size_t(j)];
        for (Eigen::Index i = 0; i < n; ++i) {
          const Scalar& s = step_list[std::size_t(i)];
          rho(i, j) = detail::worse_end(detail::end_radius<Method>(s, b, mu),
                                        detail::end_radius<Method>(s, b, L));
        }
      }
    };
    // Worker threads only where no overflow can be thrown in them.
    if constexpr (std::is_floating_point_v<Scalar>) {
      if (detail::grid_surely_finite(step_list, beta_list, L)) detail::for_column_blocks(m, threads, block);
      else block(0, m);
    } else {
      block(0, m);
    }
    return rho;
  }
}

/// The rate landscape of any method over a rows x cols grid of points: rho(i, j) =
/// max(spectral_radius(make(i, j), mu), spectral_radius(make(i, j), L)), the worst case over a
/// spectrum in [mu, L] (at an end: the coefficients are affine in lambda, SPEC sections 5, 11;
/// at a tie to 16 epsilon the value at mu, as worst_case). `make(i, j)` returns the method of
/// grid point (i, j), e.g. TwoState<S>(alphas(i), betas(j), gamma), PyTorchSGD or QHM with two
/// of their parameters on the axes. The generic per-point path (two closed forms per point, on
/// the calling thread); the four named methods' fast columns are rate_landscape<Method>.
/// \throws std::invalid_argument if rows or cols is not positive, unless 0 < mu <= L, both
///         finite, or as make() (a parameter the method refuses); std::overflow_error as
///         spectrum().
template <class Scalar, class Make>
Matrix<Scalar> rate_landscape_of(const Make& make, Eigen::Index rows, Eigen::Index cols,
                                 const Scalar& mu, const Scalar& L) {
  detail::require_eigenvalue(mu, "rate_landscape", "mu");
  detail::require_eigenvalue(L, "rate_landscape", "L");
  if (L < mu)
    throw std::invalid_argument("rate_landscape: L must be at least mu, got L = " +
                                to_string(L, 17) + " < mu = " + to_string(mu, 17));
  if (rows <= 0 || cols <= 0)
    throw std::invalid_argument("rate_landscape: the grid must have at least one point, got " +
                                std::to_string(rows) + " x " + std::to_string(cols));
  Matrix<Scalar> rho(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) {
      const auto method = make(i, j);
      rho(i, j) = detail::worse_end(Scalar(spectral_radius(method, mu)),
                                    Scalar(spectral_radius(method, L)));
    }
  return rho;
}

}  // namespace momentum
