// momentum landscape: the worst-case rate over a grid of (step, beta) as CSV, and a heatmap
// with the rho = 1 contour, the grid's best point and the optimal tuning marked.
#include "command_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "landscape.hpp"
#include "matrix_market.hpp"
#include "output_file.hpp"
#include "problem.hpp"
#include "report.hpp"
#include "suggest.hpp"
#include "svg_plot.hpp"
#include "table.hpp"
#include "twin.hpp"

#include <momentum/regions.hpp>
#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>

namespace momentum::cli {

namespace {

/// "N" or "NxM" (columns along the step, rows along beta).
std::pair<long long, long long> parse_grid(const std::string& text) {
  const std::size_t x = text.find_first_of("xX");
  auto one = [&](const std::string& s) {
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || v < 2)
      throw UsageError("--grid: expected N or NxM with N, M >= 2 points per axis, got \"" + text + "\"");
    return v;
  };
  if (x == std::string::npos) {
    const long long n = one(text);
    return {n, n};
  }
  return {one(text.substr(0, x)), one(text.substr(x + 1))};
}

template <class Scalar>
std::pair<Scalar, Scalar> parse_range(const std::string& text, const std::string& what) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw UsageError(what + ": expected a range LO:HI such as 0.01:1, got \"" + text + "\"");
  const Scalar lo = parse_number<Scalar>(text.substr(0, colon), what + " (low end)");
  const Scalar hi = parse_number<Scalar>(text.substr(colon + 1), what + " (high end)");
  if (!(lo < hi)) throw UsageError(what + ": the low end must be below the high end, got \"" + text + "\"");
  return {lo, hi};
}

/// The default step range when neither --alpha nor --eta is given: (0, s] on a linear axis of
/// nx points s/nx, 2s/nx, ..., s, where s is the largest step that converges at lambda_max = L
/// for some beta in [b0, b1] (regions.hpp: sup of convergence_interval(method)/L). That
/// interval's upper end grows with beta for heavy ball and the velocity form (2(1 + beta)) and
/// for Nesterov peaks at beta = -1/3 (4), falling on both sides, so the ends of [b0, b1], 0 and
/// -1/3 inside it are the candidates.
template <class Scalar>
std::pair<Scalar, Scalar> default_step_range(MethodKind kind, const Scalar& b0, const Scalar& b1,
                                             const Scalar& L, long long nx,
                                             const std::string& beta_text) {
  std::vector<Scalar> betas = {b0, b1};
  for (const Scalar& b : {Scalar(0), Scalar(Scalar(-1) / 3)})
    if (b0 < b && b < b1) betas.push_back(b);
  std::optional<Scalar> hi;
  for (const Scalar& b : betas) {
    const Interval<Scalar> iv = kind == MethodKind::nesterov
                                    ? convergence_interval(Nesterov<Scalar>(Scalar(1), b))
                                    : convergence_interval(HeavyBall<Scalar>(Scalar(1), b));
    if (!iv.empty && iv.hi > 0 && (!hi || iv.hi > *hi)) hi = iv.hi;
  }
  const std::string step_option = kind == MethodKind::velocity ? "--eta" : "--alpha";
  if (!hi)
    throw UsageError(step_option + ": no default step range: " + method_name(kind) +
                     " converges for no beta in --beta " + beta_text +
                     "; give the step range LO:HI with " + step_option);
  const Scalar s1 = *hi / L;
  return {Scalar(s1 / Scalar(nx)), s1};
}

/// A parameterization's parameters in order (general, pytorch, qhm), with their options' text.
std::vector<std::pair<std::string, std::string>> family_parameters(const LandscapeOptions& o,
                                                                   MethodKind kind) {
  switch (kind) {
    case MethodKind::general: return {{"alpha", o.alpha}, {"beta", o.beta}, {"gamma", o.method.gamma}};
    case MethodKind::pytorch:
      return {{"lr", o.method.lr}, {"momentum", o.method.momentum}, {"dampening", o.method.dampening}};
    case MethodKind::qhm: return {{"alpha", o.alpha}, {"nu", o.method.nu}, {"beta", o.beta}};
    default: break;
  }
  return {};
}

