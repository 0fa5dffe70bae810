// Property test of the tool's digit counts in double (issue 18): random rate, optimal, noise and
// simulate questions with decimal inputs as a user types them ("0.00582", "429", "4/121"), run
// through the tool in-process (momentum_cli_lib's Tool, stdout captured), in double (no
// --digits). Every value the tool prints with a reliable-digit count is compared with the exact
// answer of the inputs as typed, computed by the library at 60 digits from the same strings
// (mpfr through momentum::parse): the printed decimal must lie within one unit of its last
// claimed digit of it, where the claim is the larger of the reported count and the digits
// actually printed (the tool prints only digits it holds correct). Checked: rate's spectral
// radius and per-eigenvalue radii and step_lambda, the convergence interval's ends, kappa, the
// eigenvalues, the transient and x-error peaks (against the exact maximum over t - 1, t, t + 1
// at the reported t), --noise's variances, excess losses and their
// sum, optimal's kappa and five tunings (step, beta, rate), simulate's x, error_norm and excess_loss.
//
// MOMENTUM_DIGITS_TOOL=/path/to/momentum runs the same questions through that executable
// instead (one process per question), to measure another build: on the tool before issue 18,
//   MOMENTUM_DIGITS_TOOL=/tmp/old/momentum MOMENTUM_PROPERTY_CASES=100000
//     build/tests/property/test_property --source-file='*/test_property_digits.cpp'
// prints the overclaimed values and cases (see the README's Precision paragraph).
#include "property_support.hpp"
#include "../decimal_digits.hpp"

#include "run.hpp"

#include <momentum/noise.hpp>
#include <momentum/powers.hpp>
#include <momentum/regions.hpp>
#include <momentum/residual.hpp>
#include <momentum/simulate.hpp>
#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

using namespace momentum;
using property::Rng;

namespace {
namespace digits {  // one namespace per file: the property tests compile as one unit

using H = mpfr_float;
using Json = nlohmann::ordered_json;

constexpr std::uint64_t default_seed = 1818;

/// The tool's stdout for `args` (without the program name), in-process or through
/// MOMENTUM_DIGITS_TOOL; empty on a non-zero exit status.
std::string tool_output(const std::vector<std::string>& args, const std::string& output_file) {
  const char* exe = std::getenv("MOMENTUM_DIGITS_TOOL");
  std::string out;
  if (exe != nullptr && *exe != '\0') {
    std::string cmd = exe;
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>/dev/null";
    FILE* f = popen(cmd.c_str(), "r");
    if (f == nullptr) return "";
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    if (pclose(f) != 0) return "";
  } else {
    std::vector<const char*> argv = {"momentum"};
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream captured, err;
    std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
    int status;
    {
      cli::Tool tool;
      const std::optional<int> parsed = tool.parse(int(argv.size()), argv.data(), captured, err);
      status = parsed ? *parsed : tool.run(err);
    }
    std::cout.rdbuf(old);
    momentum::set_digits(60);  // the tool's double runs leave MPFR alone, but be sure
    if (status != 0) return "";
    out = captured.str();
  }
  if (!output_file.empty()) {
    std::ifstream in(output_file);
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
  }
  return out;
}

/// A decimal as typed: 1 to 6 significant digits times a power of ten in [lo, hi] decades,
/// written as "0.00582", "429" or "58.2" (sometimes as a rational "k/m").
std::string typed(Rng& r, double lo, double hi) {
  for (;;) {
    const double x = r.decade(lo, hi);
    const int digits = int(r.integer(1, 6));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    std::string s = buf;
    if (s.find('e') != std::string::npos) {
      // "%g" wrote an exponent: write it out as the decimal a user would type.
      std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1 - int(std::floor(std::log10(x)))), x);
      s = buf;
    }
    if (std::strtod(s.c_str(), nullptr) > 0) return s;
  }
}

/// beta in (0, 1) as typed: "0.9", "0.95", "0.987654", or 1 - 10^-k with a few digits.
std::string typed_beta(Rng& r) {
  char buf[64];
  if (r.chance(0.5)) {
    std::snprintf(buf, sizeof buf, "%.*f", int(r.integer(1, 6)), r.uniform(0.01, 0.99));
  } else {
    const int k = int(r.integer(1, 4));
    std::snprintf(buf, sizeof buf, "%.*f", k + int(r.integer(0, 3)), 1 - std::pow(10.0, -k) * r.uniform(0.2, 1));
  }
  std::string s = buf;
  if (!(std::strtod(s.c_str(), nullptr) > 0 && std::strtod(s.c_str(), nullptr) < 1)) return "0.5";
  return s;
}

