// End-to-end tests of issue 18 (digits claimed that are not correct, in double): each example of
// the issue, whose double output claimed 16 or 17 digits while being 1 to 3 ulps off the exact
// answer of the inputs as typed, now prints only digits that agree with that answer (computed
// here by the library at 60 digits from the same strings), and says how many; landscape --json
// alone reports its reliable digits; optimal's iterations_per_digit is a JSON number.
#include "cli_support.hpp"

#include <momentum/scalar.hpp>
#include <momentum/worst_case.hpp>

#include <string>

using namespace cli_test;
using momentum::mpfr_float;

namespace {

/// Significant digits of a printed decimal.
int shown_digits(const std::string& s) {
  int n = 0;
  bool leading = true;
  for (const char c : s) {
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++n;
  }
  return n == 0 ? 1 : n;
}

/// Whether `shown`, claiming max(claimed, its shown digits) significant digits, is within one
/// unit of its last claimed digit of `exact` (a decimal string, read at 60 digits).
bool right_to(const std::string& shown, int claimed, const std::string& exact) {
  momentum::set_digits(60);
  const mpfr_float s(shown), r(exact);
  const int d = std::max(claimed, shown_digits(shown));
  const mpfr_float big = std::max(mpfr_float(abs(s)), mpfr_float(abs(r)));
  const int e = static_cast<int>(floor(log10(big)));
  const bool ok = abs(s - r) <= pow(mpfr_float(10), e - d + 1);
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
}