/// The axes of a general, pytorch or qhm landscape: exactly two of the method's parameters are
/// ranges LO:HI, the others single values (PyTorch's dampening defaults to 0). Returns the axes
/// (fixed values parsed) and the two ranges' texts. \throws UsageError naming the options.
template <class Scalar>
std::pair<LandscapeAxes<Scalar>, std::pair<std::string, std::string>> family_axes(
    const LandscapeOptions& o, MethodKind kind) {
  LandscapeAxes<Scalar> ax;
  ax.kind = kind;
  ax.fixed.nesterov = ax.fixed_typed.nesterov = o.method.nesterov;
  std::vector<std::string> ranges, texts, all;
  for (const auto& [name, text] : family_parameters(o, kind)) {
    const std::string option = "--" + name;
    all.push_back(option);
    if (text.find(':') != std::string::npos) {
      ranges.push_back(name);
      texts.push_back(text);
      continue;
    }
    if (text.empty() && name != "dampening")
      throw UsageError(option + ": --method " + method_name(kind) +
                       " needs it, as a value or as one of the two axes LO:HI");
    if (text.empty()) continue;
    ax.fixed[name] = parse_number<Scalar>(text, option);
    if constexpr (std::is_same_v<Scalar, double>) ax.fixed_typed[name] = parse_number<long double>(text, option);
  }
  if (ranges.size() != 2)
    throw UsageError("--" + std::string(ranges.empty() ? all[0] .substr(2) : ranges[0]) +
                     ": a landscape of --method " + method_name(kind) +
                     " takes exactly two of " + all[0] + ", " + all[1] + ", " + all[2] +
                     " as ranges LO:HI (its axes) and the other as a value; got " +
                     std::to_string(ranges.size()) + " ranges");
  ax.x = ranges[0];
  ax.y = ranges[1];
  return {ax, {texts[0], texts[1]}};
}

