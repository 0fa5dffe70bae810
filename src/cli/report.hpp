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
#include <memory>
#include <ostream>
#include <type_traits>

namespace momentum::cli {

template <class S> const S& method_step(const GradientDescent<S>& m) { return m.eta; }
template <class S> const S& method_step(const HeavyBall<S>& m) { return m.alpha; }
template <class S> const S& method_step(const Velocity<S>& m) { return m.eta; }
template <class S> const S& method_step(const Nesterov<S>& m) { return m.alpha; }

template <class S> const S& method_step(const TwoState<S>& m) { return m.alpha; }
template <class S> const S& method_step(const PyTorchSGD<S>& m) { return m.lr; }
template <class S> const S& method_step(const QHM<S>& m) { return m.alpha; }

template <class Method> const char* method_label(const Method&) { return Method::name; }

/// The name of a method's step parameter: "eta" (gd, velocity), "lr" (pytorch) or "alpha".
template <class S> const char* method_step_name(const GradientDescent<S>&) { return "eta"; }
template <class S> const char* method_step_name(const Velocity<S>&) { return "eta"; }
template <class S> const char* method_step_name(const PyTorchSGD<S>&) { return "lr"; }
template <class M> const char* method_step_name(const M&) { return "alpha"; }

/// Whether a method is PyTorch's SGD (its weight decay is reported from the options).
template <class Method> struct IsParameterizationOf { static constexpr bool pytorch = false; };
template <class S> struct IsParameterizationOf<PyTorchSGD<S>> { static constexpr bool pytorch = true; };


template <class S> S method_beta(const GradientDescent<S>&) { return S(0); }
template <class S> const S& method_beta(const HeavyBall<S>& m) { return m.beta; }
template <class S> const S& method_beta(const Velocity<S>& m) { return m.beta; }
template <class S> const S& method_beta(const Nesterov<S>& m) { return m.beta; }
template <class S> const S& method_beta(const TwoState<S>& m) { return m.beta; }
template <class S> const S& method_beta(const PyTorchSGD<S>& m) { return m.momentum; }
template <class S> const S& method_beta(const QHM<S>& m) { return m.beta; }

/// The third parameter of a three-parameter method: gamma (general), nu (qhm); 0 for the others
/// (PyTorch's dampening is given, not tuned).
template <class M> auto method_third(const M& m) { return std::decay_t<decltype(method_beta(m))>(0); }
template <class S> S method_third(const TwoState<S>& m) { return m.gamma; }
template <class S> S method_third(const QHM<S>& m) { return m.nu; }

/// Digits of a tuning's step, beta, third parameter (method_third) and rate worth printing.
struct TuningDigits {
  int step, beta, rate, third;
  /// The digits of the parameter named `key` in a "parameters" object (-1: print as it is).
  int of(const std::string& key) const {
    if (key == "beta" || key == "momentum") return beta;
    if (key == "gamma" || key == "nu") return third;
    if (key == "alpha" || key == "eta" || key == "lr") return step;
    return -1;
  }
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
  Scalar ds(0), db(0), dr(0), dt(0);
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
      dt = twin_error(double(method_third(t.method)), method_third(w.method),
                      u * std::fabs(method_third(w.method)));
    }
  }
  if (err > 0) {
    Scalar cs(0), cb(0), cr(0), ct(0);
    for (int a : {-1, 1})
      for (int b : {-1, 1}) {
        const Scalar m2 = mu + a * err, L2 = L + b * err;
        if (!(m2 > 0) || L2 < m2) return {1, 1, 1, 1};  // not even mu's sign is known
        const auto u = make(m2, L2);
        cs = max(cs, Scalar(abs(method_step(u.method) - method_step(t.method))));
        cb = max(cb, Scalar(abs(method_beta(u.method) - method_beta(t.method))));
        cr = max(cr, Scalar(abs(u.rate - t.rate)));
        ct = max(ct, Scalar(abs(method_third(u.method) - method_third(t.method))));
      }
    ds += cs, db += cb, dr += cr, dt += ct;
  }
  return {reliable_digits(method_step(t.method), ds, wanted),
          reliable_digits(Scalar(method_beta(t.method)), db, wanted),
          reliable_digits(t.rate, dr, wanted),
          reliable_digits(Scalar(method_third(t.method)), dt, wanted)};
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

