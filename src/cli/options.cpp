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

namespace {
struct MethodEntry {
  MethodKind kind;
  const char* name;
  const char* title;
};
constexpr MethodEntry method_table[] = {
    {MethodKind::gd, "gd", "gradient descent"},
    {MethodKind::heavy_ball, "heavy-ball", "heavy ball"},
    {MethodKind::velocity, "velocity", "velocity form"},
    {MethodKind::nesterov, "nesterov", "Nesterov"},
    {MethodKind::general, "general", "two-state method"},
    {MethodKind::pytorch, "pytorch", "PyTorch SGD"},
    {MethodKind::qhm, "qhm", "quasi-hyperbolic momentum"},
};
}  // namespace

const std::vector<std::string>& all_method_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& e : method_table) v.emplace_back(e.name);
    return v;
  }();
  return names;
}

MethodKind parse_method(const std::string& name) {
  for (const auto& e : method_table)
    if (name == e.name) return e.kind;
  std::string list;
  for (const auto& e : method_table) list += (list.empty() ? "" : ", ") + std::string(e.name);
  throw UsageError("--method: expected one of " + list + ", got \"" + name + "\"" +
                   did_you_mean(name, all_method_names()));
}

const char* method_name(MethodKind k) {
  for (const auto& e : method_table)
    if (e.kind == k) return e.name;
  return "";
}

const char* method_title(MethodKind k) {
  for (const auto& e : method_table)
    if (e.kind == k) return e.title;
  return "";
}

const char* step_name(MethodKind k) {
  if (k == MethodKind::pytorch) return "lr";
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
  const std::string m = method_name(k);
  // Each option, and whether method k takes it.
  const bool named = k == MethodKind::gd || k == MethodKind::heavy_ball ||
                     k == MethodKind::velocity || k == MethodKind::nesterov;
  struct Given {
    const char* option;
    bool given, taken;
  };
  const Given options[] = {
      {"--alpha", !alpha.empty(), named || k == MethodKind::general || k == MethodKind::qhm},
      {"--eta", !eta.empty(), named},
      {"--beta", !beta.empty(), k != MethodKind::gd && k != MethodKind::pytorch},
      {"--gamma", !gamma.empty(), k == MethodKind::general},
      {"--lr", !lr.empty(), k == MethodKind::pytorch},
      {"--momentum", !momentum.empty(), k == MethodKind::pytorch},
      {"--dampening", !dampening.empty(), k == MethodKind::pytorch},
      {"--weight-decay", !weight_decay.empty(), k == MethodKind::pytorch},
      {"--nesterov", nesterov, k == MethodKind::pytorch},
      {"--nu", !nu.empty(), k == MethodKind::qhm},
  };
  for (const auto& g : options) {
    if (!g.given || g.taken) continue;
    std::string hint;
    if (k == MethodKind::gd && std::string(g.option) == "--beta")
      hint = " (use --method heavy-ball, velocity or nesterov)";
    else if (k == MethodKind::pytorch && (std::string(g.option) == "--alpha" ||
                                          std::string(g.option) == "--eta"))
      hint = " (PyTorch's step is --lr)";
    else if (k == MethodKind::pytorch && std::string(g.option) == "--beta")
      hint = " (PyTorch's momentum is --momentum)";
    else if (std::string(g.option) == "--lr" || std::string(g.option) == "--momentum" ||
             std::string(g.option) == "--dampening" || std::string(g.option) == "--weight-decay" ||
             std::string(g.option) == "--nesterov")
      hint = " (it is an option of --method pytorch)";
    else if (std::string(g.option) == "--gamma")
      hint = " (it is an option of --method general)";
    else if (std::string(g.option) == "--nu")
      hint = " (it is an option of --method qhm)";
    throw UsageError(std::string(g.option) + ": --method " + m + " does not take it" + hint);
  }
  auto require = [&](const std::string& text, const char* option, const char* what) {
    if (text.empty())
      throw UsageError(std::string(option) + ": " + what + " is required for --method " + m);
  };
  switch (k) {
    case MethodKind::gd: return;
    case MethodKind::general:
      require(alpha, "--alpha", "the step size");
      require(beta, "--beta", "the momentum parameter");
      require(gamma, "--gamma", "the look-ahead parameter");
      return;
    case MethodKind::pytorch:
      require(lr, "--lr", "the learning rate");
      require(momentum, "--momentum", "the momentum");
      return;
    case MethodKind::qhm:
      require(alpha, "--alpha", "the step size");
      require(nu, "--nu", "the immediate discount factor");
      require(beta, "--beta", "the momentum buffer's decay");
      return;
    default:
      require(beta, "--beta", "the momentum parameter");
      return;
  }
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
  app.add_option("--alpha,-a", o.alpha,
                 "Step size (heavy-ball, nesterov, general, qhm; --eta is the same for the "
                 "named methods)")
      ->type_name("A");
  app.add_option("--eta,-e", o.eta, "Step size (gd, velocity; --alpha is the same)")
      ->type_name("E");
  app.add_option("--beta,-b", o.beta,
                 "Momentum (heavy-ball, velocity, nesterov, general; qhm: the buffer's decay)")
      ->type_name("B");
  app.add_option("--gamma,-g", o.gamma,
                 "general: the gradient's look-ahead, x+ = x + beta (x - x-) - alpha grad f(x + "
                 "gamma (x - x-))")
      ->type_name("G");
  app.add_option("--lr", o.lr, "pytorch: torch.optim.SGD's lr")->type_name("LR");
  app.add_option("--momentum", o.momentum, "pytorch: torch.optim.SGD's momentum")->type_name("M");
  app.add_option("--dampening", o.dampening, "pytorch: torch.optim.SGD's dampening (default 0)")
      ->type_name("D");
  app.add_option("--weight-decay", o.weight_decay,
                 "pytorch: torch.optim.SGD's weight_decay (default 0): the method runs on Q + WD I")
      ->type_name("WD");
  app.add_flag("--nesterov", o.nesterov, "pytorch: torch.optim.SGD's nesterov=True");
  app.add_option("--nu", o.nu, "qhm: the immediate discount factor nu (qhoptim's nu)")
      ->type_name("NU");
}

ProblemOptions problem_for(const ProblemOptions& problem, const MethodOptions& m) {
  ProblemOptions p = problem;
  if (m.method == "pytorch") p.shift = m.weight_decay;
  return p;
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
