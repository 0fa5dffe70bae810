// End-to-end tests of the rows of docs/bad-input.md that test_cli_inputs.cpp does not already
// show: every class of bad (or merely extreme) input gets a clear message naming the argument
// and a non-zero exit status, or, when it is a valid question, an answer; and answers double
// cannot give to full precision print only their correct digits, with a note suggesting
// --digits (compared here digit by digit with 50-digit runs of the same command).
#include "../decimal_digits.hpp"
#include "cli_support.hpp"

#include <momentum/scalar.hpp>
#include <momentum/simulate.hpp>
#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <cmath>
#include <limits>

using namespace cli_test;
using momentum::mpfr_float;

namespace {

std::vector<std::string> with(std::vector<std::string> a, std::initializer_list<std::string> more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

/// Whether the d significant digits of `shown` (a double run's output) are correct digits of
/// `reference` (a 50-digit run's): |shown - reference| is below one unit in shown's last place
/// (d correct digits: an error under 10^-d relative; rounding may still flip the last one). A
/// value printed in full (16 or 17 digits: the shortest decimal that reads back as the computed
/// double) claims only the working precision, a few ulps: 16 epsilon relative.
bool agrees(const std::string& shown, const std::string& reference) {
  momentum::set_digits(60);
  const mpfr_float s(shown), r(reference);
  bool ok;
  if (r == 0) {
    ok = s == 0;
  } else {
    using std::abs;
    using std::floor;
    using std::log10;
    using std::pow;
    const int d = momentum::test::significant_digits(shown);
    const int e = static_cast<int>(floor(log10(abs(r))));
    mpfr_float tol = pow(mpfr_float(10), e - d + 1);
    if (d >= 16) tol = 16 * abs(r) * std::numeric_limits<double>::epsilon();
    ok = abs(s - r) < tol;
  }
  momentum::set_digits(50);
  return ok;
}

/// A two-by-two array Matrix Market file.
std::string array2(const std::string& a, const std::string& b, const std::string& c,
                   const std::string& d) {
  return "%%MatrixMarket matrix array real general\n2 2\n" + a + "\n" + b + "\n" + c + "\n" + d + "\n";
}

// The tuned heavy ball for [1, 1e10], [1, 1e16] and [1, 4e20], as exact rationals: alpha = 4/(sqrt L + 1)^2,
// beta = ((sqrt L - 1)/(sqrt L + 1))^2. Both extremes are double roots.
const std::vector<std::string> tuned10 = {"--method", "heavy-ball", "--alpha", "4/10000200001", "--beta",
                                          "9999800001/10000200001"};
const std::vector<std::string> tuned16 = {"--method", "heavy-ball", "--alpha", "4/10000000200000001",
                                          "--beta", "9999999800000001/10000000200000001"};
const std::vector<std::string> tuned20 = {"--method", "heavy-ball", "--alpha", "4/400000000040000000001",
                                          "--beta", "399999999960000000001/400000000040000000001"};
}  // namespace

TEST_SUITE("bad_input_numbers") {
  const std::vector<std::string> gd = {"rate", "--method", "gd", "--eigenvalues", "1,2"};

  TEST_CASE("numbers beyond double's range: refused with a hint, answered by --digits") {
    // "1e99999" overflows double: exit 2 naming --eta, and the hint to use MPFR.
    check_bad(with(gd, {"--eta=1e99999"}), {"--eta", "out of range (too large)", "--digits 20"});
    // Regression: "1e-400" was silently eta = 0 (then analysed as boundary); now refused.
    check_bad(with(gd, {"--eta=1e-400"}), {"--eta", "out of range (too small", "--digits 20"});
    // Regression: "--eigenvalues 1e-400" said "must be positive, got 0".
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,1e-400"},
              {"--eigenvalues (item 2)", "too small"});
    // 1e-320 would be a subnormal double with 10 significant bits.
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1e-320"},
              {"--eigenvalues", "too small"});
    // In MPFR the same texts are ordinary numbers: eta*lambda = 0.1 and 0.2.
    const Json j = run_ok({"rate", "--method", "gd", "--eta=1e-400", "--eigenvalues", "1e399,2e399", "--digits",
                           "20", "--json"})
                       .json();
    CHECK(j["parameters"]["eta"] == "1e-400");
    CHECK(j["regime"] == "monotone");
    CHECK(j["converges"] == true);
    CHECK(j["spectral_radius"] == "0.9");
    const Json big = run_ok(with(gd, {"--eta=1e99999", "--digits", "20", "--json"})).json();
    CHECK(big["regime"] == "divergent");
    CHECK(big["spectral_radius"].get<std::string>().find("e+99999") != std::string::npos);
  }

  TEST_CASE("NaN and infinity as Matrix Market values") {
    TempDir dir;
    for (const char* bad : {"nan", "inf", "-inf", "NaN", "Infinity"}) {
      INFO(bad);
      spit(dir / "q.mtx", array2("2", "0", "0", bad));
      check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / "q.mtx"},
                {"--matrix", "line 6", "expected a decimal number"});
    }
    spit(dir / "c.mtx", "%%MatrixMarket matrix array real general\n2 1\n1\nnan\n");
    check_bad({"simulate", "--method", "gd", "--eta", "0.1", "--matrix", data("spd3_array_general.mtx"),
               "--linear", dir / "c.mtx", "--steps", "1", "--x0", "0,0,0"},
              {"--linear", "line 4"});
  }

  TEST_CASE("empty values are refused, not read as absent") {
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", ""}, {"--eigenvalues", "empty"});
    check_bad({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "", "--eigenvalues", "1"},
              {"--beta", "empty"});
    check_bad({"landscape", "--method", "velocity", "--eigenvalues", "0.2,4", "--eta", "0.1:1", "--grid", "4",
               "--output", ""},
              {"--output", "empty"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", ""}, {"--matrix", "empty"});
  }
}

TEST_SUITE("bad_input_parameters") {
  TEST_CASE("step <= 0 is analysed (boundary or divergent), not refused") {
    const Json zero = run_ok({"rate", "--method", "gd", "--eta", "0", "--eigenvalues", "1,2", "--json"}).json();
    CHECK(zero["regime"] == "boundary");
    CHECK(zero["converges"] == false);
    CHECK(zero["spectral_radius"] == "1");
    const Json neg = run_ok({"rate", "--method", "gd", "--eta=-0.1", "--eigenvalues", "1,2", "--json"}).json();
    CHECK(neg["regime"] == "divergent");
    CHECK(neg["spectral_radius"] == "1.2");
    CHECK(neg["iterations"]["first"].is_null());
    const Json hb = run_ok({"rate", "--method", "heavy-ball", "--alpha=-0.1", "--beta", "0.5",
                            "--eigenvalues", "1,2", "--json"})
                        .json();
    CHECK(hb["regime"] == "divergent");
    CHECK(num(hb["spectral_radius"]) == doctest::Approx((1.7 + std::sqrt(0.89)) / 2).epsilon(1e-13));
  }

  TEST_CASE("beta outside (-1, 1): divergent for heavy ball, sometimes convergent for Nesterov") {
    for (const char* b : {"1", "-1", "1.5", "-1.5", "5", "-5"}) {
      INFO("beta = " << b);
      for (const char* m : {"heavy-ball", "velocity"}) {
        const Json j = run_ok({"rate", "--method", m, "--alpha", "0.1", std::string("--beta=") + b,
                               "--eigenvalues", "1,2", "--json"})
                           .json();
        CHECK(j["converges"] == false);
        CHECK(j["convergence_interval"]["empty"] == true);
        CHECK(j["regime"] == (std::string(b) == "1" ? "boundary" : "divergent"));
      }
    }
    // Nesterov with beta = 1 converges where 0 < q < 1: rho = sqrt(beta q) = sqrt(0.9) at lambda 1.
    const Json n1 = run_ok({"rate", "--method", "nesterov", "--alpha", "0.1", "--beta", "1", "--eigenvalues",
                            "1,2", "--json"})
                        .json();
    CHECK(n1["converges"] == true);
    CHECK(num(n1["spectral_radius"]) == std::sqrt(0.9));
    CHECK(num(n1["convergence_interval"]["hi"]) == doctest::Approx(4.0 / 3));
    // beta = 1.5: converges exactly for alpha*lambda in (1/3, 5/4).
    const Json n15 = run_ok({"rate", "--method", "nesterov", "--alpha", "0.5", "--beta", "1.5", "--eigenvalues",
                             "1,2", "--json"})
                         .json();
    CHECK(num(n15["convergence_interval"]["lo"]) == doctest::Approx(1.0 / 3));
    CHECK(num(n15["convergence_interval"]["hi"]) == doctest::Approx(1.25));
    CHECK(n15["converges"] == true);  // alpha*lambda = 0.5 and 1, both inside
    const Json n15out = run_ok({"rate", "--method", "nesterov", "--alpha", "0.1", "--beta", "1.5",
                                "--eigenvalues", "1,2", "--json"})
                            .json();
    CHECK(n15out["converges"] == false);  // alpha*lambda = 0.1 and 0.2, below 1/3
    CHECK(n15out["regime"] == "divergent");
  }

  TEST_CASE("alpha*lambda beyond double's range: exit 3 with the --digits hint, answered in MPFR") {
    // Regressions: rho 0 and "converges yes" for alpha*lambda = inf; rho = 5e199 (a factor 2
    // off) for alpha*lambda = 1e200; landscape points 5e289 instead of 1e290.
    for (const auto& a : std::vector<std::vector<std::string>>{
             {"rate", "--method", "heavy-ball", "--alpha", "1e300", "--beta", "0.5", "--eigenvalues", "1e300"},
             {"rate", "--method", "heavy-ball", "--alpha", "1e100", "--beta", "0.5", "--eigenvalues", "1e100"},
             {"rate", "--method", "gd", "--eta", "1e300", "--eigenvalues", "1e300"},
             {"optimal", "--method", "all", "--eigenvalues", "1e-300,1e300"},
             {"landscape", "--method", "heavy-ball", "--eigenvalues", "1,1e300", "--alpha", "1e-10:1e10",
              "--grid", "3", "--beta", "0:0.5"}}) {
      const Result r = run(a);
      INFO(show(a, r));
      if (a[0] == "optimal") {  // the tunings are finite: an answer (below)
        CHECK(r.status == 0);
        continue;
      }
      CHECK(r.status == 3);
      CHECK(r.err.find("overflows") != std::string::npos);
      CHECK(r.err.find("--digits 20") != std::string::npos);
      CHECK(r.out.find("converges") == std::string::npos);
    }
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "1e100", "--beta", "0.5", "--eigenvalues",
                           "1e100", "--digits", "20", "--json"})
                       .json();
    CHECK(j["regime"] == "divergent");
    CHECK(agrees(j["spectral_radius"], "1e200"));
  }
}

