#include "run.hpp"

#include "common.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <stdexcept>

#ifndef MOMENTUM_VERSION
#define MOMENTUM_VERSION "unknown"
#endif

namespace momentum::cli {

Tool::Tool()
    : app_{
          "momentum: exact convergence rates of gradient descent, heavy ball, the velocity form "
          "and\nNesterov on convex quadratics h(x) = 1/2 x'Qx + c'x + b.\n"
          "Run without arguments for the built-in example (d2l's f = 0.1 x1^2 + 2 x2^2).",
          "momentum"} {
  app_.set_version_flag("--version", MOMENTUM_VERSION);
  app_.require_subcommand(0, 1);
  app_.footer(
      "Run 'momentum SUBCOMMAND --help' for its options and an example.\n"
      "Numbers: decimals, integers or rationals (0.6, 1e-4, 4/121), parsed exactly into the\n"
      "working precision (--digits). Exit status: 0 done (verify: the theory holds), 1 verify:\n"
      "the theory does not hold, 2 bad input, 3 numerical or I/O failure.");
  commands_ = {add_rate(app_),     add_optimal(app_),   add_verify(app_),
               add_simulate(app_), add_landscape(app_), add_demo(app_)};
}

const CLI::App* Tool::chosen() const {
  for (const auto& c : commands_)
    if (c.app->parsed()) return c.app;
  return nullptr;
}

std::optional<int> Tool::parse(int argc, const char* const* argv, std::ostream& out,
                               std::ostream& err) {
  try {
    app_.parse(argc, argv);
    // An option given an empty value ("--eigenvalues ''", "--output=") would otherwise read as
    // not given at all.
    if (const CLI::App* c = chosen()) {
      for (const CLI::Option* opt : c->get_options()) {
        if (opt->count() == 0 || opt->get_type_size_max() == 0) continue;  // absent, or a flag
        for (const std::string& value : opt->results())
          if (value.empty()) {
            err << "momentum " << c->get_name() << ": error: " << opt->get_name()
                << ": the value is empty\n"
                << "Run 'momentum " << c->get_name() << " --help' for the options.\n";
            return exit_usage;
          }
      }
    }
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app_.exit(e, out, err);  // --help, --version
    const CLI::App* c = chosen();
    const std::string where = c ? " " + c->get_name() : "";
    err << "momentum" << where << ": error: " << e.what() << "\n"
        << "Run 'momentum" << where << " --help' for the options.\n";
    return exit_usage;
  }
}

namespace {
/// Everything printed must have reached standard output: a full disk or a closed file there is
/// an I/O failure (exit 3), not a silent success.
int flush_stdout(int status, std::ostream& err) {
  std::cout.flush();
  errno = 0;
  const int flushed = std::fflush(stdout);
  const int error = errno;
  const bool failed = !std::cout || flushed != 0 || std::ferror(stdout);
  if (!failed) return status;
  err << "momentum: failed: writing to standard output failed"
      << (error ? std::string(": ") + std::strerror(error) : std::string()) << '\n';
  return exit_failure;
}
}  // namespace

int Tool::run(std::ostream& err) {
  try {
    for (const auto& c : commands_)
      if (c.app->parsed()) return flush_stdout(c.run(), err);
    return flush_stdout(run_demo("momentum-demo", false, false), err);
  } catch (const UsageError& e) {
    err << "momentum: error: " << e.what() << '\n';
    return exit_usage;
  } catch (const std::invalid_argument& e) {
    // The library's own checks ("heavy_ball: beta must ..."): still the caller's input.
    err << "momentum: error: " << e.what() << '\n';
    return exit_usage;
  } catch (const std::overflow_error& e) {
    // A valid question whose answer (or an intermediate) is beyond the working type's range.
    err << "momentum: failed: " << e.what() << '\n';
    if (!ran_multiprecision())
      err << "  double cannot compute this (its range ends at 1.8e+308): rerun with --digits 20 "
             "or more, which computes in MPFR, whose exponents reach 10^323228496.\n";
    return exit_failure;
  } catch (const std::bad_alloc&) {
    err << "momentum: error: out of memory\n";
    return exit_failure;
  } catch (const std::exception& e) {
    err << "momentum: failed: " << e.what() << '\n';
    return exit_failure;
  }
}

int run(int argc, char** argv) {
  Tool tool;
  if (const std::optional<int> status = tool.parse(argc, argv, std::cout, std::cerr))
    return *status;
  return tool.run(std::cerr);
}

}  // namespace momentum::cli
