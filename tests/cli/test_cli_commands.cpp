// End-to-end tests of every subcommand through the built `momentum` executable, on d2l's
// example and on Matrix Market files in tests/data; JSON output is parsed back and checked
// against the library (double precision here; see test_cli_inputs.cpp for MPFR).
#include "cli_support.hpp"

#include <momentum/iterations.hpp>
#include <momentum/noise.hpp>
#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>
#include <momentum/tuning.hpp>
#include <momentum/verify.hpp>
#include <momentum/worst_case.hpp>

#include <cmath>

using namespace cli_test;
using momentum::Vector;

namespace {
Vector<double> vec(std::initializer_list<double> v) {
  Vector<double> r(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) r(i++) = x;
  return r;
}
const std::vector<std::string> d2l = {"--method", "velocity", "--eta", "0.6", "--beta", "0.5",
                                      "--eigenvalues", "0.2,4"};
}  // namespace

// Double runs print each value with its reliable digits (issue 18: usually 15 or 16 of the
// library's double), so the comparisons with the library allow for that rounding.
TEST_SUITE("rate") {
  TEST_CASE("rate of d2l's momentum: JSON agrees with the library") {
    const Json j = run_ok(cat({"rate"}, d2l, {"--json"})).json();
    const momentum::Velocity<double> m(0.6, 0.5);
    const auto wc = momentum::worst_case(m, 0.2, 4.0);
    CHECK(j["command"] == "rate");
    CHECK(j["method"] == "velocity");
    CHECK(j["parameters"]["eta"] == "0.6");
    CHECK(j["parameters"]["beta"] == "0.5");
    CHECK(num(j["spectral_radius"]) == doctest::Approx(wc.rho).epsilon(1e-14));
    CHECK(j["converges"] == true);
    CHECK(j["regime"] == "complex");
    REQUIRE(j["worst_eigenvalues"].size() == 2);  // both ends tie at sqrt(beta)
    CHECK(j["worst_eigenvalues"][0] == "0.2");
    CHECK(j["worst_eigenvalues"][1] == "4");
    REQUIRE(j["per_eigenvalue"].size() == 2);
    for (const auto& e : j["per_eigenvalue"]) {
      const double lambda = num(e["lambda"]);
      const auto sp = momentum::spectrum(m, lambda);
      CHECK(num(e["spectral_radius"]) == doctest::Approx(sp.rho).epsilon(1e-14));
      CHECK(e["regime"] == momentum::to_string(sp.regime));
      REQUIRE(e["roots"].size() == 2);
      CHECK(num(e["roots"][0]["re"]) == doctest::Approx(sp.roots[0].re).epsilon(1e-14));
      CHECK(num(e["roots"][0]["im"]) == doctest::Approx(sp.roots[0].im).epsilon(1e-14));
      CHECK(num(e["roots"][1]["im"]) == doctest::Approx(sp.roots[1].im).epsilon(1e-14));
    }
    CHECK(j["convergence_interval"]["variable"] == "eta*lambda");
    CHECK(num(j["convergence_interval"]["hi"]) == 3.0);
    const auto it = momentum::worst_case_iterations(m, vec({0.2, 4}), 1e-6);
    CHECK(j["iterations"]["first"] == it.first);
    CHECK(j["iterations"]["settled"] == it.settled);
    CHECK(j["iterations"]["naive"] == it.naive);
    const auto tp = momentum::transient_peak(m, vec({0.2, 4}));
    // Printed with the digits its long double twin leaves (issue 18: 4.27625169795742, not
    // 4.276251697957424): the library's double rounded to them.
    CHECK(std::fabs(num(j["transient"]["peak"]) - tp.peak) <= 1e-14 * tp.peak);
    CHECK(j["transient"]["peak"].get<std::string>().size() >= 16);
    CHECK(j["transient"]["t"] == tp.t);
  }

  TEST_CASE("rate prints a readable table; --all lists every eigenvalue") {
    const Result r = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.3",
                             "--eigenvalues", "0.7,3.1,2", "--all"});
    CHECK(r.out.find("spectral radius") != std::string::npos);
    CHECK(r.out.find("real_distinct") != std::string::npos);
    CHECK(r.out.find("complex") != std::string::npos);
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.3",
                           "--eigenvalues", "0.7,3.1,2", "--all", "--json"})
                       .json();
    CHECK(j["per_eigenvalue"].size() == 3);
    CHECK(j["per_eigenvalue"][1]["lambda"] == "2");
  }

  TEST_CASE("gradient descent at d2l's eta = 0.6 diverges on lambda = 4") {
    const Json j = run_ok({"rate", "--method", "gd", "--eta", "0.6", "--eigenvalues", "0.2,4", "--json"}).json();
    CHECK(j["converges"] == false);
    CHECK(j["regime"] == "divergent");
    CHECK(num(j["spectral_radius"]) == doctest::Approx(momentum::worst_case(momentum::GradientDescent<double>(0.6), 0.2, 4.0).rho).epsilon(1e-14));
    CHECK(j["worst_eigenvalues"][0] == "4");
    CHECK(j["transient"].is_null());
  }

  TEST_CASE("rate --noise: stationary variance and excess loss agree with the library") {
    const std::vector<std::string> args = {"rate", "--method", "heavy-ball", "--alpha", "0.1",
                                           "--beta", "0.9", "--eigenvalues", "1,2,5,10",
                                           "--noise", "0.01", "--json"};
    const Json j = run_ok(args).json();
    const momentum::HeavyBall<double> m(0.1, 0.9);
    const Json& nz = j["noise"];
    CHECK(nz["sigma"] == "0.01");
    CHECK(nz["stationary"] == true);
    CHECK(nz["dimension"] == 4);
    const double total = momentum::expected_excess_loss(m, vec({1, 2, 5, 10}), 0.01);
    CHECK(num(nz["expected_excess_loss"]) == doctest::Approx(total).epsilon(1e-14));
    REQUIRE(nz["per_eigenvalue"].size() == 2);  // the ends (every eigenvalue with --all)
    for (const auto& e : nz["per_eigenvalue"]) {
      const double l = num(e["lambda"]);
      const double v = momentum::stationary_variance(m, l, 0.01);
      CHECK(num(e["variance"]) == doctest::Approx(v).epsilon(1e-14));
      CHECK(num(e["excess_loss"]) == doctest::Approx(l * v / 2).epsilon(1e-14));
      CHECK(e["reliable_digits"].get<int>() >= 14);
    }
    // At 40 digits the sum carries 40 digits: compare with the library in MPFR.
    std::vector<std::string> a40 = args;
    a40.insert(a40.end(), {"--digits", "40"});
    const Json j40 = run_ok(a40).json();
    momentum::set_digits(60);
    const momentum::HeavyBall<momentum::mpfr_float> m50(momentum::parse<momentum::mpfr_float>("0.1"),
                                                        momentum::parse<momentum::mpfr_float>("0.9"));
    momentum::Vector<momentum::mpfr_float> ls(4);
    ls << 1, 2, 5, 10;
    const momentum::mpfr_float ref =
        momentum::expected_excess_loss(m50, ls, momentum::parse<momentum::mpfr_float>("0.01"));
    const momentum::mpfr_float got(j40["noise"]["expected_excess_loss"].get<std::string>());
    CHECK(j40["noise"]["reliable_digits"] == 40);
    CHECK(abs(got - ref) <= ref * momentum::mpfr_float("1e-39"));
    momentum::set_digits(50);
    // The table says it too.
    const Result r = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.9",
                             "--eigenvalues", "1,2,5,10", "--noise", "0.01"});
    CHECK(r.out.find("E[h - h*]") != std::string::npos);
  }

  TEST_CASE("rate --noise: no stationary law when it diverges; an interval has no sum") {
    const Json d = run_ok({"rate", "--method", "gd", "--eta", "0.6", "--eigenvalues", "0.2,4",
                           "--noise", "1", "--json"})
                       .json();
    CHECK(d["noise"]["stationary"] == false);
    CHECK(d["noise"]["expected_excess_loss"].is_null());
    CHECK(d["noise"]["per_eigenvalue"][1]["variance"].is_null());
    const Json i = run_ok({"rate", "--method", "velocity", "--eta", "0.01", "--beta", "0.9",
                           "--mu", "1", "--L", "100", "--noise", "0.5", "--json"})
                       .json();
    CHECK(i["noise"]["stationary"] == true);
    CHECK(i["noise"]["expected_excess_loss"].is_null());
    CHECK(i["noise"].contains("why"));
    // The velocity form's x-process is heavy ball's with alpha = eta (SPEC section 7).
    const double v = momentum::stationary_variance(momentum::HeavyBall<double>(0.01, 0.9), 100.0, 0.5);
    CHECK(num(i["noise"]["per_eigenvalue"][1]["variance"]) == doctest::Approx(v).epsilon(1e-14));
  }

  TEST_CASE("rate --noise near the edge of convergence prints only its correct digits") {
    // 2(1 + beta) - alpha lambda = 2 * 1.5 - 2.9999999999 = 1e-10: about ten digits are lost.
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "2.9999999999", "--beta",
                           "0.5", "--eigenvalues", "1", "--noise", "1", "--json"})
                       .json();
    const int d = j["noise"]["reliable_digits"];
    CHECK(d <= 7);
    CHECK(d >= 4);
  }

  TEST_CASE("rate on an interval and on Nesterov") {
    const Json j = run_ok({"rate", "--method", "nesterov", "--alpha", "0.01", "--beta", "0.8",
                           "--mu", "1", "--L", "100", "--json"})
                       .json();
    const auto wc = momentum::worst_case(momentum::Nesterov<double>(0.01, 0.8), 1.0, 100.0);
    // Near a double root (critical distance 1e-3) the bound on the discriminant's error leaves
    // 12 reliable digits in double, and only those are printed.
    CHECK(j["reliable_digits"].get<int>() >= 11);
    CHECK(num(j["spectral_radius"]) == doctest::Approx(wc.rho).epsilon(1e-11));
    CHECK(j["problem"]["kind"] == "interval");
  }

  TEST_CASE("rate on a Matrix Market file: the 1-D Laplacian's closed-form spectrum") {
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.3", "--beta", "0.2",
                           "--matrix", data("laplace5_coordinate_symmetric.mtx"), "--json"})
                       .json();
    const double pi = std::acos(-1.0);
    const double lmin = 2 - 2 * std::cos(pi / 6), lmax = 2 - 2 * std::cos(5 * pi / 6);
    const auto wc = momentum::worst_case(momentum::HeavyBall<double>(0.3, 0.2), lmin, lmax);
    CHECK(j["problem"]["kind"] == "matrix");
    CHECK(j["problem"]["path"] == "dense");
    CHECK(num(j["problem"]["lambda_min"]) == doctest::Approx(lmin).epsilon(1e-14));
    CHECK(num(j["spectral_radius"]) == doctest::Approx(wc.rho).epsilon(1e-13));
  }
}