template <class Scalar>
int run_landscape(const LandscapeOptions& o, bool csv_stdout) {
  Progress progress(!o.out.quiet);
  // Near a double root a radius keeps only about half the working digits (accuracy.hpp): in
  // MPFR carry twice the digits asked for, so that every grid point has them all (the CSV
  // streams out, so `rate`'s retry at a higher precision is not an option here).
  apply_precision(o.out.precision, o.out.precision.digits + guard_digits);
  const Precision& prec = o.out.precision;
  const MethodKind kind = parse_method(o.method.method);
  LandscapeAxes<Scalar> ax;
  ax.kind = kind;
  // The named methods: the step and beta. Without --alpha/--eta the step range comes from the
  // convergence region (after the problem is loaded: it needs lambda_max); without --beta,
  // beta runs over 0:0.99. The others: two of their parameters, both ranges given.
  std::string step_text, beta_text;
  if (!ax.named()) {
    auto axes = family_axes<Scalar>(o, kind);
    ax = std::move(axes.first);
    step_text = axes.second.first;
    beta_text = axes.second.second;
  }
  const bool step_default = ax.named() && o.alpha.empty() && o.eta.empty();
  const bool beta_default = ax.named() && o.beta.empty();
  const std::string step_option = !ax.named()       ? "--" + ax.x
                                  : !o.alpha.empty() ? "--alpha"
                                  : !o.eta.empty()   ? "--eta"
                                                     : std::string("--") + step_name(kind);
  const std::string beta_option = "--" + ax.y;
  if (ax.named()) {
    ax.x = step_name(kind);
    step_text = !o.alpha.empty() ? o.alpha : o.eta;
    beta_text = beta_default ? std::string(default_beta_range) : o.beta;
  }
  const auto [nx, ny] = parse_grid(o.grid);
  // Memory: one double per grid point for the picture, plus the CSV's streaming buffer.
  require_memory(double(nx) * double(ny) * 8.0, "--grid",
                 "a " + std::to_string(nx) + "x" + std::to_string(ny) + " grid");
  Scalar s0 = 0, s1 = 0;
  if (!step_default) std::tie(s0, s1) = parse_range<Scalar>(step_text, step_option);
  const auto [b0, b1] = parse_range<Scalar>(beta_text, beta_option);
  const Problem<Scalar> p = load_problem<Scalar>(o.problem, &progress);
  const Scalar mu = p.lambda_min(), L = p.lambda_max();
  if (step_default) std::tie(s0, s1) = default_step_range(kind, b0, b1, L, nx, beta_text);
  // A default range is linear (s/nx to s): --scale auto would make its ratio nx a log axis.
  const bool log_step =
      o.scale == "log" || (o.scale == "auto" && !step_default && s0 > 0 && s1 / s0 >= 100);
  if (log_step && !(s0 > 0))
    throw UsageError(step_option + ": a log scale needs a positive low end, got " + step_text);
  // A double run measures each rate against its wide twin (accuracy.hpp): mu and L as typed,
  // each grid point's step and beta as printed.
  constexpr bool twinned = std::is_same_v<Scalar, double>;
  const TypedEigenvalues typed = typed_eigenvalues(p, o.problem);
  const TypedEigenvalues* typed_ptr = twinned ? &typed : nullptr;

  // The theory's optimum (heavy ball, velocity form, Nesterov) on [mu, L], with the digits
  // that eigenvalues computed from a matrix leave it.
  std::optional<std::pair<Scalar, Scalar>> opt;
  Scalar opt_rate = 0;
  TuningDigits opt_digits{prec.digits, prec.digits, prec.digits, prec.digits};
  // make(mu, L) the tuning, point(method) its (x, y).
  auto take = [&](const auto& make, const auto& point) {
    const auto t = make(mu, L);
    opt = point(t.method);
    opt_rate = t.rate;
    opt_digits = tuning_digits(make, mu, L, p.lambda_error, prec.digits, typed_ptr);
  };
  auto step_beta = [](const auto& m) { return std::make_pair(Scalar(m.alpha), Scalar(m.beta)); };
  if (kind == MethodKind::heavy_ball || kind == MethodKind::velocity) {
    take([](const auto& a, const auto& b) { return optimal_heavy_ball(a, b); }, step_beta);
  } else if (kind == MethodKind::nesterov) {
    take([](const auto& a, const auto& b) { return optimal_nesterov(a, b); }, step_beta);
  } else if (kind == MethodKind::pytorch && ax.x == "lr" && ax.y == "momentum") {
    // The best (lr, momentum) for the fixed dampening and nesterov (tuning.hpp); the twin's
    // dampening as typed.
    const bool nesterov = ax.fixed.nesterov;
    const Scalar dampening = ax.fixed.dampening;
    const long double dampening_typed = ax.fixed_typed.dampening;
    take(
        [&](const auto& a, const auto& b) {
          using S = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<S, Scalar>) return optimal_pytorch(a, b, dampening, nesterov);
          else return optimal_pytorch(a, b, S(dampening_typed), nesterov);
        },
        [](const auto& m) { return std::make_pair(Scalar(m.lr), Scalar(m.momentum)); });
  } else if (kind == MethodKind::qhm && ax.x == "alpha" && ax.y == "beta") {
    const Scalar nu = ax.fixed.nu;
    const long double nu_typed = ax.fixed_typed.nu;
    take(
        [&](const auto& a, const auto& b) {
          using S = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<S, Scalar>) return optimal_qhm(a, b, nu);
          else return optimal_qhm(a, b, S(nu_typed));
        },
        step_beta);
  }
  // beta on a log scale in 1 - beta where it helps: the range spans two decades of 1 - beta
  // and the optimum is near 1 (ill-conditioned problems).
  const bool momentum_axis = ax.y == "beta" || ax.y == "momentum";
  const bool log_beta =
      o.beta_scale == "log" ||
      (o.beta_scale == "auto" && momentum_axis && b0 >= 0 && b1 < 1 && (1 - b0) / (1 - b1) >= 100 &&
       opt && opt->second >= Scalar(0.8));
  if (log_beta && !(b0 >= 0 && b1 < 1))
    throw UsageError(beta_option + ": a log scale in 1 - " + ax.y + " needs 0 <= LO < HI < 1, got " +
                     beta_text);

  // Grid points: inclusive ends, evenly spaced in the axis' scale.
  std::vector<Scalar> steps(static_cast<std::size_t>(nx)), betas(static_cast<std::size_t>(ny));
  using std::exp;
  using std::log;
  for (long long i = 0; i < nx; ++i) {
    const Scalar f = Scalar(i) / Scalar(nx - 1);
    steps[std::size_t(i)] = log_step ? Scalar(exp(log(s0) + f * (log(s1) - log(s0)))) : Scalar(s0 + f * (s1 - s0));
  }
  steps.back() = s1;
  for (long long j = 0; j < ny; ++j) {
    const Scalar f = Scalar(j) / Scalar(ny - 1);
    betas[std::size_t(j)] = log_beta ? Scalar(1 - exp(log(1 - b0) + f * (log(1 - b1) - log(1 - b0))))
                                     : Scalar(b0 + f * (b1 - b0));
  }
  betas.front() = b0;
  betas.back() = b1;
  std::vector<long double> steps_typed, betas_typed;
  if constexpr (twinned) {
    for (const Scalar& a : steps) steps_typed.push_back(parse<long double>(decimal(a, prec)));
    for (const Scalar& b : betas) betas_typed.push_back(parse<long double>(decimal(b, prec)));
  }
  auto accuracy_at = [&](long long i, long long j, const WorstCase<Scalar>& wc) {
    const Scalar& a = steps[std::size_t(i)];
    const Scalar& b = betas[std::size_t(j)];
    if constexpr (twinned)
      return landscape_accuracy(ax, a, b, wc, p.lambda_error, prec.digits, typed_ptr,
                                steps_typed[std::size_t(i)], betas_typed[std::size_t(j)]);
    else
      return landscape_accuracy(ax, a, b, wc, p.lambda_error, prec.digits);
  };

  std::unique_ptr<OutputFile> file;
  if (!o.output.empty()) file = std::make_unique<OutputFile>(o.output, "--output", o.out.force);
  auto write = [&](const std::string& s) {
    if (file) file->write(s);
    else if (csv_stdout) std::fwrite(s.data(), 1, s.size(), stdout);
  };
  const std::string step_label = ax.x, beta_label = ax.y;
  write(step_label + "," + beta_label + ",spectral_radius,regime\n");
  Heatmap h;
  h.values.resize(std::size_t(nx * ny));
  Scalar best = std::numeric_limits<double>::infinity();
  long long best_i = -1, best_j = -1;
  progress.stage("rates over the grid");
  // The rates come from rate_landscape, a block of betas at a time (bounded memory at high
  // precision; one block for most double grids). The CSV's regime column and every point's
  // reliable digits (also for --json alone) need each point's worst case. The CSV goes to
  // --output, or to stdout only when neither --output nor --plot is given (or -o -).
  const bool csv = file || csv_stdout;
  // Every rate is printed with its reliable digits; points with fewer than the run can be
  // expected to give (near a double root, or eigenvalues from a matrix) are counted for the
  // note.
  long long reduced = 0, undecided = 0;
  int fewest = prec.digits;
  const long long block_points = std::is_same_v<Scalar, double> ? (1LL << 20) : (1LL << 16);
  const long long block = std::max(1LL, block_points / nx);
  for (long long j0 = 0; j0 < ny; j0 += block) {
    const long long j1 = std::min(ny, j0 + block);
    const std::vector<Scalar> block_betas(betas.begin() + j0, betas.begin() + j1);
    const Matrix<Scalar> rho = landscape_rates(ax, steps, block_betas, mu, L, 0);
    for (long long j = j0; j < j1; ++j) {
      for (long long i = 0; i < nx; ++i) {
        const Scalar& a = steps[std::size_t(i)];
        const Scalar& b = betas[std::size_t(j)];
        const WorstCase<Scalar> wc = landscape_point(ax, a, b, mu, L);
        // The named methods' rates from rate_landscape's fast columns; the others' from wc.
        const Scalar& r = rho.size() > 0 ? rho(Eigen::Index(i), Eigen::Index(j - j0)) : wc.rho;
        h.values[std::size_t(j * nx + i)] = to_double(r);
        if (r < best) best = r, best_i = i, best_j = j;
        const WorstAccuracy<Scalar> acc = accuracy_at(i, j, wc);
        fewest = std::min(fewest, acc.digits);
        if (digits_lost(acc.digits, prec)) ++reduced;
        if (!acc.decided) ++undecided;
        if (csv) {
          write(decimal(a, prec) + "," + decimal(b, prec) + "," + decimal(r, prec, acc.digits) +
                "," + to_string(wc.regime) + "\n");
        }
      }
      progress.update(double(j + 1) / double(ny));
    }
  }
  if (file) file->close();

  Json j;
  j["command"] = "landscape";
  j["method"] = method_name(kind);
  if (!ax.named()) {
    j["axes"] = {ax.x, ax.y};
    Json fixed = Json::object();
    for (const auto& [name, text] : family_parameters(o, kind))
      if (name != ax.x && name != ax.y) fixed[name] = decimal(ax.fixed[name], prec);
    if (kind == MethodKind::pytorch) {
      fixed["nesterov"] = ax.fixed.nesterov;
      fixed["weight_decay"] = o.method.weight_decay.empty() ? std::string("0")
                              : decimal(parse_number<Scalar>(o.method.weight_decay, "--weight-decay"), prec);
    }
    j["fixed"] = fixed;
  }
  j["problem"] = problem_json(p, prec);
  j["grid"] = {{"steps", nx},
               {"betas", ny},
               {"step_scale", log_step ? "log" : "linear"},
               {"beta_scale", log_beta ? "log(1-beta)" : "linear"},
               {"step_range", {{"lo", decimal(s0, prec)}, {"hi", decimal(s1, prec)}, {"default", step_default}}},
               {"beta_range", {{"lo", decimal(b0, prec)}, {"hi", decimal(b1, prec)}, {"default", beta_default}}}};
  j["digits"] = prec.digits;
  {
    const Scalar& a = steps[std::size_t(best_i)];
    const Scalar& b = betas[std::size_t(best_j)];
    const WorstAccuracy<Scalar> acc = accuracy_at(best_i, best_j, landscape_point(ax, a, b, mu, L));
    j["best"] = {{step_label, decimal(a, prec)},
                 {beta_label, decimal(b, prec)},
                 {"spectral_radius", decimal(best, prec, acc.digits)}};
  }
  if (opt)
    j["optimal"] = {{step_label, decimal(opt->first, prec, opt_digits.step)},
                    {beta_label, decimal(opt->second, prec, opt_digits.beta)},
                    {"spectral_radius", decimal(opt_rate, prec, opt_digits.rate)}};
  {
    j["reliable_digits"] = {{"fewest", fewest}, {"points_with_fewer", reduced},
                            {"points_undecided", undecided}};
    if (reduced > 0 || undecided > 0) {
      std::string note;
      if (reduced > 0)
        note = std::to_string(reduced) + " of the " + std::to_string(nx * ny) +
                         " grid points have fewer reliable digits than " +
                         (prec.explicit_digits || prec.multiprecision
                              ? std::string("asked")
                              : "the " + std::to_string(double_digits) + " a double holds") +
                         " (as few as " +
                         std::to_string(fewest) +
                         ": a one-ulp change of the step, beta or an eigenvalue moves their rate "
                         "by more than a few ulps, most near a double root; or the eigenvalues "
                         "are computed from Q); their spectral_radius is printed with those "
                         "digits only.";
      if (undecided > 0)
        note += (note.empty() ? "At " : " At ") + std::to_string(undecided) + " of the " +
                std::to_string(nx * ny) +
                " grid points rho is within its error bound of 1 (or computed as exactly 1), so "
                "the regime column's converges/diverges is not decided there.";
      if (!prec.multiprecision) note += " " + more_digits_hint(prec);
      j["note"] = note;
    }
  }
  if (!o.output.empty()) j["output"] = o.output;

  if (!o.plot.empty()) {
    progress.stage("plotting");
    for (const Scalar& a : steps) h.xs.push_back(to_double(a));
    for (const Scalar& b : betas) h.ys.push_back(to_double(b));
    auto symbol = [](const std::string& name) -> std::string {
      return name == "eta" ? "\u03b7" : name == "alpha" ? "\u03b1" : name == "beta" ? "\u03b2"
             : name == "gamma" ? "\u03b3" : name == "nu" ? "\u03bd" : name;
    };
    h.x.label = (ax.named() ? "step size " + symbol(ax.x) : symbol(ax.x)) + (log_step ? "  (log scale)" : "");
    h.x.log = log_step;
    h.y.label = (ax.named() ? "momentum " + symbol(ax.y) : symbol(ax.y)) +
                (log_beta ? "  (log scale in 1 \u2212 " + symbol(ax.y) + ")" : "");
    h.y.log_one_minus = log_beta;
    h.title = std::string("worst-case rate of ") + method_title(kind) + " on " + p.description;
    char sub[160];
    std::snprintf(sub, sizeof sub, "\u03bc = %.4g, L = %.4g, \u03ba = %s; %lldx%lld grid", to_double(mu),
                  to_double(L), ratio_decimal(L, mu, prec, 4).c_str(), nx, ny);
    h.subtitle = sub;
    for (double level : {0.9, 0.99})
      if (to_double(best) < level) h.thin_contours.push_back(level);
    Marker gm;
    gm.x = h.xs[std::size_t(best_i)];
    gm.y = h.ys[std::size_t(best_j)];
    gm.label = "grid minimum \u03c1 = " + to_string(to_double(best), 4);
    gm.shape = Marker::Shape::circle;
    gm.color = "#000000";
    h.markers.push_back(gm);
    if (opt) {
      Marker om;
      om.x = to_double(opt->first);
      om.y = to_double(opt->second);
      om.label = "optimal tuning \u03c1 = " + to_string(to_double(opt_rate), 4);
      om.shape = Marker::Shape::star;
      om.color = "#e8412c";
      h.markers.push_back(om);
    }
    for (const std::string& mark : o.marks) {
      // "LABEL=A,B" or "A,B".
      const std::size_t eq = mark.find('=');
      const std::string coords = eq == std::string::npos ? mark : mark.substr(eq + 1);
      const std::vector<std::string> ab = split_list(coords, "--mark");
      if (ab.size() != 2)
        throw UsageError("--mark: expected X,Y or LABEL=X,Y (" + ax.x + ", " + ax.y + "), got \"" +
                         mark + "\"");
      const Scalar a = parse_number<Scalar>(ab[0], "--mark"), b = parse_number<Scalar>(ab[1], "--mark");
      Marker mk;
      mk.x = to_double(a);
      mk.y = to_double(b);
      const std::string rho = to_string(to_double(landscape_point(ax, a, b, mu, L).rho), 4);
      mk.label = (eq == std::string::npos ? "(" + ab[0] + ", " + ab[1] + ")" : mark.substr(0, eq)) +
                 " \u03c1 = " + rho;
      mk.shape = Marker::Shape::cross;
      mk.color = "#ff2d95";
      h.markers.push_back(mk);
    }
    write_svg_or_png(o.plot, "--plot", render_svg(h), o.out.force);
    j["plot"] = o.plot;
  }
  if (o.out.json) print_json(std::cout, std::move(j));
  else {
    // When the CSV went to stdout, the summary goes to stderr; else to stdout.
    std::ostream& out = csv_stdout ? std::cerr : std::cout;
    const Json& g = j["grid"];
    out << "grid:             " << step_label << " in [" << g["step_range"]["lo"].get<std::string>() << ", "
        << g["step_range"]["hi"].get<std::string>() << "]"
        << (step_default ? " (default: up to the largest step that converges at lambda_max for some beta)" : "")
        << ", " << beta_label << " in [" << g["beta_range"]["lo"].get<std::string>() << ", "
        << g["beta_range"]["hi"].get<std::string>() << "]" << (beta_default ? " (default)" : "") << ", "
        << nx << "x" << ny << " points\n";
    out << "best on the grid: " << step_label << " = " << j["best"][step_label].get<std::string>()
        << ", " << beta_label << " = " << j["best"][beta_label].get<std::string>()
        << ", rho = " << j["best"]["spectral_radius"].get<std::string>() << '\n';
    if (j.contains("optimal"))
      out << "optimal tuning:   " << step_label << " = " << j["optimal"][step_label].get<std::string>()
          << ", " << beta_label << " = " << j["optimal"][beta_label].get<std::string>()
          << ", rho = " << j["optimal"]["spectral_radius"].get<std::string>() << '\n';
    if (!o.output.empty()) out << "grid written to " << o.output << '\n';
    if (!o.plot.empty()) out << "heatmap written to " << o.plot << '\n';
    if (j.contains("note")) out << "note: " << j["note"].get<std::string>() << '\n';
  }
  return exit_ok;
}

}  // namespace

