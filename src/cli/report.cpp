#include "report.hpp"

#include "json_output.hpp"
#include "table.hpp"
#include "x_error_report.hpp"

#include <cstdlib>

namespace momentum::cli {

std::string more_digits_hint(const Precision& p) {
  return "Rerun with --digits " + std::to_string(std::max(2 * p.digits + 10, 40)) + " for more.";
}

std::string honesty_note(int reliable, const Precision& p) {
  return honesty_note(reliable, p,
                      "a double root or an ill-conditioned eigenvalue amplifies rounding", true);
}

std::string honesty_note(int reliable, const Precision& p, const std::string& why, bool hint) {
  std::string s = "only " + std::to_string(reliable) +
                  (p.explicit_digits || p.multiprecision
                       ? " of the " + std::to_string(p.digits) + " digits asked for are"
                       : std::string(reliable == 1 ? " digit is" : " digits are") +
                             " reliable here, fewer than the " + std::to_string(double_digits) +
                             " a double holds, and only those are printed (" + why + ")." ) ;
  if (p.explicit_digits || p.multiprecision)
    s += " reliable here (" + why + "); the rest are not printed.";
  if (hint && !p.multiprecision) s += " " + more_digits_hint(p);
  return s;
}

std::string loss_reason(DigitLoss loss) {
  switch (loss) {
    case DigitLoss::double_root:
      return "near a double root (critical damping) the radius moves like the square root of "
             "a rounding error";
    case DigitLoss::eigenvalue:
      return "the eigenvalues computed from Q carry an error (about epsilon ||Q||) that moves "
             "the radius";
    case DigitLoss::inputs:
      return "a one-ulp change of the step, beta or lambda, each rounded to the working "
             "precision, moves the radius that much";
    case DigitLoss::none: break;
  }
  return "rounding";
}

std::string undecided_note(const std::string& rho, const std::string& error, const Precision& p) {
  std::string s = "rho = " + rho + " is within its error bound (" + error + ") of 1: " +
                  (p.multiprecision ? std::string("this precision") : std::string("double")) +
                  " cannot tell whether the method converges (the regime is a guess).";
  if (!p.multiprecision) s += " " + more_digits_hint(p);
  return s;
}

std::string parameters_text(const Json& parameters) {
  std::string params;
  for (const auto& [k, v] : parameters.items()) {
    if (v.is_boolean()) {
      if (v.get<bool>()) params += (params.empty() ? "" : ", ") + k;  // nesterov
      continue;
    }
    params += (params.empty() ? "" : ", ") + k + " = " + v.get<std::string>();
  }
  return params;
}

namespace {
/// "gradient descent", "PyTorch SGD", ...: the title of a --method name.
std::string title_of(const std::string& method) {
  try {
    return method_title(parse_method(method));
  } catch (const UsageError&) {
    return method;
  }
}
}  // namespace

std::string method_text(const Json& j) {
  std::string s = title_of(j["method"]) + " (" + parameters_text(j["parameters"]) + ")";
  if (j.contains("family")) {
    const Json& f = j["family"];
    s += " = two-state alpha = " + f["alpha"].get<std::string>() + ", beta = " +
         f["beta"].get<std::string>() + ", " +
         (f["gamma"].is_null() ? "alpha*gamma = " + f["alpha_gamma"].get<std::string>()
                               : "gamma = " + f["gamma"].get<std::string>());
  }
  return s;
}

void print_rate_text(std::ostream& out, const Json& j) {
  out << "rate of " << method_text(j) << "\n  on " << j["problem"]["description"].get<std::string>()
      << "\n\n";
  Fields f;
  std::string rho = j["spectral_radius"];
  if (j.contains("spectral_radius_interval"))
    rho += "   proven in [" + j["spectral_radius_interval"][0].get<std::string>() + ", " +
           j["spectral_radius_interval"][1].get<std::string>() + "]" +
           (j["certified"].get<bool>() ? "" : " (enclosures not tight)");
  f.add("spectral radius", rho);
  const bool conv = j["converges"];
  if (j.contains("converges_decided") && !j["converges_decided"].get<bool>())
    f.add("converges", std::string(conv ? "yes" : "no") +
                           " to the working precision, but not decided: rho is within its error "
                           "bound of 1 (see the note)");
  else
    f.add("converges", conv ? "yes (rho < 1)" : "no (rho >= 1)");
  std::string worst;
  for (const auto& l : j["worst_eigenvalues"]) worst += (worst.empty() ? "" : " and ") + l.get<std::string>();
  f.add("worst eigenvalue", "lambda = " + worst + " (" + j["regime"].get<std::string>() + ")");
  const Json& iv = j["convergence_interval"];
  const std::string var = iv["variable"];
  if (iv["empty"].get<bool>()) {
    f.add("convergence", "for no " + var + " (|beta| >= 1)");
  } else {
    std::string s = var + " in (" + iv["lo"].get<std::string>() + ", " + iv["hi"].get<std::string>() + ")";
    if (iv.contains("lambda_lo"))
      s += ", i.e. lambda in (" + iv["lambda_lo"].get<std::string>() + ", " +
           iv["lambda_hi"].get<std::string>() + ")";
    f.add("convergence", s);
  }
  if (j.contains("x_error")) {
    f.add("x-error", x_error_text(j["x_error"], j["method"].get<std::string>()));
    if (!j["x_error"]["peak"].is_null()) f.add("x-error peak", x_error_peak_text(j["x_error"]));
  }
  if (j.contains("iterations") && !j["iterations"].is_null()) {
    const Json& it = j["iterations"];
    const std::string tol = it["tol"];
    if (!it["first"].is_null()) {
      std::string s = std::to_string(it["first"].get<long long>()) + " until ||M^t||_2 <= " + tol;
      if (!it["settled"].is_null() && it["settled"] != it["first"])
        s += ", below for good from t = " + std::to_string(it["settled"].get<long long>());
      s += " (log(tol)/log(rho) alone says " + std::to_string(it["naive"].get<long long>()) + ")";
      f.add("state matrix", s);
    } else if (it.contains("why")) {
      f.add("state matrix", it["why"].get<std::string>());
    } else {
      f.add("state matrix", "between " + std::to_string(it["lower"].get<long long>()) + " and " +
                              std::to_string(it["upper"].get<long long>()) + " (scan not completed)");
    }
  }
  if (j.contains("transient") && !j["transient"].is_null()) {
    const Json& tr = j["transient"];
    std::string s = "max_t ||M^t||_2 = " + tr["peak"].get<std::string>() + " at t = " +
                    std::to_string(tr["t"].get<long long>()) + " (at lambda = " +
                    tr["lambda"].get<std::string>() + ")";
    if (!tr["complete"].get<bool>())
      s = "max_t ||M^t||_2 >= " + tr["peak"].get<std::string>() + " (the largest up to t = " +
          std::to_string(tr["t"].get<long long>()) + ", where the search stopped: rho is near 1)";
    f.add("state matrix peak", s);
  }
  if (j.contains("noise")) {
    const Json& nz = j["noise"];
    const std::string sigma = nz["sigma"];
    if (!nz["expected_excess_loss"].is_null())
      f.add("noise sigma = " + sigma, "stationary E[h - h*] = " +
                                          nz["expected_excess_loss"].get<std::string>() +
                                          " (sum over " + std::to_string(nz["dimension"].get<long long>()) +
                                          (nz["dimension"] == 1 ? " eigen-direction)" : " eigen-directions)"));
    else
      f.add("noise sigma = " + sigma, nz["why"].get<std::string>());
    for (const auto& e : nz["per_eigenvalue"]) {
      if (e["variance"].is_null()) continue;
      f.add("  at lambda = " + e["lambda"].get<std::string>(),
            "Var z = " + e["variance"].get<std::string>() + ", excess loss (lambda/2) Var z = " +
                e["excess_loss"].get<std::string>());
    }
  }
  if (j.contains("eigenvalues")) {
    for (const char* end : {"lambda_min", "lambda_max"}) {
      const Json& e = j["eigenvalues"][end];
      const std::string in = "[" + e["enclosure"][0].get<std::string>() + ", " +
                             e["enclosure"][1].get<std::string>() + "]";
      if (!e.contains("estimate"))  // left as bounds: it cannot decide the rate
        f.add(end, "in " + in + " (bounds: max q_ii and Gershgorin; not computed, as no value "
                   "in them can decide the rate)");
      else
        f.add(end, e["estimate"].get<std::string>() + " in " + in + " (" +
                       e["solver"].get<std::string>() +
                       (e["certified"].get<bool>() ? ", certified)" : ")"));
    }
  }
  f.print(out);
  out << '\n';
  // Roots in the table only at the default precision (with --digits 40 they are in --json).
  const bool roots = j["digits"].get<int>() <= 17;
  Table t(roots ? std::vector<std::string>{"lambda", var, "regime", "spectral radius", "roots"}
                : std::vector<std::string>{"lambda", var, "regime", "spectral radius"});
  for (const auto& e : j["per_eigenvalue"]) {
    std::vector<std::string> row = {e["lambda"], e["step_lambda"], e["regime"], e["spectral_radius"]};
    if (roots) row.push_back(root_text(e["roots"]));
    t.row(row);
  }
  t.print(out);
  if (j.contains("note")) out << "\nnote: " << j["note"].get<std::string>() << '\n';
  if (j.contains("noise") && j["noise"].contains("note"))
    out << "\nnote (noise): " << j["noise"]["note"].get<std::string>() << '\n';
}

namespace {
std::string where(const Json& x) {
  if (x["over"] == "interval") {
    std::string s = " (worst case over every spectrum in [" + x["interval"][0].get<std::string>() +
                    ", " + x["interval"][1].get<std::string>() + "], interior included";
    const Json& f = x["first_range"];
    const Json& g = x["settled_range"];
    if (f[0] != f[1]) s += "; first between " + std::to_string(f[0].get<long long>()) + " and " +
                           std::to_string(f[1].get<long long>());
    if (g[0] != g[1]) s += "; below for good from between " + std::to_string(g[0].get<long long>()) +
                           " and " + std::to_string(g[1].get<long long>());
    return s + ")";
  }
  if (x["over"] != "ends") return "";
  return x.contains("why_ends") ? " (over the two ends only: " + x["why_ends"].get<std::string>() + ")"
                                : " (over the two ends only: the interior of the spectrum is not "
                                  "checked)";
}
std::string peak_where(const Json& x) {
  if (x["over"] == "interval")
    return " (over [" + x["interval"][0].get<std::string>() + ", " +
           x["interval"][1].get<std::string>() + "], at most; at least " +
           x["peak_range"][0].get<std::string>() + ")";
  return x["over"] == "ends" ? " (over the two ends only)" : "";
}
}  // namespace

std::string default_start_text(const std::string& method) {
  if (method == "pytorch") return "torch's first step, b_0 = d_0";
  if (method == "qhm") return "g_0 = 0";
  if (method == "general") return "x_{-1} = x_0";
  return "x_{-1} = x_0, v_0 = 0";
}

std::string x_error_text(const Json& x, const std::string& method) {
  if (x["first"].is_null() && x.contains("why")) return x["why"].get<std::string>();
  const bool standard = x["start"] == "standard";
  const std::string goal = " until ||x_t - x*|| <= " + x["tol"].get<std::string>() +
                           " ||x_0 - x*|| " +
                           (standard ? "from every x_0 (" + default_start_text(method) + ")"
                                     : std::string("from --x0"));
  std::string s;
  if (x["exact"].get<bool>()) {
    s = std::to_string(x["first"].get<long long>()) + goal;
    if (x["settled"] != x["first"])
      s += ", below for good from t = " + std::to_string(x["settled"].get<long long>());
  } else if (!x["first"].is_null()) {
    s = std::to_string(x["first"].get<long long>()) + goal + ", below for good by t = " +
        std::to_string(x["upper"].get<long long>()) + " (scan not completed)";
  } else {
    s = "between " + std::to_string(x["lower"].get<long long>()) + " and " +
        std::to_string(x["upper"].get<long long>()) + goal + " (scan not completed)";
  }
  return s + where(x);
}

std::string x_error_peak_text(const Json& x) {
  const std::string t = std::to_string(x["peak_t"].get<long long>());
  if (x["peak_t"] == 0 && x["peak_complete"].get<bool>())
    return "max_t ||x_t - x*|| / ||x_0 - x*|| = 1 at t = 0: never above the start" +
           std::string(x["over"] == "ends" ? " (over the two ends only)"
                       : x["over"] == "interval" ? " (over every lambda in [" + x["interval"][0].get<std::string>() + ", " + x["interval"][1].get<std::string>() + "])" : "");
  std::string s = x["peak_complete"].get<bool>()
                      ? "max_t ||x_t - x*|| / ||x_0 - x*|| = " + x["peak"].get<std::string>() +
                            " at t = " + t
                      : "max_t ||x_t - x*|| / ||x_0 - x*|| >= " + x["peak"].get<std::string>() +
                            " (at t = " + t + "; the search stopped: rho is near 1)";
  if (x["start"] == "standard") s += " (at lambda = " + x["peak_lambda"].get<std::string>() + ")";
  return s + peak_where(x);
}

namespace {
/// A decimal string shortened to 6 significant digits, for a table.
std::string short6(const std::string& s) {
  std::string r = to_string(std::strtod(s.c_str(), nullptr), 6);
  return r;
}
}  // namespace

void print_fragility_text(std::ostream& out, const Json& j) {
  const Json& first = j["tunings"][0]["x_error"];
  out << "\nfragility: how far L may grow (mu shrink) before the tuning diverges; the x-error\n"
      << "||x_t - x*|| / ||x_0 - x*|| from every x_0 (x_{-1} = x_0, v_0 = 0): its peak and the\n"
      << "iterations until it is <= " << first["tol"].get<std::string>()
      << "; the parameters typed to 3 digits and their rate"
      << (first["over"] == "ends"
              ? ";\nthe x-error over the two ends only (the interior is not checked)"
              : first["over"] == "interval"
                    ? ";\nthe x-error's worst case over every spectrum in [mu, L], interior included "
                      "(its peak and\niterations are proven upper bounds)"
                    : "")
      << "\n\n";
  Table t({"method", "tuning", "margin", "x-error peak", "iterations", "to 3 digits", "their rate"});
  for (const auto& tj : j["tunings"]) {
    if (tj.contains("error")) continue;  // listed with its error in the first table
    const Json& mg = tj["margin"];
    std::string margin = "L x " + short6(mg["L_factor"].get<std::string>());
    margin += mg["mu_factor"].is_null() ? ", mu: any"
                                        : ", mu / " + short6(mg["mu_factor"].get<std::string>());
    const Json& x = tj["x_error"];
    std::string peak = "-", its = "never";
    if (!x["peak"].is_null())
      peak = short6(x["peak"].get<std::string>()) + " at t = " +
             std::to_string(x["peak_t"].get<long long>()) +
             (x["peak_complete"].get<bool>() ? "" : " (at least)");
    if (!x["first"].is_null() && x["exact"].get<bool>()) {
      its = std::to_string(x["first"].get<long long>());
      if (x["settled"] != x["first"])
        its += " (" + std::to_string(x["settled"].get<long long>()) + " for good)";
    }
    else if (!x["first"].is_null() || x.contains("upper"))
      its = "<= " + std::to_string(x["upper"].get<long long>());
    const Json& r = tj["rounded"];
    const std::string params = parameters_text(r["parameters"]);
    std::string rate = short6(r["rate"].get<std::string>());
    if (!r["converges_decided"].get<bool>()) rate += " (undecided)";
    else if (!r["converges"].get<bool>()) rate += " (does not converge)";
    t.row({tj["method"], tj["tuning"], margin, peak, its, params, rate});
  }
  t.print(out);
}

void print_optimal_text(std::ostream& out, const Json& j) {
  out << "optimal tunings on " << j["problem"]["description"].get<std::string>() << "\n  mu = "
      << j["mu"].get<std::string>() << ", L = " << j["L"].get<std::string>()
      << ", kappa = L/mu = " << j["kappa"].get<std::string>() << "\n\n";
  const bool intervals = !j["tunings"].empty() && j["tunings"][0].contains("rate_interval");
  std::vector<std::string> head = {"method", "tuning", "parameters", "worst-case rate"};
  if (intervals) head.push_back("proven on Q");
  head.push_back("iterations/digit");
  head.push_back("status");
  Table t(head);
  std::vector<std::string> errors;
  for (const auto& tj : j["tunings"]) {
    if (tj.contains("error")) {
      errors.push_back(tj["tuning"].get<std::string>() + ": " + tj["error"].get<std::string>());
      continue;
    }
    const std::string params = parameters_text(tj["parameters"]);
    std::vector<std::string> row = {tj["method"], tj["tuning"], params, tj["rate"]};
    if (intervals)
      row.push_back("[" + tj["rate_interval"][0].get<std::string>() + ", " +
                    tj["rate_interval"][1].get<std::string>() + "]");
    const Json& per_digit = tj["iterations_per_digit"];
    row.push_back(per_digit.is_null() ? std::string("inf")
                  : per_digit.is_string() ? per_digit.get<std::string>()
                                          : json_text(per_digit));
    row.push_back(tj["status"]);
    t.row(row);
  }
  t.print(out);
  for (const std::string& e : errors) out << "\nnot computed: " << e << '\n';
  if (!j["tunings"].empty() && j["tunings"][0].contains("margin")) print_fragility_text(out, j);
  if (j.contains("note")) out << "\nnote: " << j["note"].get<std::string>() << '\n';
}

std::string verify_failure_meaning(const Json& j) {
  if (j["reason"].get<std::string>().find("not finite") != std::string::npos)
    return "the error under- or overflowed the working precision before step T, so the run "
           "says nothing about the rate: rerun with more --digits (MPFR's exponents reach "
           "10^323228496) or fewer --steps";
  const bool claimed = j["spectral_radius"] != j["rho_computed"] || j["m"] != j["m_computed"];
  if (claimed)
    return "the error does not decay like c t^(m-1) rho^t for the rate and Jordan size tested: "
           "the claim (--rho, --jordan) is not the true rate of this run (computed: rho = " +
           j["rho_computed"].get<std::string>() + ", m = " + std::to_string(j["m_computed"].get<int>()) +
           "). A rate off by a relative delta makes the normalised error drift by a factor "
           "(1 + delta)^t, so the deviation can be astronomically large (1e+177 is ordinary)";
  return "the run does not follow the theory even for the computed rate: rounding may have "
         "swamped it (rerun with more --digits); if it persists, it is a bug worth reporting "
         "with this command line";
}

void print_verify_text(std::ostream& out, const Json& j) {
  out << "verify " << method_text(j) << "\n  on " << j["problem"]["description"].get<std::string>()
      << ", " << j["steps"].get<long long>() << " steps, " << j["scalar"].get<std::string>()
      << " at " << j["digits"].get<int>() << " digits\n\n";
  Fields f;
  const bool holds = j["holds"];
  f.add("verdict", holds ? "the theory holds" : "the theory does NOT hold: " + j["reason"].get<std::string>());
  f.add("rate tested", "rho = " + j["spectral_radius"].get<std::string>() + ", Jordan size m = " +
                           std::to_string(j["m"].get<int>()));
  f.add("rate computed", "rho = " + j["rho_computed"].get<std::string>() + ", m = " +
                             std::to_string(j["m_computed"].get<int>()) + " (" +
                             j["regime"].get<std::string>() + ")");
  f.add("predicted band", "c t^(m-1) rho^t with c in [" + j["band"]["c_lo"].get<std::string>() + ", " +
                              j["band"]["c_hi"].get<std::string>() + "]" +
                              (j["band_holds"].get<bool>() ? "  (holds)" : "  (violated)"));
  f.add("measured c", "[" + j["measured"]["min"].get<std::string>() + " at t = " +
                          std::to_string(j["measured"]["argmin_t"].get<long long>()) + ", " +
                          j["measured"]["max"].get<std::string>() + " at t = " +
                          std::to_string(j["measured"]["argmax_t"].get<long long>()) + "]");
  f.add("sharp check", "deviation " + j["sharp_deviation"].get<std::string>() + " at t = " +
                           std::to_string(j["sharp_worst_t"].get<long long>()) + " (<= 1 passes)" +
                           (j["sharp_holds"].get<bool>() ? "" : "  FAILED"));
  f.add("resolves", "a relative rate error of " + j["detectable_rate_error"].get<std::string>());
  if (!holds) f.add("what it means", verify_failure_meaning(j));
  f.print(out);
  out << '\n';
  Table t({"rate estimate", "value", "minus rho"});
  t.row({"(||e_T||/||e_0||)^(1/T)", j["estimates"]["root"], j["estimate_errors"]["root"]});
  t.row({"log-slope over the window", j["estimates"]["slope"], j["estimate_errors"]["slope"]});
  t.row({"Gelfand ||M^T||^(1/T)", j["estimates"]["gelfand"], j["estimate_errors"]["gelfand"]});
  t.print(out);
  if (j.contains("plot")) out << "\nplot written to " << j["plot"].get<std::string>() << '\n';
  if (j.contains("note")) out << "\nnote: " << j["note"].get<std::string>() << '\n';
}

std::string plot_title(const Json& j) {
  const std::string m = j["method"];
  std::string title = title_of(m);
  for (const auto& [k, v] : j["parameters"].items()) {
    if (v.is_boolean()) {
      if (v.get<bool>()) title += ", " + k;
      continue;
    }
    const std::string sym = k == "alpha" ? "\u03b1" : k == "beta" ? "\u03b2" : k == "eta" ? "\u03b7"
                            : k == "gamma" ? "\u03b3" : k == "nu" ? "\u03bd" : k;
    std::string val = v.get<std::string>();
    if (val.size() > 10) val = val.substr(0, 10) + "\u2026";
    title += ", " + sym + " = " + val;
  }
  std::string d = j["problem"]["description"];
  // "Q from /long/path/Q.mtx (3x3, ...)": the file's name is enough in a title.
  if (d.rfind("Q from ", 0) == 0) {
    const std::size_t end = d.find(" (");
    const std::string path = d.substr(7, end == std::string::npos ? std::string::npos : end - 7);
    d = "Q from " + path.substr(path.find_last_of('/') + 1);
  }
  if (d.size() > 48) d = d.substr(0, 48) + "\u2026";
  return title + ", on " + d;
}

}  // namespace momentum::cli