TEST_SUITE("optimal") {
  TEST_CASE("optimal --method all: seven tunings equal to the library's") {
    const Json j = run_ok({"optimal", "--method", "all", "--eigenvalues", "0.2,4", "--json"}).json();
    REQUIRE(j["tunings"].size() == 7);
    const double mu = 0.2, L = 4;
    CHECK(num(j["tunings"][0]["rate"]) == doctest::Approx(momentum::optimal_gd(mu, L).rate).epsilon(1e-14));
    CHECK(num(j["tunings"][0]["parameters"]["eta"]) == doctest::Approx(momentum::optimal_gd(mu, L).method.eta).epsilon(1e-14));
    const auto hb = momentum::optimal_heavy_ball(mu, L);
    CHECK(j["tunings"][1]["method"] == "heavy-ball");
    CHECK(num(j["tunings"][1]["rate"]) == doctest::Approx(hb.rate).epsilon(1e-14));
    CHECK(num(j["tunings"][1]["parameters"]["alpha"]) == doctest::Approx(hb.method.alpha).epsilon(1e-14));
    CHECK(num(j["tunings"][1]["parameters"]["beta"]) == doctest::Approx(hb.method.beta).epsilon(1e-14));
    CHECK(j["tunings"][2]["method"] == "velocity");
    CHECK(num(j["tunings"][2]["parameters"]["eta"]) == doctest::Approx(hb.method.alpha).epsilon(1e-14));
    CHECK(num(j["tunings"][3]["rate"]) == doctest::Approx(momentum::optimal_nesterov(mu, L).rate).epsilon(1e-14));
    CHECK(num(j["tunings"][4]["rate"]) == doctest::Approx(momentum::standard_nesterov(mu, L).rate).epsilon(1e-14));
    CHECK(j["tunings"][4]["tuning"] == "standard (alpha = 1/L)");
    // The two-state family's tunings (Van Scoy et al. 2018, Cyrus et al. 2018).
    const auto tm = momentum::triple_momentum(mu, L);
    CHECK(j["tunings"][5]["method"] == "general");
    CHECK(j["tunings"][5]["tuning"] == "triple-momentum");
    CHECK(num(j["tunings"][5]["rate"]) == doctest::Approx(tm.rate).epsilon(1e-14));
    CHECK(num(j["tunings"][5]["parameters"]["gamma"]) == doctest::Approx(tm.method.gamma).epsilon(1e-14));
    const auto rm = momentum::robust_momentum(mu, L);
    CHECK(j["tunings"][6]["tuning"] == "robust-momentum");
    CHECK(num(j["tunings"][6]["rate"]) == doctest::Approx(rm.rate).epsilon(1e-14));
    CHECK(num(j["tunings"][6]["parameters"]["alpha"]) == doctest::Approx(rm.method.alpha).epsilon(1e-14));
  }

  TEST_CASE("optimal heavy ball at 50 digits: rate (sqrt(kappa) - 1)/(sqrt(kappa) + 1) = 9/11") {
    const Json j =
        run_ok({"optimal", "--method", "heavy-ball", "--mu", "1", "--L", "100", "--digits", "50", "--json"}).json();
    CHECK(j["method"] == "heavy-ball");
    CHECK(j["rate"] == "0.81818181818181818181818181818181818181818181818182");
    CHECK(j["parameters"]["alpha"] == "0.033057851239669421487603305785123966942148760330579");  // 4/121
    const Result text = run_ok({"optimal", "--method", "all", "--eigenvalues", "0.2,4"});
    // Proved in proofs/ (theorems 4f and N'): the statuses say so.
    CHECK(text.out.find("optimal among two-state methods, unique") != std::string::npos);
    CHECK(text.out.find("optimal among Nesterov tunings, unique") != std::string::npos);
    CHECK(text.out.find("numerically") == std::string::npos);
  }

  TEST_CASE("optimal on a Matrix Market file") {
    const Json j = run_ok({"optimal", "--method", "gd", "--matrix", data("spd3_array_general.mtx"), "--json"}).json();
    const Eigen::Matrix3d Q = (Eigen::Matrix3d() << 4, 1, 0, 1, 3, 1, 0, 1, 2).finished();
    const Eigen::Vector3d l = Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(Q).eigenvalues();
    CHECK(num(j["rate"]) == doctest::Approx((l(2) - l(0)) / (l(2) + l(0))).epsilon(1e-13));
  }
}

