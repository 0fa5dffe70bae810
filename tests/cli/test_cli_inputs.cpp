// End-to-end tests of the tool's inputs: exact decimal parsing at 40 digits, every class of
// bad input (exit status 2 and a message naming the argument), output files that are never
// overwritten without --force, the Matrix Market reader, and the extremes path for large or
// sparse Q.
#include "cli_support.hpp"

// AddressSanitizer: GCC defines __SANITIZE_ADDRESS__, Clang 14 only __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOMENTUM_TEST_CLANG_ASAN 1
#endif
#endif
#ifndef MOMENTUM_TEST_CLANG_ASAN
#define MOMENTUM_TEST_CLANG_ASAN 0
#endif

#include <momentum/extremes.hpp>
#include <momentum/worst_case.hpp>

#include <cmath>

using namespace cli_test;
using momentum::mpfr_float;

namespace {
/// The 2-D Laplacian on an N x N grid (5-point stencil) as a symmetric coordinate file.
void write_laplacian_2d(const std::string& path, int N) {
  std::string s = "%%MatrixMarket matrix coordinate real symmetric\n";
  std::vector<std::string> lines;
  auto id = [N](int i, int j) { return i * N + j + 1; };
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      lines.push_back(std::to_string(id(i, j)) + " " + std::to_string(id(i, j)) + " 4");
      if (j + 1 < N) lines.push_back(std::to_string(id(i, j + 1)) + " " + std::to_string(id(i, j)) + " -1");
      if (i + 1 < N) lines.push_back(std::to_string(id(i + 1, j)) + " " + std::to_string(id(i, j)) + " -1");
    }
  s += std::to_string(N * N) + " " + std::to_string(N * N) + " " + std::to_string(lines.size()) + "\n";
  for (const auto& l : lines) s += l + "\n";
  spit(path, s);
}
}  // namespace

TEST_SUITE("precision") {
  TEST_CASE("a 40-digit rate of decimal inputs a double cannot hold matches the exact decimals") {
    // Heavy ball, alpha = 0.1, beta = 0.3 on {0.7, 3.1}: worst case at lambda = 0.7 (real roots),
    // rho = (tau + sqrt(tau^2 - 4 beta))/2 depends on every input.
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.3",
                           "--eigenvalues", "0.7,3.1", "--digits", "40", "--json"})
                       .json();
    const std::string cli = j["spectral_radius"];
    momentum::set_digits(60);
    using M = mpfr_float;
    const M exact = momentum::worst_case(momentum::HeavyBall<M>(M("0.1"), M("0.3")), M("0.7"), M("3.1")).rho;
    const M from_doubles =
        momentum::worst_case(momentum::HeavyBall<M>(M(0.1), M(0.3)), M(0.7), M(3.1)).rho;
    momentum::set_digits(50);
    INFO("cli " << cli << "\nexact " << momentum::to_string(exact, 45) << "\ndoubles "
                << momentum::to_string(from_doubles, 45));
    CHECK(cli == momentum::to_string(exact, 40));
    CHECK(cli != momentum::to_string(from_doubles, 40));
    using std::abs;
    CHECK(abs(exact - from_doubles) > M("1e-20"));  // the nearest doubles move rho by ~1e-17
    CHECK(j["scalar"] == "mpfr");
    CHECK(j["digits"] == 40);
  }

  TEST_CASE("at a double root, double prints only its reliable digits; MPFR carries enough") {
    // The tuned heavy ball on [1, 100] is critically damped at both ends: rho = 9/11 exactly.
    const Json d = run_ok({"rate", "--method", "heavy-ball", "--alpha", "4/121", "--beta", "81/121",
                           "--mu", "1", "--L", "100", "--json"})
                       .json();
    CHECK(d["regime"] == "critical");
    CHECK(d["reliable_digits"].get<int>() < 17);
    CHECK(d.contains("note"));
    CHECK(std::string(d["spectral_radius"]).size() < 12);
    CHECK(num(d["spectral_radius"]) == doctest::Approx(9.0 / 11).epsilon(1e-6));
    const Json m = run_ok({"rate", "--method", "heavy-ball", "--alpha", "4/121", "--beta", "81/121",
                           "--mu", "1", "--L", "100", "--digits", "40", "--json"})
                       .json();
    CHECK(m["spectral_radius"] == "0.8181818181818181818181818181818181818182");
    CHECK(!m.contains("note"));
  }

  TEST_CASE("--digits 1000 computes and prints 1000 digits") {
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.5", "--beta", "1/2",
                           "--eigenvalues", "1", "--digits", "1000", "--json"})
                       .json();
    const std::string rho = j["spectral_radius"];  // complex roots: sqrt(beta) = sqrt(1/2)
    momentum::set_digits(1020);
    const std::string ref = momentum::to_string(mpfr_float(sqrt(mpfr_float(1) / 2)), 1000);
    momentum::set_digits(50);
    CHECK(rho == ref);
    CHECK(rho.size() == 1002);  // "0." and 1000 digits
  }
}

