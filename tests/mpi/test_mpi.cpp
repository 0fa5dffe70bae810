// End-to-end tests of momentum-mpi (src/mpi): `mpirun -np 2 momentum-mpi rate` on matrices the
// tests write themselves, against the closed-form spectrum of the 2-D Laplacian
// (4 sin^2(j pi / (2(N+1))) + 4 sin^2(k pi / (2(N+1)))) and against the single-machine path
// (`momentum rate --matrix ... --path extremes --json`).
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <momentum/methods.hpp>
#include <momentum/worst_case.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

using Json = nlohmann::ordered_json;

// The process runner, temporary folders and file reading of the tool's end-to-end tests.
using cli_test::Result;
using cli_test::slurp;
using cli_test::spawn;
using cli_test::TempDir;

std::string show_command(const std::vector<std::string>& args, const Result& r) {
  std::string cmd;
  for (const auto& a : args) cmd += " " + a;
  return cmd + "\n  exit " + std::to_string(r.status) + "\n  stdout: " + r.out.substr(0, 3000) +
         "\n  stderr: " + r.err.substr(0, 3000);
}

/// mpirun -np `ranks` momentum-mpi args...
Result mpi(const std::vector<std::string>& args, int ranks = 2, int expected = 0) {
  std::vector<std::string> argv = {MOMENTUM_MPIEXEC, "-np", std::to_string(ranks), "--oversubscribe"};
  if (geteuid() == 0) argv.push_back("--allow-run-as-root");
  argv.push_back(MOMENTUM_MPI_EXE);
  argv.insert(argv.end(), args.begin(), args.end());
  const Result r = spawn(argv);
  INFO(show_command(argv, r));
  REQUIRE(r.status == expected);
  return r;
}

/// The single-machine tool.
Result serial(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {MOMENTUM_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  const Result r = spawn(argv);
  INFO(show_command(argv, r));
  REQUIRE(r.status == 0);
  return r;
}

/// Bad input: exit status 2 on every rank, each fragment in the message, no abort.
void check_bad(const std::vector<std::string>& args, std::initializer_list<std::string> fragments) {
  const Result r = mpi(args, 2, 2);
  INFO(show_command(args, r));
  for (const std::string& f : fragments) {
    INFO("expected in stderr: " << f);
    CHECK(r.err.find(f) != std::string::npos);
  }
  CHECK(r.err.find("MPI_ABORT") == std::string::npos);
  CHECK(r.err.find("failed on rank") == std::string::npos);
}

/// The 2-D Laplacian on an N x N grid (5-point stencil), column by column as scripts/bench.sh
/// writes it, so each rank's part of the file holds rows of the other rank too.
void write_laplacian(const std::string& path, int N, bool symmetric = true, double shift = 0) {
  std::ofstream out(path);
  const long n = long(N) * N;
  out << "%%MatrixMarket matrix coordinate real " << (symmetric ? "symmetric" : "general") << "\n";
  out << "% 2-D Laplacian, N = " << N << "\n";
  out << n << " " << n << " " << (symmetric ? n + 2L * N * (N - 1) : n + 4L * N * (N - 1)) << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", 4 - shift);
  for (int j = 0; j < N; ++j)
    for (int i = 0; i < N; ++i) {
      const long k = long(j) * N + i + 1;
      out << k << " " << k << " " << buf << "\n";
      if (i + 1 < N) out << k + 1 << " " << k << " -1\n";
      if (j + 1 < N) out << k + N << " " << k << " -1\n";
      if (!symmetric && i > 0) out << k - 1 << " " << k << " -1\n";
      if (!symmetric && j > 0) out << k - N << " " << k << " -1\n";
    }
}

/// A random sparse symmetric positive definite matrix (diagonally dominant), both triangles
/// stored (a `general` file: the symmetry check runs), entries in random order.
void write_random_spd(const std::string& path, int n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_int_distribution<int> col(0, n - 1);
  std::vector<double> diag(static_cast<std::size_t>(n), 0);
  std::vector<std::string> lines;
  char buf[96];
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < 4; ++k) {
      const int j = col(g);
      if (j == i) continue;
      const double v = u(g);
      diag[static_cast<std::size_t>(i)] += std::abs(v);
      diag[static_cast<std::size_t>(j)] += std::abs(v);
      std::snprintf(buf, sizeof buf, "%d %d %.17g\n", i + 1, j + 1, v);
      lines.push_back(buf);
      std::snprintf(buf, sizeof buf, "%d %d %.17g\n", j + 1, i + 1, v);
      lines.push_back(buf);
    }
  for (int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%d %d %.17g\n", i + 1, i + 1,
                  diag[static_cast<std::size_t>(i)] + 0.01 + 2 * std::abs(u(g)));
    lines.push_back(buf);
  }
  std::shuffle(lines.begin(), lines.end(), g);
  std::ofstream out(path);
  out << "%%MatrixMarket matrix coordinate real general\n" << n << " " << n << " " << lines.size() << "\n";
  for (const auto& l : lines) out << l;
}