TEST_SUITE("simulate") {
  // SPEC section 10: d2l's printed x after 20 steps from (-5, -2), six decimals.
  struct Row {
    std::vector<std::string> args;
    const char* x1;
    const char* x2;
  };
  const std::vector<Row> rows = {
      {{"--method", "gd", "--eta", "0.4"}, "-0.943467", "-0.000073"},
      {{"--method", "gd", "--eta", "0.6"}, "-0.387814", "-1673.365109"},
      {{"--method", "velocity", "--eta", "0.6", "--beta", "0.5"}, "0.007188", "0.002553"},
      {{"--method", "velocity", "--eta", "0.6", "--beta", "0.25"}, "-0.126340", "-0.186632"}};

  TEST_CASE("simulate reproduces d2l's four printed trajectories (CSV)") {
    for (const Row& row : rows) {
      const Result r = run_ok(cat({"simulate"}, row.args, {"--eigenvalues", "0.2,4", "--x0=-5,-2", "--steps", "20"}));
      const auto table = csv(r.out);
      REQUIRE(table.size() == 22);  // header + t = 0..20
      CHECK(table[0] == std::vector<std::string>{"t", "x1", "x2", "error_norm", "excess_loss"});
      CHECK(table[1][1] == "-5");
      CHECK(table[21][0] == "20");
      CHECK(six(std::strtod(table[21][1].c_str(), nullptr)) == row.x1);
      CHECK(six(std::strtod(table[21][2].c_str(), nullptr)) == row.x2);
    }
  }

  TEST_CASE("simulate --json checkpoints agree with the library") {
    const Json j = run_ok(cat({"simulate"}, d2l, {"--x0=-5,-2", "--steps", "20", "--at", "5,20", "--json"}))
                       .json();
    REQUIRE(j["checkpoints"].size() == 2);
    momentum::SimulateOptions so;
    so.steps = 20;
    so.at = {5, 20};
    so.record_x = true;
    const auto tr = momentum::simulate_eigen(momentum::Velocity<double>(0.6, 0.5), vec({0.2, 4}),
                                             vec({-5, -2}), Vector<double>(), so);
    for (std::size_t k = 0; k < 2; ++k) {
      const Json& c = j["checkpoints"][k];
      CHECK(c["t"] == tr.points[k].t);
      CHECK(num(c["error_norm"]) == doctest::Approx(tr.points[k].error_norm).epsilon(1e-14));
      CHECK(num(c["x"][0]) == doctest::Approx(tr.points[k].x(0)).epsilon(1e-14));
      CHECK(num(c["x"][1]) == doctest::Approx(tr.points[k].x(1)).epsilon(1e-14));
    }
    CHECK(six(num(j["checkpoints"][1]["x"][0])) == "0.007188");
  }

  TEST_CASE("simulate at 50 digits reports an error of about 1e-2600 that double cannot hold") {
    const Json j = run_ok({"simulate", "--method", "heavy-ball", "--alpha", "4/121", "--beta", "81/121",
                           "--eigenvalues", "1,100", "--x0", "1,1", "--steps", "30000", "--at", "30000",
                           "--digits", "50", "--json"})
                       .json();
    const std::string e = j["checkpoints"][0]["error_norm"];
    const std::size_t pos = e.find("e-");
    REQUIRE(pos != std::string::npos);
    const int exponent = std::stoi(e.substr(pos + 2));
    // ||e_t|| ~ c t (9/11)^t: log10 = 30000 log10(9/11) + log10(c t) = -2614.5 + ~4.
    CHECK(exponent > 2600);
    CHECK(exponent < 2620);
    CHECK(e.size() > 50);  // 50 significant digits
  }

  TEST_CASE("simulate on a quadratic with a linear term converges to x* = -Q^{-1} c") {
    const Result r = run_ok({"simulate", "--method", "heavy-ball", "--alpha", "0.3", "--beta", "0.3",
                             "--matrix", data("spd3_array_general.mtx"), "--linear",
                             data("linear3_array.mtx"), "--x0", "0,0,0", "--steps", "400", "--at", "400"});
    const auto t = csv(r.out);
    REQUIRE(t.size() == 2);
    const Eigen::Matrix3d Q = (Eigen::Matrix3d() << 4, 1, 0, 1, 3, 1, 0, 1, 2).finished();
    const Eigen::Vector3d xs = -Q.ldlt().solve(Eigen::Vector3d(1, -2, 0.5));
    for (int i = 0; i < 3; ++i)
      CHECK(std::strtod(t[1][std::size_t(i) + 1].c_str(), nullptr) == doctest::Approx(xs(i)).epsilon(1e-12));
  }
}