TEST_SUITE("bad_input") {
  const std::vector<std::string> ok = {"rate", "--method", "gd", "--eigenvalues", "1,2"};
  auto with = [](std::vector<std::string> a, std::initializer_list<std::string> more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };

  TEST_CASE("unknown options, subcommands and methods") {
    check_bad(with(ok, {"--eta", "0.1", "--bogus"}), {"--bogus"});
    check_bad({"frobnicate"}, {"frobnicate"});
    check_bad({"rate", "--method", "adam", "--eta", "0.1", "--eigenvalues", "1"}, {"--method"});
    check_bad({"rate", "--eta", "0.1", "--eigenvalues", "1"}, {"--method"});
    check_bad(with(ok, {"--eta", "0.1", "--beta", "0.5"}), {"--beta"});
    check_bad({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--eigenvalues", "1"}, {"--beta"});
    check_bad({"rate", "--method", "gd", "--eigenvalues", "1"}, {"--eta"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1"}, {"problem"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1", "--mu", "1", "--L", "2"},
              {"one problem"});
  }

  TEST_CASE("malformed numbers, in double and in MPFR") {
    for (const char* bad : {"1e99999", "0x1p3", "--1", "1/0", "nan", "inf", "", "1..2", "0.6 ", "1,5"}) {
      INFO("eta = \"" << bad << "\"");
      check_bad(with(ok, {std::string("--eta=") + bad}), {"--eta"});
    }
    check_bad(with(ok, {"--eta=1e99999999999", "--digits", "30"}), {"--eta"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,x"}, {"--eigenvalues"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,,2"}, {"--eigenvalues"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,-2"}, {"--eigenvalues", "positive"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "0"}, {"--eigenvalues", "positive"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--mu", "2", "--L", "1"}, {"--L"});
    for (const char* bad : {"-1", "nan", "1e99999", "x"})
      check_bad(with(ok, {"--eta", "0.1", std::string("--noise=") + bad}), {"--noise"});
    check_bad(with(ok, {"--eta", "0.1", "--tol", "2"}), {"--tol"});
  }

  TEST_CASE("--digits 0, absurd or malformed") {
    for (const char* d : {"0", "100000", "-3", "ten", "1e3"}) check_bad(with(ok, {"--eta", "0.1", "--digits", d}), {"--digits"});
  }

  TEST_CASE("non-symmetric, indefinite, mismatched and unreadable matrices") {
    const std::vector<std::string> hb = {"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.5"};
    check_bad(with(hb, {"--matrix", data("nonsymmetric3.mtx")}), {"--matrix", "symmetric"});
    check_bad(with(hb, {"--matrix", data("indefinite2.mtx")}), {"--matrix", "indefinite"});
    check_bad(with(hb, {"--matrix", data("indefinite2.mtx"), "--digits", "30"}), {"--matrix", "indefinite"});
    check_bad(with(hb, {"--matrix", data("laplace5_coordinate_symmetric.mtx"), "--linear", data("linear3_array.mtx")}),
              {"--linear", "5 entries"});
    check_bad(with(hb, {"--matrix", data("no_such_file.mtx")}), {"--matrix", "cannot read"});
    check_bad(with(hb, {"--matrix", MOMENTUM_TEST_DATA}), {"--matrix", "directory"});
    check_bad({"simulate", "--method", "gd", "--eta", "0.1", "--matrix", data("spd3_array_general.mtx"),
               "--x0", "1,2", "--steps", "3"},
              {"--x0", "3 entries"});
    check_bad({"simulate", "--method", "velocity", "--eta", "0.1", "--beta", "0.2", "--eigenvalues", "1,2",
               "--x0", "1,2", "--x-prev", "1,2", "--steps", "3"},
              {"--x-prev"});
    check_bad({"simulate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,2", "--x0", "1,2", "--steps", "-5"},
              {"--steps"});
    check_bad({"simulate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,2", "--x0", "1,2", "--steps", "5",
               "--at", "6"},
              {"--at"});
  }

  TEST_CASE("malformed, truncated, binary, out-of-range and enormous Matrix Market files") {
    TempDir dir;
    struct Case {
      const char* name;
      std::string text;
      std::vector<const char*> fragments;
    };
    const std::string banner = "%%MatrixMarket matrix coordinate real symmetric\n";
    const std::vector<Case> cases = {
        {"empty.mtx", "", {"--matrix", "empty"}},
        {"banner.mtx", "%%MatrixMarket tensor coordinate real general\n2 2 1\n1 1 1\n", {"--matrix", "line 1", "tensor"}},
        {"nobanner.mtx", "2 2 1\n1 1 1\n", {"--matrix", "line 1", "banner"}},
        {"complex.mtx", "%%MatrixMarket matrix coordinate complex general\n", {"--matrix", "complex"}},
        {"truncated.mtx", banner + "3 3 3\n1 1 1\n2 2 1\n", {"--matrix", "truncated", "2 of the 3"}},
        {"range.mtx", banner + "2 2 2\n1 1 1\n3 1 1\n", {"--matrix", "line 4", "row index 3"}},
        {"upper.mtx", banner + "2 2 2\n1 1 1\n1 2 1\n", {"--matrix", "line 4", "above the diagonal"}},
        {"value.mtx", banner + "2 2 2\n1 1 1\n2 2 abc\n", {"--matrix", "line 4"}},
        {"overflow.mtx", banner + "1 1 1\n1 1 1e99999\n", {"--matrix", "line 3", "out of range"}},
        {"extra.mtx", banner + "1 1 1\n1 1 2\n1 1 3\n", {"--matrix", "line 4", "more entries"}},
        {"header.mtx", banner + "2 2 99\n1 1 1\n", {"--matrix", "line 2", "99 entries"}},
        {"binary.mtx", banner + std::string("2 2 1\n1 1 \x01\x02\x00\xff", 14) + "\n", {"--matrix", "line 3", "binary"}},
        {"huge_line.mtx", banner + std::string(70000, '%') + "\n", {"--matrix", "line 2", "longer"}},
        {"huge_dense.mtx", "%%MatrixMarket matrix array real general\n2000000 2000000\n1\n", {"--matrix", "memory"}},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      spit(dir / c.name, c.text);
      std::vector<std::string> args = {"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / c.name};
      const Result r = run(args);
      INFO(show(args, r));
      CHECK(r.status == 2);
      for (const char* f : c.fragments) CHECK(r.err.find(f) != std::string::npos);
    }
  }

  TEST_CASE("a grid too large for memory is refused up front with the estimate") {
    check_bad({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,2", "--alpha", "0.1:1", "--grid", "1000000"},
              {"--grid", "memory", "GiB"});
    check_bad({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,2", "--alpha", "1:0.1"}, {"--alpha"});
    check_bad({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,2", "--alpha", "0.1:1", "--grid", "1"},
              {"--grid"});
  }
}

TEST_SUITE("output_files") {
  TEST_CASE("existing output files are kept unless --force") {
    TempDir dir;
    const std::string csv_path = dir / "l.csv", svg_path = dir / "p.svg";
    spit(csv_path, "precious\n");
    spit(svg_path, "precious\n");
    const std::vector<std::string> land = {"landscape", "--method", "velocity", "--eigenvalues", "0.2,4",
                                           "--eta", "0.1:1", "--grid", "4"};
    auto with = [](std::vector<std::string> a, std::initializer_list<std::string> more) {
      a.insert(a.end(), more.begin(), more.end());
      return a;
    };
    check_bad(with(land, {"--output", csv_path}), {"--output", "already exists", "--force"});
    check_bad(with(land, {"--plot", svg_path}), {"--plot", "already exists"});
    check_bad({"verify", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1", "--steps", "10", "--plot", svg_path},
              {"--plot", "already exists"});
    check_bad({"simulate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1", "--x0", "1", "--steps", "3",
               "--output", csv_path},
              {"--output", "already exists"});
    CHECK(slurp(csv_path) == "precious\n");
    CHECK(slurp(svg_path) == "precious\n");
    run_ok(with(land, {"--output", csv_path, "--plot", svg_path, "--force"}));
    CHECK(slurp(csv_path).rfind("eta,beta,spectral_radius,regime", 0) == 0);
    CHECK(slurp(svg_path).find("<svg") != std::string::npos);
  }

  TEST_CASE("unwritable paths and unknown plot formats are refused") {
    check_bad({"landscape", "--method", "velocity", "--eigenvalues", "0.2,4", "--eta", "0.1:1", "--plot",
               "/nonexistent-folder/p.svg"},
              {"--plot", "does not exist"});
    check_bad({"landscape", "--method", "velocity", "--eigenvalues", "0.2,4", "--eta", "0.1:1", "--plot", "p.pdf"},
              {"--plot", ".svg"});
  }

  TEST_CASE("PNG plots through rsvg-convert, or a clear error without it") {
    TempDir dir;
    const std::vector<std::string> args = {"landscape", "--method", "velocity", "--eigenvalues", "0.2,4",
                                           "--eta", "0.1:1", "--grid", "8", "--output", dir / "l.csv",
                                           "--plot", dir / "p.png"};
    const Result none = run(args, "", "/nonexistent");
    CHECK(none.status == 2);
    CHECK(none.err.find("rsvg-convert") != std::string::npos);
    if (std::system("command -v rsvg-convert >/dev/null") == 0) {
      run_ok(args);
      CHECK(slurp(dir / "p.png").rfind("\x89PNG", 0) == 0);
    }
  }
}

TEST_SUITE("matrix_market") {
  TEST_CASE("array and coordinate, real and integer, general and symmetric files agree") {
    const std::vector<std::string> base = {"rate", "--method", "heavy-ball", "--alpha", "0.2", "--beta", "0.4", "--json", "--matrix"};
    auto rho = [&](const std::string& file) {
      std::vector<std::string> a = base;
      a.push_back(data(file));
      return run_ok(a).json()["spectral_radius"].get<std::string>();
    };
    CHECK(rho("spd3_array_general.mtx") == rho("spd3_coordinate_integer_general.mtx"));
  }

  TEST_CASE("headers the file cannot back are refused before allocating (fuzz_matrix_market findings)") {
    // Reproducers: tests/fuzz/corpus/matrix_market/oom-dense-array-header and
    // bug-duplicates-sum-to-infinity.mtx.
    TempDir dir;
    const std::vector<std::string> rate = {"rate", "--method", "gd", "--eta", "0.1", "--quiet", "--matrix"};
    auto bad = [&](const std::string& name, const std::string& text,
                   std::initializer_list<const char*> fragments) {
      spit(dir / name, text);
      std::vector<std::string> a = rate;
      a.push_back(dir / name);
      check_bad(a, fragments);
      CHECK(run(a).peak_kib < 200 * 1024);  // refused before allocating, not after
    };
    // An array of 9 * 10^8 values (7 GB, under half of a 24 GiB machine) in a 60-byte file.
    bad("dense.mtx", "%%MatrixMarket matrix array real general\n3 300000000\n1\n2\n",
        {"--matrix", "line 2", "900000000 values", "bytes can hold"});
    // A coordinate matrix of the largest size, no entries: its index arrays alone need 51 GB.
    bad("empty.mtx", "%%MatrixMarket matrix coordinate real general\n2147483647 2147483647 0\n",
        {"--matrix", "would need about", "of memory"});
    // Entries given twice are summed, and 1e308 + 1e308 overflows double.
    bad("twice.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1e308\n1 1 1e308\n2 2 1\n",
        {"--matrix", "(1,1)", "out of range"});
  }

  TEST_CASE("large or sparse Q takes the certified extremes path: the interval holds the exact rate") {
    TempDir dir;
    const int N = 40;  // n = 1600, 0.3% dense (under 10%): the extremes path
    write_laplacian_2d(dir / "lap.mtx", N);
    const double pi = std::acos(-1.0);
    const double s1 = std::sin(pi / (2 * (N + 1))), sN = std::sin(N * pi / (2 * (N + 1)));
    const double lmin = 8 * s1 * s1, lmax = 8 * sN * sN;
    const double alpha = 0.2, beta = 0.5;
    const Json j = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.2", "--beta", "0.5", "--matrix",
                           dir / "lap.mtx", "--json"})
                       .json();
    CHECK(j["problem"]["path"] == "extremes");
    const double exact = momentum::worst_case(momentum::HeavyBall<double>(alpha, beta), lmin, lmax).rho;
    const double lo = num(j["spectral_radius_interval"][0]), hi = num(j["spectral_radius_interval"][1]);
    CHECK(lo <= exact * (1 + 1e-15));
    CHECK(exact <= hi * (1 + 1e-15));
    CHECK(hi - lo < 1e-8);
    CHECK(num(j["eigenvalues"]["lambda_min"]["estimate"]) == doctest::Approx(lmin).epsilon(1e-10));
    // lambda_max <= 8 (Gershgorin) lies in this heavy ball's complex region [0.43, 14.6], where
    // rho = sqrt(beta) < rho(lambda_min): it cannot decide the rate and is left as bounds.
    CHECK(j["certified"] == true);
    const Json& top = j["eigenvalues"]["lambda_max"];
    CHECK(top["solver"] == "bounds");
    CHECK_FALSE(top.contains("estimate"));
    CHECK(num(top["enclosure"][0]) == 4);
    CHECK(num(top["enclosure"][0]) <= lmax);
    CHECK(lmax <= num(top["enclosure"][1]));
    CHECK(j["per_eigenvalue"].size() == 3);  // the smallest estimate and both bounds
    // --noise needs the variance at lambda_max: it is computed then, as it is when it decides
    // the rate (alpha = 0.4, beta = 0.1: lambda_max ~ 8 diverges, rho ~ 2.05).
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--alpha", "0.2", "--beta", "0.5", "--noise", "0.1"},
          std::vector<std::string>{"--alpha", "0.4", "--beta", "0.1"}}) {
      std::vector<std::string> args = {"rate", "--method", "heavy-ball", "--matrix", dir / "lap.mtx", "--json"};
      args.insert(args.end(), extra.begin(), extra.end());
      const Json k = run_ok(args).json();
      const Json& e = k["eigenvalues"]["lambda_max"];
      CHECK(e["solver"] != "bounds");
      CHECK(num(e["estimate"]) == doctest::Approx(lmax).epsilon(1e-10));
      CHECK(k["per_eigenvalue"].size() == 2);
      const double a = num(k["parameters"]["alpha"]), b = num(k["parameters"]["beta"]);
      const double rate = momentum::worst_case(momentum::HeavyBall<double>(a, b), lmin, lmax).rho;
      CHECK(num(k["spectral_radius_interval"][0]) <= rate * (1 + 1e-15));
      CHECK(rate <= num(k["spectral_radius_interval"][1]) * (1 + 1e-15));
    }
    const Json dense = run_ok({"rate", "--method", "heavy-ball", "--alpha", "0.2", "--beta", "0.5", "--matrix",
                               dir / "lap.mtx", "--path", "dense", "--json"})
                           .json();
    CHECK(dense["problem"]["path"] == "dense");
    CHECK(num(dense["spectral_radius"]) == doctest::Approx(exact).epsilon(1e-10));  // 11 reliable digits
    const Json opt = run_ok({"optimal", "--method", "all", "--matrix", dir / "lap.mtx", "--json"}).json();
    CHECK(opt["tunings"].size() == 7);
    CHECK(opt["tunings"][1].contains("rate_interval"));
  }

  TEST_CASE("a file with 10^6 nonzeros streams in memory proportional to the nonzeros") {
    TempDir dir;
    // Tridiagonal, 5 * 10^5 rows, 10^6 stored entries in the lower triangle: diagonal 1, then
    // 3 + sin(i)/2, then 10, off-diagonal -0.1, so the extremes (near 1 and 10) are isolated
    // and the Lanczos runs are short; the test is about the reader's memory, not the solver.
    const int n = 500000;
    std::string s = "%%MatrixMarket matrix coordinate real symmetric\n" + std::to_string(n) + " " +
                    std::to_string(n) + " " + std::to_string(2 * n - 1) + "\n";
    s.reserve(std::size_t(n) * 36);
    for (int i = 1; i <= n; ++i) {
      const double d = i == 1 ? 1 : i == n ? 10 : 3 + 0.5 * std::sin(double(i));
      s += std::to_string(i) + " " + std::to_string(i) + " " + std::to_string(d) + "\n";
      if (i < n) s += std::to_string(i + 1) + " " + std::to_string(i) + " -0.1\n";
    }
    spit(dir / "big.mtx", s);
    const Result r = run({"rate", "--method", "gd", "--eta", "0.15", "--matrix", dir / "big.mtx", "--json", "--quiet"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Json j = r.json();
    CHECK(j["problem"]["path"] == "extremes");
    // lambda_min ~ 0.996, lambda_max ~ 10.0015: rho = max |1 - 0.15 lambda| ~ 0.8506 at lambda_min.
    const double lo = num(j["spectral_radius_interval"][0]), hi = num(j["spectral_radius_interval"][1]);
    CHECK(lo <= hi);
    CHECK(hi - lo < 1e-6);
    CHECK(hi > 0.84);
    CHECK(hi < 0.86);
    // A dense n x n matrix would need 2 TB; the triplets, the matrix and its factor ~300 MB.
    INFO("peak memory " << r.peak_kib / 1024 << " MiB");
#if defined(__SANITIZE_ADDRESS__) || MOMENTUM_TEST_CLANG_ASAN
    CHECK(r.peak_kib < 2048 * 1024);  // AddressSanitizer's shadow memory and quarantine
#else
    CHECK(r.peak_kib < 600 * 1024);
#endif
  }
}
