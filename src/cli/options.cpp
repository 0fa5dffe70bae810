#include "options.hpp"

#include "suggest.hpp"

namespace momentum::cli {

void add_output_options(CLI::App& app, OutputOptions& o, bool with_force) {
  app.add_option("--digits", o.digits,
                 "Significant digits: up to 17 computes in double (default: each value with its "
                 "correct digits, at most 17); more (up to 10000) computes in MPFR with guard "
                 "digits and prints that many")
      ->type_name("D");
  app.add_flag("--json", o.json, "Print one JSON object instead of tables (keys: see the README, section 'The command-line tool')");
  if (with_force)
    app.add_flag("--force", o.force,
                 "Overwrite existing output files (a device or a pipe such as /dev/null needs no "
                 "--force)");
  app.add_flag("--quiet", o.quiet, "No progress indicator on stderr");
}

MethodKind parse_method(const std::string& name) {
  if (name == "gd") return MethodKind::gd;
  if (name == "heavy-ball") return MethodKind::heavy_ball;
  if (name == "velocity") return MethodKind::velocity;
  if (name == "nesterov") return MethodKind::nesterov;
  throw UsageError("--method: expected gd, heavy-ball, velocity or nesterov, got \"" + name + "\"" +
                   did_you_mean(name, {"gd", "heavy-ball", "velocity", "nesterov"}));
}

const char* method_name(MethodKind k) {
  switch (k) {
    case MethodKind::gd: return "gd";
    case MethodKind::heavy_ball: return "heavy-ball";
    case MethodKind::velocity: return "velocity";
    case MethodKind::nesterov: return "nesterov";
  }
  return "";
}

const char* method_title(MethodKind k) {
  switch (k) {
    case MethodKind::gd: return "gradient descent";
    case MethodKind::heavy_ball: return "heavy ball";
    case MethodKind::velocity: return "velocity form";
    case MethodKind::nesterov: return "Nesterov";
  }
  return "";
}

const char* step_name(MethodKind k) {
  return k == MethodKind::gd || k == MethodKind::velocity ? "eta" : "alpha";
}

std::pair<std::string, std::string> MethodOptions::step() const {
  if (!alpha.empty() && !eta.empty())
    throw UsageError("--alpha and --eta both name the step size; give one of them");
  if (!alpha.empty()) return {alpha, "--alpha"};
  if (!eta.empty()) return {eta, "--eta"};
  throw UsageError(std::string("--") + step_name(parse_method(method)) +
                   ": the step size is required (--alpha or --eta)");
}

void MethodOptions::check(MethodKind k) const {
  if (k == MethodKind::gd && !beta.empty())
    throw UsageError("--beta: gradient descent has no momentum parameter (use --method heavy-ball, "
                     "velocity or nesterov)");
  if (k != MethodKind::gd && beta.empty())
    throw UsageError(std::string("--beta: the momentum parameter is required for --method ") +
                     method_name(k));
}

void add_method_options(CLI::App& app, MethodOptions& o, const std::vector<std::string>& methods,
                        bool with_parameters) {
  std::string list;
  for (const auto& m : methods) list += (list.empty() ? "" : ", ") + m;
  app.add_option("--method,-m", o.method, "Method: " + list)
      ->type_name("M")
      ->required()
      ->check(one_of(methods));
  if (!with_parameters) return;
  app.add_option("--alpha,-a", o.alpha, "Step size (heavy-ball, nesterov; --eta is the same)")
      ->type_name("A");
  app.add_option("--eta,-e", o.eta, "Step size (gd, velocity; --alpha is the same)")
      ->type_name("E");
  app.add_option("--beta,-b", o.beta, "Momentum (heavy-ball, velocity, nesterov)")->type_name("B");
}

void ProblemOptions::check(bool allow_interval) const {
  const int sources = int(!eigenvalues.empty()) + int(!mu.empty() || !L.empty()) +
                      int(!matrix.empty());
  if (sources == 0)
    throw UsageError(std::string("the problem is missing: give --eigenvalues LIST") +
                     (allow_interval ? ", --mu M --L L" : "") + " or --matrix Q.mtx (or Q.npy)");
  if (sources > 1)
    throw UsageError("give one problem: --eigenvalues, --mu/--L or --matrix, not several");
  if ((!mu.empty() || !L.empty()) && !allow_interval)
    throw UsageError("--mu/--L: this subcommand needs the actual eigenvalues (--eigenvalues or "
                     "--matrix), not only their interval");
  if (!mu.empty() && L.empty()) throw UsageError("--L: required with --mu");
  if (mu.empty() && !L.empty()) throw UsageError("--mu: required with --L");
  if (matrix.empty() && !linear.empty())
    throw UsageError("--linear: needs --matrix (with --eigenvalues, c = 0)");
  if (matrix.empty() && !constant.empty())
    throw UsageError("--constant: needs --matrix");
}

void add_problem_options(CLI::App& app, ProblemOptions& o, bool with_path, bool with_interval) {
  app.add_option("--eigenvalues,-l", o.eigenvalues,
                 "Spectrum problem Q = diag(l1,l2,...), c = 0: numbers separated by commas, "
                 "spaces or newlines (quote spaces: \"1, 2, 10\"), or @FILE to read them from a file")
      ->type_name("LIST");
  if (with_interval) {
    app.add_option("--mu", o.mu, "Smallest eigenvalue of an interval problem [mu, L]")->type_name("M");
    app.add_option("--L", o.L, "Largest eigenvalue of an interval problem [mu, L]")->type_name("L");
  }
  app.add_option("--matrix,-Q", o.matrix,
                 "Q from a Matrix Market file (array or coordinate; real or integer; general "
                 "or symmetric) or a NumPy .npy file (float64 or float32, also integers; C or "
                 "Fortran order; shape (n, n))")
      ->type_name("FILE");
  app.add_option("--linear", o.linear,
                 "c of h = 1/2 x'Qx + c'x + b: a Matrix Market n x 1 file or a NumPy .npy file "
                 "of shape (n,)")
      ->type_name("FILE");
  app.add_option("--constant", o.constant, "b of h = 1/2 x'Qx + c'x + b")->type_name("B");
  if (with_path)
    app.add_option("--path", o.path,
                   "For --matrix: auto (extremes when n > 2000 or a coordinate file is under "
                   "10% dense), dense (full eigen-decomposition), or extremes (certified Lanczos)")
        ->type_name("PATH")
        ->check(one_of({"auto", "dense", "extremes"}))
        ->capture_default_str();
}

}  // namespace momentum::cli