int run_landscape_command(const LandscapeOptions& given) {
  LandscapeOptions o = given;
  // The CSV goes to standard output with "-o -", or when neither --output nor --plot is given
  // (a plot alone does not flood the terminal with the grid); never with --json.
  const bool csv_stdout = !o.out.json && (o.output == "-" || (o.output.empty() && o.plot.empty()));
  if (o.output == "-") o.output.clear();
  if (!o.alpha.empty() && !o.eta.empty())
    throw UsageError("--alpha and --eta both name the step range; give one of them");
  {
    // Options the method does not take.
    const MethodKind kind = parse_method(o.method.method);
    const bool named = kind == MethodKind::heavy_ball || kind == MethodKind::velocity ||
                       kind == MethodKind::nesterov;
    const bool pytorch = kind == MethodKind::pytorch;
    const std::pair<const char*, bool> not_taken[] = {
        {"--alpha", !o.alpha.empty() && pytorch},
        {"--eta", !o.eta.empty() && !named},
        {"--beta", !o.beta.empty() && pytorch},
        {"--gamma", !o.method.gamma.empty() && kind != MethodKind::general},
        {"--lr", !o.method.lr.empty() && !pytorch},
        {"--momentum", !o.method.momentum.empty() && !pytorch},
        {"--dampening", !o.method.dampening.empty() && !pytorch},
        {"--weight-decay", !o.method.weight_decay.empty() && !pytorch},
        {"--nesterov", o.method.nesterov && !pytorch},
        {"--nu", !o.method.nu.empty() && kind != MethodKind::qhm}};
    for (const auto& [option, bad] : not_taken)
      if (bad)
        throw UsageError(std::string(option) + ": --method " + o.method.method + " does not take it" +
                         (pytorch ? " (PyTorch's parameters are --lr, --momentum, --dampening)" : ""));
  }
  if (!o.output.empty()) check_output(o.output, "--output", o.out.force);
  if (!o.plot.empty()) check_output(o.plot, "--plot", o.out.force, {".svg", ".png"});
  if (!o.output.empty() && o.output == o.plot) throw UsageError("--output and --plot name the same file");
  return o.out.precision.multiprecision ? run_landscape<mpfr_float>(o, csv_stdout)
                                        : run_landscape<double>(o, csv_stdout);
}

