#pragma once
/// \file common.hpp
/// What every subcommand of the `momentum` tool shares: the error kinds and exit statuses,
/// the working precision chosen by --digits, and exact parsing of numbers and lists straight
/// into the working scalar (never through double).

#include <momentum/scalar.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace momentum::cli {

/// Exit statuses of the tool.
enum ExitStatus : int {
  exit_ok = 0,           ///< done; for `verify`: the theory holds
  exit_theory_fails = 1, ///< `verify`: the trajectory leaves the predicted band
  exit_usage = 2,        ///< bad input: the message names the argument
  exit_failure = 3       ///< a numerical breakdown or an I/O failure after the input was accepted
};

/// A caller's bad input: exit status 2. The message starts with the argument's name.
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// The working precision: `--digits D`.
/// D <= 17 (or no --digits): double, printing D significant digits (default: the shortest
/// decimal that reads back as the same double, at most 17 digits). D > 17: MPFR with D plus
/// guard digits, printing D digits.
struct Precision {
  int digits = 17;              ///< significant digits printed
  bool explicit_digits = false; ///< --digits was given
  bool multiprecision = false;  ///< mpfr_float, else double
};

/// Largest --digits accepted (MPFR could go further, but the eigen-solvers would take hours).
constexpr int max_digits = 10000;
/// Extra decimal digits carried in multiprecision above those printed.
constexpr int guard_digits = 12;

/// Interprets the text of --digits (empty: double). \throws UsageError outside [1, max_digits].
Precision parse_precision(const std::string& text);

/// Sets MPFR's default precision to p.digits + extra (does nothing for double runs), and
/// records which of the two the run uses (ran_multiprecision).
void apply_precision(const Precision& p, int extra);

/// Whether the last apply_precision chose MPFR (for the hints of error messages).
bool ran_multiprecision();

/// The items of a list of numbers, and the name of each for error messages.
struct ListItems {
  std::vector<std::string> items;
  /// "--eigenvalues (item 2)", or for a file "--eigenvalues @ev.txt (line 3, item 7)".
  std::vector<std::string> where;
};

/// The items of a list: numbers separated by commas, spaces or newlines ("0.2,4", "1, 2, 10"),
/// or with "@FILE" the same syntax read from that file. \throws UsageError naming `what` (and
/// the file, with the line) on an empty item (two commas in a row, a comma at either end), an
/// empty list, or a file that cannot be read or holds binary data.
ListItems read_list(const std::string& text, const std::string& what);

/// The items of read_list(text, what) alone.
std::vector<std::string> split_list(const std::string& text, const std::string& what);

/// Parses one number with momentum::parse into Scalar; the error names `what`.
template <class Scalar>
Scalar parse_number(const std::string& text, const std::string& what) {
  try {
    return parse<Scalar>(text, what);
  } catch (const std::invalid_argument& e) {
    std::string msg = e.what();
    // A number beyond double's range is still a number: MPFR's range is far wider.
    if (std::is_same_v<Scalar, double> && msg.find("out of range") != std::string::npos)
      msg += "; double reaches 1.8e+308 down to 2.2e-308, --digits 20 or more computes in MPFR, "
             "whose exponents reach 10^323228496";
    throw UsageError(msg);
  }
}

/// Parses a list of numbers (read_list: commas, spaces or newlines; "@FILE") into a vector of
/// Scalar, each number straight into the working precision. `check(x, where)`, when given,
/// validates each number (throwing UsageError naming `where`, which says the item and line).
template <class Scalar>
Vector<Scalar> parse_list(const std::string& text, const std::string& what,
                          const std::function<void(const Scalar&, const std::string&)>& check = {}) {
  const ListItems list = read_list(text, what);
  Vector<Scalar> v(static_cast<Eigen::Index>(list.items.size()));
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    Scalar& x = v(static_cast<Eigen::Index>(i));
    x = parse_number<Scalar>(list.items[i], list.where[i]);
    if (check) check(x, list.where[i]);
  }
  return v;
}

/// Shortest decimal that reads back as the same double (at most 17 significant digits).
std::string shortest(double x);

/// x with `digits` significant digits: the text of to_string(x, digits) (printf's %.*g in the C
/// locale), by std::to_chars instead of a string stream (a few microseconds each in a quick
/// `rate`).
std::string with_digits(double x, int digits);

/// x with `digits` significant digits; for double at the default precision, the shortest
/// round-trip decimal. "-0" prints as "0".
template <class Scalar>
std::string decimal(const Scalar& x, const Precision& p) {
  std::string s;
  if constexpr (std::is_same_v<Scalar, double>) {
    s = p.explicit_digits ? with_digits(x, p.digits) : shortest(x);
  } else {
    s = to_string(x, p.digits);
  }
  if (s == "-0") s = "0";
  return s;
}

/// x with at most `digits` significant digits (for values known to fewer digits).
template <class Scalar>
std::string decimal(const Scalar& x, const Precision& p, int digits) {
  Precision q = p;
  if (digits < q.digits) {
    q.digits = digits < 1 ? 1 : digits;
    q.explicit_digits = true;
  }
  return decimal(x, q);
}

/// A double approximation of any scalar (for plots and the progress display only).
template <class Scalar>
double to_double(const Scalar& x) {
  return static_cast<double>(x);
}

/// log10 |x| as a double, finite even where x underflows double (MPFR's exponent range).
template <class Scalar>
double log10_abs(const Scalar& x) {
  using std::abs;
  using std::log10;
  if (x == 0) return -std::numeric_limits<double>::infinity();
  return static_cast<double>(log10(abs(x)));
}

}  // namespace momentum::cli
