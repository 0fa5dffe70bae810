// momentum optimal: the optimal (or standard) tuning of each method for a spectrum in
// [mu, L] and its worst-case rate (SPEC section 6), side by side with --method all.
#include "command_options.hpp"
#include "commands.hpp"
#include "extremes_path.hpp"
#include "json_output.hpp"
#include "problem.hpp"
#include "report.hpp"
#include "table.hpp"

#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <cmath>
#include <iostream>
#include <memory>

namespace momentum::cli {

namespace {

/// Iterations per decimal digit of error reduction at rate r: -1/log10(r).
template <class Scalar>
std::string per_digit(const Scalar& r) {
  using std::log10;
  if (!(r > 0)) return "0";
  if (!(r < 1)) return "inf";
  return to_string(static_cast<double>(-1 / log10(r)), 4);
}

template <class Method, class Scalar>
Json tuning_json(const char* name, const char* tuning, const Tuning<Method, Scalar>& t,
                 const Precision& p) {
  Json j;
  j["method"] = name;
  j["tuning"] = tuning;
  j["parameters"] = parameters_json(t.method, p);
  j["rate"] = decimal(t.rate, p);
  j["status"] = t.status;
  j["iterations_per_digit"] = per_digit(t.rate);
  return j;
}

/// Every tuning `which` asks for ("all" or one method), on [mu, L].
template <class Scalar, class F>
void for_each_tuning(const std::string& which, const Scalar& mu, const Scalar& L, F&& f) {
  const bool all = which == "all";
  if (all || which == "gd") f("gd", "optimal", optimal_gd(mu, L));
  if (all || which == "heavy-ball") f("heavy-ball", "optimal", optimal_heavy_ball(mu, L));
  if (all || which == "velocity") f("velocity", "optimal", optimal_velocity(mu, L));
  if (all || which == "nesterov") {
    f("nesterov", "optimal", optimal_nesterov(mu, L));
    f("nesterov", "standard (alpha = 1/L)", standard_nesterov(mu, L));
  }
}

Json finish(Json j, const std::string& which, const Json& tunings) {
  j["tunings"] = tunings;
  if (which != "all") {
    // One method: its (first) tuning's keys at the top level too.
    j["method"] = tunings[0]["method"];
    j["parameters"] = tunings[0]["parameters"];
    j["rate"] = tunings[0]["rate"];
    j["status"] = tunings[0]["status"];
  }
  return j;
}

template <class Scalar>
int run_optimal(const OptimalOptions& o) {
  Progress progress(!o.out.quiet);
  apply_precision(o.out.precision, guard_digits);
  const Precision& prec = o.out.precision;
  const Problem<Scalar> p = load_problem<Scalar>(o.problem, &progress);
  progress.stage("tunings");
  const Scalar mu = p.lambda_min(), L = p.lambda_max();
  Json j;
  j["command"] = "optimal";
  j["problem"] = problem_json(p, prec);
  j["mu"] = decimal(mu, prec);
  j["L"] = decimal(L, prec);
  j["kappa"] = decimal(Scalar(L / mu), prec);
  j["digits"] = prec.digits;
  j["scalar"] = prec.multiprecision ? "mpfr" : "double";
  Json tunings = Json::array();
  for_each_tuning(o.method.method, mu, L, [&](const char* name, const char* tuning, const auto& t) {
    tunings.push_back(tuning_json(name, tuning, t, prec));
  });
  j = finish(std::move(j), o.method.method, tunings);
  if (o.out.json) print_json(std::cout, j);
  else print_optimal_text(std::cout, j);
  return exit_ok;
}

int run_optimal_extremes(const OptimalOptions& o) {
  Progress progress(!o.out.quiet);
  const ExtremesProblem p = load_extremes_problem(o.problem, &progress);
  const Precision prec;
  const double mu = p.extremes.smallest.value, L = p.extremes.largest.value;
  Json j;
  j["command"] = "optimal";
  j["problem"] = {{"kind", "matrix"}, {"description", p.description}, {"dimension", p.n},
                  {"path", "extremes"}};
  j["mu"] = decimal(mu, prec);
  j["L"] = decimal(L, prec);
  j["kappa"] = decimal(L / mu, prec);
  j["eigenvalues"] = extremes_json(p);
  j["digits"] = o.out.precision.digits;
  j["scalar"] = "double";
  Json tunings = Json::array();
  for_each_tuning(o.method.method, mu, L, [&](const char* name, const char* tuning, const auto& t) {
    Json tj = tuning_json(name, tuning, t, prec);
    // Tuned on the estimates; the rate Q actually gets is proven to lie in this interval.
    const RateEnclosure<double> r = rate_enclosure(t.method, p);
    tj["rate_interval"] = {decimal(r.rho_lo, prec), decimal(r.rho_hi, prec)};
    tj["certified"] = r.certified;
    tunings.push_back(tj);
  });
  j = finish(std::move(j), o.method.method, tunings);
  j["note"] = "tuned on the extreme eigenvalue estimates; rate_interval is the worst-case rate "
              "each tuning is proven to have on Q";
  if (o.out.json) print_json(std::cout, j);
  else print_optimal_text(std::cout, j);
  return exit_ok;
}

}  // namespace

int run_optimal_command(const OptimalOptions& o) {
  o.problem.check();
  if (use_extremes_path(o.problem)) return run_optimal_extremes(o);
  return o.out.precision.multiprecision ? run_optimal<mpfr_float>(o) : run_optimal<double>(o);
}

Command add_optimal(CLI::App& parent) {
  auto o = std::make_shared<OptimalOptions>();
  CLI::App* app = parent.add_subcommand(
      "optimal", "Optimal tuning and its worst-case rate for a spectrum in [mu, L] (SPEC section "
                 "6); --method all compares GD, heavy ball, velocity form and both Nesterov "
                 "tunings");
  add_method_options(*app, o->method, {"all", "gd", "heavy-ball", "velocity", "nesterov"}, false);
  add_problem_options(*app, o->problem, true);
  add_output_options(*app, o->out, false);
  app->footer(
      "Examples:\n"
      "  momentum optimal --method all --eigenvalues 0.2,4\n"
      "  momentum optimal --method heavy-ball --mu 1 --L 1e4 --digits 50 --json");
  return {app, [o] {
            o->out.resolve();
            return run_optimal_command(*o);
          }};
}

}  // namespace momentum::cli