struct Exact {
  long double min, max;
};
Exact laplacian_extremes(int N) {
  const long double pi = 3.141592653589793238462643383279502884L;
  const long double s = std::sin(pi / (2 * (N + 1))), c = std::sin(N * pi / (2 * (N + 1)));
  return {8 * s * s, 8 * c * c};
}

double number(const Json& j) { return std::stod(j.get<std::string>()); }

long double rel(long double a, long double b) { return std::abs(a - b) / std::abs(b); }

/// Both ends refined, within 1e-10 of `exact`, the exact values inside the enclosures.
void check_ends(const Json& j, const Exact& exact) {
  for (const auto& [end, value] : {std::pair{"lambda_min", exact.min}, std::pair{"lambda_max", exact.max}}) {
    const Json& e = j["eigenvalues"][end];
    INFO(end << ": " << e.dump());
    CHECK(e["refined"].get<bool>());
    CHECK(rel(number(e["estimate"]), value) < 1e-10L);
    CHECK(number(e["enclosure"][0]) <= value);
    CHECK(value <= number(e["enclosure"][1]));
  }
}

/// The exact worst-case rate of the Laplacian lies in the reported interval.
template <class Method>
void check_rate(const Json& j, const Method& m, const Exact& exact) {
  const long double rho = momentum::worst_case(m, exact.min, exact.max).rho;
  INFO("exact rho " << double(rho) << ", reported " << j["spectral_radius_interval"].dump());
  CHECK(number(j["spectral_radius_interval"][0]) <= rho * (1 + 1e-15L));
  CHECK(rho <= number(j["spectral_radius_interval"][1]) * (1 + 1e-15L));
}

/// Agreement with the single-machine path on the same file.
void check_same_as_serial(const Json& d, const Json& s) {
  CHECK(d["spectral_radius"] == s["spectral_radius"]);
  CHECK(d["regime"] == s["regime"]);
  CHECK(d["converges"] == s["converges"]);
  for (const char* end : {"lambda_min", "lambda_max"}) {
    INFO(end << ": distributed " << d["eigenvalues"][end].dump() << "\n serial " << s["eigenvalues"][end].dump());
    if (s["eigenvalues"][end]["solver"] == "bounds") {
      // The single-machine path left lambda_max as its bounds (it cannot decide the rate): the
      // two proven enclosures of lambda_max intersect, and the distributed Ritz value (a
      // Rayleigh quotient, rough or refined) lies below the bounds' top.
      const Json& de = d["eigenvalues"][end];
      const Json& se = s["eigenvalues"][end];
      CHECK(number(de["enclosure"][0]) <= number(se["enclosure"][1]));
      CHECK(number(se["enclosure"][0]) <= number(de["enclosure"][1]));
      CHECK(number(de["estimate"]) <= number(se["enclosure"][1]));
      continue;
    }
    CHECK(rel(number(d["eigenvalues"][end]["estimate"]), number(s["eigenvalues"][end]["estimate"])) < 1e-10L);
  }
  CHECK(std::abs(number(d["spectral_radius_estimate"]) - number(s["spectral_radius_estimate"])) < 1e-10);
}

}  // namespace