TEST_SUITE("verify") {
  TEST_CASE("verify d2l's momentum at 50 digits over 10^4 steps: holds, exit 0") {
    TempDir dir;
    const Json j = run_ok(cat({"verify"}, d2l, {"--x0=-5,-2", "--steps", "10000", "--digits", "50",
                                              "--json", "--plot", dir / "e.svg"}))
                       .json();
    CHECK(j["holds"] == true);
    CHECK(j["spectral_radius"] == "0.70710678118654752440084436210484903928483593768847");
    CHECK(j["steps"] == 10000);
    CHECK(j["regime"] == "complex");
    const std::string svg = slurp(dir / "e.svg");
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("predicted") != std::string::npos);
  }

  TEST_CASE("verify agrees with the library's verify_rate (double, 300 steps)") {
    const Json j = run_ok({"verify", "--method", "heavy-ball", "--alpha", "0.02", "--beta", "0.6",
                           "--eigenvalues", "1,30,100", "--x0", "1,-1,2", "--steps", "300",
                           "--digits", "17", "--json"})
                       .json();
    momentum::VerifyOptions<double> vo;
    vo.steps = 300;
    const auto r = momentum::verify_rate(momentum::HeavyBall<double>(0.02, 0.6), vec({1, 30, 100}),
                                         vec({1, -1, 2}), Vector<double>(), vo);
    CHECK(j["holds"] == r.holds);
    CHECK(num(j["rho_computed"]) == doctest::Approx(r.rho_computed).epsilon(1e-15));
    CHECK(num(j["band"]["c_lo"]) == doctest::Approx(r.c_lo).epsilon(1e-7));
    CHECK(num(j["band"]["c_hi"]) == doctest::Approx(r.c_hi).epsilon(1e-7));
    CHECK(j["m"] == r.m);
  }

  TEST_CASE("verify of a wrong claimed rate fails with exit status 1") {
    const Result r = run(cat({"verify"}, d2l, {"--x0=-5,-2", "--steps", "2000", "--rho", "0.7"}));
    INFO(r.out << r.err);
    CHECK(r.status == 1);
    CHECK(r.out.find("does NOT hold") != std::string::npos);
  }
}

