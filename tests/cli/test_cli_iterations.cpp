// End-to-end tests of issue 18's two parts: `rate` reports first the x-error a user watches
// (||x_t - x*|| / ||x_0 - x*|| from x_{-1} = x_0, v_0 = 0), the same for the velocity form and
// heavy ball, then the state matrix's figures; `optimal` reports each tuning's fragility (margin
// to divergence, x-error peak and count, the 3-digit rounding and its rate). References are
// computed here by the scalar recurrence in long double, or by running the tool's other commands.
#include "cli_support.hpp"

#include <cmath>
#include <cstdio>

using namespace cli_test;

namespace {

/// r(t) = max over lambdas of |p_t(lambda)| by heavy ball's recurrence from x_{-1} = x_0 = 1,
/// long double, t = 0..T: first t with r <= tol, the t from which it stays below, peak, its t.
struct Brute {
  long long first = -1, settled = 0, peak_t = 0;
  long double peak = 0;
};
Brute heavy_ball_brute(long double alpha, long double beta, std::vector<long double> lambdas,
                       long double tol, long long T) {
  std::vector<long double> prev(lambdas.size(), 1), cur(lambdas.size(), 1);
  Brute b;
  long long last_above = -1;
  for (long long t = 0; t <= T; ++t) {
    long double r = 0;
    for (long double p : cur) r = std::max(r, std::fabs(p));
    if (r > tol) last_above = t;
    else if (b.first < 0) b.first = t;
    if (r > b.peak) {
      b.peak = r;
      b.peak_t = t;
    }
    for (std::size_t i = 0; i < lambdas.size(); ++i) {
      const long double next = (1 + beta - alpha * lambdas[i]) * cur[i] - beta * prev[i];
      prev[i] = cur[i];
      cur[i] = next;
    }
  }
  b.settled = last_above + 1;
  return b;
}

std::string g17(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

}  // namespace

TEST_SUITE("x_error") {
  TEST_CASE("issue 18: velocity form and heavy ball, eta = 0.01, beta = 0.9 on {0.01, 50}") {
    const std::vector<std::string> problem = {"--beta", "0.9", "--eigenvalues", "0.01,50", "--json"};
    const Json v = run_ok(cat({"rate", "--method", "velocity", "--eta", "0.01"}, problem)).json();
    const Json h = run_ok(cat({"rate", "--method", "heavy-ball", "--alpha", "0.01"}, problem)).json();
    REQUIRE(v.contains("x_error"));
    REQUIRE(h.contains("x_error"));
    const Brute b = heavy_ball_brute(0.01L, 0.9L, {0.01L, 50.0L}, 1e-6L, 40000);
    INFO("recurrence: first " << b.first << ", settled " << b.settled << ", peak "
                              << static_cast<double>(b.peak) << " at " << b.peak_t);
    for (const Json* j : {&v, &h}) {
      const Json& x = (*j)["x_error"];
      CHECK(x["start"] == "standard");
      CHECK(x["over"] == "eigenvalues");
      CHECK(x["tol"] == "1e-6");
      CHECK(x["exact"] == true);
      CHECK(x["first"] == b.first);
      CHECK(x["settled"] == b.settled);
      CHECK(x["peak_t"] == b.peak_t);
      CHECK(num(x["peak"]) == doctest::Approx(static_cast<double>(b.peak)).epsilon(1e-12));
      CHECK(num(x["peak"]) <= 1.0);  // never above its start
    }
    // The state matrices' counts and peaks differ between the two representations (and from
    // the x-error's): they are kept, second.
    CHECK(v["iterations"]["first"] != h["iterations"]["first"]);
    CHECK(v["transient"]["peak"] != h["transient"]["peak"]);
    CHECK(h["iterations"]["first"] != h["x_error"]["first"]);
    // The text report: the x-error first, then the state matrix, labelled.
    const Result text = run_ok({"rate", "--method", "velocity", "--eta", "0.01", "--beta", "0.9",
                                "--eigenvalues", "0.01,50"});
    const std::size_t xe = text.out.find("x-error");
    const std::size_t sm = text.out.find("state matrix");
    CHECK(xe != std::string::npos);
    CHECK(sm != std::string::npos);
    CHECK(xe < sm);
    CHECK(text.out.find(std::to_string(b.first) + " until ||x_t - x*|| <= 1e-6 ||x_0 - x*||") !=
          std::string::npos);
  }

  TEST_CASE("rate --x0 counts from that start; simulate agrees at the crossing") {
    const std::vector<std::string> base = {"--method", "velocity", "--eta", "0.01", "--beta", "0.9",
                                           "--eigenvalues", "0.01,50"};
    const Json j = run_ok(cat({"rate"}, base, {"--x0=0.001,1", "--json"})).json();
    const Json& x = j["x_error"];
    CHECK(x["start"] == "x0");
    REQUIRE(x["exact"] == true);
    const long long first = x["first"];
    const long long settled = x["settled"];
    REQUIRE(first > 0);
    // The worst case over starts needs at least as many steps.
    const Json w = run_ok(cat({"rate"}, base, {"--json"})).json();
    CHECK(first <= w["x_error"]["first"].get<long long>());
    const Json s =
        run_ok(cat({"simulate"}, base,
                   {"--x0=0.001,1", "--steps", std::to_string(settled + 10), "--json", "--at",
                    "0," + std::to_string(first - 1) + "," + std::to_string(first)}))
            .json();
    REQUIRE(s["checkpoints"].size() == 3);
    const double e0 = num(s["checkpoints"][0]["error_norm"]);
    CHECK(num(s["checkpoints"][1]["error_norm"]) > 1e-6 * e0);
    CHECK(num(s["checkpoints"][2]["error_norm"]) <= 1e-6 * e0);
  }

  TEST_CASE("rate on an interval: the x-error over every lambda in [mu, L], interior included") {
    // Heavy ball alpha 1.12, beta 0.925 on [0.32, 1.84]: the interior exceeds the ends.
    const std::vector<std::string> cmd = {"rate", "--method", "heavy-ball", "--alpha", "1.12",
                                          "--beta", "0.925", "--mu", "0.32", "--L", "1.84"};
    std::vector<std::string> js = cmd;
    js.push_back("--json");
    const Json j = run_ok(js).json();
    const Json& x = j["x_error"];
    REQUIRE(x["over"] == "interval");
    CHECK(x["interval"][0] == "0.32");
    CHECK(x["interval"][1] == "1.84");
    const long long first = x["first"], settled = x["settled"];
    CHECK(x["first_range"][1] == first);
    CHECK(x["settled_range"][1] == settled);
    CHECK(x["first_range"][0].get<long long>() <= first);
    CHECK(x["settled_range"][0].get<long long>() <= settled);
    // Dense sampling (4001 points) by the recurrence: never above the reported upper bounds.
    std::vector<long double> grid;
    for (int g = 0; g <= 4000; ++g) grid.push_back(0.32L + (1.84L - 0.32L) * g / 4000);
    const Brute dense = heavy_ball_brute(1.12L, 0.925L, grid, 1e-6L, settled + 50);
    const Brute ends = heavy_ball_brute(1.12L, 0.925L, {0.32L, 1.84L}, 1e-6L, settled + 50);
    INFO("dense: first " << dense.first << ", settled " << dense.settled << ", peak "
                         << static_cast<double>(dense.peak) << "; ends: first " << ends.first
                         << ", peak " << static_cast<double>(ends.peak));
    CHECK(num(x["peak"]) >= static_cast<double>(dense.peak));
    CHECK(num(x["peak_range"][0]) <= num(x["peak"]));
    CHECK(first >= dense.first);
    CHECK(settled >= dense.settled);
    // ... which the ends alone miss.
    CHECK(num(x["peak_range"][0]) > static_cast<double>(ends.peak));
    CHECK(x["first_range"][0].get<long long>() > ends.first);
    const Result t = run_ok(cmd);
    CHECK(t.out.find("interior included") != std::string::npos);
    CHECK(t.out.find("over the two ends only") == std::string::npos);
    // --x0 needs eigenvectors.
    check_bad({"rate", "--method", "heavy-ball", "--alpha", "0.01", "--beta", "0.9", "--mu", "0.01",
               "--L", "50", "--x0=1,1"},
              {"--x0", "interval"});
    check_bad({"rate", "--method", "heavy-ball", "--alpha", "0.01", "--beta", "0.9",
               "--eigenvalues", "0.01,50", "--x0=1,1,1"},
              {"--x0", "2 entries"});
  }

  TEST_CASE("rate on an interval beyond the interior's budget: the two ends, labelled") {
    // The tuned heavy ball at kappa 1e8: about 1.4e5 steps to 1e-6, quadratic work inside.
    const std::vector<std::string> cmd = {"rate", "--method", "heavy-ball", "--alpha",
                                          "3.9992e-8", "--beta", "0.99960008", "--mu", "1",
                                          "--L", "1e8"};
    std::vector<std::string> js = cmd;
    js.push_back("--json");
    const Json j = run_ok(js).json();
    CHECK(j["x_error"]["over"] == "ends");
    CHECK(j["x_error"].contains("why_ends"));
    CHECK(run_ok(cmd).out.find("over the two ends only") != std::string::npos);
  }

  TEST_CASE("rate: a divergent method has no x-error count") {
    const Json j = run_ok({"rate", "--method", "gd", "--eta", "0.6", "--eigenvalues", "0.2,4",
                           "--json"})
                       .json();
    CHECK(j["x_error"]["first"].is_null());
    CHECK(j["x_error"]["peak"].is_null());
    CHECK(j["x_error"].contains("why"));
  }
}

TEST_SUITE("fragility") {
  TEST_CASE("issue 18: the optimal tuning on [0.01, 50] typed to 3 digits diverges; its margin") {
    const Json j = run_ok({"optimal", "--method", "heavy-ball", "--mu", "0.01", "--L", "50",
                           "--json"})
                       .json();
    REQUIRE(j["tunings"].size() == 1);
    const Json& t = j["tunings"][0];
    REQUIRE(t.contains("margin"));
    REQUIRE(t.contains("rounded"));
    REQUIRE(t.contains("x_error"));
    const double alpha = num(t["parameters"]["alpha"]), beta = num(t["parameters"]["beta"]);
    // The margin: heavy ball converges iff alpha lambda < 2 (1 + beta).
    const double lf = num(t["margin"]["L_factor"]);
    CHECK(lf == doctest::Approx(2 * (1 + beta) / (alpha * 50)).epsilon(1e-13));
    CHECK(lf > 1);
    CHECK(t["margin"]["mu_factor"].is_null());  // any mu > 0 converges
    // ... and `rate` agrees on either side of L * L_factor.
    const auto rate_at = [&](const std::string& L) {
      return run_ok({"rate", "--method", "heavy-ball", "--alpha",
                     t["parameters"]["alpha"].get<std::string>(), "--beta",
                     t["parameters"]["beta"].get<std::string>(), "--mu", "0.01", "--L", L, "--json"})
          .json();
    };
    CHECK(rate_at(g17(50 * (1 + (lf - 1) * 0.99)))["converges"] == true);
    CHECK(rate_at(g17(50 * (1 + (lf - 1) * 1.01)))["converges"] == false);
    // The 3-digit rounding, and what `rate` says of it when typed.
    const Json& r = t["rounded"];
    const std::string a3 = r["parameters"]["alpha"], b3 = r["parameters"]["beta"];
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", alpha);
    CHECK(a3 == buf);
    std::snprintf(buf, sizeof buf, "%.3g", beta);
    CHECK(b3 == buf);
    const Json typed = run_ok({"rate", "--method", "heavy-ball", "--alpha", a3, "--beta", b3,
                               "--mu", "0.01", "--L", "50", "--json"})
                           .json();
    CHECK(r["converges"] == typed["converges"]);
    CHECK(r["rate"] == typed["spectral_radius"]);
    CHECK(r["converges"] == false);
    // The x-error of the exact tuning, against the recurrence at the two ends.
    // Over the interval, the ends' figures are lower bounds (here the ends are the worst).
    const Brute b = heavy_ball_brute(alpha, beta, {0.01L, 50.0L}, 1e-6L, 20000);
    const Json& x = t["x_error"];
    CHECK(x["over"] == "interval");
    CHECK(x["first"].get<long long>() >= b.first);
    CHECK(x["settled"].get<long long>() >= b.settled);
    CHECK(num(x["peak"]) >= static_cast<double>(b.peak));
    CHECK(num(x["peak"]) > 10);
    // The text names it.
    const Result text = run_ok({"optimal", "--method", "heavy-ball", "--mu", "0.01", "--L", "50"});
    CHECK(text.out.find("fragility") != std::string::npos);
    // alpha L = 3.89 = 2 (1 + 0.945) exactly: rho = 1, which double computes as 1 but cannot
    // tell from 1 - 1e-17 (issue 18: rho = 1 with a non-zero error bound is undecided).
    CHECK(r["converges_decided"] == false);
    CHECK(text.out.find("1 (undecided)") != std::string::npos);
    CHECK(text.out.find("alpha = " + a3 + ", beta = " + b3) != std::string::npos);
  }

  TEST_CASE("optimal --method all: every tuning carries its fragility; --tol is honoured") {
    const Json j = run_ok({"optimal", "--method", "all", "--eigenvalues", "0.2,1,4", "--tol",
                           "1e-9", "--json"})
                       .json();
    REQUIRE(j["tunings"].size() == 7);
    for (const auto& t : j["tunings"]) {
      CHECK(t["x_error"]["tol"] == "1e-9");
      CHECK(t["x_error"]["over"] == "eigenvalues");
      CHECK(t["x_error"]["exact"] == true);
      CHECK(num(t["margin"]["L_factor"]) > 1);
      CHECK(t["rounded"]["parameters"].size() == t["parameters"].size());
    }
    check_bad({"optimal", "--method", "all", "--eigenvalues", "0.2,4", "--tol", "2"},
              {"--tol", "(0, 1)"});
  }
}