TEST_SUITE("bad_input_spectra") {
  TEST_CASE("eigenvalues 1e-300 and 1e300: kappa = 1e600 is printed, not inf") {
    const Json r = run_ok({"rate", "--method", "gd", "--eta", "1e-300", "--eigenvalues", "1e-300,1e300", "--json"})
                       .json();
    CHECK(r["problem"]["kappa"] == "1e+600");
    const Json o = run_ok({"optimal", "--method", "all", "--eigenvalues", "1e-300,1e300", "--json"}).json();
    CHECK(o["kappa"] == "1e+600");
    REQUIRE(o["tunings"].size() == 7);
    for (const auto& t : o["tunings"]) {
      INFO(t.dump());
      // The two-state family's rows (triple and robust momentum): computed, or an error row
      // that says to rerun in MPFR, never a non-finite number.
      if (t["method"] == "general" && t.contains("error")) {
        CHECK(t["error"].get<std::string>().find("--digits") != std::string::npos);
        continue;
      }
      for (const auto& [k, v] : t["parameters"].items()) CHECK(std::isfinite(num(v)));
      // Regression: "nesterov: beta must be finite, got -nan"; iterations/digit "inf".
      CHECK_FALSE(t["iterations_per_digit"].is_null());
      // A number where it fits a double (1e+150 for the momentum methods), else its decimal.
      CHECK((t["iterations_per_digit"].is_string() ? num(t["iterations_per_digit"])
                                                   : t["iterations_per_digit"].get<double>()) > 1e100);
    }
    CHECK(o["tunings"][0]["iterations_per_digit"] == "1.151e+600");  // ln(10)/(2e-600): beyond a double
  }

  TEST_CASE("kappa = 1: every tuning has rate 0") {
    const Json o = run_ok({"optimal", "--method", "all", "--mu", "3", "--L", "3", "--json"}).json();
    CHECK(o["kappa"] == "1");
    for (const auto& t : o["tunings"]) {
      INFO(t.dump());
      CHECK(std::abs(num(t["rate"])) <= 1e-15);
      CHECK(t["iterations_per_digit"] == 0);  // a number, like every count
    }
    CHECK(num(o["tunings"][0]["parameters"]["eta"]) == 1.0 / 3);
  }

  TEST_CASE("kappa = 1e16: gradient descent's rate is below 1 and its iteration count finite") {
    // Regression: rate "1" and iterations/digit "inf" ((L - mu)/(L + mu) rounds to 1).
    const Json o = run_ok({"optimal", "--method", "gd", "--mu", "1", "--L", "1e16", "--json"}).json();
    CHECK(o["rate"] == "0.9999999999999998");
    CHECK(o["tunings"][0]["iterations_per_digit"] == 1.151e16);
    const Json o50 = run_ok({"optimal", "--method", "gd", "--mu", "1", "--L", "1e16", "--digits", "50", "--json"})
                         .json();
    CHECK(agrees(o["rate"], o50["rate"]));
    CHECK(o50["tunings"][0]["iterations_per_digit"] == 1.151e16);
  }
}