/// Tallies values and cases whose claimed digits are not all correct.
struct Check {
  long long values = 0, wrong_values = 0, cases = 0, wrong_cases = 0;
  bool case_wrong = false;
  std::uint64_t seed = 0;
  long long index = 0;
  std::string question;
  void begin(long long i, const std::string& q) {
    index = i, question = q, case_wrong = false;
    ++cases;
  }
  void end() {
    if (case_wrong) ++wrong_cases;
  }
  /// `shown` claims max(reported, its printed digits) correct digits of `exact`.
  void value(const std::string& what, const std::string& shown, int reported, const H& exact) {
    using std::abs;
    ++values;
    const H p(shown);
    const int d = std::max(reported, momentum::test::significant_digits(shown));
    const H big = std::max(H(abs(p)), H(abs(exact)));
    bool ok;
    // The 60-digit reference carries its own rounding (parse<H>("0.2") is not 1/5): below
    // 1e-40 a difference is the reference's (0.2 * 5 = 1 exactly as typed, 1 + 5e-61 in it).
    if (big == 0 || abs(p - exact) <= H("1e-40")) {
      ok = true;
    } else {
      const int e = int(floor(log10(big)));
      ok = abs(p - exact) <= pow(H(10), e - d + 1);
    }
    if (!ok) {
      ++wrong_values;
      if (!case_wrong && wrong_cases < 12)
        MESSAGE(property::where(seed, index) << ": " << question << "\n  " << what << " = " << shown
                                             << " claims " << d << " digits; exact "
                                             << to_string(exact, 25));
      case_wrong = true;
    }
  }
};

template <class M>
M make_method(const std::string& step, const std::string& beta) {
  if constexpr (M::state_size == 1) return M(parse<H>(step));
  else return M(parse<H>(step), parse<H>(beta));
}

/// One rate (with --noise on every other case) question of method M.
template <class M>
void rate_case(Rng& r, Check& c, const char* name, long long index) {
  const std::string step = typed(r, -3, 0), beta = typed_beta(r);
  const std::string l1 = typed(r, -2, 0.5), l2 = typed(r, 0, 3);
  const bool noise = r.chance(0.5);
  const std::string sigma = typed(r, -3, 0);
  std::vector<std::string> args = {"rate", "--method", name, "--eta", step};
  if (M::state_size == 2) args.insert(args.end(), {"--beta", beta});
  args.insert(args.end(), {"--eigenvalues", l1 + "," + l2, "--json", "--quiet", "--tol", "0.5"});
  if (noise) args.insert(args.end(), {"--noise", sigma});
  std::string q;
  for (const auto& a : args) q += a + " ";
  c.begin(index, q);
  const std::string out = tool_output(args, "");
  if (out.empty()) {
    c.end();
    return;  // refused (a spectrum overflow): not a digit claim
  }
  const Json j = Json::parse(out);
  const M m = make_method<M>(step, beta);
  H lo = parse<H>(l1), hi = parse<H>(l2);
  if (hi < lo) std::swap(lo, hi);
  const WorstCase<H> wc = worst_case(m, lo, hi);
  c.value("spectral_radius", j["spectral_radius"], j["reliable_digits"], wc.rho);
  const H ends[2] = {lo, hi};
  for (std::size_t k = 0; k < j["per_eigenvalue"].size() && k < 2; ++k) {
    c.value("per_eigenvalue spectral_radius", j["per_eigenvalue"][k]["spectral_radius"],
            j["per_eigenvalue"][k]["reliable_digits"], spectrum(m, ends[k]).rho);
    // No count of its own: its printed digits are the claim.
    c.value("step_lambda", j["per_eigenvalue"][k]["step_lambda"], 0, parse<H>(step) * ends[k]);
  }
  // The convergence interval's ends, kappa and the typed eigenvalues: no count of their own.
  const Interval<H> iv = convergence_interval(m);
  const Json& ci = j["convergence_interval"];
  if (!iv.empty && !ci["empty"].get<bool>()) {
    c.value("convergence_interval lo", ci["lo"], 0, iv.lo);
    c.value("convergence_interval hi", ci["hi"], 0, iv.hi);
    c.value("convergence_interval lambda_lo", ci["lambda_lo"], 0, H(iv.lo / parse<H>(step)));
    c.value("convergence_interval lambda_hi", ci["lambda_hi"], 0, H(iv.hi / parse<H>(step)));
  }
  c.value("kappa", j["problem"]["kappa"], 0, H(hi / lo));
  c.value("lambda_min", j["problem"]["lambda_min"], 0, lo);
  c.value("lambda_max", j["problem"]["lambda_max"], 0, hi);
  // The peaks, cheaply: the exact maximum over both ends at the reported t and its neighbours
  // (a full exact scan at 60 digits would take seconds near rho = 1).
  auto near_max = [&](long long t, auto&& f) {
    H best = 0;
    for (long long u = std::max(0LL, t - 1); u <= t + 1; ++u)
      for (const H& l : {lo, hi}) best = std::max(best, H(f(l, u)));
    return best;
  };
  if (j["transient"].is_object()) {
    const long long t = j["transient"]["t"];
    c.value("transient peak", j["transient"]["peak"], 0,
            near_max(t, [&](const H& l, long long u) { return power_norm(m, l, u); }));
  }
  if (!j["x_error"]["peak"].is_null()) {
    const long long t = j["x_error"]["peak_t"];
    using std::abs;
    c.value("x_error peak", j["x_error"]["peak"], j["x_error"]["peak_reliable_digits"],
            near_max(t, [&](const H& l, long long u) { return H(abs(residual(m, l, u))); }));
  }
  if (noise && j["noise"]["stationary"].get<bool>()) {
    const H s = parse<H>(sigma);
    H total = 0;
    for (std::size_t k = 0; k < j["noise"]["per_eigenvalue"].size(); ++k) {
      const Json& e = j["noise"]["per_eigenvalue"][k];
      const H v = stationary_variance(m, ends[k], s);
      c.value("variance", e["variance"], e["reliable_digits"], v);
      c.value("excess_loss", e["excess_loss"], e["reliable_digits"], ends[k] * v / 2);
    }
    for (const H& l : {lo, hi}) total += l * stationary_variance(m, l, s) / 2;  // both, even if equal
    c.value("expected_excess_loss", j["noise"]["expected_excess_loss"], j["noise"]["reliable_digits"], total);
  }
  c.end();
}