TEST_SUITE("landscape") {
  TEST_CASE("landscape CSV agrees with the library at every grid point") {
    const Result r = run_ok({"landscape", "--method", "heavy-ball", "--eigenvalues", "0.2,4", "--alpha",
                             "0.1:1", "--beta", "0:0.9", "--grid", "5x4"});
    const auto t = csv(r.out);
    REQUIRE(t.size() == 21);
    CHECK(t[0] == std::vector<std::string>{"alpha", "beta", "spectral_radius", "regime"});
    for (std::size_t k = 1; k < t.size(); ++k) {
      const double a = std::strtod(t[k][0].c_str(), nullptr), b = std::strtod(t[k][1].c_str(), nullptr);
      const auto wc = momentum::worst_case(momentum::HeavyBall<double>(a, b), 0.2, 4.0);
      INFO("alpha " << t[k][0] << " beta " << t[k][1]);
      // The library's rate, printed in full (the shortest round-trip decimal) or, where its
      // error bound leaves fewer reliable digits (docs/bad-input.md), rounded to those.
      const std::string& shown = t[k][2];
      INFO("printed " << shown << ", library " << momentum::to_string(wc.rho, 17));
      if (shown == shortest(wc.rho)) {
        CHECK(std::strtod(shown.c_str(), nullptr) == wc.rho);
      } else {
        int digits = 0;
        for (const char c : shown) digits += c >= '0' && c <= '9';
        CHECK(shown == momentum::to_string(wc.rho, digits - (shown[0] == '0' ? 1 : 0)));
        CHECK(std::abs(std::strtod(shown.c_str(), nullptr) - wc.rho) <= 1e-11 * wc.rho);
      }
      CHECK(t[k][3] == momentum::to_string(wc.regime));
    }
    CHECK(t[1][0] == "0.1");
    CHECK(t[20][0] == "1");
    CHECK(t[20][1] == "0.9");
  }

  TEST_CASE("-o - is standard output, not a file named \"-\" (landscape and simulate)") {
    const TempDir dir;
    const std::vector<std::vector<std::string>> commands = {
        {"landscape", "--method", "heavy-ball", "--eigenvalues", "0.2,4", "--alpha", "0.1:1", "--grid", "3"},
        {"simulate", "--method", "gd", "--eta", "0.2", "--eigenvalues", "0.2,4", "--x0=-5,-2", "--steps", "5"}};
    for (const auto& args : commands) {
      const Result plain = run(args, dir.path);
      const Result dash = run(cat(args, {"-o", "-"}), dir.path);
      INFO(show(args, dash));
      REQUIRE(plain.status == 0);
      REQUIRE(dash.status == 0);
      CHECK(dash.out == plain.out);
      CHECK(dash.out.find('\n') != std::string::npos);
      CHECK_FALSE(std::ifstream(dir / "-").good());
    }
  }

  TEST_CASE("landscape heatmap and summary on a Matrix Market file") {
    TempDir dir;
    const Json j = run_ok({"landscape", "--method", "nesterov", "--matrix",
                           data("laplace5_coordinate_symmetric.mtx"), "--alpha", "0.01:0.6", "--grid",
                           "40", "--output", dir / "l.csv", "--plot", dir / "l.svg", "--json"})
                       .json();
    CHECK(j["grid"]["steps"] == 40);
    CHECK(j.contains("optimal"));
    CHECK(csv(slurp(dir / "l.csv")).size() == 1601);
    const std::string svg = slurp(dir / "l.svg");
    CHECK(svg.find("data:image/png;base64,") != std::string::npos);
    CHECK(svg.find("convergence boundary") != std::string::npos);
  }
}

