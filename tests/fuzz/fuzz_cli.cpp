// Fuzz target: the command line of the `momentum` tool (src/cli/run.hpp). The input is split
// into arguments at NUL and newline bytes and parsed by the tool's own CLI11 app; when parsing
// accepts it, the option values go through the same checks the subcommand makes before it
// computes (--digits, the problem's sources, the method and its parameters, numbers, lists,
// steps and checkpoints), in double and, for --digits above 17, in MPFR.
// The subcommand itself does not run: that would compute for minutes (verify --steps 10^12 at
// 10000 digits) and write files wherever --output, --plot or --output-dir point, nor are
// lists read from @FILE; the computations have their own tests.
// Contract: --help/--version print and give 0; a parse error prints a message and gives 2;
// a rejected value throws UsageError naming the option. Any other exception or exit status, a
// crash or a sanitizer report is a finding.
#include "fuzz_support.hpp"

#include "options.hpp"
#include "run.hpp"
#include "start.hpp"

#include <exception>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

namespace {

using namespace momentum::cli;
using momentum::mpfr_float;
using momentum::fuzz::finding;

/// Splits at NUL and newline bytes; a final separator ends the last argument.
std::vector<std::string> split_arguments(std::string_view input) {
  std::vector<std::string> args;
  std::string current;
  for (const char c : input) {
    if (c == '\0' || c == '\n') {
      args.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) args.push_back(current);
  return args;
}

class Validator {
 public:
  Validator(const CLI::App& cmd, std::string_view input) : cmd_(cmd), input_(input) {}

  /// The option's value as the subcommand sees it: given, or its default (empty if none).
  std::string text(const std::string& option) const {
    const CLI::Option* o = cmd_.get_option_no_throw(option);
    if (o == nullptr) return "";
    if (o->count() == 0) return o->get_default_str();
    return o->as<std::string>();
  }
  bool has(const std::string& option) const { return cmd_.get_option_no_throw(option) != nullptr; }

  /// Runs a check: it passes, or throws a UsageError whose message starts with `option` (any
  /// message when `option` is empty). Returns whether it passed.
  bool check(const std::string& option, const std::function<void()>& f) const {
    try {
      f();
      return true;
    } catch (const UsageError& e) {
      const std::string msg = e.what();
      if (msg.empty() || msg.rfind(option, 0) != 0)
        finding(cmd_.get_name() + ": the error does not start with \"" + option + "\": " + msg,
                input_);
    } catch (const std::exception& e) {
      finding(cmd_.get_name() + ": checking " + (option.empty() ? "the options" : option) +
                  " threw " + typeid(e).name() + ": " + e.what(),
              input_);
    }
    return false;
  }

  template <class Scalar>
  void numbers() const {
    for (const char* option : {"--tol", "--noise", "--rho", "--constant", "--mu", "--L"})
      if (has(option) && !text(option).empty())
        check(option, [&] { (void)parse_number<Scalar>(text(option), option); });
    for (const char* option : {"--eigenvalues", "--x0", "--x-prev", "--v0"})
      if (has(option) && !text(option).empty())
        check(option, [&] { (void)parse_list<Scalar>(text(option), option); });
  }

  template <class Scalar>
  void method(const MethodOptions& m) const {
    const bool parameters = has("--alpha");
    MethodKind k{};
    if (!check("--method", [&] { k = parse_method(m.method); }) || !parameters) return;
    if (!check("--beta", [&] { m.check(k); })) return;
    std::pair<std::string, std::string> step;
    if (!check("--", [&] { step = m.step(); })) return;
    check(step.second, [&] { (void)parse_number<Scalar>(step.first, step.second); });
    if (k != MethodKind::gd) check("--beta", [&] { (void)parse_number<Scalar>(m.beta, "--beta"); });
  }

  void run() const {
    const std::string name = cmd_.get_name();
    std::string digits = text("--digits");
    if (name == "verify" && digits.empty()) digits = "30";  // verify's own default
    Precision precision;
    if (has("--digits") && !check("--digits", [&] { precision = parse_precision(digits); })) return;
    if (name == "demo") return;

    ProblemOptions problem;
    problem.eigenvalues = text("--eigenvalues");
    problem.mu = text("--mu");
    problem.L = text("--L");
    problem.matrix = text("--matrix");
    problem.linear = text("--linear");
    problem.constant = text("--constant");
    const bool interval = name == "rate" || name == "optimal" || name == "landscape";
    check("", [&] { problem.check(interval); });

    // landscape's --alpha/--eta/--beta are ranges LO:HI, parsed by the landscape command.
    if (name == "landscape") return;
    MethodOptions m;
    m.method = text("--method");
    if (has("--alpha")) {
      m.alpha = text("--alpha");
      m.eta = text("--eta");
      m.beta = text("--beta");
    }
    if (!(name == "optimal" && m.method == "all")) {
      method<double>(m);
      if (precision.multiprecision) {
        apply_precision(precision, guard_digits);
        method<mpfr_float>(m);
      }
    }
    numbers<double>();
    if (precision.multiprecision) {
      apply_precision(precision, guard_digits);
      numbers<mpfr_float>();
    }
    if (has("--steps")) {
      long long steps = 0;
      if (check("--steps",
                [&] { steps = parse_steps(text("--steps"), "--steps", 1000000000000LL); }) &&
          has("--at") && !text("--at").empty())
        check("--at", [&] { (void)parse_checkpoints(text("--at"), steps); });
    }
  }

 private:
  const CLI::App& cmd_;
  std::string_view input_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = momentum::fuzz::as_text(data, size);
  std::vector<std::string> args = split_arguments(input);
  args.insert(args.begin(), "momentum");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  Tool tool;
  std::ostringstream out, err;
  std::optional<int> status;
  try {
    status = tool.parse(static_cast<int>(args.size()), argv.data(), out, err);
  } catch (const std::exception& e) {
    finding(std::string("parsing threw ") + typeid(e).name() + ": " + e.what(), input);
  } catch (...) {
    finding("parsing threw a non-standard exception", input);
  }
  if (status) {
    if (*status == exit_ok && out.str().empty())
      finding("exit status 0 without --help or --version output", input);
    if (*status == exit_usage && err.str().empty())
      finding("exit status 2 without a message", input);
    if (*status != exit_ok && *status != exit_usage)
      finding("parsing gave exit status " + std::to_string(*status), input);
    return 0;
  }
  // A list given as @FILE is read from that file: the fuzzer touches no file (a FIFO or a
  // terminal named by a generated path would block), so such inputs stop after parsing.
  if (input.find('@') != std::string_view::npos) return 0;
  if (const CLI::App* cmd = tool.chosen()) Validator(*cmd, input).run();
  momentum::set_digits(50);
  return 0;
}