TEST_SUITE("bad_input_matrices") {
  TEST_CASE("singular (semidefinite) and non-square Q") {
    TempDir dir;
    spit(dir / "singular.mtx", array2("1", "1", "1", "1"));
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / "singular.mtx"},
              {"--matrix", "semidefinite", "no unique minimizer"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / "singular.mtx", "--digits", "30"},
              {"--matrix", "semidefinite"});
    spit(dir / "wide.mtx", "%%MatrixMarket matrix array real general\n2 3\n1\n0\n0\n1\n0\n0\n");
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / "wide.mtx"}, {"--matrix", "square", "2x3"});
  }
}

TEST_SUITE("bad_input_resources") {
  TEST_CASE("a verify run that would not fit in memory is refused up front with the estimate") {
    // Regression: verify keeps every step's norms; --steps 1000000000 allocated until the
    // machine ran out of memory (bad_alloc, exit 3, or the OOM killer).
    const std::vector<std::string> a = {"verify", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,2",
                                        "--steps", "1000000000", "--quiet"};
    check_bad(a, {"--steps", "memory", "GiB", "per step"});
    CHECK(run(a).peak_kib < 200 * 1024);
    check_bad(with(a, {"--digits", "40"}), {"--steps", "memory"});
    // A long run that fits is not refused.
    run_ok({"verify", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,2", "--steps", "100000", "--quiet",
            "--digits", "17"});
  }
}

