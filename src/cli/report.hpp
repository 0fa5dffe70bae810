#pragma once
/// \file report.hpp
/// Building blocks of the reports: a method's name, parameters and convergence interval, the
/// problem, and the honesty note, as JSON; and the text rendering of a `rate` report.

#include "json_output.hpp"
#include "problem.hpp"

#include <momentum/regions.hpp>

#include <ostream>

namespace momentum::cli {

template <class S> const S& method_step(const GradientDescent<S>& m) { return m.eta; }
template <class S> const S& method_step(const HeavyBall<S>& m) { return m.alpha; }
template <class S> const S& method_step(const Velocity<S>& m) { return m.eta; }
template <class S> const S& method_step(const Nesterov<S>& m) { return m.alpha; }

template <class Method> const char* method_label(const Method&) { return Method::name; }

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
/// interval of step*lambda where the method converges, and the lambdas it means.
template <class Method>
Json interval_json(const Method& m, const Precision& p) {
  using Scalar = std::decay_t<decltype(method_step(m))>;
  const Interval<Scalar> iv = convergence_interval(m);
  const Scalar& step = method_step(m);
  Json j;
  j["variable"] = std::string(std::is_same_v<Method, HeavyBall<Scalar>> ||
                                      std::is_same_v<Method, Nesterov<Scalar>>
                                  ? "alpha"
                                  : "eta") +
                  "*lambda";
  j["empty"] = iv.empty;
  if (!iv.empty) {
    j["lo"] = decimal(iv.lo, p);
    j["hi"] = decimal(iv.hi, p);
    if (step > 0) {
      j["lambda_lo"] = decimal(Scalar(iv.lo / step), p);
      j["lambda_hi"] = decimal(Scalar(iv.hi / step), p);
    }
  }
  return j;
}

/// {"kind", "description", "dimension", "lambda_min", "lambda_max", "kappa", "path"}.
template <class Scalar>
Json problem_json(const Problem<Scalar>& pr, const Precision& p) {
  Json j;
  j["kind"] = pr.kind == Problem<Scalar>::Kind::eigenvalues ? "eigenvalues"
              : pr.kind == Problem<Scalar>::Kind::interval  ? "interval"
                                                            : "matrix";
  j["description"] = pr.description;
  j["dimension"] = pr.kind == Problem<Scalar>::Kind::interval ? Json(nullptr) : Json(pr.n);
  j["lambda_min"] = decimal(pr.lambda_min(), p);
  j["lambda_max"] = decimal(pr.lambda_max(), p);
  j["kappa"] = decimal(Scalar(pr.lambda_max() / pr.lambda_min()), p);
  if (pr.kind == Problem<Scalar>::Kind::matrix) j["path"] = "dense";
  return j;
}

/// The note printed when fewer digits than asked can be trusted.
std::string honesty_note(int reliable, const Precision& p);

/// Text rendering of a rate report (the JSON object built by `rate`).
void print_rate_text(std::ostream& out, const Json& j);

/// Text rendering of an optimal report.
void print_optimal_text(std::ostream& out, const Json& j);

/// Text rendering of a verify report.
void print_verify_text(std::ostream& out, const Json& j);

/// "velocity form, η = 0.6, β = 0.5, on Q = diag(0.2, 4)": a plot title.
std::string plot_title(const Json& j);

/// "heavy ball (alpha = 0.1, beta = 0.3)".
std::string method_text(const Json& j);

}  // namespace momentum::cli
