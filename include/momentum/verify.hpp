#pragma once
/// \file verify.hpp
/// Rate verification (SPEC section 8): run a method from a start, far past where double
/// precision underflows if need be, and check the iterates against the theory
///   c_lo t^{m-1} rho^t <= ||e_t|| <= c_hi t^{m-1} rho^t   (t >= 1),
/// with rho the spectral radius seen from the start, m the size of its Jordan block (2 at a
/// critically damped eigenvalue, else 1) and the constants from the eigenvectors or the Jordan
/// form (proofs/jordan_growth.md). The verdict can fail: a claimed rho or m (options) that is
/// wrong makes the normalised error drift out of the prediction.
///
/// How the verdict is reached. Each eigen-coordinate's state is expanded in its modes (Modes in
/// powers.hpp: eigenvectors, or the Jordan chain at a double root); rho and m are those of the
/// excited modes. The run iterates the error (simulate_eigen) and normalises it by the claimed
/// t^{m-1} rho^t. Two checks, both at every step:
///  - the band: c_lo <= ||e_t||/(t^{m-1} rho^t) <= c_hi for t >= 1, with c_hi the sum of each
///    mode's largest normalised size and c_lo the exact infimum of the dominant modes' part
///    (2 sigma_min[Re y, Im y] for a complex pair, min_u ||u s + N s/z|| over u = 1/t for a
///    Jordan block, SPEC section 8's sigma_min(V) |w| for a real root) minus the others' largest
///    share;
///  - the sharp check: the normalised error must equal the exact sum of the modes that are still
///    alive at T (|z|^T >= sqrt(epsilon) rho^T; computed by recurrences of their phase factors)
///    to within a rigorous bound on the faster modes plus rounding, 8 epsilon (t+2)^2 kappa times
///    the modes' magnitude (kappa = max (1 + ||M||)(1 + ||M - (p/2)I||/rho) / min(1, rho): the
///    growth of rounding errors through M^{t-k}, PowerEnvelope). A rate off by a relative delta
///    drifts by about delta t, so over T steps errors down to `detectable_rate_error` are caught.
/// An error that under- or overflows the scalar type makes the normalised error non-finite, and
/// the verdict false: run such cases in cpp_bin_float or mpfr_float.
///
/// Doctest use:  CHECK(momentum::verify_rate(method, lambda).holds);

#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>
#include <momentum/spectrum.hpp>

#include <cmath>
#include <optional>
#include <sstream>
#include <string>

