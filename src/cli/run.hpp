#pragma once
/// \file run.hpp
/// The `momentum` tool as a function: main() only calls run(). Parsing is separate from
/// running, so that the command-line fuzzer (tests/fuzz/fuzz_cli.cpp) exercises the whole
/// argument parsing without running a command.

#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace momentum::cli {

/// The command line of the tool: the CLI11 app with every subcommand.
class Tool {
 public:
  Tool();
  Tool(const Tool&) = delete;
  Tool& operator=(const Tool&) = delete;

  /// Parses argv (argv[0] is the program's name). Returns the exit status when parsing alone
  /// decides it: 0 after --help or --version (printed to `out`), exit_usage after a parse error
  /// (the message on `err`, naming the argument; an unknown option, method or subcommand with
  /// the closest known one; with --json among the arguments, also {"error", "argument"} on
  /// `out`); nothing when a command should run.
  std::optional<int> parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

  /// Runs the parsed subcommand (the built-in example when none was given). The one place where
  /// exceptions become messages on `err` and exit statuses (2: bad input, 3: numerical or I/O
  /// failure); with --json, each message is also printed on standard output as one JSON object
  /// {"error": message, "argument": the option it names first, or null}.
  int run(std::ostream& err);

  /// The subcommand parse() found, or nullptr.
  const CLI::App* chosen() const;

 private:
  /// With --json: prints {"error": message, "argument": argument or null} on `out`.
  void json_error(std::ostream& out, const std::string& message, const std::string& argument) const;

  CLI::App app_;
  std::vector<Command> commands_;
  bool json_errors_ = false;  ///< --json was among the arguments
};

/// The tool: parses argv, then runs the subcommand; returns the exit status.
int run(int argc, char** argv);

}  // namespace momentum::cli
