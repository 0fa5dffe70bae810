#pragma once
/// \file report.hpp
/// Building blocks of the reports: a method's name, parameters and convergence interval, the
/// problem, and the honesty note, as JSON; and the text rendering of a `rate` report.

#include "json_output.hpp"
#include "accuracy.hpp"
#include "problem.hpp"

#include <momentum/regions.hpp>

#include <cmath>
#include <limits>
#include <ostream>
#include <type_traits>

namespace momentum::cli {

template <class S> const S& method_step(const GradientDescent<S>& m) { return m.eta; }
template <class S> const S& method_step(const HeavyBall<S>& m) { return m.alpha; }
template <class S> const S& method_step(const Velocity<S>& m) { return m.eta; }
template <class S> const S& method_step(const Nesterov<S>& m) { return m.alpha; }

template <class Method> const char* method_label(const Method&) { return Method::name; }

template <class S> S method_beta(const GradientDescent<S>&) { return S(0); }
template <class S> const S& method_beta(const HeavyBall<S>& m) { return m.beta; }
template <class S> const S& method_beta(const Velocity<S>& m) { return m.beta; }
template <class S> const S& method_beta(const Nesterov<S>& m) { return m.beta; }

/// Digits of a tuning's step, beta and rate worth printing.
struct TuningDigits {
  int step, beta, rate;
};

/// The digits of make(mu, L)'s step, beta and rate. In double with the eigenvalues as typed
/// (`typed`, accuracy.hpp), each is measured against the same tuning in long double from them;
/// when mu and L are known only to within +-err (eigenvalues computed from a matrix), every
/// tuning of tuning.hpp is monotone in mu and in L, so the four corners (mu +- err, L +- err)
/// bound each. All `wanted` when neither applies (MPFR with exact inputs).
template <class Scalar, class Make>
TuningDigits tuning_digits(const Make& make, const Scalar& mu, const Scalar& L, const Scalar& err,
                           int wanted, const TypedEigenvalues* typed = nullptr) {
  using std::abs;
  using std::max;
  const auto t = make(mu, L);
  Scalar ds(0), db(0), dr(0);
  if constexpr (std::is_same_v<Scalar, double>) {
    if (typed) {
      // Tunings are a few square roots and quotients: 64 long double ulps bound the twin's own
      // error.
      const auto w = make((*typed)(mu), (*typed)(L));
      const long double u = 64 * std::numeric_limits<long double>::epsilon();
      ds = twin_error(method_step(t.method), method_step(w.method), u * std::fabs(method_step(w.method)));
      db = twin_error(double(method_beta(t.method)), method_beta(w.method),
                      u * std::fabs(method_beta(w.method)));
      dr = twin_error(t.rate, w.rate, u * std::fabs(w.rate));
    }
  }
  if (err > 0) {
    Scalar cs(0), cb(0), cr(0);
    for (int a : {-1, 1})
      for (int b : {-1, 1}) {
        const Scalar m2 = mu + a * err, L2 = L + b * err;
        if (!(m2 > 0) || L2 < m2) return {1, 1, 1};  // not even mu's sign is known
        const auto u = make(m2, L2);
        cs = max(cs, Scalar(abs(method_step(u.method) - method_step(t.method))));
        cb = max(cb, Scalar(abs(method_beta(u.method) - method_beta(t.method))));
        cr = max(cr, Scalar(abs(u.rate - t.rate)));
      }
    ds += cs, db += cb, dr += cr;
  }
  return {reliable_digits(method_step(t.method), ds, wanted),
          reliable_digits(Scalar(method_beta(t.method)), db, wanted),
          reliable_digits(t.rate, dr, wanted)};
}

template <class S> Json parameters_json(const GradientDescent<S>& m, const Precision& p) {
  return {{"eta", decimal(m.eta, p)}};
}
template <class S> Json parameters_json(const HeavyBall<S>& m, const Precision& p) {
  return {{"alpha", decimal(m.alpha, p)}, {"beta", decimal(m.beta, p)}};
}
template <class S> Json parameters_json(const Velocity<S>& m, const Precision& p) {
  return {{"eta", decimal(m.eta, p)}, {"beta", decimal(m.beta, p)}};
}
template <class S> Json parameters_json(const Nesterov<S>& m, const Precision& p) {
  return {{"alpha", decimal(m.alpha, p)}, {"beta", decimal(m.beta, p)}};
}

/// {"variable": "alpha*lambda", "lo", "hi", "empty", "lambda_lo", "lambda_hi"}: the open
/// interval of step*lambda where the method converges, and the lambdas it means. A double run
/// with a wide twin (accuracy.hpp) prints each end with the digits the twin's interval leaves
/// (gd eta 0.6: lambda < 10/3 prints as 3.333333333333333, not 3.3333333333333335).
template <class Method>
Json interval_json(const Method& m, const Precision& p, const Twin<Method>* twin = nullptr) {
  using Scalar = std::decay_t<decltype(method_step(m))>;
  const Interval<Scalar> iv = convergence_interval(m);
  const Scalar& step = method_step(m);
  // The digits of an end v whose twin is w(twin's method, its interval): a few operations,
  // 8 long double ulps bound the twin's own error.
  auto digits = [&](const Scalar& v, auto&& w) {
    if constexpr (std::is_same_v<Scalar, double>) {
      if (twin) {
        const long double wv = w(twin->method, convergence_interval(twin->method));
        return reliable_digits(v, twin_error(v, wv, 8 * std::numeric_limits<long double>::epsilon() * std::fabs(wv)),
                               p.digits);
      }
    } else {
      (void)v, (void)w;
    }
    return p.digits;
  };
  Json j;
  j["variable"] = std::string(std::is_same_v<Method, HeavyBall<Scalar>> ||
                                      std::is_same_v<Method, Nesterov<Scalar>>
                                  ? "alpha"
                                  : "eta") +
                  "*lambda";
  j["empty"] = iv.empty;
  if (!iv.empty) {
    j["lo"] = decimal(iv.lo, p, digits(iv.lo, [](const auto&, const auto& w) { return w.lo; }));
    j["hi"] = decimal(iv.hi, p, digits(iv.hi, [](const auto&, const auto& w) { return w.hi; }));
    if (step > 0) {
      const Scalar lo = iv.lo / step, hi = iv.hi / step;
      j["lambda_lo"] = decimal(lo, p, digits(lo, [](const auto& wm, const auto& w) {
                                 return w.lo / method_step(wm);
                               }));
      j["lambda_hi"] = decimal(hi, p, digits(hi, [](const auto& wm, const auto& w) {
                                 return w.hi / method_step(wm);
                               }));
    }
  }
  return j;
}

/// Digits of an eigenvalue worth printing: all for given ones, those its error bound leaves for
/// one computed from a matrix (absolute error about n epsilon ||Q||: with kappa = 1e10 in
/// double, lambda_min has 6 correct digits).
/// A double run's typed eigenvalues (--mu 1/3) are printed with the digits their long double
/// twin leaves; one typed as a decimal prints as typed (0.1, not 0.10000000000000001).
template <class Scalar>
int lambda_digits(const Scalar& lambda, const Problem<Scalar>& pr, const Precision& p) {
  if (pr.lambda_error > 0) return reliable_digits(lambda, pr.lambda_error, p.digits);
  if constexpr (std::is_same_v<Scalar, double>) {
    if (!pr.typed.empty()) return reliable_digits(lambda, twin_error(lambda, pr.typed(lambda), 0), p.digits);
  }
  return p.digits;
}

/// L/mu with `digits` digits, also where the quotient overflows double (mu = 1e-300,
/// L = 1e300: kappa = 1e600 is printed, computed in long double, not "inf").
template <class Scalar>
std::string ratio_decimal(const Scalar& L, const Scalar& mu, const Precision& p, int digits) {
  const Scalar k = L / mu;
  if constexpr (std::is_same_v<Scalar, double>) {
    if (!is_finite(k))
      return to_string(static_cast<long double>(L) / static_cast<long double>(mu),
                       std::min(digits, 17));
  }
  return decimal(k, p, digits);
}

/// The digits of kappa = L/mu worth printing: relative errors of mu and L add up. In double
/// with the eigenvalues as typed, kappa is measured against the quotient of the typed values in
/// long double (--mu 3 --L 10: 3.333333333333333, not 3.3333333333333335).
template <class Scalar>
int kappa_digits(const Problem<Scalar>& pr, const Precision& p) {
  if constexpr (std::is_same_v<Scalar, double>) {
    if (!(pr.lambda_error > 0) && !pr.typed.empty()) {
      const long double w = pr.typed(pr.lambda_max()) / pr.typed(pr.lambda_min());
      const long double own = 4 * std::numeric_limits<long double>::epsilon() * std::fabs(w);
      const double k = pr.lambda_max() / pr.lambda_min();
      if (is_finite(k)) return reliable_digits(k, twin_error(k, w, own), p.digits);
      // Past double's range, ratio_decimal prints the long double quotient.
      const long double kl = static_cast<long double>(pr.lambda_max()) / pr.lambda_min();
      return correct_digits(kl, std::fabs(kl - w) + 2 * own, std::min(p.digits, 17));
    }
  }
  if (!(pr.lambda_error > 0)) return p.digits;
  const Scalar rel = pr.lambda_error / pr.lambda_min() + pr.lambda_error / pr.lambda_max() +
                     4 * epsilon<Scalar>();
  return reliable_digits(Scalar(1), rel, p.digits);
}

/// {"kind", "description", "dimension", "lambda_min", "lambda_max", "kappa", "path",
/// "lambda_error"}: eigenvalues computed from a matrix carry their error bound and are printed
/// with the digits it leaves.
template <class Scalar>
Json problem_json(const Problem<Scalar>& pr, const Precision& p) {
  Json j;
  j["kind"] = pr.kind == Problem<Scalar>::Kind::eigenvalues ? "eigenvalues"
              : pr.kind == Problem<Scalar>::Kind::interval  ? "interval"
                                                            : "matrix";
  j["description"] = pr.description;
  j["dimension"] = pr.kind == Problem<Scalar>::Kind::interval ? Json(nullptr) : Json(pr.n);
  j["lambda_min"] = decimal(pr.lambda_min(), p, lambda_digits(pr.lambda_min(), pr, p));
  j["lambda_max"] = decimal(pr.lambda_max(), p, lambda_digits(pr.lambda_max(), pr, p));
  j["kappa"] = ratio_decimal(pr.lambda_max(), pr.lambda_min(), p, kappa_digits(pr, p));
  if (pr.kind == Problem<Scalar>::Kind::matrix) {
    j["path"] = "dense";
    j["lambda_error"] = decimal(pr.lambda_error, p, 2);
  }
  return j;
}

/// The note printed when fewer digits than asked can be trusted (`why`: the reason).
std::string honesty_note(int reliable, const Precision& p);
std::string honesty_note(int reliable, const Precision& p, const std::string& why,
                         bool hint = true);
/// "Rerun with --digits N for more."
std::string more_digits_hint(const Precision& p);
/// The reason of a digit loss, for honesty_note.
std::string loss_reason(DigitLoss loss);
/// The note printed when rho is within its error bound of 1, so that whether the method
/// converges is not decided in the working precision.
std::string undecided_note(const std::string& rho, const std::string& error, const Precision& p);

/// Text rendering of a rate report (the JSON object built by `rate`).
void print_rate_text(std::ostream& out, const Json& j);

/// Text rendering of an optimal report.
void print_optimal_text(std::ostream& out, const Json& j);

/// The second block of an optimal report: each tuning's margin, x-error and 3-digit rounding.
void print_fragility_text(std::ostream& out, const Json& j);

/// Text rendering of a verify report (with a failed verdict, what the failure means).
void print_verify_text(std::ostream& out, const Json& j);

/// What a failed verify verdict means, in words: the scalar type under- or overflowed; or a
/// claimed rate or Jordan size is wrong; or the computed rate failed (rounding, or a bug).
std::string verify_failure_meaning(const Json& j);

/// "velocity form, η = 0.6, β = 0.5, on Q = diag(0.2, 4)": a plot title.
std::string plot_title(const Json& j);

/// "heavy ball (alpha = 0.1, beta = 0.3)".
std::string method_text(const Json& j);

}  // namespace momentum::cli