namespace momentum {

/// Which error norm is verified.
enum class ErrorMeasure {
  /// The whole error state: ||[e_t; e_{t-1}]|| (heavy ball, Nesterov), ||[v_t; e_t]|| (velocity
  /// form), ||e_t|| (gradient descent). The theory's quantity: bounded below in every regime.
  state,
  /// ||x_t - x*|| alone. In a complex (oscillating) regime it can come arbitrarily close to 0
  /// at single steps, so its lower constant c_lo is then 0.
  x
};

/// Options of verify_rate.
template <class S>
struct VerifyOptions {
  long long steps = 10000;  ///< T >= 1: the run checks t = 0 .. T
  /// The rate under test. Default: the spectral radius computed in closed form.
  std::optional<S> rho;
  /// The Jordan size under test (1 or 2). Default: the one computed from the start.
  std::optional<int> jordan_size;
  ErrorMeasure measure = ErrorMeasure::state;
  /// Window of the log-slope rate estimate, ending at T. 0: T/2.
  long long window = 0;
};

/// Result of verify_rate. `holds` is the verdict; the rest says why.
template <class S>
struct RateVerification {
  S rho;                    ///< the rate under test (claimed, or rho_computed)
  int m = 1;                ///< the Jordan size under test
  S rho_computed;           ///< closed-form spectral radius of the modes the start excites
  int m_computed = 1;       ///< 2 if a dominant Jordan block is excited along its chain, else 1
  Regime regime = Regime::complex;  ///< regime of the dominant eigen-coordinate
  long long steps = 0;      ///< T
  S initial_error;          ///< ||e_0|| in the chosen measure
  /// Predicted band for t >= 1, from the eigenvectors (distinct roots) or the Jordan chain
  /// (double root): c_lo t^{m-1} rho^t <= ||e_t|| <= c_hi t^{m-1} rho^t.
  S c_lo, c_hi;
  /// Measured extremes of ||e_t|| / (t^{m-1} rho^t) over 1 <= t <= T, and where they occur.
  S measured_min, measured_max;
  long long argmin_t = 0, argmax_t = 0;
  /// Three empirical rates: (||e_T||/||e_0||)^{1/T}; exp of the least-squares slope of
  /// log ||e_t|| over the window; Gelfand's ||M^T||^{1/T} over the excited blocks.
  S estimate_root, estimate_slope, estimate_gelfand;
  /// Each estimate minus rho.
  S error_root, error_slope, error_gelfand;
  /// The sharp check: at every t the normalised error must equal the exact dominant-mode
  /// prediction c(t) (its oscillating constant) to within the bound r(t) on the faster modes
  /// plus rounding. `sharp_deviation` is the largest |measured - c(t)| / (r(t) + rounding)
  /// (<= 1 passes), at t = `sharp_worst_t`.
  S sharp_deviation;
  long long sharp_worst_t = 0;
  /// Relative rate error the sharp check resolves at T: about (allowed relative deviation at
  /// T) / T. A claimed rho off by more than rho times this fails.
  S detectable_rate_error;
  bool band_holds = false;   ///< the band holds at every 1 <= t <= T
  bool sharp_holds = false;  ///< the sharp check holds at every 0 <= t <= T
  bool holds = false;        ///< band_holds && sharp_holds (and the run stayed finite)
  std::string reason;        ///< empty when holds; else the first failure, in words
  explicit operator bool() const { return holds; }
};

/// Verifies the rate of `method` (a named method or its MethodForm) in eigen-coordinates:
/// spectrum `lambdas`, start z0 and second_z as in simulate_eigen (empty second_z: the default
/// second state).
/// \throws std::invalid_argument for bad sizes, non-finite inputs, steps < 1, a claimed rho
///         that is negative or not finite, or a claimed Jordan size other than 1 or 2.
template <class S>
RateVerification<S> verify_rate(const MethodForm<S>& method, const Vector<S>& lambdas,
                                const Vector<S>& z0, const Vector<S>& second_z,
                                const VerifyOptions<S>& options = {});
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
RateVerification<S> verify_rate(const Method& method, const Vector<S>& lambdas,
                                const Vector<S>& z0, const Vector<S>& second_z,
                                const VerifyOptions<S>& options = {}) {
  return verify_rate(form_of(method), lambdas, z0, second_z, options);
}

/// Verifies the rate on a quadratic from x0 and its second state (as in simulate), in the
/// quadratic's eigen-coordinates.
template <class S>
RateVerification<S> verify_rate(const MethodForm<S>& method, const Quadratic<S>& h,
                                const Vector<S>& x0, const Vector<S>& second,
                                const VerifyOptions<S>& options = {}) {
  const auto [z0, w] = detail::start_in_eigen(method, h, x0, second, "verify_rate");
  return verify_rate(method, h.eigenvalues(), z0, w, options);
}
template <class Method, class S, class = std::enable_if_t<detail::is_method<Method>::value>>
RateVerification<S> verify_rate(const Method& method, const Quadratic<S>& h, const Vector<S>& x0,
                                const Vector<S>& second, const VerifyOptions<S>& options = {}) {
  return verify_rate(form_of(method), h, x0, second, options);
}

/// Verifies the rate on one eigenvalue from the start z0 = 1 with the default second state
/// (z_{-1} = z0, v0 = 0).
template <class Method, class S>
RateVerification<S> verify_rate(const Method& method, const S& lambda,
                                const VerifyOptions<S>& options = {}) {
  Vector<S> l(1), z(1);
  l(0) = lambda;
  z(0) = S(1);
  return verify_rate(form_of(method), l, z, Vector<S>(), options);
}

/// A one-paragraph account of a verification (for INFO() in tests and the tool's output).
template <class S>
std::string summary(const RateVerification<S>& r, int digits = 8);


// ---------------------------------------------------------------------------------------------
// Implementation.

namespace detail {

/// One mode of one coordinate, in the normalisation of the true rate R: its contribution to the
/// normalised state at t is value(t) / max(t,1)^{m-1} (see verify_rate).
template <class S>
struct VerifyTerm {
  enum Kind { real, complex, jordan } kind = real;
  bool dominant = false;  ///< computed exactly at every t (else bounded)
  bool top = false;       ///< modulus equal to R (to 16 epsilon): enters the lower band
  S z = S(0), modulus = S(0);        ///< real/jordan root; complex: r
  S step_re = S(0), step_im = S(0);  ///< complex: (r/R) e^{i theta}; real/jordan: z/R
  Eigen::Matrix<S, 2, 1> y1 = Eigen::Matrix<S, 2, 1>::Zero(), y2 = Eigen::Matrix<S, 2, 1>::Zero();
  S n1 = S(0), n2 = S(0), svmax = S(0);  ///< ||y1||, ||y2||, complex: largest singular value of [y1 y2]
  // running state
  S f_re = S(1), f_im = S(0);
  S amp = S(1), step_abs = S(0), inv_z = S(0), n2_over_modulus = S(0);  ///< (z/R)^t (real, jordan) or (r/R)^t e^{i t theta} (complex)
};

template <class S>
Eigen::Matrix<S, 2, 1> project(const Eigen::Matrix<S, 2, 1>& v, ErrorMeasure m, int x_index) {
  if (m == ErrorMeasure::state) return v;
  Eigen::Matrix<S, 2, 1> p;
  p(0) = x_index == 0 ? S(v(0)) : S(0);
  p(1) = x_index == 1 ? S(v(1)) : S(0);
  return p;
}

/// Largest and smallest singular value of the 2x2 [a b] with columns a, b.
template <class S>
std::pair<S, S> column_singular_values(const Eigen::Matrix<S, 2, 1>& a,
                                       const Eigen::Matrix<S, 2, 1>& b) {
  return singular_values_2x2(a(0), b(0), a(1), b(1));
}

template <class S>
S log_or_nan(const S& x) {
  using std::log;
  return x > 0 ? S(log(x)) : std::numeric_limits<S>::quiet_NaN();
}

}  // namespace detail

namespace detail {

/// One eigen-coordinate of a verification: its block, its start as a block state, the modes
/// of that start and which of them it excites.
template <class S>
struct VerifyCoordinate {
  Block<S> b;
  Eigen::Matrix<S, 2, 1> s;
  Modes<S> md;
  bool on1 = false, on2 = false;  // modes excited (jordan: on2 = chain excited)
  S lambda, rho_i;
  int m_i = 1;
};

/// The verified norm of the run at step t.
template <class S>
const S& measured_at(const Trajectory<S>& tr, ErrorMeasure measure, long long t) {
  const auto& p = tr.points[static_cast<std::size_t>(t)];
  return measure == ErrorMeasure::state ? p.state_norm : p.error_norm;
}

/// verify_rate's checks of its options, naming `who`.
template <class S>
void require_verify_options(const VerifyOptions<S>& options, const char* who) {
  const long long T = options.steps;
  if (T < 1)
    throw std::invalid_argument(std::string(who) + ": steps must be at least 1, got " +
                                std::to_string(T));
  if (options.rho && (!is_finite(*options.rho) || *options.rho < 0))
    throw std::invalid_argument(std::string(who) + ": the claimed rho must be finite and "
                                "non-negative, got " + to_string(*options.rho, 17));
  if (options.jordan_size && *options.jordan_size != 1 && *options.jordan_size != 2)
    throw std::invalid_argument(std::string(who) + ": the claimed Jordan size must be 1 or 2, got " +
                                std::to_string(*options.jordan_size));
  if (options.window < 0 || options.window > T)
    throw std::invalid_argument(std::string(who) + ": window must lie in [0, steps], got " +
                                std::to_string(options.window));
}

/// Step 1: the modes of every coordinate the start excites (a mode below the decomposition's
/// rounding is off), the start's rate r.rho_computed, its Jordan size r.m_computed and the
/// regime of the dominant coordinate. Coordinates at zero are left out.
template <class S>
std::vector<VerifyCoordinate<S>> excited_coordinates(const MethodForm<S>& form,
                                                     const Vector<S>& lambdas,
                                                     const Vector<S>& z0, const Vector<S>& w0,
                                                     RateVerification<S>& r) {
  using std::abs;
  const Eigen::Index n = lambdas.size();
  const bool two = form.states == 2;
  const S eps = epsilon<S>();
  std::vector<VerifyCoordinate<S>> cs;
  r.rho_computed = S(0);
  r.m_computed = 1;
  S lambda_dominant = lambdas(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    VerifyCoordinate<S> c;
    c.lambda = lambdas(i);
    c.b = form.block(c.lambda);
    c.s = form.block_state(S(z0(i)), two ? S(w0(i)) : S(0));
    const S snorm = c.s.norm();
    if (snorm == 0) continue;
    c.md = modes(c.b.M, c.b.sp, c.s);
    const S cut = 64 * eps * snorm * (1 + norm_2(c.b.M));
    S rho_i(0);
    int m_i = 1;
    switch (c.md.kind) {
      case Modes<S>::Kind::real:
        c.on1 = c.md.y1.norm() > cut;
        c.on2 = c.md.y2.norm() > cut;
        if (!c.on1) c.md.y1.setZero();
        if (!c.on2) c.md.y2.setZero();
        if (c.on1) rho_i = c.md.modulus1;
        if (c.on2 && c.md.modulus2 > rho_i) rho_i = c.md.modulus2;
        break;
      case Modes<S>::Kind::complex:
        c.on1 = c.on2 = true;
        rho_i = c.md.modulus1;
        break;
      case Modes<S>::Kind::jordan:
        c.on1 = true;
        c.on2 = c.md.y2.norm() > cut;
        if (!c.on2) c.md.y2.setZero();
        rho_i = c.md.modulus1;
        m_i = c.on2 ? 2 : 1;
        break;
    }
    if (rho_i > r.rho_computed) {
      r.rho_computed = rho_i;
      lambda_dominant = c.lambda;
    }
    c.rho_i = rho_i;
    c.m_i = m_i;
    cs.push_back(std::move(c));
  }
  // m: the largest Jordan size among the coordinates at modulus rho (to 16 epsilon).
  for (const auto& c : cs)
    if (c.m_i == 2 && abs(c.rho_i - r.rho_computed) <= 16 * eps * r.rho_computed) {
      if (r.m_computed < 2) lambda_dominant = c.lambda;
      r.m_computed = 2;
    }
  r.regime = form.spectrum(lambda_dominant).regime;
  return cs;
}

/// Step 3: the three empirical rates of the run (root, least-squares slope over the window,
/// Gelfand) and their errors against r.rho.
template <class S>
void estimate_rates(RateVerification<S>& r, const std::vector<VerifyCoordinate<S>>& cs,
                    const Trajectory<S>& tr, ErrorMeasure measure, long long window) {
  using std::exp;
  using std::max;
  using std::pow;
  const long long T = r.steps;
  const S l0 = detail::log_or_nan(measured_at(tr, measure, 0));
  const S lT = detail::log_or_nan(measured_at(tr, measure, T));
  r.estimate_root = exp((lT - l0) / S(T));
  const long long W = window > 0 ? window : max(1LL, T / 2);
  const long long a = T - W;
  // Least-squares slope of log ||e_t|| on t in [a, T], on at most about 4096 evenly spaced
  // steps of the window (a logarithm costs a microsecond at 50 digits).
  const long long stride = std::max(1LL, (W + 1) / 4096);
  S mean_t(0), mean_l(0), cnt(0);
  std::vector<S> logs;
  for (long long t = T; t >= a; t -= stride) {
    mean_t += S(t);
    logs.push_back(detail::log_or_nan(measured_at(tr, measure, t)));
    mean_l += logs.back();
    cnt += 1;
  }
  mean_t /= cnt;
  mean_l /= cnt;
  S sxy(0), sxx(0);
  std::size_t k = 0;
  for (long long t = T; t >= a; t -= stride, ++k) {
    const S dt = S(t) - mean_t;
    sxy += dt * (logs[k] - mean_l);
    sxx += dt * dt;
  }
  r.estimate_slope = exp(sxy / sxx);
  S g(0);
  for (auto& c : cs) {
    const S v = norm_2(matrix_power(c.b.M, c.b.sp, T));
    if (v > g) g = v;
  }
  r.estimate_gelfand = pow(g, S(1) / S(T));
  r.error_root = r.estimate_root - r.rho;
  r.error_slope = r.estimate_slope - r.rho;
  r.error_gelfand = r.estimate_gelfand - r.rho;
}

/// Step 4: the degenerate cases, decided without a band: no excited mode of positive modulus
/// (a start at x*, or a nilpotent block), or a claimed rate 0. Returns whether r is decided.
template <class S>
bool degenerate_verdict(RateVerification<S>& r, const Trajectory<S>& tr, ErrorMeasure measure) {
  const S& R = r.rho_computed;
  const long long T = r.steps;
  const S eps = epsilon<S>();
  if (R == 0) {
    bool zero = true;
    const S tol = 8 * eps * measured_at(tr, measure, 0);
    for (long long t = 2; t <= T; ++t)
      if (!(measured_at(tr, measure, t) <= tol)) zero = false;
    r.c_lo = r.c_hi = r.measured_min = r.measured_max = S(0);
    r.sharp_deviation = S(0);
    r.detectable_rate_error = S(0);
    r.band_holds = r.sharp_holds = zero && r.rho == 0;
    r.holds = r.band_holds;
    if (!zero) r.reason = "the error should vanish after two steps (rho = 0) but does not";
    else if (r.rho != 0) r.reason = "the error vanishes after finitely many steps: rho is 0, not the claimed rate";
    return true;
  }
  if (r.rho == 0) {
    r.c_lo = r.c_hi = r.measured_min = r.measured_max = S(0);
    r.sharp_deviation = std::numeric_limits<S>::infinity();
    r.detectable_rate_error = S(0);
    r.band_holds = r.sharp_holds = r.holds = false;
    r.reason = "the claimed rate 0 is wrong: the error does not vanish (rho = " +
               to_string(R, 17) + ")";
    return true;
  }
  return false;
}

/// Step 5: the terms of the prediction of every coordinate, normalised by the true rate R (and
/// t^{m-1}), and kappa, the rounding-growth factor of the sharp check's tolerance.
template <class S>
std::vector<std::vector<VerifyTerm<S>>> prediction_terms(
    const std::vector<VerifyCoordinate<S>>& cs, const S& R, long long T, ErrorMeasure measure,
    S& kappa) {
  using std::abs;
  using std::log;
  using std::min;
  const S eps = epsilon<S>();
  // Terms of the prediction, normalised by the true rate R (and t^{mt-1}).
  // A term is computed exactly ("dominant") unless it decays below sqrt(epsilon) of R^T over
  // the run; the others are bounded by their modulus. Terms at modulus R enter the lower band.
  const S log_cut = log(eps) / 2;
  const S top_tol = 16 * eps * R;
  std::vector<std::vector<detail::VerifyTerm<S>>> terms(cs.size());
  kappa = S(1);  // rounding-growth factor (see the tolerance below)
  for (std::size_t j = 0; j < cs.size(); ++j) {
    const VerifyCoordinate<S>& c = cs[j];
    const int xi = c.b.x_index;
    const Modes<S>& md = c.md;
    auto slow = [&](const S& modulus) {
      if (modulus == 0) return false;
      return S(S(T) * log(modulus / R)) >= log_cut;
    };
    auto add_real = [&](const S& z, const Eigen::Matrix<S, 2, 1>& y) {
      detail::VerifyTerm<S> tm;
      tm.kind = detail::VerifyTerm<S>::real;
      tm.z = z;
      tm.modulus = abs(z);
      tm.step_re = z / R;
      tm.step_im = 0;
      tm.y1 = detail::project(y, measure, xi);
      tm.y2.setZero();
      tm.dominant = slow(tm.modulus);
      tm.top = abs(tm.modulus - R) <= top_tol;
      terms[j].push_back(tm);
    };
    switch (md.kind) {
      case Modes<S>::Kind::real:
        if (c.on1) add_real(md.z1, md.y1);
        if (c.on2) add_real(md.z2, md.y2);
        break;
      case Modes<S>::Kind::complex: {
        detail::VerifyTerm<S> tm;
        tm.kind = detail::VerifyTerm<S>::complex;
        tm.z = md.z1;
        tm.modulus = md.modulus1;
        const S scale = md.modulus1 / R;
        tm.step_re = scale * (md.z1 / md.modulus1);
        tm.step_im = scale * (md.z2 / md.modulus1);
        tm.y1 = detail::project(md.y1, measure, xi);
        tm.y2 = detail::project(md.y2, measure, xi);
        tm.dominant = slow(tm.modulus);
        tm.top = abs(tm.modulus - R) <= top_tol;
        terms[j].push_back(tm);
        break;
      }
      case Modes<S>::Kind::jordan: {
        detail::VerifyTerm<S> tm;
        tm.kind = detail::VerifyTerm<S>::jordan;
        tm.z = md.z1;
        tm.modulus = md.modulus1;
        tm.step_re = md.z1 / R;
        tm.step_im = 0;
        tm.y1 = detail::project(md.y1, measure, xi);
        tm.y2 = detail::project(md.y2, measure, xi);
        tm.dominant = slow(tm.modulus);
        tm.top = abs(tm.modulus - R) <= top_tol;
        terms[j].push_back(tm);
        break;
      }
    }
    // A step rounds by up to a few eps (1 + ||M||) ||s_k||, which M^{t-1-k} carries to t with
    // ||M^j|| <= R^j (1 + j ||C||/R) (PowerEnvelope). Normalised by R^t the sum over k is
    // (1 + ||M||) (t/R + t^2 ||C|| / (2 R^2)) <= (t+2)^2 (1 + ||M||)(1 + ||C||/R) / min(1, R).
    // The last factor matters when ||C|| << 1 and R << 1 (the velocity form at s ~ 1 and a
    // small lambda, where z+ = z - eta v+ cancels to R |z|): without it, rounding of such runs
    // left the sharp band. Found by tests/property/test_property_rates.cpp.
    const Eigen::Matrix<S, 2, 2> C = c.b.M - (c.b.M.trace() / 2) * Eigen::Matrix<S, 2, 2>::Identity();
    const S k = (1 + norm_2(c.b.M)) * (1 + norm_2(C) / R) / min(S(1), R);
    if (k > kappa) kappa = k;
  }

  for (auto& ts : terms)
    for (auto& tm : ts) {
      tm.n1 = tm.y1.norm();
      tm.n2 = tm.y2.norm();
      tm.svmax = tm.kind == detail::VerifyTerm<S>::complex
                     ? detail::column_singular_values(tm.y1, tm.y2).first
                     : S(0);
    }
  return terms;
}

/// Step 6: the band constants c_lo and c_hi (t >= 1, normalisation t^{m-1} R^t);
/// proofs/jordan_growth.md.
template <class S>
void band_constants(RateVerification<S>& r, const std::vector<std::vector<VerifyTerm<S>>>& terms,
                    ErrorMeasure measure) {
  using std::max;
  using std::min;
  using std::sqrt;
  const S& R = r.rho_computed;
  const int mt = r.m_computed;
  S hi2(0), lo2(0);
  for (std::size_t j = 0; j < terms.size(); ++j) {
    S hi_j(0), lo_j(0);
    const auto& ts = terms[j];
    for (const auto& tm : ts) {
      const S q = tm.modulus / R;
      switch (tm.kind) {
        case detail::VerifyTerm<S>::real:
          hi_j += q * tm.n1;
          break;
        case detail::VerifyTerm<S>::complex:
          hi_j += 2 * q * tm.svmax;
          break;
        case detail::VerifyTerm<S>::jordan:
          if (tm.z == 0) {
            hi_j += max(S(0), S(tm.y2.norm() / R));
          } else if (mt == 2) {
            const Eigen::Matrix<S, 2, 1> a = tm.y1 + tm.y2 / tm.z, b = tm.y2 / tm.z;
            hi_j += q * max(a.norm(), b.norm());
          } else {
            hi_j += q * tm.n1;
            if (tm.n2 > 0) hi_j += tm.n2 / tm.modulus * detail::sup_t_power(q);
          }
          break;
      }
    }
    // Lower bound of this coordinate, from its terms at modulus R.
    if (mt == 1) {
      std::vector<const detail::VerifyTerm<S>*> top, rest;
      for (const auto& tm : ts) (tm.top ? top : rest).push_back(&tm);
      if (!top.empty()) {
        const auto& a = *top[0];
        if (a.kind == detail::VerifyTerm<S>::complex) {
          lo_j = 2 * detail::column_singular_values(a.y1, a.y2).second;
        } else if (a.kind == detail::VerifyTerm<S>::jordan) {
          lo_j = a.y1.norm();  // mt == 1: no excited chain at modulus R
        } else if (top.size() == 2) {
          // Two real roots of modulus R: with opposite signs the state alternates between
          // +-(y1 + y2) and +-(y1 - y2); with one sign (a near-double root) no bound is used.
          if ((top[0]->z > 0) != (top[1]->z > 0))
            lo_j = min((top[0]->y1 + top[1]->y1).norm(), (top[0]->y1 - top[1]->y1).norm());
        } else {
          // One real root of modulus R: ||y1|| minus the other mode's largest share (t >= 1);
          // for the state, also SPEC section 8's sigma_min(V) |w| with unit eigenvectors.
          S other(0);
          for (auto* o : rest) other += (o->modulus / R) * o->y1.norm();
          lo_j = max(S(0), S(a.y1.norm() - other));
          if (measure == ErrorMeasure::state && rest.size() == 1 && rest[0]->y1.norm() > 0) {
            const Eigen::Matrix<S, 2, 1> v1 = a.y1 / a.y1.norm(), v2 = rest[0]->y1 / rest[0]->y1.norm();
            const S sv = detail::column_singular_values(v1, v2).second * a.y1.norm();
            if (sv > lo_j) lo_j = sv;
          }
        }
      }
    } else {
      for (const auto& tm : ts) {
        if (!tm.top || tm.kind != detail::VerifyTerm<S>::jordan || tm.z == 0) continue;
        // min over u = 1/t in (0, 1] of ||u y1 + y2/z||: a convex quadratic in u.
        const Eigen::Matrix<S, 2, 1> b = tm.y2 / tm.z;
        const S aa = tm.y1.squaredNorm(), ab = tm.y1.dot(b), bb = b.squaredNorm();
        S u = aa > 0 ? S(-ab / aa) : S(0);
        if (u < 0) u = 0;
        if (u > 1) u = 1;
        const S f2 = aa * u * u + 2 * ab * u + bb;
        lo_j = f2 > 0 ? S(sqrt(f2)) : S(0);
      }
    }
    hi2 += hi_j * hi_j;
    lo2 += lo_j * lo_j;
  }
  r.c_hi = sqrt(hi2);
  r.c_lo = sqrt(lo2);
}

/// Step 7: the march over t = 0..T against the sharp band and the constant band, and the
/// verdict.
template <class S>
void march(RateVerification<S>& r, std::vector<std::vector<VerifyTerm<S>>>& terms,
           const S& kappa, const Trajectory<S>& tr, ErrorMeasure measure) {
  using std::abs;
  using std::sqrt;
  const S& R = r.rho_computed;
  const int mt = r.m_computed;
  const long long T = r.steps;
  const S eps = epsilon<S>();
  // March t = 0..T: measured G(t) (claimed normalisation) against the sharp band
  // [lo(t), hi(t)] (true normalisation) and the constant band [c_lo, c_hi].
  // Rounding: the simulation's error after t steps is at most a few epsilon times
  // t (1 + ||M||) (1 + t ||M - (p/2)I||/R) times the modes' magnitude U(t) (error propagation
  // through M^{t-k}, bounded by PowerEnvelope); the recurrences below add t epsilon. U(t) is
  // bounded by the sum of the modes' magnitudes.
  // The loop works on preallocated numbers with compound assignments (no temporaries: with
  // MPFR's expression templates each is one fused call).
  for (auto& ts : terms)
    for (auto& tm : ts) {
      tm.f_re = 1;
      tm.f_im = 0;
      tm.amp = 1;
      tm.step_abs = abs(tm.step_re);
      if (tm.kind == detail::VerifyTerm<S>::complex) tm.step_abs = tm.modulus / R;
      tm.inv_z = tm.z != 0 ? S(1 / tm.z) : S(0);
      tm.n2_over_modulus = tm.z != 0 ? S(tm.n2 / tm.modulus) : S(0);
    }
  S claim_pow(1);  // rho^t
  r.measured_min = std::numeric_limits<S>::infinity();
  r.measured_max = S(0);
  r.sharp_deviation = S(0);
  bool finite = true;
  std::string band_reason, sharp_reason;
  S width_at_T(0), mid_at_T(1);
  S d0(0), d1(0), c(0), rem(0), mag(0), lo2(0), hi2(0), usum(0), dn(0), l(0), tmp(0), lo(0), hi(0),
      tolabs(0), G(0), mid(0), half(0), dev(0), norm_t(0);
  const S two_eps8 = 8 * eps * kappa;
  for (long long t = 0; t <= T; ++t) {
    const S tt = S(t);
    const bool by_t_true = mt == 2 && t > 1;
    const bool by_t_claim = r.m == 2 && t > 1;
    lo2 = 0;
    hi2 = 0;
    usum = 0;
    for (std::size_t j = 0; j < terms.size(); ++j) {
      d0 = 0;
      d1 = 0;
      rem = 0;
      mag = 0;
      for (auto& tm : terms[j]) {
        switch (tm.kind) {
          case detail::VerifyTerm<S>::real:
            c = tm.f_re;
            tmp = abs(tm.f_re);
            tmp *= tm.n1;
            break;
          case detail::VerifyTerm<S>::complex:
            // 2 Re((f_re + i f_im)(y1 + i y2)) = 2 (f_re y1 - f_im y2)
            if (tm.dominant) {
              tmp = 2 * tm.f_re;
              c = 2 * tm.f_im;
              d0 += tmp * tm.y1(0);
              d0 -= c * tm.y2(0);
              d1 += tmp * tm.y1(1);
              d1 -= c * tm.y2(1);
            }
            tmp = 2 * tm.amp;
            tmp *= tm.svmax;
            c = 0;
            break;
          case detail::VerifyTerm<S>::jordan:
            if (tm.z == 0) {
              // s_0 = y1, s_1 = y2, then 0 (nilpotent): normalised by R^t.
              if (t == 0 && tm.dominant) {
                d0 += tm.y1(0);
                d1 += tm.y1(1);
              } else if (t == 1 && tm.dominant) {
                d0 += tm.y2(0) / R;
                d1 += tm.y2(1) / R;
              }
              tmp = t == 0 ? tm.n1 : (t == 1 ? S(tm.n2 / R) : S(0));
              c = 0;
            } else {
              // f (y1 + (t/z) y2)
              if (tm.dominant) {
                c = tt * tm.inv_z;
                c *= tm.f_re;
                d0 += tm.f_re * tm.y1(0);
                d0 += c * tm.y2(0);
                d1 += tm.f_re * tm.y1(1);
                d1 += c * tm.y2(1);
              }
              tmp = tt * tm.n2_over_modulus;
              tmp += tm.n1;
              tmp *= abs(tm.f_re);
              c = 0;
            }
            break;
        }
        if (tm.kind == detail::VerifyTerm<S>::real && tm.dominant) {
          d0 += c * tm.y1(0);
          d1 += c * tm.y1(1);
        }
        mag += tmp;
        if (!tm.dominant) rem += tmp;
      }
      if (by_t_true) {
        d0 /= tt;
        d1 /= tt;
        rem /= tt;
        mag /= tt;
      }
      usum += mag;
      if (rem == 0) {
        tmp = d0 * d0;
        tmp += d1 * d1;
        lo2 += tmp;
        hi2 += tmp;
      } else {
        dn = d0 * d0;
        dn += d1 * d1;
        dn = sqrt(dn);
        l = dn - rem;
        if (l > 0) lo2 += l * l;
        l = dn + rem;
        hi2 += l * l;
      }
    }
    lo = sqrt(lo2);
    hi = lo2 == hi2 ? lo : S(sqrt(hi2));
    tolabs = (tt + 2) * (tt + 2);
    tolabs *= two_eps8;
    tolabs *= usum;
    norm_t = claim_pow;
    if (by_t_claim) norm_t *= tt;
    G = measured_at(tr, measure, t) / norm_t;
    if (!is_finite(G)) {
      finite = false;
      if (sharp_reason.empty())
        sharp_reason = "the normalised error is not finite at t = " + std::to_string(t) +
                       " (the scalar type under- or overflowed)";
    } else {
      mid = lo + hi;
      mid /= 2;
      half = hi - lo;
      half /= 2;
      half += tolabs;
      dev = abs(G - mid);
      dev /= half;
      if (dev > r.sharp_deviation) {
        r.sharp_deviation = dev;
        r.sharp_worst_t = t;
      }
      if (dev > 1 && sharp_reason.empty())
        sharp_reason = "at t = " + std::to_string(t) + " the normalised error " + to_string(G, 12) +
                       " leaves the predicted [" + to_string(S(lo - tolabs), 12) + ", " +
                       to_string(S(hi + tolabs), 12) + "]";
      if (t == T) {
        width_at_T = half;
        mid_at_T = mid;
      }
      if (t >= 1) {
        if (G < r.measured_min) {
          r.measured_min = G;
          r.argmin_t = t;
        }
        if (G > r.measured_max) {
          r.measured_max = G;
          r.argmax_t = t;
        }
        if ((G < r.c_lo - tolabs || G > r.c_hi + tolabs) && band_reason.empty())
          band_reason = "at t = " + std::to_string(t) + " the normalised error " + to_string(G, 12) +
                        " leaves the band [" + to_string(r.c_lo, 12) + ", " + to_string(r.c_hi, 12) + "]";
      }
    }
    // Advance the running powers.
    claim_pow *= r.rho;
    for (auto& ts : terms)
      for (auto& tm : ts) {
        if (tm.kind == detail::VerifyTerm<S>::complex) {
          tmp = tm.f_re * tm.step_re;
          tmp -= tm.f_im * tm.step_im;
          tm.f_im *= tm.step_re;
          tm.f_im += tm.f_re * tm.step_im;
          tm.f_re = tmp;
          tm.amp *= tm.step_abs;
        } else {
          tm.f_re *= tm.step_re;
        }
      }
  }
  r.band_holds = band_reason.empty() && finite;
  r.sharp_holds = sharp_reason.empty() && finite;
  r.holds = r.band_holds && r.sharp_holds;
  r.reason = !sharp_reason.empty() ? sharp_reason : band_reason;
  r.detectable_rate_error = mid_at_T > 0 ? S(2 * width_at_T / mid_at_T / S(T))
                                         : std::numeric_limits<S>::infinity();
  if (!r.holds && r.reason.empty()) r.reason = "the run did not stay finite";
}

}  // namespace detail

template <class S>
RateVerification<S> verify_rate(const MethodForm<S>& form, const Vector<S>& lambdas,
                                const Vector<S>& z0, const Vector<S>& second_z,
                                const VerifyOptions<S>& options) {
  const char* who = "verify_rate";
  detail::require_verify_options(options, who);
  const Eigen::Index n = lambdas.size();
  if (n == 0) throw std::invalid_argument(std::string(who) + ": lambdas must not be empty");
  const Vector<S> w0 = detail::eigen_start(form, lambdas, z0, second_z, who);
  const ErrorMeasure measure = options.measure;

  RateVerification<S> r;
  r.steps = options.steps;
  // 1. Modes of every coordinate, the start's rate and Jordan size.
  const std::vector<detail::VerifyCoordinate<S>> cs =
      detail::excited_coordinates(form, lambdas, z0, w0, r);
  r.rho = options.rho ? *options.rho : r.rho_computed;
  r.m = options.jordan_size ? *options.jordan_size : r.m_computed;

  // 2. The run (error iterated in eigen-coordinates: exact far below 1e-308 in MPFR).
  SimulateOptions so;
  so.steps = options.steps;
  so.every_step = true;
  so.record_state_norm = measure == ErrorMeasure::state;
  const Trajectory<S> tr = simulate_eigen(form, lambdas, z0, w0, so);
  r.initial_error = detail::measured_at(tr, measure, 0);
  // 3. Empirical rates.
  detail::estimate_rates(r, cs, tr, measure, options.window);
  // 4. Degenerate: no excited mode of positive modulus, or a claimed rate 0.
  if (detail::degenerate_verdict(r, tr, measure)) return r;
  // 5. Terms of the prediction; 6. the band constants; 7. the march and the verdict.
  S kappa(1);
  std::vector<std::vector<detail::VerifyTerm<S>>> terms =
      detail::prediction_terms(cs, r.rho_computed, r.steps, measure, kappa);
  detail::band_constants(r, terms, measure);
  detail::march(r, terms, kappa, tr, measure);
  return r;
}


template <class S>
std::string summary(const RateVerification<S>& r, int digits) {
  std::ostringstream o;
  o << (r.holds ? "holds" : "FAILS") << ": rho = " << to_string(r.rho, digits)
    << " (computed " << to_string(r.rho_computed, digits) << "), m = " << r.m << " (computed "
    << r.m_computed << "), regime " << to_string(r.regime) << ", T = " << r.steps
    << "; band [" << to_string(r.c_lo, digits) << ", " << to_string(r.c_hi, digits)
    << "], measured [" << to_string(r.measured_min, digits) << " at t = " << r.argmin_t << ", "
    << to_string(r.measured_max, digits) << " at t = " << r.argmax_t << "]; sharp deviation "
    << to_string(r.sharp_deviation, 4) << " at t = " << r.sharp_worst_t
    << "; estimates: root " << to_string(r.estimate_root, digits) << " (error "
    << to_string(r.error_root, 3) << "), slope " << to_string(r.estimate_slope, digits)
    << " (error " << to_string(r.error_slope, 3) << "), Gelfand "
    << to_string(r.estimate_gelfand, digits) << " (error " << to_string(r.error_gelfand, 3)
    << "); detectable relative rate error " << to_string(r.detectable_rate_error, 3);
  if (!r.reason.empty()) o << "; " << r.reason;
  return o.str();
}

}  // namespace momentum

// Compiled once per scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in scalar.hpp).
#define MOMENTUM_VERIFY_INSTANCES(EXTERN, S)                                                 \
  EXTERN template momentum::RateVerification<S> momentum::verify_rate<S>(                    \
      const momentum::MethodForm<S>&, const momentum::Vector<S>&, const momentum::Vector<S>&, \
      const momentum::Vector<S>&, const momentum::VerifyOptions<S>&);                        \
  EXTERN template std::string momentum::summary<S>(const momentum::RateVerification<S>&, int);
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_VERIFY_INSTANCES)