TEST_SUITE("demo") {
  TEST_CASE("momentum with no arguments runs the demo into ./momentum-demo, never clobbering it") {
    TempDir dir;
    const Result r = run({}, dir.path);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("d2l") != std::string::npos);
    CHECK(r.out.find("0.70710678118654") != std::string::npos);   // the rate
    CHECK(r.out.find("0.0071878667") != std::string::npos);        // d2l's x1 after 20 steps
    CHECK(r.out.find("the theory holds") != std::string::npos);    // 50-digit verification
    CHECK(r.out.find("fewer iterations") != std::string::npos);    // the gain
    for (const char* f : {"landscape.svg", "landscape.csv", "error.svg", "trajectory.svg"})
      CHECK(exists(dir / (std::string("momentum-demo/") + f)));
    // Its own folder (marked by .momentum-demo) it may replace; without the marker the folder
    // is someone else's (test_cli_frictions.cpp runs it again with the marker).
    REQUIRE(exists(dir / "momentum-demo/.momentum-demo"));
    REQUIRE(std::remove((dir / "momentum-demo/.momentum-demo").c_str()) == 0);
    const std::string before = slurp(dir / "momentum-demo/landscape.csv");
    const Result again = run({"demo"}, dir.path);
    CHECK(again.status == 2);
    CHECK(again.err.find("--output-dir") != std::string::npos);
    CHECK(slurp(dir / "momentum-demo/landscape.csv") == before);
    const Result forced = run({"demo", "--force", "--quiet"}, dir.path);
    CHECK(forced.status == 0);
  }

  TEST_CASE("README's demo transcript is the tool's output, line for line") {
    // README.md shows `momentum demo` as scripts/demo.sh runs it (into build/momentum-demo),
    // abridging the sections whose heading ends in " ...": those are compared by heading
    // number only, every other line exactly.
    TempDir dir;
    REQUIRE(mkdir((dir / "build").c_str(), 0755) == 0);
    const Result r = run({"demo", "--output-dir", "build/momentum-demo", "--quiet"}, dir.path);
    REQUIRE(r.status == 0);
    const std::string readme = slurp(MOMENTUM_README);
    const std::size_t from = readme.find("```\nmomentum demo:");
    REQUIRE(from != std::string::npos);
    const std::size_t to = readme.find("```", from + 4);
    REQUIRE(to != std::string::npos);
    auto split = [](const std::string& text) {
      std::vector<std::string> lines;
      std::istringstream in(text);
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      return lines;
    };
    const std::vector<std::string> shown = split(readme.substr(from + 4, to - from - 4));
    const std::vector<std::string> printed = split(r.out);
    std::size_t i = 0, j = 0;
    for (; i < shown.size() && j < printed.size(); ++i, ++j) {
      const std::string& line = shown[i];
      INFO("README demo line " << i + 1 << ": " << line);
      const bool abridged = line.rfind("== ", 0) == 0 && line.size() > 4 &&
                            line.compare(line.size() - 4, 4, " ...") == 0;
      if (!abridged) {
        CHECK(printed[j] == line);
        continue;
      }
      const std::string number = line.substr(0, line.find(' ', 3));  // "== 2."
      CHECK(printed[j].rfind(number + " ", 0) == 0);
      while (j + 1 < printed.size() && printed[j + 1].rfind("== ", 0) != 0) ++j;
      // The blank line before the next heading is the README's too.
      if (printed[j].empty()) --j;
    }
    CHECK(i == shown.size());
    CHECK(j == printed.size());
  }
}

TEST_SUITE("help") {
  TEST_CASE("--help of the tool and of each subcommand, with an example") {
    const Result r = run_ok({"--help"});
    for (const char* sub : {"rate", "optimal", "verify", "simulate", "landscape", "demo"}) {
      CHECK(r.out.find(sub) != std::string::npos);
      const Result s = run_ok({sub, "--help"});
      CHECK(s.out.find("momentum " + std::string(sub)) != std::string::npos);
    }
  }
}
