#pragma once
// Shared pieces of the property tests (tests/property): the seed and the case count (fixed
// defaults, overridable from the environment), a portable per-case random generator, the
// regime tally printed by every test, and the perturbation bound for the roots of a 2x2 that
// justifies the tolerances against the general eigen-solver.
//
// Reproducing a failure: every failing check prints "MOMENTUM_PROPERTY_SEED=<s> case <i>" and the
// case's parameters to 17 digits. Each case draws from its own generator, seeded from (seed,
// method, i), so rerunning with the same seed reproduces it whatever the case count.
#include "test_support.hpp"

#include <momentum/spectrum.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace momentum::property {

/// The seed: MOMENTUM_PROPERTY_SEED (a decimal integer) if set, else the test's fixed default.
inline std::uint64_t seed(std::uint64_t fixed_default) {
  const char* s = std::getenv("MOMENTUM_PROPERTY_SEED");
  if (s == nullptr || *s == '\0') return fixed_default;
  return std::strtoull(s, nullptr, 10);
}

/// Random cases per method for the cheapest property: MOMENTUM_PROPERTY_CASES if set (the
/// sanitizer configuration runs fewer), else 100000. Costlier properties run a stated fraction.
inline long long base_cases() {
  const char* s = std::getenv("MOMENTUM_PROPERTY_CASES");
  if (s == nullptr || *s == '\0') return 100000;
  const long long n = std::strtoll(s, nullptr, 10);
  return n > 0 ? n : 1;
}

/// `base_cases() / divisor`, at least `floor`.
inline long long scaled_cases(long long divisor, long long floor = 20) {
  const long long n = base_cases() / divisor;
  return n < floor ? floor : n;
}

/// SplitMix64 (Steele, Lea, Flood 2014): a portable generator, so that a seed means the same
/// cases on every standard library (std::uniform_real_distribution does not).
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// The generator of one case: independent of every other case.
class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    std::uint64_t s = seed;
    state_ = splitmix64(s) ^ (stream * 0xD1B54A32D192ED03ULL);
    s = state_ + index;
    state_ = splitmix64(s);
  }
  std::uint64_t next() { return splitmix64(state_); }
  /// Uniform in [0, 1), 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in (lo, hi) (never an end point unless lo == hi).
  double uniform(double lo, double hi) {
    double u;
    do u = unit();
    while (u == 0);
    return lo + (hi - lo) * u;
  }
  /// Uniform integer in [lo, hi].
  long long integer(long long lo, long long hi) {
    return lo + static_cast<long long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return unit() < p; }
  /// 10^U(lo, hi).
  double decade(double lo, double hi) { return std::pow(10.0, uniform(lo, hi)); }
  /// A dyadic k / 2^bits strictly inside (lo, hi): exact in double, and its square too
  /// (bits <= 26).
  double dyadic(double lo, double hi, int bits = 20) {
    const double scale = std::ldexp(1.0, bits);
    const long long a = static_cast<long long>(std::floor(lo * scale)) + 1;
    const long long b = static_cast<long long>(std::ceil(hi * scale)) - 1;
    return std::ldexp(static_cast<double>(integer(a, b)), -bits);
  }

 private:
  std::uint64_t state_;
};

/// The regimes the worst end of a spectrum can be in for Method: those of a 2x2 block for the
/// momentum methods (state size 2), those of a scalar recurrence for gradient descent.
template <class Method>
std::vector<Regime> regimes_of() {
  if constexpr (Method::state_size == 2)
    return {Regime::complex, Regime::real_distinct, Regime::critical, Regime::divergent};
  else
    return {Regime::monotone, Regime::oscillating, Regime::divergent};
}

/// "MOMENTUM_PROPERTY_SEED=<s> case <i>": what to set to rerun a failing case.
inline std::string where(std::uint64_t seed, long long index) {
  std::ostringstream o;
  o << "MOMENTUM_PROPERTY_SEED=" << seed << " case " << index;
  return o.str();
}

/// Cases per regime, printed with the test's output and checked for coverage.
struct Tally {
  std::map<std::string, long long> count;
  long long total = 0;
  void add(const std::string& label) {
    ++count[label];
    ++total;
  }
  void add(Regime r) { add(std::string(to_string(r))); }
  long long operator[](const std::string& label) const {
    const auto it = count.find(label);
    return it == count.end() ? 0 : it->second;
  }
  long long operator[](Regime r) const { return (*this)[std::string(to_string(r))]; }
  std::string str() const {
    std::ostringstream o;
    o << total << " cases:";
    for (const auto& [label, n] : count) o << " " << label << " " << n;
    return o.str();
  }
};

