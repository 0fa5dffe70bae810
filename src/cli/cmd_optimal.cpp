// momentum optimal: the optimal (or standard) tuning of each method for a spectrum in
// [mu, L] and its worst-case rate (SPEC section 6), side by side with --method all.
#include "command_options.hpp"
#include "commands.hpp"
#include "extremes_path.hpp"
#include "json_output.hpp"
#include "problem.hpp"
#include "report.hpp"
#include "table.hpp"
#include "twin.hpp"
#include "x_error_interval_report.hpp"
#include "x_error_report.hpp"

#include <momentum/regions.hpp>
#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <type_traits>

namespace momentum::cli {

namespace {

/// Iterations per decimal digit of error reduction at rate r = 1 - gap: -1/log10(r) =
/// ln(10)/(-ln(1 - gap)), from the gap (computed without cancellation, tuning.hpp): at
/// kappa = 1e16 the rate rounds to 1 in double (and r = 1 - 2e-300 to 1 in MPFR at 30 digits)
/// while the count is 1.15e16. Four digits.
template <class Scalar>
std::string per_digit(const Scalar& rate, const Scalar& gap) {
  using std::log;
  if (!(rate > 0)) return "0";
  if (!(gap > 0)) return "inf";
  // -ln(1 - g) = g + g^2/2 + g^3/3 + ...: four terms leave a relative error g^4/5 < 2e-13
  // below g = 1e-3; above, 1 - g is exact enough (its rounding is eps/g relative).
  const Scalar neg_log = gap < Scalar(1) / 1000
                             ? Scalar(gap * (1 + gap * (Scalar(1) / 2 + gap * (Scalar(1) / 3 + gap / 4))))
                             : Scalar(-log(rate));
  return to_string(Scalar(log(Scalar(10)) / neg_log), 4);
}

/// per_digit of the tuning make(mu, L); in double, of its long double twin, whose range holds
/// the gap 2e-600 of gradient descent on [1e-300, 1e300].
template <class Scalar, class Make>
std::string tuning_per_digit(const Make& make, const Scalar& mu, const Scalar& L) {
  if constexpr (std::is_same_v<Scalar, double>) {
    const auto t = make(static_cast<long double>(mu), static_cast<long double>(L));
    return per_digit(t.rate, t.gap);
  } else {
    const auto t = make(mu, L);
    return per_digit(t.rate, t.gap);
  }
}

template <class Method, class Scalar>
Json tuning_json(const char* name, const char* tuning, const Tuning<Method, Scalar>& t,
                 const TuningDigits& d, const std::string& iterations_per_digit, const Precision& p) {
  Json j;
  j["method"] = name;
  j["tuning"] = tuning;
  j["parameters"] = parameters_json(t.method, p);
  // Fewer digits where mu and L come from a matrix (tuning_digits); given parameters (PyTorch's
  // dampening) print as they are.
  for (auto& [key, value] : j["parameters"].items()) {
    const int digits = d.of(key);
    if (digits < 0) continue;
    value = key == "beta" || key == "momentum" ? decimal(Scalar(method_beta(t.method)), p, digits)
            : key == "gamma" || key == "nu"    ? decimal(Scalar(method_third(t.method)), p, digits)
                                               : decimal(Scalar(method_step(t.method)), p, digits);
  }
  if constexpr (IsParameterization<Method>::value)
    j["family"] = family_json(t.method, p, static_cast<const typename WideOf<Method>::type*>(nullptr));
  j["rate"] = decimal(t.rate, p, d.rate);
  j["status"] = t.status;
  // A number (four digits), like every count; null where the rate is 1 (never); beyond
  // double's range (gradient descent on [1e-300, 1e300]: 1.151e+600) the decimal string.
  Json per_digit_json = iterations_per_digit;
  if (iterations_per_digit == "inf") {
    per_digit_json = nullptr;
  } else {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(iterations_per_digit.c_str(), &end);
    if (errno != ERANGE && end != iterations_per_digit.c_str() && *end == '\0') per_digit_json = v;
  }
  j["iterations_per_digit"] = per_digit_json;
  j["reliable_digits"] = {{"step", d.step}, {"beta", d.beta}, {"rate", d.rate}};
  if (j["parameters"].contains("gamma") || j["parameters"].contains("nu"))
    j["reliable_digits"]["third"] = d.third;
  return j;
}

/// x to 3 significant digits, as a user would type it.
template <class Scalar>
std::string three_digits(const Scalar& x) {
  std::string s = to_string(x, 3);
  return s == "-0" ? "0" : s;
}

template <class S>
GradientDescent<S> rounded(const GradientDescent<S>& m) {
  return GradientDescent<S>(parse<S>(three_digits(m.eta)));
}
template <class S>
HeavyBall<S> rounded(const HeavyBall<S>& m) {
  return HeavyBall<S>(parse<S>(three_digits(m.alpha)), parse<S>(three_digits(m.beta)));
}
template <class S>
Velocity<S> rounded(const Velocity<S>& m) {
  return Velocity<S>(parse<S>(three_digits(m.eta)), parse<S>(three_digits(m.beta)));
}
template <class S>
Nesterov<S> rounded(const Nesterov<S>& m) {
  return Nesterov<S>(parse<S>(three_digits(m.alpha)), parse<S>(three_digits(m.beta)));
}

template <class S>
TwoState<S> rounded(const TwoState<S>& m) {
  return TwoState<S>(parse<S>(three_digits(m.alpha)), parse<S>(three_digits(m.beta)),
                     parse<S>(three_digits(m.gamma)));
}
template <class S>
PyTorchSGD<S> rounded(const PyTorchSGD<S>& m) {
  return PyTorchSGD<S>(parse<S>(three_digits(m.lr)), parse<S>(three_digits(m.momentum)),
                       m.dampening, m.weight_decay, m.nesterov);
}
template <class S>
QHM<S> rounded(const QHM<S>& m) {
  return QHM<S>(parse<S>(three_digits(m.alpha)), parse<S>(three_digits(m.nu)),
                parse<S>(three_digits(m.beta)));
}

/// A tuning's fragility, added to its JSON `tj`: "margin" {"L_factor", "mu_factor"} (the
/// tuning converges on [mu, L f] for every f < L_factor and on [mu / f, L] for every
/// f < mu_factor, null: any; from its exact convergence interval, regions.hpp), "x_error"
/// (x_error_report.hpp: iterations to tol and peak of ||x_t - x*|| / ||x_0 - x*|| over
/// `lambdas`), "rounded" {"parameters" (3 significant digits), "rate" (their worst-case rate on
/// [mu, L]), "converges", "converges_decided"}.
/// `twin` (double runs): the tuning from mu and L as typed, in long double (accuracy.hpp); the
/// margins and the x-error's peak then count the rounding of the inputs too.
template <class Method, class Scalar>
void add_fragility(Json& tj, const Method& m, const Scalar& mu, const Scalar& L,
                   const Vector<Scalar>& lambdas, XErrorOver over, const Scalar& tol,
                   const std::string& tol_text, const Scalar& lambda_error, const Precision& p,
                   const Twin<Method>* twin = nullptr) {
  const Interval<Scalar> iv = convergence_interval(interval_member(m));
  const Scalar step = method_step(interval_member(m));
  const Scalar lf = iv.hi / (step * L);
  // The margins' error against the twin's (a few operations: 16 long double ulps of its own).
  auto twin_err = [&](const Scalar& v, auto&& w) -> Scalar {
    if constexpr (std::is_same_v<Scalar, double>) {
      if (twin) {
        const long double wv =
            w(interval_member(twin->method), convergence_interval(interval_member(twin->method)),
              twin->lambda(mu), twin->lambda(L));
        return twin_error(v, wv, 16 * std::numeric_limits<long double>::epsilon() * std::fabs(wv));
      }
    } else {
      (void)v, (void)w;
    }
    return Scalar(0);
  };
  // mu and L known to +-lambda_error move the factors by about that much, relatively.
  const Scalar lf_err = lf * lambda_error / L + twin_err(lf, [](const auto& wm, const auto& w, long double, long double wL) {
                          return w.hi / (method_step(wm) * wL);
                        });
  tj["margin"] = {{"L_factor", decimal(lf, p, reliable_digits(lf, lf_err, p.digits))},
                  {"mu_factor", nullptr}};
  if (iv.lo > 0) {
    const Scalar mf = step * mu / iv.lo;
    const Scalar mf_err = mf * lambda_error / mu + twin_err(mf, [](const auto& wm, const auto& w, long double wmu, long double) {
                            return method_step(wm) * wmu / w.lo;
                          });
    tj["margin"]["mu_factor"] = decimal(mf, p, reliable_digits(mf, mf_err, p.digits));
  }
  tj["x_error"] = over == XErrorOver::interval
                     ? x_error_interval_json(m, mu, L, tol, tol_text, lambda_error, p, 5)
                     : x_error_json(m, lambdas, Vector<Scalar>(), over, tol, tol_text, lambda_error, p,
                                    20, twin);
  const Method r = rounded(m);
  Json params;
  for (const auto& [key, value] : tj["parameters"].items()) {
    const int which = TuningDigits{0, 1, 0, 2}.of(key);
    params[key] = which < 0  ? value
                  : which == 1 ? Json(three_digits(Scalar(method_beta(m))))
                  : which == 2 ? Json(three_digits(Scalar(method_third(m))))
                               : Json(three_digits(Scalar(method_step(m))));
  }
  const WorstCase<Scalar> wc = worst_case(r, mu, L);
  const WorstAccuracy<Scalar> acc = worst_case_accuracy(r, wc, lambda_error, p.digits);
  tj["rounded"] = {{"parameters", params},
                   {"rate", decimal(wc.rho, p, acc.digits)},
                   {"converges", wc.converges()},
                   {"converges_decided", acc.decided}};
}

/// PyTorch's tuning is computed on Q + wd I with no decay of its own (problem_for): its
/// "parameters" show the --weight-decay given.
void with_weight_decay(Json& tj, const OptimalOptions& o, const Precision& p) {
  if (o.method.method != "pytorch" || !tj.contains("parameters")) return;
  tj["parameters"]["weight_decay"] =
      o.method.weight_decay.empty() ? std::string("0")
      : p.multiprecision ? decimal(parse_number<mpfr_float>(o.method.weight_decay, "--weight-decay"), p)
                         : decimal(parse_number<double>(o.method.weight_decay, "--weight-decay"), p);
}

/// Tuning t's rate and status for the method m (the same method in other parameters).
template <class M2, class M, class S>
Tuning<M2, S> make_tuning(M2 m, const Tuning<M, S>& t) {
  return {std::move(m), t.rate, t.status, t.gap};
}

/// Every tuning `which` asks for ("all" or one method): f(name, tuning, make) with make(mu, L)
/// the tuning on [mu, L] (in any scalar: the options' numbers are parsed in it).
template <class F>
void for_each_tuning(const OptimalOptions& o, F&& f) {
  const std::string& which = o.method.method;
  const bool all = which == "all";
  if (all || which == "gd") f("gd", "optimal", [](const auto& m, const auto& l) { return optimal_gd(m, l); });
  if (all || which == "heavy-ball")
    f("heavy-ball", "optimal", [](const auto& m, const auto& l) { return optimal_heavy_ball(m, l); });
  if (all || which == "velocity")
    f("velocity", "optimal", [](const auto& m, const auto& l) { return optimal_velocity(m, l); });
  if (all || which == "nesterov") {
    f("nesterov", "optimal", [](const auto& m, const auto& l) { return optimal_nesterov(m, l); });
    f("nesterov", "standard (alpha = 1/L)",
      [](const auto& m, const auto& l) { return standard_nesterov(m, l); });
  }
  if (which == "general")
    f("general", "optimal", [](const auto& m, const auto& l) {
      const auto t = optimal_heavy_ball(m, l);
      return make_tuning(family(t.method), t);
    });
  if (all || which == "general") {
    f("general", "triple-momentum", [](const auto& m, const auto& l) { return triple_momentum(m, l); });
    f("general", "robust-momentum", [&o](const auto& m, const auto& l) {
      using S = std::decay_t<decltype(m)>;
      if (o.rho.empty()) return robust_momentum(m, l);
      return robust_momentum(m, l, parse_number<S>(o.rho, "--rho"));
    });
  }
  if (which == "pytorch")
    f("pytorch", "optimal", [&o](const auto& m, const auto& l) {
      using S = std::decay_t<decltype(m)>;
      const S dampening = o.method.dampening.empty() ? S(0) : parse_number<S>(o.method.dampening, "--dampening");
      return optimal_pytorch(m, l, dampening, o.method.nesterov);
    });
  if (which == "qhm")
    f("qhm", "optimal", [&o](const auto& m, const auto& l) {
      using S = std::decay_t<decltype(m)>;
      if (o.method.nu.empty()) return optimal_qhm(m, l);
      return optimal_qhm(m, l, parse_number<S>(o.method.nu, "--nu"));
    });
}

/// Runs row() for one tuning of `--method all`. The two-state tunings (triple and robust
/// momentum) are extra rows there: one whose parameters or rate the working precision cannot
/// represent (kappa = 1e32 in double rounds robust momentum's rho to 1) becomes a row with an
/// "error" instead of failing the whole comparison; asked for alone, the error is the answer.
template <class Row>
void try_row(Json& tunings, const char* name, const char* tuning, const OptimalOptions& o, Row&& row) {
  if (!(o.method.method == "all" && std::string(name) == "general")) return row();
  try {
    row();
  } catch (const std::exception& e) {
    Json tj;
    tj["method"] = name;
    tj["tuning"] = tuning;
    tj["error"] = std::string(e.what()) +
                  (o.out.precision.multiprecision ? std::string()
                                                  : "; rerun with --digits 20 or more (MPFR)");
    tunings.push_back(tj);
  }
}

template <class Scalar>
Scalar parse_tol(const std::string& text) {
  const Scalar tol = parse_number<Scalar>(text, "--tol");
  if (!(tol > 0 && tol < 1)) throw UsageError("--tol: must lie in (0, 1), got " + text);
  return tol;
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
  j["mu"] = j["problem"]["lambda_min"];
  j["L"] = j["problem"]["lambda_max"];
  j["kappa"] = j["problem"]["kappa"];
  j["digits"] = prec.digits;
  j["scalar"] = prec.multiprecision ? "mpfr" : "double";
  Json tunings = Json::array();
  int fewest = prec.digits;
  const Scalar tol = parse_tol<Scalar>(o.tol);
  Vector<Scalar> ends(2);
  ends << mu, L;
  // Double runs measure each tuning against its twin from mu and L as typed (accuracy.hpp).
  const TypedEigenvalues typed = typed_eigenvalues(p, o.problem);
  for_each_tuning(o, [&](const char* name, const char* tuning, const auto& make) {
    try_row(tunings, name, tuning, o, [&] {
    const TuningDigits d = tuning_digits(make, mu, L, p.lambda_error, prec.digits,
                                         std::is_same_v<Scalar, double> ? &typed : nullptr);
    fewest = std::min({fewest, d.step, d.beta, d.rate});
    const auto t = make(mu, L);
    Json tj = tuning_json(name, tuning, t, d, tuning_per_digit(make, mu, L), prec);
    with_weight_decay(tj, o, prec);
    // The tuning's twin: the same tuning from mu and L as typed, in long double.
    using M = std::decay_t<decltype(t.method)>;
    std::unique_ptr<Twin<M>> twin;
    if constexpr (std::is_same_v<Scalar, double>)
      twin = std::make_unique<Twin<M>>(Twin<M>{make(typed(mu), typed(L)).method, &typed});
    add_fragility(tj, t.method, mu, L, p.whole_spectrum() ? p.eigenvalues : ends,
                  p.whole_spectrum() ? XErrorOver::eigenvalues : XErrorOver::interval, tol, o.tol,
                  p.lambda_error, prec, twin.get());
    tunings.push_back(tj);
    });
  });
  j = finish(std::move(j), o.method.method, tunings);
  if (digits_lost(fewest, prec))
    j["note"] = honesty_note(fewest, prec,
                             p.lambda_error > 0
                                 ? "mu and L are eigenvalues computed from Q, with an error bound of " +
                                       decimal(p.lambda_error, prec, 2) +
                                       " that moves the tunings; kappa = " + j["kappa"].get<std::string>()
                                 : std::string("the rounding of mu and L to double moves the tunings"));
  if (o.out.json) print_json(std::cout, std::move(j));
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
  const double tol = parse_tol<double>(o.tol);
  Vector<double> ends(2);
  ends << mu, L;
  for_each_tuning(o, [&](const char* name, const char* tuning, const auto& make) {
    try_row(tunings, name, tuning, o, [&] {
    const auto t = make(mu, L);
    // Exact functions of the estimates, up to the arithmetic's rounding (measured by the twin).
    const TypedEigenvalues estimates;
    const TuningDigits d = tuning_digits(make, mu, L, 0.0, prec.digits, &estimates);
    Json tj = tuning_json(name, tuning, t, d, tuning_per_digit(make, mu, L), prec);
    with_weight_decay(tj, o, prec);
    add_fragility(tj, t.method, mu, L, ends, XErrorOver::interval, tol, o.tol, 0.0, prec);
    // Tuned on the estimates; the rate Q actually gets is proven to lie in this interval.
    const RateEnclosure<double> r = rate_enclosure(t.method, p);
    tj["rate_interval"] = {decimal(r.rho_lo, prec), decimal(r.rho_hi, prec)};
    tj["certified"] = r.certified;
    tunings.push_back(tj);
    });
  });
  j = finish(std::move(j), o.method.method, tunings);
  j["note"] = "tuned on the extreme eigenvalue estimates; rate_interval is the worst-case rate "
              "each tuning is proven to have on Q";
  if (o.out.json) print_json(std::cout, std::move(j));
  else print_optimal_text(std::cout, j);
  return exit_ok;
}

}  // namespace

int run_optimal_command(const OptimalOptions& o) {
  o.problem.check();
  const std::string& m = o.method.method;
  if (m != "pytorch") {
    for (const auto& [given, option] : {std::pair{!o.method.dampening.empty(), "--dampening"},
                                        std::pair{o.method.nesterov, "--nesterov"},
                                        std::pair{!o.method.weight_decay.empty(), "--weight-decay"}})
      if (given)
        throw UsageError(std::string(option) + ": an option of --method pytorch, not of --method " + m);
  }
  if (m != "qhm" && !o.method.nu.empty())
    throw UsageError("--nu: an option of --method qhm, not of --method " + m);
  if (m != "all" && m != "general" && !o.rho.empty())
    throw UsageError("--rho: robust momentum's parameter, listed by --method all or general, not "
                     "by --method " + m);
  if (use_extremes_path(o.problem)) return run_optimal_extremes(o);
  return o.out.precision.multiprecision ? run_optimal<mpfr_float>(o) : run_optimal<double>(o);
}

Command add_optimal(CLI::App& parent) {
  auto o = std::make_shared<OptimalOptions>();
  CLI::App* app = parent.add_subcommand(
      "optimal", "Optimal tuning and its worst-case rate for a spectrum in [mu, L] (SPEC section "
                 "6); --method all compares GD, heavy ball, velocity form and both Nesterov "
                 "tunings");
  add_method_options(*app, o->method,
                     {"all", "gd", "heavy-ball", "velocity", "nesterov", "general", "pytorch", "qhm"},
                     false);
  app->add_option("--dampening", o->method.dampening,
                  "pytorch: torch.optim.SGD's dampening, kept fixed (default 0)")
      ->type_name("D");
  app->add_flag("--nesterov", o->method.nesterov, "pytorch: torch.optim.SGD's nesterov=True");
  app->add_option("--weight-decay", o->method.weight_decay,
                  "pytorch: torch.optim.SGD's weight_decay: tune for Q + WD I")
      ->type_name("WD");
  app->add_option("--nu", o->method.nu,
                  "qhm: keep nu fixed and tune alpha and beta (default: tune all three)")
      ->type_name("NU");
  app->add_option("--rho", o->rho,
                  "robust-momentum: its rate parameter in [1 - 1/sqrt(kappa), 1 - 1/kappa] "
                  "(default: the middle)")
      ->type_name("RHO");
  add_problem_options(*app, o->problem, true);
  app->add_option("--tol", o->tol,
                  "Tolerance of each tuning's x-error count: the smallest t with "
                  "||x_t - x*|| <= tol ||x_0 - x*|| from every start (the method's default "
                  "start: x_{-1} = x_0, v_0 = 0, g_0 = 0, torch's first step b_0 = d_0)")
      ->type_name("TOL")
      ->capture_default_str();
  add_output_options(*app, o->out, false);
  app->footer(
      "Each tuning also gets its fragility: by what factor L may grow (or mu shrink) before it\n"
      "diverges, the x-error's peak and iterations to --tol, and its parameters rounded to 3\n"
      "significant digits with the rate they give.\n\n"
      "Examples:\n"
      "  momentum optimal --method all --eigenvalues 0.2,4\n"
      "  momentum optimal --method heavy-ball --mu 1 --L 1e4 --digits 50 --json");
  return {app, [o] {
            o->out.resolve();
            o->problem = problem_for(o->problem, o->method);
            return run_optimal_command(*o);
          }};
}

}  // namespace momentum::cli