TEST_SUITE("bad_input_outputs") {
  TEST_CASE("an output path that is a folder, or in a folder nobody may write") {
    const std::vector<std::string> land = {"landscape", "--method", "velocity", "--eigenvalues", "0.2,4",
                                           "--eta", "0.1:1", "--grid", "4"};
    TempDir dir;
    check_bad(with(land, {"--output", dir.path}), {"--output", "is a directory"});
    check_bad(with(land, {"--output", dir.path, "--force"}), {"--output", "is a directory"});
    if (geteuid() != 0) {
      const std::string ro = dir / "ro";
      REQUIRE(mkdir(ro.c_str(), 0555) == 0);
      check_bad(with(land, {"--output", ro + "/l.csv"}), {"--output", "not writable"});
    } else if (exists("/sys/kernel")) {
      // root may write anywhere but in sysfs, which allows no new files.
      check_bad(with(land, {"--output", "/sys/momentum-cli-test.csv"}), {"--output", "/sys"});
      CHECK_FALSE(exists("/sys/momentum-cli-test.csv"));
    }
  }

  TEST_CASE("a full disk is an I/O failure (exit 3), for a file and for standard output") {
    if (!exists("/dev/full")) return;
    const Result f = run({"landscape", "--method", "velocity", "--eigenvalues", "0.2,4", "--eta", "0.1:1",
                          "--grid", "4", "--output", "/dev/full", "--force"});
    CHECK(f.status == 3);
    CHECK(f.err.find("--output") != std::string::npos);
    CHECK(f.err.find("No space left") != std::string::npos);
    // Regression: exit 0 when standard output could not be written.
    const Result s = run({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,2"}, "", nullptr,
                         "/dev/full");
    CHECK(s.status == 3);
    CHECK(s.err.find("standard output") != std::string::npos);
  }
}

TEST_SUITE("honesty") {
  TEST_CASE("rate at a double root with kappa = 1e10: the double digits are the 50-digit ones") {
    const Json d = run_ok(cat({"rate"}, tuned10, {"--eigenvalues", "1,1e10", "--json", "--quiet"})).json();
    const Json m = run_ok(cat({"rate"}, tuned10, {"--eigenvalues", "1,1e10", "--json", "--quiet", "--digits", "50"}))
                       .json();
    CHECK(d["regime"] == "critical");
    CHECK(d["reliable_digits"].get<int>() < 17);
    CHECK(momentum::test::significant_digits(d["spectral_radius"]) <= d["reliable_digits"].get<int>());
    CHECK(agrees(d["spectral_radius"], m["spectral_radius"]));
    for (std::size_t k = 0; k < 2; ++k)
      CHECK(agrees(d["per_eigenvalue"][k]["spectral_radius"], m["per_eigenvalue"][k]["spectral_radius"]));
    CHECK(d["note"].get<std::string>().find("double root") != std::string::npos);
    CHECK(d["note"].get<std::string>().find("--digits") != std::string::npos);
    CHECK(d["converges_decided"] == true);
    CHECK_FALSE(m.contains("note"));
    CHECK(m["reliable_digits"] == 50);
    // Why only those digits: double holds the inputs to an ulp, and the exact rate of the
    // doubles nearest alpha and beta (at 50 digits) differs from the exact rate of the
    // rationals from the 8th digit on. Double cannot tell the two questions apart.
    momentum::set_digits(60);
    const mpfr_float rounded =
        momentum::worst_case(momentum::HeavyBall<mpfr_float>(
                                 mpfr_float(momentum::parse<double>("4/10000200001")),
                                 mpfr_float(momentum::parse<double>("9999800001/10000200001"))),
                             mpfr_float(1), mpfr_float("1e10"))
            .rho;
    const mpfr_float exact(m["spectral_radius"].get<std::string>());
    CHECK(abs(rounded - exact) > mpfr_float("1e-12"));
    momentum::set_digits(50);
    CHECK_FALSE(agrees(momentum::to_string(rounded, 17), m["spectral_radius"]));
  }

  TEST_CASE("rate at kappa = 4e20: double cannot decide convergence, and says so") {
    // At kappa = 1e16 (rho = 1 - 2e-8) the long double twin of the double run (issue 18)
    // decides it; at 4e20 (rho = 1 - 1e-10, a double root) not even the twin can.
    const Json d16 = run_ok(cat({"rate"}, tuned16, {"--mu", "1", "--L", "1e16", "--json", "--quiet"})).json();
    const Json m16 =
        run_ok(cat({"rate"}, tuned16, {"--mu", "1", "--L", "1e16", "--json", "--quiet", "--digits", "40"})).json();
    CHECK(d16["converges_decided"] == true);
    CHECK(d16["converges"] == true);
    CHECK(agrees(d16["spectral_radius"], m16["spectral_radius"]));
    const Json d = run_ok(cat({"rate"}, tuned20, {"--mu", "1", "--L", "4e20", "--json", "--quiet"})).json();
    CHECK(d["converges_decided"] == false);
    CHECK(d["note"].get<std::string>().find("cannot tell whether the method converges") != std::string::npos);
    CHECK(d["note"].get<std::string>().find("--digits") != std::string::npos);
    const Result text = run_ok(cat({"rate"}, tuned20, {"--mu", "1", "--L", "4e20", "--quiet"}));
    CHECK(text.out.find("not decided") != std::string::npos);
    const Json m = run_ok(cat({"rate"}, tuned20, {"--mu", "1", "--L", "4e20", "--json", "--quiet", "--digits", "40"}))
                       .json();
    CHECK(m["converges_decided"] == true);
    CHECK(m["converges"] == true);
    CHECK_FALSE(m.contains("note"));
    CHECK(agrees(d["spectral_radius"], m["spectral_radius"]));
  }

  TEST_CASE("no note where double is exact enough") {
    for (const auto& a : std::vector<std::vector<std::string>>{
             {"rate", "--method", "velocity", "--eta", "0.6", "--beta", "0.5", "--eigenvalues", "0.2,4", "--json"},
             {"optimal", "--method", "all", "--eigenvalues", "0.2,4", "--json"},
             {"optimal", "--method", "all", "--matrix", data("spd3_array_general.mtx"), "--json"},
             {"verify", "--method", "velocity", "--eta", "0.6", "--beta", "0.5", "--eigenvalues", "0.2,4",
              "--steps", "300", "--digits", "15", "--json"},
             {"landscape", "--method", "heavy-ball", "--eigenvalues", "1,2", "--alpha", "0.125:0.5", "--beta",
              "0.5:0.875", "--grid", "4", "--output", "/dev/null", "--force", "--json"}}) {
      const Json j = run_ok(a).json();
      INFO(j.dump());
      CHECK_FALSE(j.contains("note"));
    }
    // Inputs exact in binary: the iterates are rounded only by the arithmetic (their dyadic
    // numerators outgrow 53 bits), which leaves the digits a double holds.
    const Json s = run_ok({"simulate", "--method", "heavy-ball", "--alpha", "0.5", "--beta", "0.25",
                           "--eigenvalues", "1,2", "--x0", "1,-3", "--steps", "30", "--json"})
                       .json();
    CHECK_FALSE(s.contains("note"));
    CHECK(s["reliable_digits"].get<int>() >= 15);
    // d2l's run loses a few digits where x crosses zero (cancellation), and says so.
    const Json d2l = run_ok({"simulate", "--method", "velocity", "--eta", "0.6", "--beta", "0.5", "--eigenvalues",
                             "0.2,4", "--x0=-5,-2", "--steps", "20", "--json"})
                         .json();
    CHECK(d2l["reliable_digits"].get<int>() >= 12);
  }

  TEST_CASE("eigenvalues from a matrix with kappa = 1e10: rate and optimal print only their correct digits") {
    // Q = O' diag(1, 1e10) O with O the 45-degree rotation, exact in double; the eigen-solver's
    // absolute error ~ eps ||Q|| = 2e-6 leaves lambda_min = 1 about 6 digits.
    TempDir dir;
    spit(dir / "k10.mtx", array2("5000000000.5", "4999999999.5", "4999999999.5", "5000000000.5"));
    const Json od = run_ok({"optimal", "--method", "all", "--matrix", dir / "k10.mtx", "--json"}).json();
    const Json om = run_ok({"optimal", "--method", "all", "--matrix", dir / "k10.mtx", "--json", "--digits", "50"})
                        .json();
    CHECK(od.contains("note"));
    CHECK(od["note"].get<std::string>().find("computed from Q") != std::string::npos);
    CHECK_FALSE(om.contains("note"));
    CHECK(momentum::test::significant_digits(od["mu"]) < 10);
    CHECK(agrees(od["mu"], "1"));
    CHECK(agrees(od["kappa"], "1e10"));
    for (std::size_t k = 0; k < 5; ++k) {
      INFO(od["tunings"][k].dump());
      CHECK(agrees(od["tunings"][k]["rate"], om["tunings"][k]["rate"]));
      for (const auto& [key, v] : od["tunings"][k]["parameters"].items())
        CHECK(agrees(v, om["tunings"][k]["parameters"][key]));
    }
    CHECK(momentum::test::significant_digits(od["tunings"][1]["rate"]) < 16);
    const Json rd = run_ok({"rate", "--method", "heavy-ball", "--alpha", "4e-10", "--beta", "0.99996", "--matrix",
                            dir / "k10.mtx", "--json"})
                        .json();
    CHECK(agrees(rd["problem"]["lambda_min"], "1"));
    CHECK(momentum::test::significant_digits(rd["problem"]["lambda_min"]) < 10);
  }

  TEST_CASE("verify at a double root: double prints the reliable digits of rho, MPFR all") {
    const std::vector<std::string> a =
        cat({"verify"}, tuned10, {"--eigenvalues", "1,1e10", "--steps", "300", "--json", "--quiet"});
    const Json d = run_ok(with(a, {"--digits", "17"})).json();
    const Json m = run_ok(with(a, {"--digits", "50"})).json();
    CHECK(d["reliable_digits"].get<int>() < 17);
    CHECK(momentum::test::significant_digits(d["rho_computed"]) <= d["reliable_digits"].get<int>());
    CHECK(agrees(d["rho_computed"], m["rho_computed"]));
    CHECK(d.contains("note"));
    CHECK(m["reliable_digits"] == 50);
    CHECK_FALSE(m.contains("note"));
    CHECK(m["rho_computed"] == "0.99998000019999800001999980000199998000019999800002");  // 99999/100001
  }

  TEST_CASE("landscape near double roots: the CSV's short rates agree with 50 digits") {
    // Heavy ball on [1, 100] with the optimal beta 81/121 on the grid and alpha through 4/121:
    // the column beta = 81/121 passes the double roots at both ends.
    TempDir dir;
    const std::vector<std::string> a = {"landscape", "--method", "heavy-ball", "--mu", "1", "--L", "100",
                                        "--alpha", "3/121:5/121", "--beta", "79/121:83/121", "--grid", "5",
                                        "--force", "--json"};
    const Json jd = run_ok(with(a, {"--output", dir / "d.csv"})).json();
    const Json jm = run_ok(with(a, {"--output", dir / "m.csv", "--digits", "50"})).json();
    const auto d = csv(slurp(dir / "d.csv")), m = csv(slurp(dir / "m.csv"));
    REQUIRE(d.size() == 26);
    REQUIRE(m.size() == 26);
    // The double grid's points are the doubles nearest alpha and beta, printed (and measured
    // against the long double twin, issue 18) as their shortest decimals: off the double
    // roots by about 1e-17, where the rate is still within its digits of the 50-digit one.
    for (std::size_t k = 1; k < d.size(); ++k) {
      INFO(d[k][0] << "," << d[k][1] << ": " << d[k][2] << " vs " << m[k][2]);
      CHECK(agrees(d[k][2], m[k][2]));
    }
    CHECK(jd["reliable_digits"]["fewest"].get<int>() < 17);
    CHECK(jm["reliable_digits"]["points_with_fewer"] == 0);
    // alpha = 4/121, beta = 79/121 is exactly on the boundary at L = 100 (400/121 = 2 (1 + 79/121)):
    // rho computed as 1 with a non-zero error bound cannot tell 1 from 1 - 1e-60 (issue 18).
    CHECK(jm["reliable_digits"]["points_undecided"] == 1);
    CHECK(jm["note"].get<std::string>().rfind("At 1 of the 25 grid points rho", 0) == 0);
    CHECK(agrees(jd["optimal"]["spectral_radius"], jm["optimal"]["spectral_radius"]));
  }

  TEST_CASE("simulate near a double root over 10^5 steps: the double digits are the 50-digit ones") {
    const std::vector<std::string> a = cat({"simulate"}, tuned10, {"--eigenvalues", "1,1e10", "--x0", "1,1",
                                                                    "--steps", "100000", "--at", "1000,100000",
                                                                    "--json", "--quiet"});
    const Json d = run_ok(a).json();
    const Json m = run_ok(with(a, {"--digits", "50"})).json();
    CHECK(d["reliable_digits"].get<int>() < 12);
    CHECK(d["note"].get<std::string>().find("--digits") != std::string::npos);
    CHECK_FALSE(m.contains("note"));
    for (std::size_t k = 0; k < 2; ++k) {
      const Json& cd = d["checkpoints"][k];
      const Json& cm = m["checkpoints"][k];
      INFO(cd.dump() << "\n" << cm.dump());
      CHECK(agrees(cd["error_norm"], cm["error_norm"]));
      CHECK(agrees(cd["x"][0], cm["x"][0]));
      CHECK(agrees(cd["x"][1], cm["x"][1]));
    }
    // The double run's own x2 at t = 10^5, in full, is wrong from the 7th digit on.
    CHECK(momentum::test::significant_digits(d["checkpoints"][1]["x"][1]) < 10);
    momentum::SimulateOptions so;
    so.steps = 100000;
    Eigen::Vector2d lambdas(1, 1e10), x0(1, 1);
    const auto tr = momentum::simulate_eigen(
        momentum::HeavyBall<double>(momentum::parse<double>("4/10000200001"),
                                    momentum::parse<double>("9999800001/10000200001")),
        momentum::Vector<double>(lambdas), momentum::Vector<double>(x0), momentum::Vector<double>(), so);
    CHECK_FALSE(agrees(momentum::to_string(tr.final_error(1), 17), m["checkpoints"][1]["x"][1]));
  }
}
