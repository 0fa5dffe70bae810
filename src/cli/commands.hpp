#pragma once
/// \file commands.hpp
/// The subcommands of the `momentum` tool. Each adds itself to the CLI11 app and returns the
/// function that runs it after parsing (returning the exit status). Each is a template on the
/// scalar inside its own file, instantiated for double and mpfr_float only.

#include <CLI/CLI.hpp>

#include <functional>

namespace momentum::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command add_rate(CLI::App& parent);
Command add_optimal(CLI::App& parent);
Command add_verify(CLI::App& parent);
Command add_simulate(CLI::App& parent);
Command add_landscape(CLI::App& parent);
Command add_demo(CLI::App& parent);

/// Runs the built-in example into `folder` (the demo subcommand and `momentum` alone).
int run_demo(const std::string& folder, bool force, bool quiet);

}  // namespace momentum::cli