/// How far the roots of a 2x2 M can move under a perturbation E with ||E||_F <= delta.
/// Both root sets are (p -+ sqrt(D))/2 for z^2 - p z + d, D = p^2 - 4d. With dp = tr E,
/// dd = det(M + E) - det M = tr(adj(M) E) + det E and dD = 2 p dp + dp^2 - 4 dd:
///   |dp| <= sqrt(2) delta,  |dd| <= ||M||_F delta + delta^2 / 2   (||adj M||_F = ||M||_F).
/// For any complex a, b: (sqrt a - sqrt b)(sqrt a + sqrt b) = a - b, so one of the two sign
/// choices is within sqrt|a - b| (and within |a - b| / sqrt|a|, as the other is at least
/// sqrt|a|). Every perturbed root is therefore within
///   |dp|/2 + min(sqrt|dD|, |dD| / sqrt|D|)/2
/// of an unperturbed one, and the spectral radius moves by at most as much. This is first-order
/// sharp away from a double root and sqrt(delta)-sharp at one (a Jordan block).
template <class T>
T root_shift_bound(const T& p, const T& D, const T& norm_f, const T& delta) {
  using std::abs;
  using std::min;
  using std::sqrt;
  const T dp = sqrt(T(2)) * delta;
  const T dd = norm_f * delta + delta * delta / 2;
  const T dD = 2 * abs(p) * dp + dp * dp + 4 * dd;
  T shift = sqrt(dD);
  if (D != 0) shift = min(shift, T(dD / sqrt(abs(D))));
  return dp / 2 + shift / 2;
}

/// Same bound when the perturbation is given directly on the coefficients (|dp|, |dd|).
template <class T>
T root_shift_bound_coefficients(const T& p, const T& D, const T& dp, const T& dd) {
  using std::abs;
  using std::min;
  using std::sqrt;
  const T dD = 2 * abs(p) * dp + dp * dp + 4 * dd;
  T shift = sqrt(dD);
  if (D != 0) shift = min(shift, T(dD / sqrt(abs(D))));
  return dp / 2 + shift / 2;
}

/// The largest modulus of the roots of z^2 - p z + d with D = p^2 - 4d.
template <class T>
T quadratic_radius(const T& p, const T& d, const T& D) {
  using std::abs;
  using std::sqrt;
  return D >= 0 ? T((abs(p) + sqrt(D)) / 2) : T(sqrt(d));
}

/// The error of a computed radius against the exact one that the library's contract allows
/// (spectrum.hpp's error model): rho_error, plus, when the case was classified as a double root
/// although the exact discriminant D is not zero, the split sqrt|D|/2 of the true roots around
/// their mean |p|/2 (the library reports the mean, exact for inputs within an ulp).
template <class S>
S allowed_radius_error(const Spectrum<S>& sp, const S& exact_discriminant) {
  using std::abs;
  using std::sqrt;
  S allowed = sp.rho_error;
  if (sp.double_root) allowed += sqrt(abs(exact_discriminant)) / 2;
  return allowed;
}

/// How much the radius and the discriminant of z^2 - p z + d move when each input (step, beta,
/// lambda) is perturbed by 4 ulps of T, to first order (from the polynomial's derivatives), and
/// the scale (1 + |beta|)(1 + |s|) of the result's rounding. s = step lambda moves by 4 eps |s|
/// for each of step and lambda. The radius moves by at most dp/2 + min(sqrt dD, dD/sqrt|D|)/2
/// (root_shift_bound_coefficients' argument).
///
/// Why it is the yardstick: a stable closed form computes the exact radius of inputs a few ulps
/// away from the given ones and then rounds (spectrum.hpp's error model: each factor carries a
/// handful of roundings). Its error is therefore at most a small multiple of `rho` plus a few
/// ulps of `scale`, a few ulps away from a double root and sqrt(eps)-scale at one.
template <class T>
struct Sensitivity {
  T rho, D, scale;
};

template <class T>
Sensitivity<T> sensitivity_from(const T& D, const T& dp, const T& dD, const T& scale) {
  using std::abs;
  using std::min;
  using std::sqrt;
  const T shift = D != 0 ? T(min(T(sqrt(dD)), T(dD / sqrt(abs(D))))) : T(sqrt(dD));
  return {T(dp / 2 + shift / 2), dD, scale};
}

/// Gradient descent: rho = |1 - x|, x = eta lambda.
template <class T>
Sensitivity<T> sensitivity(const GradientDescent<T>& m, const T& lambda, const T&, const T&) {
  using std::abs;
  const T u = 4 * epsilon<T>(), x = abs(T(m.eta * lambda));
  return {T(2 * u * x), T(0), T(1 + x)};
}

