// The `momentum` command-line tool: dispatch to the subcommands, and the one place where
// exceptions become messages and exit statuses (2: bad input, 3: numerical or I/O failure).
#include "commands.hpp"
#include "common.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <new>
#include <stdexcept>
#include <vector>

#ifndef MOMENTUM_VERSION
#define MOMENTUM_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace momentum::cli;
  CLI::App app{
      "momentum: exact convergence rates of gradient descent, heavy ball, the velocity form and\n"
      "Nesterov on convex quadratics h(x) = 1/2 x'Qx + c'x + b.\n"
      "Run without arguments for the built-in example (d2l's f = 0.1 x1^2 + 2 x2^2).",
      "momentum"};
  app.set_version_flag("--version", MOMENTUM_VERSION);
  app.require_subcommand(0, 1);
  app.footer(
      "Run 'momentum SUBCOMMAND --help' for its options and an example.\n"
      "Numbers: decimals, integers or rationals (0.6, 1e-4, 4/121), parsed exactly into the\n"
      "working precision (--digits). Exit status: 0 done (verify: the theory holds), 1 verify:\n"
      "the theory does not hold, 2 bad input, 3 numerical or I/O failure.");
  std::vector<Command> commands = {add_rate(app),     add_optimal(app),   add_verify(app),
                                   add_simulate(app), add_landscape(app), add_demo(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string where;
    for (const auto& c : commands)
      if (c.app->parsed()) where = " " + c.app->get_name();
    std::cerr << "momentum" << where << ": error: " << e.what() << "\n"
              << "Run 'momentum" << where << " --help' for the options.\n";
    return exit_usage;
  }
  try {
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
    return run_demo("momentum-demo", false, false);
  } catch (const UsageError& e) {
    std::cerr << "momentum: error: " << e.what() << '\n';
    return exit_usage;
  } catch (const std::invalid_argument& e) {
    // The library's own checks ("heavy_ball: beta must ..."): still the caller's input.
    std::cerr << "momentum: error: " << e.what() << '\n';
    return exit_usage;
  } catch (const std::bad_alloc&) {
    std::cerr << "momentum: error: out of memory\n";
    return exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "momentum: failed: " << e.what() << '\n';
    return exit_failure;
  }
}