TEST_SUITE("laplacian_100") {
  TEST_CASE("N = 100: every solver pair gives the closed form to 1e-10 and the single-machine rate") {
    TempDir dir;
    const std::string Q = dir / "lap100.mtx";
    write_laplacian(Q, 100);
    const Exact exact = laplacian_extremes(100);
    const std::vector<std::string> method = {"--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.5"};
    auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> a = {"rate"};
      a.insert(a.end(), method.begin(), method.end());
      a.insert(a.end(), {"--matrix", Q, "--json", "--quiet", "--refine", "both"});
      a.insert(a.end(), extra.begin(), extra.end());
      return a;
    };
    std::vector<std::string> serial_args = {"rate"};
    serial_args.insert(serial_args.end(), method.begin(), method.end());
    serial_args.insert(serial_args.end(), {"--matrix", Q, "--json", "--quiet", "--path", "extremes"});
    const Json s = serial(serial_args).json();
    const momentum::HeavyBall<long double> hb(0.1L, 0.5L);

    const Json d = mpi(with({})).json();
    CHECK(d["problem"]["path"] == "distributed");
    CHECK(d["problem"]["ranks"] == 2);
    CHECK(d["problem"]["dimension"] == 10000);
    CHECK(d["eigenvalues"]["lambda_min"]["solver"] == "lobpcg+gamg");
    CHECK(d["eigenvalues"]["lambda_max"]["solver"].get<std::string>().rfind("lanczos", 0) == 0);
    CHECK(d["certified"].get<bool>());
    check_ends(d, exact);
    check_rate(d, hb, exact);
    check_same_as_serial(d, s);

    for (const auto& [smallest, largest] : {std::pair{"lobpcg-hypre", "krylov-schur"},
                                            std::pair{"shift-invert", "lanczos"}}) {
      INFO("--smallest " << smallest << " --largest " << largest);
      const Json o = mpi(with({"--smallest", smallest, "--largest", largest})).json();
      check_ends(o, exact);
      check_rate(o, hb, exact);
      check_same_as_serial(o, s);
    }

    // The text report names the solver of each end.
    std::vector<std::string> text = with({});
    text.erase(std::find(text.begin(), text.end(), "--json"));
    const Result t = mpi(text);
    CHECK(t.out.find("lobpcg+gamg") != std::string::npos);
    CHECK(t.out.find("spectral radius") != std::string::npos);
    CHECK(t.out.find(s["spectral_radius"].get<std::string>()) != std::string::npos);
  }
}

TEST_SUITE("laplacian_300") {
  TEST_CASE("N = 300, default solvers and refinement, the heavy ball tuned to the spectrum") {
    TempDir dir;
    const std::string Q = dir / "lap300.mtx";
    write_laplacian(Q, 300);
    const Exact exact = laplacian_extremes(300);
    // Tuned for [lambda_min, lambda_max] / [0.9, 1.1]: both ends decide the rate (equal rho).
    const double mu = double(exact.min) * 0.9, L = double(exact.max) * 1.1;
    const double a = 4 / ((std::sqrt(L) + std::sqrt(mu)) * (std::sqrt(L) + std::sqrt(mu)));
    const double r = (std::sqrt(L) - std::sqrt(mu)) / (std::sqrt(L) + std::sqrt(mu));
    char alpha[40], beta[40];
    std::snprintf(alpha, sizeof alpha, "%.17g", a);
    std::snprintf(beta, sizeof beta, "%.17g", r * r);
    const std::vector<std::string> args = {"rate", "--method", "heavy-ball", "--alpha", alpha,
                                           "--beta", beta, "--matrix", Q, "--json", "--quiet"};
    const Json d = mpi(args).json();
    check_ends(d, exact);
    check_rate(d, momentum::HeavyBall<long double>(std::stold(alpha), std::stold(beta)), exact);
    CHECK(d["certified"].get<bool>());
    CHECK(d["eigenvalues"]["lambda_min"]["certified"].get<bool>());
    CHECK(d["eigenvalues"]["lambda_max"]["certified"].get<bool>());
    std::vector<std::string> sa(args);
    sa.insert(sa.end(), {"--path", "extremes"});
    check_same_as_serial(d, serial(sa).json());
  }
}