/// Heavy ball and velocity form: p = 1 + beta - s, D = p^2 - 4 beta:
/// dp/ds = -1, dp/dbeta = 1, dD/ds = -2p, dD/dbeta = 2p - 4.
template <class T>
Sensitivity<T> sensitivity_heavy_ball(const T& s, const T& beta, const T& p, const T& D) {
  using std::abs;
  const T u = 4 * epsilon<T>();
  const T dp = u * (2 * abs(s) + abs(beta));
  const T dD = u * (2 * abs(s) * abs(T(2 * p)) + abs(beta) * abs(T(2 * p - 4)));
  return sensitivity_from(D, dp, dD, T((1 + abs(beta)) * (1 + abs(s))));
}
template <class T>
Sensitivity<T> sensitivity(const HeavyBall<T>& m, const T& lambda, const T& p, const T& D) {
  return sensitivity_heavy_ball(T(m.alpha * lambda), m.beta, p, D);
}
template <class T>
Sensitivity<T> sensitivity(const Velocity<T>& m, const T& lambda, const T& p, const T& D) {
  return sensitivity_heavy_ball(T(m.eta * lambda), m.beta, p, D);
}

/// Nesterov: q = 1 - s, p = (1 + beta) q, D = q ((1 + beta)^2 q - 4 beta):
/// dp/ds = -(1 + beta), dp/dbeta = q, dD/ds = -(2 (1 + beta)^2 q - 4 beta),
/// dD/dbeta = q (2 (1 + beta) q - 4).
template <class T>
Sensitivity<T> sensitivity(const Nesterov<T>& m, const T& lambda, const T&, const T& D) {
  using std::abs;
  const T u = 4 * epsilon<T>(), s = m.alpha * lambda, b = m.beta, q = 1 - s;
  const T dp = u * (2 * abs(s) * abs(T(1 + b)) + abs(b) * abs(q));
  const T dD = u * (2 * abs(s) * abs(T(2 * (1 + b) * (1 + b) * q - 4 * b)) +
                    abs(b) * abs(q) * abs(T(2 * (1 + b) * q - 4)));
  return sensitivity_from(D, dp, dD, T((1 + abs(b)) * (1 + abs(s))));
}

/// A method's parameters, to 17 digits, for failure messages.
template <class S>
std::string params(const GradientDescent<S>& m) {
  return "eta = " + test::str(m.eta, 17);
}
template <class S>
std::string params(const HeavyBall<S>& m) {
  return "alpha = " + test::str(m.alpha, 17) + ", beta = " + test::str(m.beta, 17);
}
template <class S>
std::string params(const Velocity<S>& m) {
  return "eta = " + test::str(m.eta, 17) + ", beta = " + test::str(m.beta, 17);
}
template <class S>
std::string params(const Nesterov<S>& m) {
  return "alpha = " + test::str(m.alpha, 17) + ", beta = " + test::str(m.beta, 17);
}

/// The reference for double inputs: 50-digit MPFR (doctest_main.cpp sets the precision).
using H = mpfr_float;

/// The characteristic polynomial z^2 - p z + d of exact double inputs at 50 digits (a product
/// of two doubles is exact there), its discriminant D = p^2 - 4d and radius. Gradient descent's
/// 1x1 "polynomial" z - p has D = 0 by convention.
struct Reference {
  H p, d, D, rho;
};

inline Reference reference_polynomial(const H& p, const H& d) {
  Reference ref{p, d, H(p * p - 4 * d), H(0)};
  ref.rho = quadratic_radius(ref.p, ref.d, ref.D);
  return ref;
}
inline Reference reference(const GradientDescent<H>& m, const H& lambda) {
  using std::abs;
  const H q = 1 - m.eta * lambda;
  return Reference{q, H(0), H(0), H(abs(q))};
}
inline Reference reference(const HeavyBall<H>& m, const H& lambda) {
  return reference_polynomial(H(1 + m.beta - m.alpha * lambda), m.beta);
}
inline Reference reference(const Velocity<H>& m, const H& lambda) {
  return reference_polynomial(H(1 + m.beta - m.eta * lambda), m.beta);
}
inline Reference reference(const Nesterov<H>& m, const H& lambda) {
  const H q = 1 - m.alpha * lambda;
  return reference_polynomial(H((1 + m.beta) * q), H(m.beta * q));
}

/// The same method at 50 digits (exact: every double is a 50-digit number).
inline GradientDescent<H> widen(const GradientDescent<double>& m) {
  return GradientDescent<H>(H(m.eta));
}
inline HeavyBall<H> widen(const HeavyBall<double>& m) {
  return HeavyBall<H>(H(m.alpha), H(m.beta));
}
inline Velocity<H> widen(const Velocity<double>& m) { return Velocity<H>(H(m.eta), H(m.beta)); }
inline Nesterov<H> widen(const Nesterov<double>& m) { return Nesterov<H>(H(m.alpha), H(m.beta)); }

}  // namespace momentum::property
