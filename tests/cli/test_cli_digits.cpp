// End-to-end tests of issue 18 (digits claimed that are not correct, in double): each example of
// the issue, whose double output claimed 16 or 17 digits while being 1 to 3 ulps off the exact
// answer of the inputs as typed, now prints only digits that agree with that answer (computed
// here by the library at 60 digits from the same strings), and says how many; landscape --json
// alone reports its reliable digits; optimal's iterations_per_digit is a JSON number.
#include "cli_support.hpp"
#include "../decimal_digits.hpp"

#include <momentum/scalar.hpp>
#include <momentum/worst_case.hpp>

#include <string>
#include <vector>

using namespace cli_test;
using momentum::mpfr_float;

namespace {

/// Whether `shown`, claiming max(claimed, its shown digits) significant digits, is within one
/// unit of its last claimed digit of `exact` (a decimal string, read at 60 digits).
bool right_to(const std::string& shown, int claimed, const std::string& exact) {
  momentum::set_digits(60);
  const mpfr_float s(shown), r(exact);
  const int d = std::max(claimed, momentum::test::significant_digits(shown));
  const mpfr_float big = std::max(mpfr_float(abs(s)), mpfr_float(abs(r)));
  // An exact 0 (a convergence interval's low end) has no digit to be off by: it must be 0.
  const bool ok = big == 0 ? true
                           : abs(s - r) <= pow(mpfr_float(10), static_cast<int>(floor(log10(big))) - d + 1);
  momentum::set_digits(50);
  return ok;
}

}  // namespace

