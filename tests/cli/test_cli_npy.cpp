// End-to-end tests of NumPy .npy inputs (src/cli/npy.hpp): --matrix and --linear as .npy, in
// C and Fortran order, float64 and float32 (promoted exactly), integers, both byte orders,
// format versions 1.0 to 3.0, give what the same Q and c give as Matrix Market; broken or
// hostile files are refused with a message naming the argument, the file, the condition and
// the formats accepted. The files are written here byte by byte (no numpy needed).
#include "cli_support.hpp"

#include <momentum/worst_case.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <unistd.h>

using namespace cli_test;

namespace {

/// A .npy file: the preamble of format `major`.0, the header dict padded with blanks to a
/// multiple of 64 bytes and ended by a newline (as numpy writes it), then `data`.
std::string npy(const std::string& descr, bool fortran, const std::string& shape,
                const std::string& data, int major = 1) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  const std::size_t preamble = major == 1 ? 10 : 12;
  while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + char(major) + char(0);
  for (std::size_t k = 0; k < (major == 1 ? 2u : 4u); ++k) out += char((header.size() >> (8 * k)) & 0xff);
  return out + header + data;
}

/// Each value as the bytes of T, little-endian (or big-endian).
template <class T>
std::string raw(const std::vector<double>& values, bool big = false) {
  std::string s;
  for (const double v : values) {
    const T t = static_cast<T>(v);
    char b[sizeof(T)];
    std::memcpy(b, &t, sizeof(T));  // this machine is little-endian (x86-64, arm64)
    for (std::size_t k = 0; k < sizeof(T); ++k) s += b[big ? sizeof(T) - 1 - k : k];
  }
  return s;
}

/// The entries of a matrix given by rows, in C (row-major) or Fortran (column-major) order.
std::vector<double> flat(const std::vector<std::vector<double>>& rows, bool fortran) {
  std::vector<double> v;
  const std::size_t n = rows.size(), m = rows[0].size();
  for (std::size_t a = 0; a < (fortran ? m : n); ++a)
    for (std::size_t b = 0; b < (fortran ? n : m); ++b) v.push_back(fortran ? rows[b][a] : rows[a][b]);
  return v;
}

/// The same matrix as a Matrix Market array file (column-major), values printed exactly.
std::string mtx(const std::vector<std::vector<double>>& rows) {
  std::string s = "%%MatrixMarket matrix array real general\n" + std::to_string(rows.size()) + " " +
                  std::to_string(rows[0].size()) + "\n";
  char buf[64];
  for (std::size_t j = 0; j < rows[0].size(); ++j)
    for (const auto& r : rows) {
      std::snprintf(buf, sizeof buf, "%.17g\n", r[j]);
      s += buf;
    }
  return s;
}

// Symmetric positive definite, every entry exact in float32 and in int32 (scaled).
const std::vector<std::vector<double>> Q3 = {{2, -0.5, 0}, {-0.5, 3, 0.25}, {0, 0.25, 1.5}};
const std::string formats = "--matrix accepts Matrix Market files";

}  // namespace

