// momentum verify: run a method far past where double underflows and check the error against
// the band the theory predicts (SPEC section 8). Exit status 0 when the theory holds, 1 when
// it does not.
#include "command_options.hpp"
#include "commands.hpp"
#include "error_plot.hpp"
#include "output_file.hpp"
#include "report.hpp"
#include "table.hpp"
#include "suggest.hpp"
#include "verify_report.hpp"
#include "twin.hpp"
#include "matrix_market.hpp"

#include <cmath>
#include <iostream>
#include <memory>
#include <type_traits>

namespace momentum::cli {

namespace {

template <class Scalar>
int run_verify(const VerifyCliOptions& o) {
  Progress progress(!o.out.quiet);
  const long long T = parse_steps(o.start.steps, "--steps", 1000000000LL);
  if (T < 1) throw UsageError("--steps: must be at least 1, got " + o.start.steps);
  const Precision& prec = o.out.precision;
  // Rounding grows with the number of steps: carry log10(T) more guard digits. Near a double
  // root the closed-form rho loses digits (accuracy.hpp): in MPFR, carry more until it has
  // all those asked for, as `rate` does; in double, print only the reliable ones.
  int extra = guard_digits + int(std::ceil(std::log10(double(T) + 1)));
  Problem<Scalar> p;
  int rho_digits = prec.digits;
  for (int attempt = 0;; ++attempt) {
    apply_precision(o.out.precision, extra);
    p = load_problem<Scalar>(o.problem, &progress);
    rho_digits = with_method<Scalar>(o.method, [&](const auto& m) {
      // Double runs measure rho against its wide twin (accuracy.hpp).
      const TwinSource<Scalar> twins(o.method, p, o.problem);
      return dominant_radius_digits(m, p.coordinate_eigenvalues(), p.lambda_error, prec.digits,
                                    twins.make(m).get());
    });
    if (!prec.multiprecision || rho_digits >= prec.digits || attempt == 2) break;
    extra = 2 * (prec.digits + extra);
  }
  // The run keeps every step's norms (for the band and the estimators): refuse up front what
  // would not fit, with the estimate.
  {
    const double limbs = std::is_same_v<Scalar, double>
                             ? 0.0
                             : 3.0 * (double(bytes_per_scalar<Scalar>()) - double(sizeof(Scalar)) + 16);
    const double per_step = 8.0 + double(sizeof(Checkpoint<Scalar>)) + limbs;
    require_memory(double(T + 1) * per_step + double(p.n) * double(bytes_per_scalar<Scalar>()) * 64,
                   "--steps",
                   "verifying " + std::to_string(T) + " steps (every step's error norms are kept, " +
                       human_bytes(per_step) + " per step)");
  }
  VerifyOptions<Scalar> vo;
  vo.steps = T;
  if (!o.rho.empty()) vo.rho = parse_number<Scalar>(o.rho, "--rho");
  if (!o.jordan.empty()) {
    if (o.jordan != "1" && o.jordan != "2")
      throw UsageError("--jordan: the claimed Jordan block size must be 1 or 2, got " + o.jordan);
    vo.jordan_size = o.jordan == "1" ? 1 : 2;
  }
  vo.measure = o.measure == "x" ? ErrorMeasure::x : ErrorMeasure::state;
  progress.stage("verifying over " + std::to_string(T) + " steps");
  bool holds = false;
  with_method<Scalar>(o.method, [&](const auto& m) {
    const EigenStart<Scalar> s = eigen_start(m, p, o.start, false);
    const RateVerification<Scalar> r = verify_rate(m, s.lambdas, s.z0, s.second, vo);
    holds = r.holds;
    Json j;
    j["command"] = "verify";
    j["method"] = method_label(m);
    j["parameters"] = parameters_json(m, prec, o.method);
    if (const Json f = family_report(m, prec, o.method); !f.is_null()) j["family"] = f;
    j["problem"] = problem_json(p, prec);
    j["digits"] = prec.digits;
    j["scalar"] = prec.multiprecision ? "mpfr" : "double";
    add_verification(j, r, prec);
    // The computed rate with its reliable digits; a claimed --rho is printed as given.
    j["rho_computed"] = decimal(r.rho_computed, prec, rho_digits);
    if (o.rho.empty()) j["spectral_radius"] = decimal(r.rho, prec, rho_digits);
    j["reliable_digits"] = rho_digits;
    if (digits_lost(rho_digits, prec))
      j["note"] = honesty_note(rho_digits, prec,
                               "near a double root (critical damping) the closed-form rho moves "
                               "like the square root of a rounding error, or the eigenvalues "
                               "computed from Q carry an error");
    j["measure"] = vo.measure == ErrorMeasure::x ? "x" : "state";
    if (!o.plot.empty()) {
      progress.stage("plotting");
      const std::vector<LinePlot> lp = error_plot(m, s, T, vo.measure, &r, plot_title(j),
                                     std::string("\u03c1 = ") + to_string(r.rho, 8) + ", m = " +
                                         std::to_string(r.m) + ", " + j["scalar"].get<std::string>() +
                                         " at " + std::to_string(prec.digits) + " digits: " +
                                         (r.holds ? "the theory holds" : "the theory FAILS"));
      write_svg_or_png(o.plot, "--plot", render_svg(lp), o.out.force);
      j["plot"] = o.plot;
    }
    if (o.out.json) print_json(std::cout, std::move(j));
    else print_verify_text(std::cout, j);
  });
  return holds ? exit_ok : exit_theory_fails;
}

}  // namespace

int run_verify_command(const VerifyCliOptions& o) {
  o.problem.check(false);
  parse_method(o.method.method);
  if (!o.plot.empty()) check_output(o.plot, "--plot", o.out.force, {".svg", ".png"});
  return o.out.precision.multiprecision ? run_verify<mpfr_float>(o) : run_verify<double>(o);
}

Command add_verify(CLI::App& parent) {
  auto o = std::make_shared<VerifyCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "verify", "Run a method and check ||e_t|| against the predicted band c t^(m-1) rho^t "
                "(SPEC section 8); exit status 0 when the theory holds, 1 when it does not");
  add_method_options(*app, o->method, all_method_names());
  add_problem_options(*app, o->problem, false, false);
  add_start_options(*app, o->start, "10000", false);
  app->add_option("--rho", o->rho, "A claimed rate to test instead of the computed one")->type_name("R");
  app->add_option("--jordan", o->jordan, "A claimed Jordan block size (1 or 2) to test")->type_name("M");
  app->add_option("--measure", o->measure,
                  "state: the whole error state (bounded below in every regime); x: ||x_t - x*|| only")
      ->check(one_of({"state", "x"}))
      ->capture_default_str();
  app->add_option("--plot", o->plot, "Plot the error with the predicted band (.svg or .png)")
      ->type_name("FILE");
  add_output_options(*app, o->out, true);
  o->out.digits = "";
  app->footer(
      "Without --digits, verify runs at 30 digits (rho^T of 10000 steps underflows double).\n"
      "Reading the report:\n"
      "  sharp check  the largest distance, over every step, between the measured error divided by\n"
      "               t^(m-1) rho^t and its exact prediction, in units of the allowed error (the\n"
      "               faster modes plus rounding): <= 1 passes; a wrong rate drifts like\n"
      "               (1 + delta)^t, so a failing deviation can be as large as 1e+177.\n"
      "  resolves     the smallest relative error of the tested rate this run would catch (about\n"
      "               the allowed error at T divided by T): more --steps resolve smaller errors.\n"
      "  A failed verdict is explained on a line 'what it means' (JSON: holds false, reason).\n"
      "Examples:\n"
      "  momentum verify --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4 --x0=-5,-2 --digits 50\n"
      "  momentum verify --method heavy-ball --alpha 4/121 --beta 81/121 --eigenvalues 1,100 --plot e.svg");
  return {app, [o] {
            if (o->out.digits.empty()) o->out.digits = "30";
            o->out.resolve();
            o->problem = problem_for(o->problem, o->method);
            return run_verify_command(*o);
          }};
}

}  // namespace momentum::cli
