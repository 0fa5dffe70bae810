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

/// The four methods.
enum class MethodKind { gd, heavy_ball, velocity, nesterov };
MethodKind parse_method(const std::string& name);
const char* method_name(MethodKind k);   ///< "gd", "heavy-ball", "velocity", "nesterov"
const char* method_title(MethodKind k);  ///< "gradient descent", "heavy ball", ...
const char* step_name(MethodKind k);     ///< "eta" (gd, velocity) or "alpha"

/// --method, --alpha/--eta (the step: either name), --beta.
struct MethodOptions {
  std::string method, alpha, eta, beta;
  /// The step's text and the option it came from. \throws UsageError if missing or both given.
  std::pair<std::string, std::string> step() const;
  /// \throws UsageError when --beta is missing (momentum methods) or given (gd).
  void check(MethodKind k) const;
};
/// Adds --method (one of `methods`) and, when asked, the parameters.
void add_method_options(CLI::App& app, MethodOptions& o, const std::vector<std::string>& methods,
                        bool with_parameters = true);

/// Calls f(method) with the method built from the options in Scalar (numbers parsed now).
template <class Scalar, class F>
decltype(auto) with_method(const MethodOptions& o, F&& f) {
  const MethodKind k = parse_method(o.method);
  o.check(k);
  const auto [step_text, step_option] = o.step();
  const Scalar step = parse_number<Scalar>(step_text, step_option);
  auto beta = [&]() -> Scalar { return parse_number<Scalar>(o.beta, "--beta"); };
  switch (k) {
    case MethodKind::gd: return f(GradientDescent<Scalar>(step));
    case MethodKind::heavy_ball: return f(HeavyBall<Scalar>(step, beta()));
    case MethodKind::velocity: return f(Velocity<Scalar>(step, beta()));
    case MethodKind::nesterov: break;
  }
  return f(Nesterov<Scalar>(step, beta()));
}

/// Where the problem comes from: --eigenvalues, --mu/--L, or --matrix (with --linear,
/// --constant), and how a matrix is analysed (--path).
struct ProblemOptions {
  std::string eigenvalues, mu, L, matrix, linear, constant;
  std::string path = "auto";
  /// \throws UsageError unless exactly one source is given, completely.
  void check(bool allow_interval = true) const;
};
/// Adds --eigenvalues, --matrix, --linear, --constant; --mu/--L when the subcommand takes an
/// interval (`with_interval`), --path when it has the extremes path.
void add_problem_options(CLI::App& app, ProblemOptions& o, bool with_path, bool with_interval = true);

}  // namespace momentum::cli