TEST_SUITE("random_spd") {
  TEST_CASE("a random sparse SPD matrix (general file, random order): as the single-machine path") {
    TempDir dir;
    const std::string Q = dir / "spd.mtx";
    write_random_spd(Q, 3000, 20261124);
    for (const std::vector<std::string>& method :
         {std::vector<std::string>{"--method", "nesterov", "--alpha", "0.05", "--beta", "0.8"},
          std::vector<std::string>{"--method", "gd", "--eta", "0.1"},
          // The parameterizations (issue 17); PyTorch's weight decay moves both ends.
          std::vector<std::string>{"--method", "pytorch", "--lr", "0.05", "--momentum", "0.8",
                                   "--dampening", "0.1", "--weight-decay", "0.01"},
          std::vector<std::string>{"--method", "qhm", "--alpha", "0.1", "--nu", "0.7", "--beta", "0.8"},
          std::vector<std::string>{"--method", "general", "--alpha", "0.05", "--beta", "0.8",
                                   "--gamma", "0.3"}}) {
      std::vector<std::string> args = {"rate"};
      args.insert(args.end(), method.begin(), method.end());
      args.insert(args.end(), {"--matrix", Q, "--json", "--quiet"});
      std::vector<std::string> da(args), sa(args);
      da.insert(da.end(), {"--refine", "both"});
      sa.insert(sa.end(), {"--path", "extremes"});
      const Json d = mpi(da).json(), s = serial(sa).json();
      INFO(method[1]);
      CHECK(d["problem"]["format"] == "Matrix Market coordinate general");
      CHECK(d["certified"].get<bool>());
      check_same_as_serial(d, s);
      for (const char* end : {"lambda_min", "lambda_max"}) {
        // Both enclosures are proofs for the same matrix: they must overlap.
        const Json &de = d["eigenvalues"][end]["enclosure"], &se = s["eigenvalues"][end]["enclosure"];
        CHECK(number(de[0]) <= number(se[1]));
        CHECK(number(se[0]) <= number(de[1]));
      }
    }
  }
}

TEST_SUITE("refine") {
  TEST_CASE("an end that cannot move the rate is left rough, and the rate is unchanged") {
    TempDir dir;
    const std::string Q = dir / "lap100.mtx";
    write_laplacian(Q, 100);
    const Exact exact = laplacian_extremes(100);
    struct Case {
      const char* eta;
      const char* rough;  // the end that cannot decide
      const char* decisive;
    };
    // eta = 0.2: rho(lambda_max) = 0.6 < rho(lambda_min) = 0.9996; eta = 0.2505: rho(lambda_max)
    // = 1.0035 > rho(lambda_min) (gradient descent diverges).
    for (const Case c : {Case{"0.2", "lambda_max", "lambda_min"}, Case{"0.2505", "lambda_min", "lambda_max"}}) {
      INFO("eta = " << std::string(c.eta));
      const std::vector<std::string> args = {"rate", "--method", "gd", "--eta", c.eta, "--matrix",
                                             Q, "--json", "--quiet"};
      const Json d = mpi(args).json();
      std::vector<std::string> both(args);
      both.insert(both.end(), {"--refine", "both"});
      const Json b = mpi(both).json();
      CHECK_FALSE(d["eigenvalues"][c.rough]["refined"].get<bool>());
      CHECK(d["eigenvalues"][c.decisive]["refined"].get<bool>());
      CHECK(d["eigenvalues"][c.decisive]["certified"].get<bool>());
      CHECK(d["note"].get<std::string>().find(std::string(c.rough) + " was not refined") != std::string::npos);
      CHECK(d["certified"].get<bool>());
      CHECK(d["spectral_radius"] == b["spectral_radius"]);
      // Both intervals are proofs for the same rate (the refined end's Ritz vector differs:
      // warm-started from the rough pass or not), so they overlap.
      CHECK(number(d["spectral_radius_interval"][0]) <= number(b["spectral_radius_interval"][1]));
      CHECK(number(b["spectral_radius_interval"][0]) <= number(d["spectral_radius_interval"][1]));
      check_rate(d, momentum::GradientDescent<long double>(std::stold(c.eta)), exact);
      CHECK(d["converges"].get<bool>() == (std::string(c.eta) == "0.2"));
    }
  }
}

TEST_SUITE("binary") {
  TEST_CASE("convert to PETSc binary, and the rate from the binary file is the same") {
    TempDir dir;
    const std::string Q = dir / "lap100.mtx", B = dir / "lap100.petsc";
    write_laplacian(Q, 100, false);  // general: both triangles in the file
    const Result c = mpi({"convert", "--matrix", Q, "--output", B});
    CHECK(c.out.find("wrote " + B) != std::string::npos);
    check_bad({"convert", "--matrix", Q, "--output", B}, {"--output " + B, "exists"});
    const std::vector<std::string> tail = {"--json", "--quiet", "--refine", "both"};
    std::vector<std::string> from_text = {"rate", "--method", "gd", "--eta", "0.2", "--matrix", Q};
    std::vector<std::string> from_binary = {"rate", "--method", "gd", "--eta", "0.2", "--matrix", B};
    from_text.insert(from_text.end(), tail.begin(), tail.end());
    from_binary.insert(from_binary.end(), tail.begin(), tail.end());
    const Json t = mpi(from_text).json(), b = mpi(from_binary, 1).json();
    CHECK(b["problem"]["format"] == "PETSc binary");
    CHECK(b["problem"]["ranks"] == 1);
    CHECK(b["problem"]["dimension"] == 10000);
    check_ends(b, laplacian_extremes(100));
    CHECK(b["spectral_radius"] == t["spectral_radius"]);
  }
}