TEST_SUITE("npy") {
  TEST_CASE("a .npy Q in C or Fortran order, float64 or float32, versions 1.0 to 3.0, gives the Matrix Market rate") {
    TempDir dir;
    spit(dir / "q.mtx", mtx(Q3));
    const std::vector<std::string> rate = {"rate", "--method", "heavy-ball", "--alpha", "0.2", "--beta", "0.4",
                                           "--json", "--matrix"};
    const Json ref = run_ok(cat(rate, {dir / "q.mtx"})).json();
    struct Variant {
      const char* name;
      std::string bytes;
    };
    const std::vector<Variant> variants = {
        {"c_f8.npy", npy("<f8", false, "(3, 3)", raw<double>(flat(Q3, false)))},
        {"f_f8.npy", npy("<f8", true, "(3, 3)", raw<double>(flat(Q3, true)))},
        {"c_f4.npy", npy("<f4", false, "(3, 3)", raw<float>(flat(Q3, false)))},
        {"f_f4_v2.npy", npy("<f4", true, "(3, 3)", raw<float>(flat(Q3, true)), 2)},
        {"be_f8_v3.npy", npy(">f8", false, "(3, 3)", raw<double>(flat(Q3, false), true), 3)},
        {"be_f4.npy", npy(">f4", true, "(3, 3)", raw<float>(flat(Q3, true), true))},
        {"no_extension", npy("<f8", false, "(3, 3)", raw<double>(flat(Q3, false)))},
    };
    for (const Variant& v : variants) {
      INFO(std::string(v.name));
      spit(dir / v.name, v.bytes);
      const Json j = run_ok(cat(rate, {dir / v.name})).json();
      CHECK(j["spectral_radius"] == ref["spectral_radius"]);
      CHECK(j["per_eigenvalue"] == ref["per_eigenvalue"]);
      CHECK(j["problem"]["path"] == "dense");
    }
    // Integers: 4 Q3 is integral (entries -2 to 12), as int32 and as big-endian int16.
    std::vector<std::vector<double>> Q4 = Q3;
    for (auto& r : Q4)
      for (double& x : r) x *= 4;
    spit(dir / "q4.mtx", mtx(Q4));
    spit(dir / "q4_i4.npy", npy("<i4", false, "(3, 3)", raw<std::int32_t>(flat(Q4, false))));
    spit(dir / "q4_i2.npy", npy(">i2", true, "(3, 3)", raw<std::int16_t>(flat(Q4, true), true)));
    const Json ref4 = run_ok(cat(rate, {dir / "q4.mtx"})).json();
    CHECK(run_ok(cat(rate, {dir / "q4_i4.npy"})).json()["spectral_radius"] == ref4["spectral_radius"]);
    CHECK(run_ok(cat(rate, {dir / "q4_i2.npy"})).json()["spectral_radius"] == ref4["spectral_radius"]);
  }

  TEST_CASE("float32 values are promoted exactly: 0.1f is 0.100000001490116119384765625, not 0.1") {
    TempDir dir;
    const std::vector<std::vector<double>> q = {{0.1, 0}, {0, 3}};
    spit(dir / "q.npy", npy("<f4", false, "(2, 2)", raw<float>(flat(q, false))));
    spit(dir / "exact.mtx", "%%MatrixMarket matrix array real general\n2 2\n0.100000001490116119384765625\n0\n0\n3\n");
    spit(dir / "decimal.mtx", "%%MatrixMarket matrix array real general\n2 2\n0.1\n0\n0\n3\n");
    const std::vector<std::string> rate = {"rate", "--method", "gd", "--eta", "0.3", "--digits", "40",
                                           "--json", "--matrix"};
    const std::string f4 = run_ok(cat(rate, {dir / "q.npy"})).json()["spectral_radius"];
    CHECK(f4 == run_ok(cat(rate, {dir / "exact.mtx"})).json()["spectral_radius"].get<std::string>());
    CHECK(f4 != run_ok(cat(rate, {dir / "decimal.mtx"})).json()["spectral_radius"].get<std::string>());
    // rho = 1 - 0.3 * 0.1f at lambda_min: 0.969999999552965164184570312500...
    CHECK(f4.rfind("0.9699999995529651641845703125", 0) == 0);
  }

  TEST_CASE("--linear c as .npy of shape (n,), (n, 1) or (1, n) gives the Matrix Market trajectory") {
    TempDir dir;
    spit(dir / "q.npy", npy("<f8", false, "(3, 3)", raw<double>(flat(Q3, false))));
    spit(dir / "q.mtx", mtx(Q3));
    spit(dir / "c.mtx", "%%MatrixMarket matrix array real general\n3 1\n1\n-2\n0.5\n");
    spit(dir / "q0.mtx", "%%MatrixMarket matrix array real general\n3 1\n0\n0\n0\n");
    const std::string c = raw<double>({1, -2, 0.5});
    spit(dir / "c1.npy", npy("<f8", false, "(3,)", c));
    spit(dir / "c31.npy", npy("<f8", false, "(3, 1)", c));
    spit(dir / "c13.npy", npy("<f4", true, "(1, 3)", raw<float>({1, -2, 0.5})));
    auto sim = [&](const std::string& q, const std::string& lin) {
      return run_ok({"simulate", "--method", "gd", "--eta", "0.2", "--matrix", dir / q, "--linear", dir / lin,
                     "--x0", "1,2,3", "--steps", "4", "--json"})
          .json();
    };
    const Json ref = sim("q.mtx", "c.mtx");
    CHECK(ref["checkpoints"] != sim("q.mtx", "q0.mtx")["checkpoints"]);  // c matters
    for (const std::string lin : {"c1.npy", "c31.npy", "c13.npy"}) {
      INFO(lin);
      const Json j = sim("q.npy", lin);
      REQUIRE(j["checkpoints"].size() == 5);
      CHECK(j["checkpoints"] == ref["checkpoints"]);
    }
  }

  TEST_CASE("a .npy Q takes the extremes path as a Matrix Market array does") {
    TempDir dir;
    // Tridiagonal, n = 60: 2 on the diagonal, -1 beside it (lambda = 2 - 2 cos(k pi / 61)).
    const int n = 60;
    std::vector<std::vector<double>> t(n, std::vector<double>(n, 0.0));
    for (int i = 0; i < n; ++i) {
      t[i][i] = 2;
      if (i + 1 < n) t[i][i + 1] = t[i + 1][i] = -1;
    }
    spit(dir / "t.npy", npy("<f8", true, "(60, 60)", raw<double>(flat(t, true))));
    const Json j = run_ok({"rate", "--method", "gd", "--eta", "0.3", "--matrix", dir / "t.npy", "--path", "extremes",
                           "--json"})
                       .json();
    CHECK(j["problem"]["path"] == "extremes");
    const double pi = std::acos(-1.0);
    const double lmin = 2 - 2 * std::cos(pi / (n + 1)), lmax = 2 - 2 * std::cos(n * pi / (n + 1));
    const double exact = momentum::worst_case(momentum::GradientDescent<double>(0.3), lmin, lmax).rho;
    CHECK(num(j["spectral_radius_interval"][0]) <= exact * (1 + 1e-15));
    CHECK(exact <= num(j["spectral_radius_interval"][1]) * (1 + 1e-15));
  }
}

