// momentum rate: the worst-case spectral radius of a method on a problem, the regime of each
// extreme (or of every eigenvalue with --all), the convergence interval, iterations to a
// tolerance and the transient peak.
#include "command_options.hpp"
#include "commands.hpp"
#include "extremes_path.hpp"
#include "json_output.hpp"
#include "noise_report.hpp"
#include "problem.hpp"
#include "dynamics.hpp"
#include "report.hpp"
#include "start.hpp"
#include "table.hpp"
#include "twin.hpp"
#include "x_error_interval_report.hpp"
#include "x_error_report.hpp"

#include <momentum/regions.hpp>
#include <momentum/worst_case.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

namespace momentum::cli {

namespace {

template <class Scalar, class Method>
Json rate_json(const Method& m, const Problem<Scalar>& p, const RateOptions& o, int& min_digits) {
  const Precision& prec = o.out.precision;
  const Scalar step = method_step(m);
  const WorstCase<Scalar> wc = worst_case(m, p.lambda_min(), p.lambda_max());
  min_digits = prec.digits;
  // Double runs measure their error against the wide twin (accuracy.hpp).
  const TwinSource<Scalar> twins(o.method, p, o.problem);
  const auto twin = twins.make(m);
  // The twin's step * lambda, for the digits of step_lambda.
  auto wide_step_lambda = [&](const Scalar& lambda) -> long double {
    if constexpr (std::is_same_v<Scalar, double>)
      if (twin) return method_step(twin->method) * twin->lambda(lambda);
    return 0;
  };
  auto digits_at = [&](const Scalar& lambda, const Spectrum<Scalar>& sp) {
    const int d = radius_digits(m, lambda, sp, p.lambda_error, prec.digits, twin.get());
    min_digits = std::min(min_digits, d);
    return d;
  };
  const WorstAccuracy<Scalar> acc = worst_case_accuracy(m, wc, p.lambda_error, prec.digits, twin.get());
  const int d_min = acc.digits_min, d_max = acc.digits_max, d_worst = acc.digits;
  min_digits = std::min({min_digits, d_min, d_max});
  // Undecided convergence counts as missing digits: MPFR retries with more precision.
  if (!acc.decided) min_digits = 0;

  Json j = json_object(24);
  j["command"] = "rate";
  j["method"] = method_label(m);
  j["parameters"] = parameters_json(m, prec, o.method);
  if (const Json f = family_report(m, prec, o.method); !f.is_null()) j["family"] = f;
  j["problem"] = problem_json(p, prec);
  j["digits"] = prec.digits;
  j["scalar"] = prec.multiprecision ? "mpfr" : "double";
  j["spectral_radius"] = decimal(wc.rho, prec, d_worst);
  j["converges"] = wc.converges();
  j["converges_decided"] = acc.decided;
  j["regime"] = to_string(wc.regime);
  Json worst = Json::array();
  for (const Scalar& l : wc.worst_eigenvalues) worst.push_back(decimal(l, prec, lambda_digits(l, p, prec)));
  j["worst_eigenvalues"] = std::move(worst);
  Json per = Json::array();
  if (o.all && p.whole_spectrum()) {
    for (Eigen::Index i = 0; i < p.eigenvalues.size(); ++i) {
      const Scalar& l = p.eigenvalues(i);
      const Spectrum<Scalar> sp = spectrum(m, l);
      per.push_back(eigenvalue_json(l, step, sp, digits_at(l, sp), prec, lambda_digits(l, p, prec),
                                    twin_spectrum(twin.get(), l).get(), wide_step_lambda(l)));
    }
  } else {
    per.push_back(eigenvalue_json(p.lambda_min(), step, wc.at_min, d_min, prec,
                                  lambda_digits(p.lambda_min(), p, prec),
                                  twin_spectrum(twin.get(), p.lambda_min()).get(),
                                  wide_step_lambda(p.lambda_min())));
    if (p.lambda_max() != p.lambda_min())
      per.push_back(eigenvalue_json(p.lambda_max(), step, wc.at_max, d_max, prec,
                                    lambda_digits(p.lambda_max(), p, prec),
                                    twin_spectrum(twin.get(), p.lambda_max()).get(),
                                    wide_step_lambda(p.lambda_max())));
  }
  j["per_eigenvalue"] = std::move(per);
  j["convergence_interval"] = interval_json(m, prec, twin.get());
  j["reliable_digits"] = d_worst;
  {
    const Scalar tol = parse_number<Scalar>(o.tol, "--tol");
    if (!(tol > 0 && tol < 1)) throw UsageError("--tol: must lie in (0, 1), got " + o.tol);
    Vector<Scalar> ends(2);
    ends << p.lambda_min(), p.lambda_max();
    // The x-error first (what a user watches), then the state matrix's figures.
    if (o.x0.empty()) {
      j["x_error"] = p.whole_spectrum()
                         ? x_error_json(m, p.eigenvalues, Vector<Scalar>(), XErrorOver::eigenvalues,
                                        tol, o.tol, p.lambda_error, prec, 4, twin.get())
                         : x_error_interval_json(m, p.lambda_min(), p.lambda_max(), tol, o.tol,
                                                 p.lambda_error, prec);
    } else {
      StartOptions so;
      so.x0 = o.x0;
      const EigenStart<Scalar> s = eigen_start(m, p, so, true);
      j["x_error"] = x_error_json(m, s.lambdas, s.z0, XErrorOver::eigenvalues, tol, o.tol,
                                  p.lambda_error, prec, 4, twin.get());
    }
    add_dynamics(j, m, p.whole_spectrum() ? p.eigenvalues : ends, tol, o.tol, prec, twin.get());
    if (!o.noise.empty()) {
      const int d = add_noise(j, m, o.all && p.whole_spectrum() ? p.eigenvalues : ends,
                              p.eigenvalues, p.whole_spectrum(), p.lambda_error, o.noise, prec,
                              twin.get());
      min_digits = std::min(min_digits, d);
    }
  }
  std::string note;
  if (digits_lost(d_worst, prec)) note = honesty_note(d_worst, prec, loss_reason(acc.loss), acc.decided);
  if (!acc.decided)
    note += (note.empty() ? "" : " ") +
            undecided_note(decimal(wc.rho, prec, d_worst), decimal(acc.error, prec, 2), prec);
  if (!note.empty()) j["note"] = note;
  return j;
}

template <class Scalar>
int run_rate(const RateOptions& o) {
  Progress progress(!o.out.quiet);
  Json j;
  int extra = guard_digits;
  for (int attempt = 0;; ++attempt) {
    apply_precision(o.out.precision, extra);
    const Problem<Scalar> p = load_problem<Scalar>(o.problem, &progress);
    int min_digits = 0;
    progress.stage("closed-form spectra");
    j = with_method<Scalar>(o.method, [&](const auto& m) { return rate_json(m, p, o, min_digits); });
    // In MPFR, too few reliable digits (near a double root) means: carry twice as many.
    if (!o.out.precision.multiprecision || min_digits >= o.out.precision.digits || attempt == 2) break;
    extra = 2 * (o.out.precision.digits + extra);
  }
  if (o.out.json) print_json(std::cout, std::move(j));
  else print_rate_text(std::cout, j);
  return exit_ok;
}

int run_rate_extremes(const RateOptions& o) {
  Progress progress(!o.out.quiet);
  Precision prec;  // the extremes path computes in double
  const Json j = with_method<double>(o.method, [&](const auto& m) {
    // lambda_max only when it can decide the rate; --noise needs it (the variance at each end).
    const LargestNeeded<double> needed =
        o.noise.empty() ? largest_needed_by<double>(m) : LargestNeeded<double>{};
    const ExtremesProblem p = load_extremes_problem(o.problem, &progress, needed);
    const bool bounds = largest_is_bounds(p);
    const RateEnclosure<double> r = rate_enclosure(m, p);
    Json out;
    out["command"] = "rate";
    out["method"] = method_label(m);
    out["parameters"] = parameters_json(m, o.out.precision, o.method);
    if (const Json f = family_report(m, o.out.precision, o.method); !f.is_null()) out["family"] = f;
    out["problem"] = {{"kind", "matrix"},
                      {"description", p.description},
                      {"dimension", p.n},
                      {"path", "extremes"}};
    out["digits"] = o.out.precision.digits;
    out["scalar"] = "double";
    out["spectral_radius"] = common_digits(r.rho_lo, r.rho_hi, o.out.precision.digits);
    out["spectral_radius_interval"] = {decimal(r.rho_lo, prec), decimal(r.rho_hi, prec)};
    out["spectral_radius_estimate"] = decimal(r.rho, prec);
    out["certified"] = r.certified;
    out["converges"] = r.converges_proven();
    out["converges_estimate"] = r.estimate.converges();
    out["regime"] = to_string(r.estimate.regime);
    Json worst = Json::array();
    for (double l : r.estimate.worst_eigenvalues) worst.push_back(decimal(l, prec));
    out["worst_eigenvalues"] = worst;
    const double step = method_step(m);
    // The eigenvalues the report evaluates: both estimates, or the smallest estimate and the
    // two bounds of a largest end left as bounds (rho over them is at most rho at their ends).
    Vector<double> ends(bounds ? 3 : 2);
    if (bounds)
      ends << r.estimate.lambda_min, p.extremes.largest.enclosure.lo,
          p.extremes.largest.enclosure.hi;
    else
      ends << r.estimate.lambda_min, r.estimate.lambda_max;
    out["per_eigenvalue"] = Json::array();
    using M = std::decay_t<decltype(m)>;
    const Twin<M> twin{wide_method<M>(o.method), nullptr};
    {
      // The radius at each estimate, with the digits its enclosure's width and the rounding of
      // the parameters as typed (the twin, accuracy.hpp) leave it.
      const double width = std::max({p.extremes.smallest.enclosure.width(),
                                     p.extremes.largest.enclosure.width()});
      for (const double l : ends) {
        const Spectrum<double> sp = spectrum(m, l);
        out["per_eigenvalue"].push_back(eigenvalue_json(
            l, step, sp, radius_digits(m, l, sp, width, o.out.precision.digits, &twin), prec,
            100000, twin_spectrum(&twin, l).get(), method_step(twin.method) * static_cast<long double>(l)));
      }
    }
    out["eigenvalues"] = extremes_json(p);
    out["convergence_interval"] = interval_json(m, prec, &twin);
    {
      const double tol = parse_number<double>(o.tol, "--tol");
      if (!(tol > 0 && tol < 1)) throw UsageError("--tol: must lie in (0, 1), got " + o.tol);
      // Every Q with spectrum between the smallest and largest points evaluated.
      out["x_error"] = x_error_interval_json(m, ends.minCoeff(), ends.maxCoeff(), tol, o.tol,
                                             0.0, prec);
      add_dynamics(out, m, ends, tol, o.tol, prec);
      out["iterations"]["based_on"] =
          bounds ? "the smallest eigenvalue estimate and the bounds of the largest"
                 : "the extreme eigenvalue estimates";
      if (!o.noise.empty()) {
        // Each end is known to within its proven enclosure: the digits honour the wider one.
        const double err = std::max({p.extremes.smallest.enclosure.width(),
                                     p.extremes.largest.enclosure.width()});
        add_noise(out, m, ends, ends, false, err, o.noise, prec);
      }
    }
    if (o.out.precision.digits > 17 || o.out.precision.explicit_digits)
      out["note"] = "the extremes path computes in double; the proven interval, not --digits, "
                    "limits the digits of the rate";
    return out;
  });
  if (o.out.json) print_json(std::cout, std::move(j));
  else print_rate_text(std::cout, j);
  return exit_ok;
}

}  // namespace

int run_rate_command(const RateOptions& o) {
  o.problem.check();
  parse_method(o.method.method);
  if (!o.x0.empty() && !o.problem.mu.empty())
    throw UsageError("--x0: a start needs the eigenvalues (--eigenvalues or --matrix), not an "
                     "interval --mu/--L");
  if (use_extremes_path(o.problem)) {
    if (!o.x0.empty())
      throw UsageError("--x0: the extremes path knows only the extreme eigenvalues, not the "
                       "eigenvectors a start needs; use --path dense");
    return run_rate_extremes(o);
  }
  return o.out.precision.multiprecision ? run_rate<mpfr_float>(o) : run_rate<double>(o);
}

Command add_rate(CLI::App& parent) {
  auto o = std::make_shared<RateOptions>();
  CLI::App* app = parent.add_subcommand(
      "rate", "Worst-case rate of a method on a problem: spectral radius, regimes, convergence "
              "interval, iterations to a tolerance, transient peak");
  add_method_options(*app, o->method, all_method_names());
  add_problem_options(*app, o->problem, true);
  app->add_flag("--all", o->all, "Report every eigenvalue, not only the two extremes");
  app->add_option("--tol", o->tol,
                  "Tolerance of the iteration counts: first the x-error, the smallest t with "
                  "||x_t - x*|| <= tol ||x_0 - x*|| from every start x_0 (the method's default "
                  "start: x_{-1} = x_0, v_0 = 0, g_0 = 0, torch's first step b_0 = d_0; "
                  "from --x0 when given), then the state matrix's, ||M^t||_2 <= tol")
      ->type_name("TOL")
      ->capture_default_str();
  app->add_option("--x0", o->x0,
                  "Count the x-error from this start x_0 (comma-separated, n entries; "
                  "--x0=-5,-2 for negative numbers; the method's default second state) instead "
                  "of the worst case over starts")
      ->type_name("LIST");
  app->add_option("--noise", o->noise,
                  "SGD with momentum: gradients carry independent noise of variance SIGMA^2 in "
                  "every eigen-direction; report the stationary variance and excess loss "
                  "(lambda/2) Var z of each eigenvalue and their sum E[h - h*]")
      ->type_name("SIGMA");
  add_output_options(*app, o->out, false);
  app->footer(
      "Examples:\n"
      "  momentum rate --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4\n"
      "  momentum rate --method heavy-ball --alpha 4/121 --beta 81/121 --mu 1 --L 100 --digits 40\n"
      "  momentum rate --method nesterov --alpha 0.01 --beta 0.9 --matrix Q.mtx --json\n"
      "  momentum rate --method heavy-ball --alpha 0.01 --beta 0.9 --eigenvalues 0.01,50 --x0=1,-1\n"
      "  momentum rate --method velocity --eta 0.1 --beta 0.9 --eigenvalues 1,2,5,10 --noise 0.01\n"
      "  momentum rate --method pytorch --lr 0.01 --momentum 0.9 --dampening 0.1 --weight-decay 5e-4 \\\n"
      "      --nesterov --mu 1 --L 100\n"
      "  momentum rate --method qhm --alpha 1 --nu 0.7 --beta 0.999 --mu 0.01 --L 1\n"
      "  momentum rate --method general --alpha 0.02 --beta 0.8 --gamma 0.5 --mu 1 --L 100\n"
      "Methods in their users' terms (the README's table): pytorch is torch.optim.SGD's update, qhm\n"
      "is qhoptim's QHM, general the two-state family x+ = x + beta (x - x-) - alpha grad f(x + gamma (x - x-)).");
  return {app, [o] {
            o->out.resolve();
            o->problem = problem_for(o->problem, o->method);
            return run_rate_command(*o);
          }};
}

}  // namespace momentum::cli