TEST_SUITE("bad_input") {
  TEST_CASE("broken, non-symmetric, indefinite, dense and oversized inputs: exit 2, a clear message") {
    TempDir dir;
    const std::string rate[] = {"rate", "--method", "gd", "--eta", "0.2", "--quiet", "--matrix"};
    auto args = [&](const std::string& file, std::vector<std::string> extra = {}) {
      std::vector<std::string> a(std::begin(rate), std::end(rate));
      a.push_back(file);
      a.insert(a.end(), extra.begin(), extra.end());
      return a;
    };
    // A broken entry three quarters into the file: on the second rank's part; the message has
    // the line number of the whole file.
    const std::string good = dir / "lap30.mtx";
    write_laplacian(good, 30);
    std::vector<std::string> lines;
    {
      std::ifstream in(good);
      for (std::string l; std::getline(in, l);) lines.push_back(l);
    }
    const std::size_t at = lines.size() * 3 / 4;
    const std::string broken = dir / "broken.mtx", truncated = dir / "truncated.mtx";
    {
      std::ofstream out(broken);
      for (std::size_t i = 0; i < lines.size(); ++i) out << (i == at ? "17 x -1" : lines[i]) << "\n";
      std::ofstream cut(truncated);
      for (std::size_t i = 0; i + 5 < lines.size(); ++i) cut << lines[i] << "\n";
    }
    check_bad(args(broken), {"--matrix " + broken + ": line " + std::to_string(at + 1) + ":", "column index x"});
    check_bad(args(truncated), {"--matrix " + truncated, "truncated"});

    const std::string nonsym = dir / "nonsym.mtx";
    {
      std::ofstream out(nonsym);
      out << "%%MatrixMarket matrix coordinate real general\n3 3 5\n1 1 2\n2 2 2\n3 3 2\n2 1 1\n1 2 0.5\n";
    }
    check_bad(args(nonsym), {"--matrix " + nonsym, "must be symmetric", "Q(2,1)"});

    // The Laplacian minus 4.5 I: a negative diagonal, refused before any solver runs; minus
    // I: a positive diagonal, but a negative lambda_min near -1.
    const std::string negative_diagonal = dir / "negative_diagonal.mtx", indefinite = dir / "indefinite.mtx";
    write_laplacian(negative_diagonal, 30, true, 4.5);
    check_bad(args(negative_diagonal), {"--matrix " + negative_diagonal, "positive definite", "diagonal entry (1,1) is -0.5"});
    write_laplacian(indefinite, 30, true, 1);
    check_bad(args(indefinite), {"--matrix " + indefinite, "positive definite", "indefinite"});

    const std::string dense = dir / "dense.mtx";
    {
      std::ofstream out(dense);
      out << "%%MatrixMarket matrix array real general\n2 2\n2\n0\n0\n2\n";
    }
    check_bad(args(dense), {"--matrix " + dense, "coordinate"});

    const std::string huge = dir / "huge.mtx";
    {
      std::ofstream out(huge);
      out << "%%MatrixMarket matrix coordinate real symmetric\n2147483647 2147483647 1\n1 1 1\n";
    }
    check_bad(args(huge), {"--matrix " + huge, "PETSc's index limit", "2147483647"});

    const std::string bad_binary = dir / "bad.petsc";
    {
      std::ofstream out(bad_binary, std::ios::binary);
      const unsigned char header[16] = {0x00, 0x12, 0x7b, 0x50, 0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 0, 0, 0xc3, 0x50};
      out.write(reinterpret_cast<const char*>(header), 16);
    }
    check_bad(args(bad_binary), {"--matrix " + bad_binary, "truncated"});

    check_bad(args(dir / "missing.mtx"), {"--matrix " + dir / "missing.mtx", "cannot read"});
    check_bad(args(good, {"--smallest", "magic"}), {"--smallest", "lobpcg"});
    check_bad(args(good, {"--ncv", "2"}), {"--ncv", "at least 3"});
    check_bad(args(good, {"--eigen-tol", "0.5"}), {"--eigen-tol"});
    check_bad({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--matrix", good}, {"--beta"});
  }
}