template <class S> Json parameters_json(const TwoState<S>& m, const Precision& p) {
  Json j = {{"alpha", decimal(m.alpha, p)}, {"beta", decimal(m.beta, p)}};
  j["gamma"] = decimal(m.gamma, p);
  return j;
}
/// PyTorch's parameters; the command line applies the weight decay to the problem (Q + wd I)
/// and passes it here as typed (`weight_decay`, empty: 0).
template <class S> Json parameters_json(const PyTorchSGD<S>& m, const Precision& p,
                                        const std::string& weight_decay = {}) {
  Json j = {{"lr", decimal(m.lr, p)}, {"momentum", decimal(m.momentum, p)}};
  j["dampening"] = decimal(m.dampening, p);
  j["weight_decay"] = weight_decay.empty() ? decimal(m.weight_decay, p)
                                           : decimal(parse<S>(weight_decay, "--weight-decay"), p);
  j["nesterov"] = m.nesterov;
  return j;
}

/// A method's "parameters" as the user gave them (with PyTorch's weight decay from the options).
template <class Method>
Json parameters_json(const Method& m, const Precision& p, const MethodOptions& o) {
  if constexpr (IsParameterizationOf<Method>::pytorch) return parameters_json(m, p, o.weight_decay);
  else return parameters_json(m, p);
}
template <class S> Json parameters_json(const QHM<S>& m, const Precision& p) {
  Json j = {{"alpha", decimal(m.alpha, p)}, {"nu", decimal(m.nu, p)}};
  j["beta"] = decimal(m.beta, p);
  return j;
}

/// Whether a method is one of the parameterizations that reports its family member.
template <class Method> struct IsParameterization : std::false_type {};
template <class S> struct IsParameterization<PyTorchSGD<S>> : std::true_type {};
template <class S> struct IsParameterization<QHM<S>> : std::true_type {};

/// {"alpha", "beta", "gamma", "alpha_gamma"}: the two-state member a parameterization is
/// (methods.hpp: family(); on Q + wd I for PyTorch's weight decay), computed in the working
/// precision from the parameters as typed; "gamma" is null where it is infinite (alpha = 0,
/// alpha*gamma != 0). A double run prints each with the digits its long double twin
/// (`wide`, accuracy.hpp) leaves: the maps are a few products (8 long double ulps).
template <class Method, class WideMethod>
Json family_json(const Method& m, const Precision& p, const WideMethod* wide) {
  using S = std::decay_t<decltype(method_step(m))>;
  const TwoState<S> f = family(m);
  auto put = [&](const S& v, auto&& of) {
    int d = p.digits;
    if constexpr (std::is_same_v<S, double>) {
      if (wide) {
        const long double w = of(family(*wide));
        d = reliable_digits(v, twin_error(v, w, 8 * std::numeric_limits<long double>::epsilon() * std::fabs(w)),
                            p.digits);
      }
    } else {
      (void)wide, (void)of;
    }
    return decimal(v, p, d);
  };
  Json j;
  j["alpha"] = put(f.alpha, [](const auto& w) { return w.alpha; });
  j["beta"] = put(f.beta, [](const auto& w) { return w.beta; });
  j["gamma"] = f.gamma_finite ? Json(put(f.gamma, [](const auto& w) { return w.gamma; })) : Json(nullptr);
  j["alpha_gamma"] = put(f.alpha_gamma, [](const auto& w) { return w.alpha_gamma; });
  return j;
}

/// {"variable": "alpha*lambda", "lo", "hi", "empty", "lambda_lo", "lambda_hi"}: the open
/// interval of step*lambda where the method converges, and the lambdas it means. A double run
/// with a wide twin (accuracy.hpp) prints each end with the digits the twin's interval leaves
/// (gd eta 0.6: lambda < 10/3 prints as 3.333333333333333, not 3.3333333333333335).
/// The method whose convergence interval a report shows: PyTorch's SGD and QHM show their
/// family member's (in alpha*lambda of its alpha), the others their own.
template <class M>
auto interval_member(const M& m) {
  if constexpr (IsParameterization<M>::value) return family(m);
  else return m;
}

template <class Method>
Json own_interval_json(const Method& m, const Precision& p, const Twin<Method>* twin) {
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
  j["variable"] = std::string(method_step_name(m)) + "*lambda";
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

template <class Method>
Json interval_json(const Method& m, const Precision& p, const Twin<Method>* twin = nullptr) {
  if constexpr (IsParameterization<Method>::value) {
    using F = decltype(family(m));
    std::unique_ptr<Twin<F>> wide;
    if (twin) wide = std::make_unique<Twin<F>>(Twin<F>{family(twin->method), twin->eigenvalues});
    return own_interval_json(family(m), p, wide.get());
  } else {
    return own_interval_json(m, p, twin);
  }
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

/// "alpha = 0.1, beta = 0.3" of a "parameters" object ("nesterov" for a true flag).
std::string parameters_text(const Json& parameters);

/// "heavy ball (alpha = 0.1, beta = 0.3)"; a parameterization adds its two-state member.
std::string method_text(const Json& j);

}  // namespace momentum::cli