Command add_landscape(CLI::App& parent) {
  auto o = std::make_shared<LandscapeOptions>();
  CLI::App* app = parent.add_subcommand(
      "landscape", "Worst-case rate over a grid of (step, beta) as CSV (step, beta, "
                   "spectral_radius, regime), and a heatmap with --plot");
  add_method_options(*app, o->method, {"heavy-ball", "velocity", "nesterov", "general", "pytorch", "qhm"},
                     false);
  app->add_option("--alpha,-a", o->alpha,
                  "Step range LO:HI (heavy-ball, nesterov; --eta is the same). Default: (0, S] on a "
                  "linear axis, S the largest step that converges at lambda_max for some beta in "
                  "the --beta range (heavy ball: 2(1 + beta)/lambda_max)")
      ->type_name("A0:A1");
  app->add_option("--eta,-e", o->eta, "Step range LO:HI (velocity; --alpha is the same; default as --alpha)")
      ->type_name("E0:E1");
  app->add_option("--beta,-b", o->beta, std::string("Momentum range LO:HI (default ") + default_beta_range + ")")
      ->type_name("B0:B1");
  app->add_option("--gamma,-g", o->method.gamma, "general: gamma, a value or a range LO:HI")
      ->type_name("G");
  app->add_option("--lr", o->method.lr, "pytorch: lr, a value or a range LO:HI")->type_name("LR");
  app->add_option("--momentum", o->method.momentum, "pytorch: momentum, a value or a range LO:HI")
      ->type_name("M");
  app->add_option("--dampening", o->method.dampening,
                  "pytorch: dampening, a value (default 0) or a range LO:HI")
      ->type_name("D");
  app->add_option("--weight-decay", o->method.weight_decay, "pytorch: weight_decay (Q + WD I)")
      ->type_name("WD");
  app->add_flag("--nesterov", o->method.nesterov, "pytorch: nesterov=True");
  app->add_option("--nu", o->method.nu, "qhm: nu, a value or a range LO:HI")->type_name("NU");
  app->add_option("--grid,-n", o->grid, "Points per axis: N, or NxM (step x beta)")->capture_default_str();
  app->add_option("--scale", o->scale, "Step axis: auto (log when HI/LO >= 100), linear or log")
      ->check(one_of({"auto", "linear", "log"}))
      ->capture_default_str();
  app->add_option("--beta-scale", o->beta_scale,
                  "beta axis: auto (log in 1 - beta when (1-LO)/(1-HI) >= 100 and the optimal "
                  "beta is near 1), linear or log (in 1 - beta)")
      ->check(one_of({"auto", "linear", "log"}))
      ->capture_default_str();
  add_problem_options(*app, o->problem, false);
  app->add_option("--output,-o", o->output,
                  "Write the CSV to this file (-: standard output). Without --output the CSV goes "
                  "to standard output only when --plot is not given either")
      ->type_name("FILE");
  app->add_option("--plot", o->plot, "Heatmap (.svg or .png)")->type_name("FILE");
  app->add_option("--mark", o->marks, "Mark a point on the heatmap: STEP,BETA or LABEL=STEP,BETA (repeatable)")
      ->type_name("POINT");
  add_output_options(*app, o->out, true);
  app->footer(
      "--json prints a summary (grid, best grid point, optimal tuning) instead of the CSV; so does\n"
      "--plot without --output (the summary then goes to stdout, and the CSV nowhere).\n"
      "Examples:\n"
      "  momentum landscape --method heavy-ball --eigenvalues 1,10 --plot l.svg\n"
      "  momentum landscape --method velocity --eigenvalues 0.2,4 --eta 0.01:1.5 --beta 0:0.95 --plot l.svg\n"
      "  momentum landscape --method heavy-ball --mu 1 --L 1e4 --alpha 1e-5:1e-3 --grid 512 -o l.csv\n"
      "general, pytorch and qhm: exactly two of their parameters are ranges LO:HI (the axes), the\n"
      "others values:\n"
      "  momentum landscape --method pytorch --lr 0.001:0.2 --momentum 0:0.99 --dampening 0.1 --mu 1 --L 100 --plot p.svg\n"
      "  momentum landscape --method qhm --alpha 0.01:2 --beta 0:0.999 --nu 0.7 --mu 1 --L 100 --plot q.svg\n"
      "  momentum landscape --method general --alpha 0.01:0.05 --beta 0.5 --gamma -1:1 --mu 1 --L 100 -o g.csv");
  return {app, [o] {
            o->out.resolve();
            o->problem = problem_for(o->problem, o->method);
            o->problem.check(true);
            return run_landscape_command(*o);
          }};
}

}  // namespace momentum::cli
