#pragma once
/// \file suggest.hpp
/// Help for typos: the closest of a set of names ("did you mean --method?"), a CLI11 validator
/// for a choice that names the likely one, and the message for a command-line argument CLI11
/// did not recognise (an unknown option or subcommand, a stray value), in place of CLI11's own
/// ("The following arguments were not expected: gd --method rat", its leftovers reversed).

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace momentum::cli {

/// Optimal string alignment distance between a and b, ignoring case: insertions, deletions,
/// substitutions and transpositions of adjacent characters each cost 1.
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The candidate `typed` most likely meant: the nearest by edit_distance when at most 1 for
/// names up to 4 characters, 2 beyond (leading dashes ignored); else the only candidate
/// `typed` is a prefix of (3 characters or more); else "".
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

/// "; did you mean X?" with X = closest(typed, candidates), or "" when none is close.
std::string did_you_mean(const std::string& typed, const std::vector<std::string>& candidates);

/// A CLI11 check that the value is one of `choices`; its error (after CLI11's "--option: ")
/// reads: expected a, b or c, got "x"; did you mean b?
CLI::Validator one_of(std::vector<std::string> choices);

/// An argument the command line did not recognise, explained.
struct UnknownArgument {
  std::string message;   ///< starts with the argument: "--methd: unknown option; did you mean --method?"
  std::string argument;  ///< the argument as typed ("--methd", "rat"), without "=value"
};

/// The first argument that neither the tool (`tool`, the top-level app) nor its chosen
/// subcommand (`chosen`, or nullptr) recognised, explained: an unknown subcommand ("unknown
/// subcommand 'rat'; did you mean 'rate'?"), an unknown option with the closest one, an option
/// of another subcommand, an option given before its subcommand, a negative number not joined
/// to its option with '=', a stray value. Nothing when every argument was recognised.
std::optional<UnknownArgument> unknown_argument(const CLI::App& tool, const CLI::App* chosen);

}  // namespace momentum::cli
