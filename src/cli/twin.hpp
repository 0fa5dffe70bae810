#pragma once
/// \file twin.hpp
/// The wide twin of a double run (accuracy.hpp): the method and the eigenvalues again, in
/// long double, parsed from the text the user typed, so that the rounding of the decimal
/// inputs to double shows in the difference between a double result and its twin.

#include "accuracy.hpp"
#include "problem.hpp"
#include "report.hpp"

#include <memory>
#include <string>
#include <type_traits>

namespace momentum::cli {

/// The method of the options in long double, parsed from their text.
template <class M>
typename WideOf<M>::type wide_method(const MethodOptions& o) {
  using W = typename WideOf<M>::type;
  auto num = [](const std::string& text, const char* option) {
    return text.empty() ? 0.0L : parse_number<long double>(text, option);
  };
  if constexpr (std::is_same_v<W, TwoState<long double>>) {
    return W(num(o.alpha, "--alpha"), num(o.beta, "--beta"), num(o.gamma, "--gamma"));
  } else if constexpr (std::is_same_v<W, PyTorchSGD<long double>>) {
    // The weight decay is in the problem (problem_for), as for the method itself.
    return W(num(o.lr, "--lr"), num(o.momentum, "--momentum"), num(o.dampening, "--dampening"),
             0.0L, o.nesterov);
  } else if constexpr (std::is_same_v<W, QHM<long double>>) {
    return W(num(o.alpha, "--alpha"), num(o.nu, "--nu"), num(o.beta, "--beta"));
  } else {
    const long double step = parse_number<long double>(o.step().first, o.step().second);
    if constexpr (W::state_size == 1) return W(step);
    else return W(step, parse_number<long double>(o.beta, "--beta"));
  }
}

/// The "family" object of a parameterization's report (report.hpp: family_json), with the
/// digits its wide twin leaves in a double run; null for the other methods.
template <class M>
Json family_report(const M& m, const Precision& p, const MethodOptions& o) {
  if constexpr (!IsParameterization<M>::value) {
    (void)m, (void)p, (void)o;
    return Json();
  } else {
    using S = std::decay_t<decltype(method_step(m))>;
    if constexpr (std::is_same_v<S, double>) {
      const auto wide = wide_method<M>(o);
      return family_json(m, p, &wide);
    } else {
      return family_json(m, p, static_cast<const typename WideOf<M>::type*>(nullptr));
    }
  }
}

/// The eigenvalues of a double problem as typed (Problem::typed: --eigenvalues and --mu/--L
/// parsed again in long double); a matrix's computed eigenvalues are their own twins (none
/// listed). Empty outside double.
template <class Scalar>
TypedEigenvalues typed_eigenvalues(const Problem<Scalar>& p, const ProblemOptions&) {
  return p.typed;
}

/// Owns a double run's twin: make(m) is the Twin of method m's kind (null for MPFR runs).
template <class Scalar>
class TwinSource {
 public:
  TwinSource(const MethodOptions& method, const Problem<Scalar>& p, const ProblemOptions& o)
      : method_(method) {
    eigenvalues_ = typed_eigenvalues(p, o);
  }
  /// The twin of m (a method of the options' kind), or none outside double.
  template <class M>
  std::unique_ptr<Twin<M>> make(const M&) const {
    if constexpr (!std::is_same_v<Scalar, double>) return nullptr;
    else return std::make_unique<Twin<M>>(Twin<M>{wide_method<M>(method_), &eigenvalues_});
  }
  const TypedEigenvalues& eigenvalues() const { return eigenvalues_; }

 private:
  MethodOptions method_;
  TypedEigenvalues eigenvalues_;
};

}  // namespace momentum::cli