template <class S> S step_of(const GradientDescent<S>& m) { return m.eta; }
template <class S> S step_of(const HeavyBall<S>& m) { return m.alpha; }
template <class S> S step_of(const Velocity<S>& m) { return m.eta; }
template <class S> S step_of(const Nesterov<S>& m) { return m.alpha; }
template <class S> S beta_of(const GradientDescent<S>&) { return S(0); }
template <class S> S beta_of(const HeavyBall<S>& m) { return m.beta; }
template <class S> S beta_of(const Velocity<S>& m) { return m.beta; }
template <class S> S beta_of(const Nesterov<S>& m) { return m.beta; }

/// The reported digit count `key` of `d`, 0 (the printed digits are the claim) if absent.
int count(const Json& d, const char* key) { return d.is_object() && d.contains(key) ? d[key].get<int>() : 0; }

/// One optimal --method all question.
void optimal_case(Rng& r, Check& c, long long index) {
  const std::string l1 = typed(r, -3, 0.5), l2 = typed(r, 0.5, 5);
  const std::vector<std::string> args = {"optimal", "--method", "all", "--eigenvalues", l1 + "," + l2,
                                         "--json", "--quiet"};
  c.begin(index, "optimal --method all --eigenvalues " + l1 + "," + l2);
  const std::string out = tool_output(args, "");
  if (out.empty()) {
    c.end();
    return;
  }
  const Json j = Json::parse(out);
  H mu = parse<H>(l1), L = parse<H>(l2);
  if (L < mu) std::swap(mu, L);
  std::size_t k = 0;
  auto check = [&](const auto& t) {
    const Json& tj = j["tunings"][k++];
    const Json d = tj.contains("reliable_digits") ? tj["reliable_digits"] : Json();
    const std::string method = tj["method"];
    for (const auto& [key, v] : tj["parameters"].items()) {
      const bool beta = key == "beta";
      const H exact = beta ? H(beta_of(t.method)) : H(step_of(t.method));
      c.value(method + " " + key, v, count(d, beta ? "beta" : "step"), exact);
    }
    c.value(method + " rate", tj["rate"], count(d, "rate"), t.rate);
  };
  c.value("kappa", j["kappa"], 0, H(L / mu));
  check(optimal_gd(mu, L));
  check(optimal_heavy_ball(mu, L));
  check(optimal_velocity(mu, L));
  check(optimal_nesterov(mu, L));
  check(standard_nesterov(mu, L));
  c.end();
}

