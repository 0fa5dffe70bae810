#pragma once
/// \file options.hpp
/// The command-line options subcommands share (precision and output, the method and its
/// parameters, the problem), kept as the text the user typed: numbers are parsed only once
/// the working precision is set, straight into the working scalar.

#include "common.hpp"

#include <momentum/methods.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace momentum::cli {

/// --digits, --json, --force, --quiet.
struct OutputOptions {
  std::string digits;
  bool json = false;
  bool force = false;
  bool quiet = false;
  Precision precision;  ///< set by resolve()
  void resolve() { precision = parse_precision(digits); }
};
void add_output_options(CLI::App& app, OutputOptions& o, bool with_force);

/// The methods: the four named ones, the two-state family itself, and the parameterizations
/// users type (SPEC section 11).
enum class MethodKind { gd, heavy_ball, velocity, nesterov, general, pytorch, qhm };
MethodKind parse_method(const std::string& name);
const char* method_name(MethodKind k);   ///< "gd", "heavy-ball", ..., "general", "pytorch", "qhm"
const char* method_title(MethodKind k);  ///< "gradient descent", "heavy ball", ...
const char* step_name(MethodKind k);     ///< "eta" (gd, velocity), "lr" (pytorch) or "alpha"
/// Every method name --method takes in rate, verify and simulate.
const std::vector<std::string>& all_method_names();

/// --method and each method's parameters: --alpha/--eta (the step: either name), --beta,
/// --gamma (general), --lr --momentum --dampening --weight-decay --nesterov (pytorch), --nu
/// (qhm, with --alpha and --beta).
struct MethodOptions {
  std::string method, alpha, eta, beta, gamma;
  std::string lr, momentum, dampening, weight_decay, nu;
  bool nesterov = false;
  /// The step's text and the option it came from. \throws UsageError if missing or both given.
  std::pair<std::string, std::string> step() const;
  /// \throws UsageError when a parameter the method needs is missing, or one it does not take
  /// is given (naming both).
  void check(MethodKind k) const;
};
/// Adds --method (one of `methods`) and, when asked, the parameters.
void add_method_options(CLI::App& app, MethodOptions& o, const std::vector<std::string>& methods,
                        bool with_parameters = true);

/// The method of kind k from the options in Scalar (every number parsed straight into Scalar).
template <class Scalar, class F>
decltype(auto) with_method_kind(const MethodOptions& o, MethodKind k, F&& f) {
  o.check(k);
  auto num = [](const std::string& text, const char* option) -> Scalar {
    return parse_number<Scalar>(text, option);
  };
  auto optional = [&](const std::string& text, const char* option) -> Scalar {
    return text.empty() ? Scalar(0) : num(text, option);
  };
  switch (k) {
    case MethodKind::pytorch:
      // --weight-decay is validated here and applied to the problem (problem_for): the
      // method runs on Q + wd I with no decay of its own.
      (void)optional(o.weight_decay, "--weight-decay");
      return f(PyTorchSGD<Scalar>(num(o.lr, "--lr"), num(o.momentum, "--momentum"),
                                  optional(o.dampening, "--dampening"), Scalar(0), o.nesterov));
    case MethodKind::qhm:
      return f(QHM<Scalar>(num(o.alpha, "--alpha"), num(o.nu, "--nu"), num(o.beta, "--beta")));
    case MethodKind::general:
      return f(TwoState<Scalar>(num(o.alpha, "--alpha"), num(o.beta, "--beta"),
                                num(o.gamma, "--gamma")));
    default: break;
  }
  const auto [step_text, step_option] = o.step();
  const Scalar step = parse_number<Scalar>(step_text, step_option);
  auto beta = [&]() -> Scalar { return parse_number<Scalar>(o.beta, "--beta"); };
  switch (k) {
    case MethodKind::gd: return f(GradientDescent<Scalar>(step));
    case MethodKind::heavy_ball: return f(HeavyBall<Scalar>(step, beta()));
    case MethodKind::velocity: return f(Velocity<Scalar>(step, beta()));
    default: break;
  }
  return f(Nesterov<Scalar>(step, beta()));
}

/// Calls f(method) with the method built from the options in Scalar (numbers parsed now).
template <class Scalar, class F>
decltype(auto) with_method(const MethodOptions& o, F&& f) {
  return with_method_kind<Scalar>(o, parse_method(o.method), std::forward<F>(f));
}

/// Where the problem comes from: --eigenvalues, --mu/--L, or --matrix (with --linear,
/// --constant), and how a matrix is analysed (--path).
struct ProblemOptions {
  std::string eigenvalues, mu, L, matrix, linear, constant;
  std::string path = "auto";
  /// Added to every eigenvalue (Q + shift I, c and b kept): PyTorch's weight decay, which makes
  /// the method minimize f + (wd/2) ||x||^2 (set by problem_for, not an option of its own).
  std::string shift;
  /// \throws UsageError unless exactly one source is given, completely.
  void check(bool allow_interval = true) const;
};
/// The problem the method of `m` runs on: `problem`, shifted by --weight-decay for pytorch.
ProblemOptions problem_for(const ProblemOptions& problem, const MethodOptions& m);

/// Adds --eigenvalues, --matrix, --linear, --constant; --mu/--L when the subcommand takes an
/// interval (`with_interval`), --path when it has the extremes path.
void add_problem_options(CLI::App& app, ProblemOptions& o, bool with_path, bool with_interval = true);

}  // namespace momentum::cli