TEST_SUITE("npy") {
  TEST_CASE("broken, unsupported and hostile .npy files are refused naming the file, the condition and the formats") {
    TempDir dir;
    const std::string q = raw<double>(flat(Q3, false));
    struct Case {
      const char* name;
      std::string bytes;
      std::vector<const char*> fragments;
    };
    std::string bad_version = npy("<f8", false, "(3, 3)", q);
    bad_version[6] = 4;
    const std::string nan = raw<double>({1, 0, 0, std::nan("")});
    const std::string inf = raw<double>({1, 0, 0, HUGE_VAL});
    const std::vector<Case> cases = {
        {"text.npy", "%%MatrixMarket matrix array real general\n1 1\n1\n", {"does not start with the magic bytes"}},
        {"version.npy", bad_version, {"version 4.0 is not supported"}},
        {"preamble.npy", std::string("\x93NUMPY\x01", 7), {"ends inside its .npy preamble"}},
        {"header.npy", npy("<f8", false, "(3, 3)", q).substr(0, 40), {"ends inside its .npy header"}},
        {"truncated.npy", npy("<f8", false, "(3, 3)", q.substr(0, 70)), {"needs 72 bytes of data, but the file holds 70 (truncated?)"}},
        {"longer.npy", npy("<f8", false, "(2, 2)", q), {"needs 32 bytes of data, but the file holds 72"}},
        {"complex.npy", npy("<c16", false, "(3, 3)", q + q), {"dtype '<c16' is complex", "float64 or float32"}},
        {"object.npy", npy("|O", false, "(3, 3)", q), {"dtype '|O' holds Python objects"}},
        {"string.npy", npy("<U3", false, "(3, 3)", q), {"dtype '<U3' holds strings"}},
        {"half.npy", npy("<f2", false, "(3, 3)", q.substr(0, 18)), {"dtype '<f2' is not supported"}},
        {"cube.npy", npy("<f8", false, "(1, 3, 3)", q), {"shape (1, 3, 3) has 3 dimensions"}},
        {"vector.npy", npy("<f8", false, "(9,)", q), {"shape (9,) is a vector", "(n, n)"}},
        {"wide.npy", npy("<f8", false, "(3, 2)", q.substr(0, 48)), {"Q must be square, got 3x2"}},
        {"empty_shape.npy", npy("<f8", false, "(0, 0)", ""), {"shape (0, 0) is empty"}},
        {"nan.npy", npy("<f8", false, "(2, 2)", nan), {"entry (2,2) is nan"}},
        {"inf.npy", npy("<f8", true, "(2, 2)", inf), {"entry (2,2) is infinite"}},
        {"dict.npy", npy("<f8", false, "(3, 3)", q).replace(10, 8, "{'descx'"), {"unknown key 'descx'"}},
        {"wide_int.npy", npy("<i8", false, "(1, 1)", raw<std::int64_t>({9007199254740994.0})),
         {"entry (1,1) = 9007199254740994", "beyond 2^53", "--digits 20"}},
        // A header claiming 10^12 values in a file of 128 bytes: refused before allocating.
        {"huge.npy", npy("<f8", false, "(1000000, 1000000)", q.substr(0, 16)),
         {"needs 8000000000000 bytes of data, but the file holds 16"}},
    };
    for (const Case& c : cases) {
      INFO(std::string(c.name));
      spit(dir / c.name, c.bytes);
      const std::vector<std::string> args = {"rate", "--method", "gd", "--eta", "0.1", "--quiet", "--matrix", dir / c.name};
      const Result r = run(args);
      INFO(show(args, r));
      CHECK(r.status == 2);
      std::vector<std::string> fragments(c.fragments.begin(), c.fragments.end());
      fragments.push_back("--matrix " + (dir / c.name) + ": ");
      fragments.push_back(formats);
      for (const std::string& f : fragments) {
        INFO("expected in stderr: " << f);
        CHECK(r.err.find(f) != std::string::npos);
      }
      CHECK(r.out.empty());
      CHECK(run(args).peak_kib < 200 * 1024);
    }
  }

  TEST_CASE("a .npy Q whose size the file backs but memory does not is refused before allocating") {
    TempDir dir;
    // A sparse file of the size a float64 matrix beyond all of this machine's memory needs.
    const double mem = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
    const long long n = static_cast<long long>(std::sqrt(mem / 8)) + 1;
    const std::string header = npy("<f8", false, "(" + std::to_string(n) + ", " + std::to_string(n) + ")", "");
    spit(dir / "big.npy", header);
    REQUIRE(truncate((dir / "big.npy").c_str(), off_t(header.size()) + off_t(8 * n * n)) == 0);
    const std::vector<std::string> args = {"rate", "--method", "gd", "--eta", "0.1", "--quiet", "--matrix",
                                           dir / "big.npy", "--path", "dense"};
    check_bad(args, {"--matrix", "would need about", "of memory", formats.c_str()});
    CHECK(run(args).peak_kib < 200 * 1024);
  }

  TEST_CASE("--linear: a matrix, a wrong size or a broken file names --linear and its formats") {
    TempDir dir;
    spit(dir / "q.npy", npy("<f8", false, "(3, 3)", raw<double>(flat(Q3, false))));
    spit(dir / "c22.npy", npy("<f8", false, "(2, 2)", raw<double>({1, 2, 3, 4})));
    spit(dir / "c2.npy", npy("<f8", false, "(2,)", raw<double>({1, 2})));
    spit(dir / "c.npy", "not numpy");
    const std::vector<std::string> sim = {"simulate", "--method", "gd", "--eta", "0.2", "--matrix", dir / "q.npy",
                                          "--x0", "1,2,3", "--steps", "2", "--linear"};
    check_bad(cat(sim, {dir / "c22.npy"}), {"--linear", "expected a vector, shape (n,)", "--linear accepts"});
    check_bad(cat(sim, {dir / "c2.npy"}), {"--linear", "c must have 3 entries"});
    check_bad(cat(sim, {dir / "c.npy"}), {"--linear", "magic bytes", "--linear accepts", "shape (n,)"});
  }

  TEST_CASE("Matrix Market errors name the accepted formats too: a .npy is no longer 'binary data'") {
    TempDir dir;
    spit(dir / "q.mtx", "%%MatrixMarket matrix array real general\n2 2\n1\n\x01\n");
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / "q.mtx"},
              {"--matrix", "binary data", formats.c_str(), "NumPy .npy files (float64 or float32"});
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--matrix", dir / "missing.mtx"},
              {"--matrix", "cannot read the file", formats.c_str()});
  }
}