/// One simulate question of method M: a few checkpoints of a short run.
template <class M>
void simulate_case(Rng& r, Check& c, const char* name, long long index, const std::string& file) {
  const std::string step = typed(r, -2, -0.3), beta = typed_beta(r);
  const std::string l1 = typed(r, -1, 0.3), l2 = typed(r, 0, 1);
  const std::string x1 = typed(r, -1, 1), x2 = typed(r, -1, 1);
  const long long steps = r.integer(2, 60);
  std::vector<std::string> args = {"simulate", "--method", name, "--eta", step};
  if (M::state_size == 2) args.insert(args.end(), {"--beta", beta});
  args.insert(args.end(), {"--eigenvalues", l1 + "," + l2, "--x0=" + x1 + ",-" + x2, "--steps",
                           std::to_string(steps), "--at", "1,2," + std::to_string(steps), "--json",
                           "--quiet", "--force", "--output", file});
  std::string q;
  for (const auto& a : args) q += a + " ";
  c.begin(index, q);
  std::remove(file.c_str());
  const std::string out = tool_output(args, file);
  if (out.empty()) {
    c.end();
    return;
  }
  const Json j = Json::parse(out);
  const int d = j["reliable_digits"];
  const M m = make_method<M>(step, beta);
  Vector<H> lambdas(2), x0(2);
  lambdas << parse<H>(l1), parse<H>(l2);
  x0 << parse<H>(x1), -parse<H>(x2);
  SimulateOptions so;
  so.record_x = true;
  for (const Json& cp : j["checkpoints"]) so.at.push_back(cp["t"].get<long long>());
  so.steps = so.at.back();
  const Trajectory<H> tr = simulate_eigen(m, lambdas, x0, Vector<H>(), so);
  for (std::size_t k = 0; k < tr.points.size(); ++k) {
    const Json& cp = j["checkpoints"][k];
    const auto& e = tr.points[k];
    c.value("x1 at t = " + std::to_string(e.t), cp["x"][0], d, e.x(0));
    c.value("x2 at t = " + std::to_string(e.t), cp["x"][1], d, e.x(1));
    c.value("error_norm at t = " + std::to_string(e.t), cp["error_norm"], d, e.error_norm);
    c.value("excess_loss at t = " + std::to_string(e.t), cp["excess_loss"], d, e.excess_loss);
  }
  c.end();
}

}  // namespace digits
}  // namespace

TEST_CASE("double runs claim only correct digits: rate, noise, optimal, simulate (issue 18)") {
  using namespace digits;
  momentum::set_digits(60);
  const std::uint64_t seed = property::seed(default_seed);
  // The tool runs in-process: a hundredth of the base cases (1000 per kind by default).
  const long long n = property::scaled_cases(100);
  const char* tool = std::getenv("MOMENTUM_DIGITS_TOOL");
  MESSAGE("MOMENTUM_PROPERTY_SEED=" << seed << ", " << n << " rate, " << n / 4 << " optimal and " << n / 2
                                    << " simulate questions"
                                    << std::string(tool && *tool ? ", through " + std::string(tool) : ""));
  const std::string file = "/tmp/momentum_property_digits_" + std::to_string(::getpid()) + ".json";
  Check rate, optimal, simulate;
  rate.seed = optimal.seed = simulate.seed = seed;
  for (long long i = 0; i < n; ++i) {
    Rng r(seed, 1, std::uint64_t(i));
    switch (i % 4) {
      case 0: rate_case<GradientDescent<H>>(r, rate, "gd", i); break;
      case 1: rate_case<HeavyBall<H>>(r, rate, "heavy-ball", i); break;
      case 2: rate_case<Velocity<H>>(r, rate, "velocity", i); break;
      default: rate_case<Nesterov<H>>(r, rate, "nesterov", i); break;
    }
  }
  for (long long i = 0; i < n / 4; ++i) {
    Rng r(seed, 2, std::uint64_t(i));
    optimal_case(r, optimal, i);
  }
  for (long long i = 0; i < n / 2; ++i) {
    Rng r(seed, 3, std::uint64_t(i));
    switch (i % 4) {
      case 0: simulate_case<GradientDescent<H>>(r, simulate, "gd", i, file); break;
      case 1: simulate_case<HeavyBall<H>>(r, simulate, "heavy-ball", i, file); break;
      case 2: simulate_case<Velocity<H>>(r, simulate, "velocity", i, file); break;
      default: simulate_case<Nesterov<H>>(r, simulate, "nesterov", i, file); break;
    }
  }
  std::remove(file.c_str());
  for (const auto& [label, c] : {std::pair<std::string, const Check&>{"rate (and noise)", rate},
                                 {"optimal", optimal},
                                 {"simulate", simulate}})
  {
    const std::string line = label + ": " + std::to_string(c.wrong_cases) + " of " +
                             std::to_string(c.cases) + " cases overclaim (" +
                             std::to_string(c.wrong_values) + " of " + std::to_string(c.values) +
                             " values)";
    MESSAGE(line);
  }
  CHECK(rate.values > 0);
  CHECK(optimal.values > 0);
  CHECK(simulate.values > 0);
  CHECK(rate.wrong_values == 0);
  CHECK(optimal.wrong_values == 0);
  CHECK(simulate.wrong_values == 0);
  momentum::set_digits(50);
}
