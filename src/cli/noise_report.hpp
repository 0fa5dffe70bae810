#pragma once
/// \file noise_report.hpp
/// `rate --noise SIGMA`: SGD with momentum under additive gradient noise of variance sigma^2 in
/// every eigen-direction (SPEC section 7, include/momentum/noise.hpp). Per eigenvalue, the
/// stationary Var z and excess loss (lambda/2) Var z from the closed forms; over a whole
/// spectrum, their sum E[h - h*]. Digits are printed only as far as they are correct: the
/// closed forms have poles at the edge of convergence (2(1 + beta) = alpha lambda, ...), where
/// a one-ulp change of an input moves the result by many ulps.

#include "accuracy.hpp"
#include "json_output.hpp"
#include "report.hpp"

#include <momentum/noise.hpp>

#include <algorithm>
#include <string>

namespace momentum::cli {

namespace detail {

template <class S> S& step_of(GradientDescent<S>& m) { return m.eta; }
template <class S> S& step_of(HeavyBall<S>& m) { return m.alpha; }
template <class S> S& step_of(Velocity<S>& m) { return m.eta; }
template <class S> S& step_of(Nesterov<S>& m) { return m.alpha; }
template <class S> S* beta_of(GradientDescent<S>&) { return nullptr; }
template <class S> S* beta_of(HeavyBall<S>& m) { return &m.beta; }
template <class S> S* beta_of(Velocity<S>& m) { return &m.beta; }
template <class S> S* beta_of(Nesterov<S>& m) { return &m.beta; }

/// Calls f(scaled) for each parameter of m, where scaled(h) is m with that parameter (and only
/// it) multiplied by 1 + h.
template <class Method, class F>
void for_each_scaled(const Method& m, F&& f) {
  using S = std::decay_t<decltype(method_step(m))>;
  if constexpr (std::is_same_v<Method, TwoState<S>>) {
    f([&](const S& h) { return TwoState<S>(S(m.alpha * (1 + h)), m.beta, m.gamma); });
    f([&](const S& h) { return TwoState<S>(m.alpha, S(m.beta * (1 + h)), m.gamma); });
    if (m.gamma_finite)
      f([&](const S& h) { return TwoState<S>(m.alpha, m.beta, S(m.gamma * (1 + h))); });
  } else if constexpr (std::is_same_v<Method, PyTorchSGD<S>>) {
    f([&](const S& h) { Method q = m; q.lr *= 1 + h; return q; });
    f([&](const S& h) { Method q = m; q.momentum *= 1 + h; return q; });
    f([&](const S& h) { Method q = m; q.dampening *= 1 + h; return q; });
  } else if constexpr (std::is_same_v<Method, QHM<S>>) {
    f([&](const S& h) { Method q = m; q.alpha *= 1 + h; return q; });
    f([&](const S& h) { Method q = m; q.nu *= 1 + h; return q; });
    f([&](const S& h) { Method q = m; q.beta *= 1 + h; return q; });
  } else {
    f([&](const S& h) { Method p = m; step_of(p) = method_step(m) * (1 + h); return p; });
    if (Method p = m; beta_of(p) != nullptr)
      f([&](const S& h) {
        Method q = m, given = m;
        *beta_of(q) = *beta_of(given) * (1 + h);
        return q;
      });
  }
}

/// An estimate of the absolute error of v = stationary_variance(m, lambda, sigma) from its
/// conditioning: the first-order effect of a one-ulp relative change of each input (step,
/// beta, lambda), summed, measured by difference quotients. Their step is 2^20 ulps (far above
/// the rounding noise of the difference), or 2^10 or 4 ulps when the larger step crosses the
/// pole at the edge of convergence. An eigenvalue computed from a matrix is moved by its whole
/// error bar instead. Infinite when even a 4-ulp change (or the eigenvalue's error bar) leaves
/// the stationary region: then no digit is known.
template <class Method, class S>
S variance_error(const Method& m, const S& lambda, const S& sigma, const S& v,
                 const S& lambda_error) {
  using std::abs;
  const S u = epsilon<S>();
  S err(0);
  // d(h) evaluates the variance with one input scaled by (1 + h).
  auto add = [&](const auto& d) {
    for (int k : {1 << 20, 1 << 10, 4}) {
      const S h = u * k;
      const S w = d(h);
      if (is_finite(w)) {
        err += abs(w - v) / k;
        return;
      }
    }
    err = std::numeric_limits<S>::infinity();
  };
  for_each_scaled(m, [&](const auto& scaled) {
    add([&](const S& h) { return stationary_variance(scaled(h), lambda, sigma); });
  });
  if (lambda_error > (1 << 20) * u * abs(lambda)) {
    for (int sign : {-1, 1}) {
      const S w = stationary_variance(m, S(lambda + sign * lambda_error), sigma);
      err = is_finite(w) ? S(err + abs(w - v)) : std::numeric_limits<S>::infinity();
    }
  } else {
    add([&](const S& h) { return stationary_variance(m, S(lambda * (1 + h)), sigma); });
  }
  return err;
}

/// A bound on the error of v = stationary_variance(m, lambda, sigma) of a run without a twin
/// (MPFR, with guard digits): 4 times the conditioning estimate plus a few ulps of arithmetic;
/// infinite when the estimate is.
template <class S>
S variance_bound(const S& v, const S& conditioning) {
  using std::abs;
  if (!is_finite(conditioning)) return conditioning;
  return 4 * conditioning + 16 * epsilon<S>() * abs(v);
}

/// Reliable digits of v given its error bound: 0 when the bound is not finite (not even the
/// first digit is known).
template <class S>
int variance_digits(const S& v, const S& err, int wanted) {
  if (v == 0 && err == 0) return wanted;  // sigma = 0: exactly 0
  if (!is_finite(err)) return 0;
  return reliable_digits(v, err, wanted);
}

}  // namespace detail

/// Adds "noise" to a rate report: {"sigma", "stationary", "expected_excess_loss" (the sum over
/// `spectrum` when it is the whole spectrum, else null with "why"), "per_eigenvalue" (over
/// `shown`: "lambda", "variance", "excess_loss", "reliable_digits"), "reliable_digits"}.
/// A double run with a twin (accuracy.hpp) measures each value against the twin's, whose own
/// error is the conditioning estimate in long double. Returns the fewest reliable digits, so an
/// MPFR run can retry with more precision.
/// \throws UsageError if the sigma text is malformed, negative or not finite.
template <class Method, class Scalar>
int add_noise(Json& j, const Method& m, const Vector<Scalar>& shown, const Vector<Scalar>& spectrum,
              bool whole_spectrum, const Scalar& lambda_error, const std::string& sigma_text,
              const Precision& prec, const Twin<Method>* twin = nullptr) {
  using std::abs;
  const Scalar sigma = parse_number<Scalar>(sigma_text, "--noise");
  if (!(is_finite(sigma) && sigma >= 0))
    throw UsageError("--noise: the noise level sigma must be finite and >= 0, got " + sigma_text);
  // The error bounds of the variance v at l and of the excess loss l v / 2.
  struct Bounds {
    Scalar variance, loss;
  };
  auto bounds_of = [&](const Scalar& l, const Scalar& v) -> Bounds {
    const Scalar c = detail::variance_error(m, l, sigma, v, lambda_error);
    const Scalar model = detail::variance_bound(v, c);
    Bounds b{model, Scalar(model * l / 2 + 4 * epsilon<Scalar>() * abs(l * v / 2))};
    if constexpr (std::is_same_v<Scalar, double>) {
      if (twin && is_finite(model)) {
        using W = long double;
        const W sw = parse_number<W>(sigma_text, "--noise"), lw = twin->lambda(l);
        const W w = stationary_variance(twin->method, lw, sw);
        const W cw = detail::variance_error(twin->method, lw, sw, w, W(0));
        if (!is_finite(w) || !is_finite(cw)) return {model, model};
        const W w_err = detail::variance_bound(w, cw);
        b.variance = twin_error(v, w, w_err);
        b.loss = twin_error(l * v / 2, lw * w / 2, w_err * lw / 2);
        if (lambda_error > 0) {  // the eigenvalue's own error: the model's share of it
          b.variance += model;
          b.loss += model * l / 2;
        }
      }
    }
    return b;
  };
  Json jn;
  jn["sigma"] = sigma_text;
  jn["model"] = "g + xi, xi ~ (0, sigma^2 I) independent per step; stationary law of the iterates";
  int fewest = prec.digits;
  bool stationary = true;
  Json per = Json::array();
  for (Eigen::Index i = 0; i < shown.size(); ++i) {
    const Scalar& l = shown(i);
    if (i > 0 && l == shown(i - 1)) continue;  // one eigenvalue: both ends are the same
    const Scalar v = stationary_variance(m, l, sigma);
    Json e;
    e["lambda"] = decimal(l, prec);
    if (is_finite(v)) {
      const Bounds b = bounds_of(l, v);
      const Scalar loss = l * v / 2;
      const int dv = detail::variance_digits(v, b.variance, prec.digits);
      const int dl = detail::variance_digits(loss, b.loss, prec.digits);
      const int d = std::min(dv, dl);
      fewest = std::min(fewest, d);
      e["variance"] = decimal(v, prec, std::max(dv, 1));
      e["excess_loss"] = decimal(loss, prec, std::max(dl, 1));
      e["reliable_digits"] = d;
    } else {
      stationary = false;
      e["variance"] = nullptr;
      e["excess_loss"] = nullptr;
    }
    per.push_back(e);
  }
  if (stationary && whole_spectrum) {
    // A sum of positive terms: its error is at most the sum of the terms' errors, plus the
    // rounding of the sum (n ulps).
    Scalar total(0), total_error(0);
    for (Eigen::Index i = 0; i < spectrum.size() && stationary; ++i) {
      const Scalar& l = spectrum(i);
      const Scalar v = stationary_variance(m, l, sigma);
      if (!is_finite(v)) {
        stationary = false;
        break;
      }
      total += l * v / 2;
      total_error += bounds_of(l, v).loss;
    }
    if (stationary) {
      total_error += Scalar(spectrum.size()) * epsilon<Scalar>() * total;
      const int d_total = detail::variance_digits(total, total_error, prec.digits);
      fewest = std::min(fewest, d_total);
      jn["expected_excess_loss"] = decimal(total, prec, std::max(d_total, 1));
      jn["dimension"] = static_cast<long long>(spectrum.size());
    }
  }
  jn["stationary"] = stationary;
  if (!stationary) {
    jn["expected_excess_loss"] = nullptr;
    jn["why"] = "no stationary law: the method does not converge (rho >= 1) for some eigenvalue, "
                "so the noise accumulates without bound";
  } else if (!whole_spectrum) {
    jn["expected_excess_loss"] = nullptr;
    jn["why"] = "the sum over eigen-directions needs every eigenvalue; only the ends are known "
                "(an interval, or the extremes path: use --eigenvalues or --path dense)";
  }
  jn["per_eigenvalue"] = per;
  jn["reliable_digits"] = fewest;
  if (digits_lost(fewest, prec))
    jn["note"] = fewest == 0 ? "within rounding of the edge of convergence: not even the first "
                               "digit is known; use --digits"
                             : "near the edge of convergence the closed form loses digits; "
                               "fewer are printed (use --digits for more)";
  j["noise"] = jn;
  return fewest;
}

}  // namespace momentum::cli
