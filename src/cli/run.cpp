#include "run.hpp"

#include "common.hpp"
#include "json_output.hpp"
#include "suggest.hpp"

#include <cctype>
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
      "working precision (--digits). Lists: numbers separated by commas, spaces or newlines\n"
      "(\"1, 2, 10\"), or @FILE to read them from a file. Exit status: 0 done (verify: the theory\n"
      "holds), 1 verify: the theory does not hold, 2 bad input, 3 numerical or I/O failure; with\n"
      "--json an error is also printed on stdout as {\"error\": ..., \"argument\": ...}.");
  commands_ = {add_rate(app_),     add_optimal(app_),   add_verify(app_),
               add_simulate(app_), add_landscape(app_), add_demo(app_)};
}

const CLI::App* Tool::chosen() const {
  for (const auto& c : commands_)
    if (c.app->parsed()) return c.app;
  return nullptr;
}

namespace {

/// The option an error message is about: its leading "--name" (messages name their argument
/// first), or "" when it starts otherwise ("the problem is missing: ...").
std::string leading_option(const std::string& message) {
  if (message.size() < 2 || message[0] != '-') return "";
  std::size_t end = 1;
  while (end < message.size() &&
         (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '-' ||
          message[end] == '_'))
    ++end;
  return message.substr(0, end);
}

/// CLI11's messages name the option anywhere ("Expected exactly 1 arguments to --eta, got 0").
std::string any_option(const std::string& message) {
  const std::string first = leading_option(message);
  if (!first.empty()) return first;
  const std::size_t dashes = message.find(" --");
  return dashes == std::string::npos ? "" : leading_option(message.substr(dashes + 1));
}

}  // namespace

void Tool::json_error(std::ostream& out, const std::string& message, const std::string& argument) const {
  if (!json_errors_) return;
  Json j;
  j["error"] = message;
  j["argument"] = argument.empty() ? Json(nullptr) : Json(argument);
  out << json_text(j) << '\n' << std::flush;
}

std::optional<int> Tool::parse(int argc, const char* const* argv, std::ostream& out,
                               std::ostream& err) {
  // --json asks for errors as JSON on stdout too; looked for in the arguments themselves, since
  // a parse error leaves CLI11's flags unset.
  json_errors_ = false;
  for (int i = 1; i < argc && argv[i] != nullptr; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    if (a == "--json" || a.rfind("--json=", 0) == 0) json_errors_ = true;
  }
  try {
    app_.parse(argc, argv);
    // An option given an empty value ("--eigenvalues ''", "--output=") would otherwise read as
    // not given at all.
    if (const CLI::App* c = chosen()) {
      for (const CLI::Option* opt : c->get_options()) {
        if (opt->count() == 0 || opt->get_type_size_max() == 0) continue;  // absent, or a flag
        for (const std::string& value : opt->results())
          if (value.empty()) {
            const std::string message = opt->get_name() + ": the value is empty";
            err << "momentum " << c->get_name() << ": error: " << message << "\n"
                << "Run 'momentum " << c->get_name() << " --help' for the options.\n";
            json_error(out, message, opt->get_name());
            return exit_usage;
          }
      }
    }
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app_.exit(e, out, err);  // --help, --version
    const CLI::App* c = chosen();
    // An argument CLI11 did not recognise explains the rest ("--methd" leaves --method
    // missing): it comes first, with the name it most likely meant.
    std::string message = e.what(), argument = any_option(message);
    if (const std::optional<UnknownArgument> u = unknown_argument(app_, c)) {
      message = u->message;
      argument = u->argument;
      // An unknown subcommand is the tool's error, not the subcommand's.
      if (message.rfind("unknown subcommand", 0) == 0) c = nullptr;
    }
    const std::string where = c ? " " + c->get_name() : "";
    err << "momentum" << where << ": error: " << message << "\n"
        << "Run 'momentum" << where << " --help' for the options.\n";
    json_error(out, message, argument);
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
  // With --json the message also goes to stdout as {"error", "argument"}.
  auto fail = [&](int status, const char* kind, const std::string& message, const std::string& hint = "") {
    err << "momentum: " << kind << ": " << message << '\n' << hint;
    json_error(std::cout, message, leading_option(message));
    return status;
  };
  try {
    for (const auto& c : commands_)
      if (c.app->parsed()) return flush_stdout(c.run(), err);
    return flush_stdout(run_demo("momentum-demo", false, false), err);
  } catch (const UsageError& e) {
    return fail(exit_usage, "error", e.what());
  } catch (const std::invalid_argument& e) {
    // The library's own checks ("heavy_ball: beta must ..."): still the caller's input.
    return fail(exit_usage, "error", e.what());
  } catch (const std::overflow_error& e) {
    // A valid question whose answer (or an intermediate) is beyond the working type's range.
    return fail(exit_failure, "failed", e.what(),
                ran_multiprecision()
                    ? ""
                    : "  double cannot compute this (its range ends at 1.8e+308): rerun with "
                      "--digits 20 or more, which computes in MPFR, whose exponents reach "
                      "10^323228496.\n");
  } catch (const std::bad_alloc&) {
    return fail(exit_failure, "error", "out of memory");
  } catch (const std::exception& e) {
    return fail(exit_failure, "failed", e.what());
  }
}

int run(int argc, char** argv) {
  Tool tool;
  if (const std::optional<int> status = tool.parse(argc, argv, std::cout, std::cerr))
    return *status;
  return tool.run(std::cerr);
}

}  // namespace momentum::cli