TEST_SUITE("digits") {
  TEST_CASE("gd at eta = 0.00582 on 126, 429: the rate 1.49678 exactly, not 1.4967799999999998 with 17 digits") {
    const Json j = run_ok({"rate", "--method", "gd", "--eta", "0.00582", "--eigenvalues", "126,429", "--json"}).json();
    INFO(j.dump());
    const int d = j["reliable_digits"];
    CHECK(d <= 16);
    CHECK(d >= 14);
    CHECK(j["spectral_radius"] == "1.49678");
    CHECK(right_to(j["spectral_radius"], d, "1.49678"));
    CHECK(right_to(j["per_eigenvalue"][1]["spectral_radius"], j["per_eigenvalue"][1]["reliable_digits"], "1.49678"));
    CHECK(right_to(j["per_eigenvalue"][0]["spectral_radius"], j["per_eigenvalue"][0]["reliable_digits"], "0.26668"));
    CHECK_FALSE(j.contains("note"));  // 16 digits: all a double holds, no note
  }

  TEST_CASE("velocity on [0.0105, 50.0005]: 0.99904681514602859815... is printed to its correct digits") {
    const std::vector<std::string> q = {"rate", "--method", "velocity", "--eta", "0.009", "--beta", "0.9",
                                        "--mu", "0.0105", "--L", "50.0005", "--json"};
    const Json j = run_ok(q).json();
    INFO(j.dump());
    const Json m = run_ok(cat(q, {"--digits", "40"})).json();
    CHECK(m["spectral_radius"].get<std::string>().rfind("0.9990468151460285981", 0) == 0);
    CHECK(j["reliable_digits"].get<int>() < 17);
    CHECK(right_to(j["spectral_radius"], j["reliable_digits"], m["spectral_radius"]));
    CHECK(j["spectral_radius"] != "0.9990468151460284");  // 2 units off in its 16th digit
    for (std::size_t k = 0; k < 2; ++k)
      CHECK(right_to(j["per_eigenvalue"][k]["spectral_radius"], j["per_eigenvalue"][k]["reliable_digits"],
                     m["per_eigenvalue"][k]["spectral_radius"]));
  }

  TEST_CASE("d2l's simulate: x2 = -1.52 and excess loss 5.8967184 at t = 2, and the note says so") {
    const std::vector<std::string> q = {"simulate", "--method", "velocity", "--eta", "0.6", "--beta", "0.5",
                                        "--eigenvalues", "0.2,4", "--x0=-5,-2", "--steps", "3"};
    const Result csv_run = run_ok(q);
    const auto rows = csv(csv_run.out);
    REQUIRE(rows.size() == 5);
    CHECK(rows[3][0] == "2");
    CHECK(rows[3][2] == "-1.52");
    CHECK(rows[3][4] == "5.8967184");
    const Json j = run_ok(cat(q, {"--json"})).json();
    const Json m = run_ok(cat(q, {"--json", "--digits", "40"})).json();
    INFO(j.dump());
    const int d = j["reliable_digits"];
    CHECK(d < 17);
    for (std::size_t k = 0; k < 4; ++k) {
      const Json& c = j["checkpoints"][k];
      const Json& e = m["checkpoints"][k];
      INFO("t = " << c["t"]);
      CHECK(right_to(c["error_norm"], d, e["error_norm"]));
      CHECK(right_to(c["excess_loss"], d, e["excess_loss"]));
      CHECK(right_to(c["x"][0], d, e["x"][0]));
      CHECK(right_to(c["x"][1], d, e["x"][1]));
    }
    // The note names the first value that is short of the 15 digits a double holds, not t = 3
    // when t = 2 already is (or names none).
    if (j.contains("note")) {
      const std::string note = j["note"];
      CHECK(note.find("the first at t = 3") == std::string::npos);
    }
  }

  TEST_CASE("landscape --json alone reports its reliable digits; exact inputs keep all of them") {
    const Json j = run_ok({"landscape", "--method", "heavy-ball", "--eigenvalues", "0.2,4", "--alpha", "0.1:0.5",
                           "--beta", "0.1:0.9", "--grid", "9", "--json"})
                       .json();
    INFO(j.dump());
    REQUIRE(j.contains("reliable_digits"));
    CHECK(j["reliable_digits"]["fewest"].is_number_integer());
    CHECK(j["reliable_digits"]["fewest"].get<int>() < 17);  // 0.2 is not a double
    CHECK(j["reliable_digits"]["points_with_fewer"].is_number_integer());
    CHECK(j["reliable_digits"]["points_undecided"] == 0);
    // Binary inputs and grid: every rate is exact or a correctly rounded square root.
    const Json b = run_ok({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,2", "--alpha", "0.125:0.5",
                           "--beta", "0.5:0.875", "--grid", "4", "--json"})
                       .json();
    CHECK(b["reliable_digits"]["fewest"].get<int>() >= 15);
    CHECK(b["reliable_digits"]["points_with_fewer"] == 0);
  }

  TEST_CASE("optimal's iterations_per_digit is a JSON number, like every count") {
    const Json j = run_ok({"optimal", "--method", "all", "--eigenvalues", "0.2,4", "--json"}).json();
    for (const Json& t : j["tunings"]) {
      INFO(t.dump());
      CHECK(t["iterations_per_digit"].is_number());
      CHECK(t["iterations_per_digit"].get<double>() > 0);
      CHECK(t["reliable_digits"]["rate"].is_number_integer());
    }
    // kappa = 1: the rates are 0, no iterations at all.
    const Json one = run_ok({"optimal", "--method", "heavy-ball", "--mu", "3", "--L", "3", "--json"}).json();
    CHECK(one["tunings"][0]["iterations_per_digit"] == 0);
  }

  TEST_CASE("an exact answer keeps all its digits: gd at eta = 0.25 on lambda = 1 is 0.75") {
    const Json j = run_ok({"rate", "--method", "gd", "--eta", "0.25", "--eigenvalues", "1,2", "--json"}).json();
    CHECK(j["spectral_radius"] == "0.75");
    CHECK(j["reliable_digits"] == 17);
  }

  TEST_CASE("the convergence interval's ends: gd eta 0.6 reaches lambda < 10/3, printed 3.333333333333333, not 3.3333333333333335") {
    const std::string text = run_ok({"rate", "--method", "gd", "--eta", "0.6", "--eigenvalues", "0.2,4"}).out;
    CHECK(text.find("lambda in (0, 3.333333333333333)") != std::string::npos);
    // Each end of each interval within one unit of its last digit of the 40-digit answer (the
    // tool before printed 20.254777070063692 for 20.2547770700636942..., 30.913851351351347 for
    // 30.9138513513513513...).
    const std::vector<std::vector<std::string>> qs = {
        {"rate", "--method", "gd", "--eta", "0.6", "--eigenvalues", "0.2,4"},
        {"rate", "--method", "heavy-ball", "--alpha", "0.157", "--beta", "0.59", "--eigenvalues", "0.266,8.35"},
        {"rate", "--method", "velocity", "--eta", "0.1184", "--beta", "0.8301", "--eigenvalues", "0.888,4.925"},
        {"rate", "--method", "nesterov", "--alpha", "0.3", "--beta", "0.7", "--eigenvalues", "0.3,3.1"}};
    for (const auto& q : qs) {
      const Json j = run_ok(cat(q, {"--json"})).json();
      const Json m = run_ok(cat(q, {"--json", "--digits", "40"})).json();
      INFO(j["convergence_interval"].dump());
      for (const char* key : {"lo", "hi", "lambda_lo", "lambda_hi"}) {
        INFO(key);
        CHECK(right_to(j["convergence_interval"][key], 0, m["convergence_interval"][key]));
      }
    }
  }

  TEST_CASE("kappa of typed mu and L: 10/3 is 3.333333333333333, in rate's JSON and optimal's header") {
    const Json j = run_ok({"rate", "--method", "gd", "--eta", "0.1", "--mu", "3", "--L", "10", "--json"}).json();
    CHECK(right_to(j["problem"]["kappa"], 0, "3.33333333333333333333333333333333333"));
    const std::string text = run_ok({"optimal", "--method", "gd", "--mu", "3", "--L", "10"}).out;
    CHECK(text.find("kappa = L/mu = 3.333333333333333\n") != std::string::npos);
    // Typed decimals print as typed; a computed one with its correct digits.
    const Json k = run_ok({"optimal", "--method", "gd", "--mu", "0.1", "--L", "1/3", "--json"}).json();
    CHECK(k["mu"] == "0.1");
    CHECK(right_to(k["L"], 0, "0.333333333333333333333333333333333333"));
    CHECK(right_to(k["kappa"], 0, "3.33333333333333333333333333333333333"));
  }

  TEST_CASE("the transient and x-error peaks carry the inputs' rounding: d2l's ||M||_2 = 4.2762516979574217..., not 4.276251697957424") {
    const std::vector<std::vector<std::string>> qs = {
        {"rate", "--method", "velocity", "--eta", "0.6", "--beta", "0.5", "--eigenvalues", "0.2,4"},
        {"rate", "--method", "heavy-ball", "--alpha", "0.348", "--beta", "0.79", "--eigenvalues", "0.595,3.965"},
        {"rate", "--method", "heavy-ball", "--alpha", "0.033", "--beta", "0.959", "--eigenvalues", "0.12,7.241"},
        {"rate", "--method", "nesterov", "--alpha", "0.15", "--beta", "0.3963", "--eigenvalues", "0.0414,10.17"},
        {"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.9", "--eigenvalues", "0.01,10", "--x0=1,-3"}};
    for (const auto& q : qs) {
      const Json j = run_ok(cat(q, {"--json"})).json();
      const Json m = run_ok(cat(q, {"--json", "--digits", "40"})).json();
      INFO(j.dump());
      REQUIRE(j["transient"].is_object());
      CHECK(j["transient"]["t"] == m["transient"]["t"]);
      CHECK(right_to(j["transient"]["peak"], 0, m["transient"]["peak"]));
      CHECK(right_to(j["x_error"]["peak"], j["x_error"]["peak_reliable_digits"], m["x_error"]["peak"]));
    }
  }

  TEST_CASE("rho computed as exactly 1 with an error bound is undecided: gd at kappa = 1e32 converges") {
    const std::vector<std::string> q = {"rate", "--method", "gd", "--eta", "2/1.00000000000000000000000000000001e32",
                                        "--mu", "1", "--L", "1e32", "--json"};
    const Json j = run_ok(q).json();
    INFO(j.dump());
    CHECK(j["regime"] == "boundary");
    CHECK(j["converges_decided"] == false);
    CHECK(j.contains("note"));
    // 40 digits decide it: 1 - 2e-32 < 1.
    const Json m = run_ok(cat(q, {"--digits", "40"})).json();
    CHECK(m["converges"] == true);
    CHECK(m["converges_decided"] == true);
    // rho >= 1 is certain with a zero step or beta = 1 (1 is a root; the roots' moduli multiply
    // to beta): decided.
    for (const std::vector<std::string>& d :
         {std::vector<std::string>{"rate", "--method", "gd", "--eta", "0", "--eigenvalues", "0.2,4", "--json"},
          std::vector<std::string>{"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "1", "--eigenvalues",
                                   "0.2,4", "--json"}}) {
      const Json b = run_ok(d).json();
      INFO(b.dump());
      CHECK(b["regime"] == "boundary");
      CHECK(b["converges"] == false);
      CHECK(b["converges_decided"] == true);
    }
    // The optimal tunings rounded to 3 digits at kappa = 1e32: rho rounds to 1 in double.
    const Json o = run_ok({"optimal", "--method", "all", "--mu", "1", "--L", "1e32", "--json"}).json();
    // gd's eta = 2e-32 and Nesterov's (beta = 1 does not fix Nesterov's rho) are undecided;
    // heavy ball's and the velocity form's beta = 1 makes rho >= 1 certain.
    int undecided = 0;
    for (const Json& t : o["tunings"]) {
      INFO(t.dump());
      if (t["method"] == "general") continue;  // triple and robust momentum: below
      CHECK(t["rounded"]["converges"] == false);
      const bool beta_one = (t["method"] == "heavy-ball" || t["method"] == "velocity") &&
                            t["rounded"]["parameters"]["beta"] == "1";
      CHECK(t["rounded"]["converges_decided"] == beta_one);
      if (!beta_one) ++undecided;
    }
    CHECK(undecided == 3);
    // Triple and robust momentum at kappa = 1e32 (rates 1 - 1e-16 and 1 - 5e-17, which double
    // rounds to 1): their rows say they converge only where that is decided.
    for (const Json& t : o["tunings"]) {
      if (t["method"] != "general") continue;
      INFO(t.dump());
      REQUIRE_FALSE(t.contains("error"));
      CHECK(t["rounded"]["converges"] == false);
    }
  }
}
