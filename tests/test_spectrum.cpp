// Tests for spectrum.hpp: closed-form roots and radii against the general eigen-solver, the
// regimes at exact critical and boundary points, Jordan detection, and accuracy at the tuned
// heavy ball.
#include "test_support.hpp"

#include <momentum/eigen.hpp>
#include <momentum/spectrum.hpp>
#include <momentum/tuning.hpp>

#include <map>

using namespace momentum;

namespace {

template <class T, class M>
Matrix<T> dense(const M& m) {
  return Matrix<T>(m);
}

/// Compares the closed form with Eigen's general solver. The general solver's eigenvalue error
/// is about eps ||M|| times the eigenvalue condition number, ~ ||M|| / |z1 - z2| for a 2x2
/// (bounded by sqrt(eps) ||M|| at a double root).
template <class T, class Method>
void check_against_general(const Method& m, const T& lambda, std::map<Regime, int>& seen) {
  using std::abs;
  using std::min;
  using std::sqrt;
  const auto M = iteration_matrix(m, lambda);
  const Spectrum<T> sp = spectrum(m, lambda);
  ++seen[sp.regime];
  const GeneralSpectrum<T> g = general_spectrum(dense<T>(M));
  const T norm = M.cwiseAbs().maxCoeff() + 1;
  const T sep = sqrt(abs(sp.discriminant));
  const T eps = epsilon<T>();
  const T cond = sep > 0 ? T(min(T(norm / sep), T(1 / sqrt(eps)))) : T(1 / sqrt(eps));
  const T tol = 64 * eps * norm * (1 + cond);
  INFO("lambda=" << test::str(lambda) << " rho=" << test::str(sp.rho) << " general="
                 << test::str(g.rho) << " regime=" << to_string(sp.regime));
  CHECK(abs(sp.rho - g.rho) <= tol);
  // Root sets agree: each closed-form root is near some general-solver root.
  for (int i = 0; i < sp.count; ++i) {
    T best = std::numeric_limits<T>::max();
    for (std::size_t j = 0; j < g.re.size(); ++j) {
      const T d = abs(sp.roots[static_cast<std::size_t>(i)].re - g.re[j]) +
                  abs(sp.roots[static_cast<std::size_t>(i)].im - g.im[j]);
      if (d < best) best = d;
    }
    CHECK(best <= 2 * tol);
  }
  // Vieta: the roots multiply to the determinant and add to the trace.
  if (sp.count == 2) {
    const auto& r = sp.roots;
    const T prod_re = r[0].re * r[1].re - r[0].im * r[1].im;
    CHECK(abs(prod_re - M.determinant()) <= tol * norm);
    CHECK(abs(r[0].re + r[1].re - M.trace()) <= tol);
  }
}

}  // namespace

TEST_CASE_TEMPLATE("closed-form roots and radii match the general eigen-solver (1000 cases/method)",
                   T, MOMENTUM_SCALARS) {
  std::mt19937_64 g(20261124);
  INFO("seed 20261124");
  std::map<Regime, int> seen_gd, seen_hb, seen_v, seen_n;
  for (int k = 0; k < 1000; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 10);
    const T step = test::uniform<T>(g, -0.2, 1.5);
    const T beta = test::uniform<T>(g, -1.3, 1.3);
    check_against_general(GradientDescent<T>(step), lambda, seen_gd);
    check_against_general(HeavyBall<T>(step, beta), lambda, seen_hb);
    check_against_general(Velocity<T>(step, beta), lambda, seen_v);
    check_against_general(Nesterov<T>(step, beta), lambda, seen_n);
  }
  // The sample covers the generic regimes of every method.
  for (auto* seen : {&seen_hb, &seen_v, &seen_n}) {
    CHECK((*seen)[Regime::complex] > 50);
    CHECK((*seen)[Regime::real_distinct] > 50);
    CHECK((*seen)[Regime::divergent] > 50);
  }
  CHECK(seen_gd[Regime::monotone] > 50);
  CHECK(seen_gd[Regime::oscillating] > 50);
  CHECK(seen_gd[Regime::divergent] > 50);
}

TEST_CASE_TEMPLATE("the tuned heavy ball is critically damped at mu and L, complex inside", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  for (const char* L : {"2", "10", "100", "1e4", "1e6", "1e8"}) {
    const T mu = parse<T>("1"), Lv = parse<T>(L);
    const auto tuned = optimal_heavy_ball(mu, Lv);
    INFO("kappa = " << std::string(L));
    for (const T& lam : {mu, Lv}) {
      const Spectrum<T> sp = spectrum(tuned.method, lam);
      CHECK(sp.regime == Regime::critical);
      CHECK(sp.double_root);
      CHECK(sp.jordan);
      // A few ulps of the exact rate (sqrt kappa - 1)/(sqrt kappa + 1), not sqrt(eps); both
      // sides carry a few roundings of quantities of size up to 2.
      CHECK(abs(sp.rho - tuned.rate) <= test::ulps<T>(8));
    }
    const Spectrum<T> mid = spectrum(tuned.method, T((mu + Lv) / 2));
    CHECK(mid.regime == Regime::complex);
    CHECK(abs(mid.rho - tuned.rate) <= test::ulps<T>(8));
  }
}

TEST_CASE("tuned heavy ball in double: rho to a few ulps of the exact rate") {
  // Exact rates (sqrt kappa - 1)/(sqrt kappa + 1) computed at 60 digits.
  const std::pair<double, const char*> cases[] = {
      {100, "0.818181818181818181818181818181818181818181818181818181818"},
      {1e4, "0.980198019801980198019801980198019801980198019801980198020"},
      {2, "0.171572875253809902396622551580603842860656249246103853646"},
  };
  for (const auto& c : cases) {
    const double kappa = c.first;  // not a structured binding: INFO captures it (C++17, Clang)
    const char* const exact_str = c.second;
    const auto tuned = optimal_heavy_ball(1.0, kappa);
    const mpfr_float exact(exact_str);
    for (double lam : {1.0, kappa}) {
      const double rho = spectrum(tuned.method, lam).rho;
      const double ulps_off =
          static_cast<double>(abs(mpfr_float(rho) - exact) / (exact * epsilon<double>()));
      INFO("kappa=" << kappa << " lambda=" << lam << " error in ulps: " << ulps_off);
      CHECK(ulps_off <= 4);
    }
  }
}

TEST_CASE_TEMPLATE("critical damping of one eigenvalue: beta = (1 - sqrt(s))^2", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  using std::sqrt;
  for (const char* s_str : {"0.01", "0.25", "1/3", "0.9", "2", "3.5"}) {
    const T s = parse<T>(s_str);
    const T beta = critical_beta(s, T(1));
    const Spectrum<T> sp = spectrum(HeavyBall<T>(s, beta), T(1));
    INFO("s = " << std::string(s_str));
    CHECK(sp.double_root);
    CHECK(sp.jordan);
    CHECK(abs(sp.rho - abs(1 - sqrt(s))) <= test::ulps<T>(8));
    CHECK(abs(sp.critical_distance) <= test::ulps<T>(64));
    // The velocity form's R has the same double root and is a non-trivial block too.
    const Spectrum<T> sv = spectrum(Velocity<T>(s, beta), T(1));
    CHECK(sv.double_root);
    CHECK(sv.jordan);
  }
  // The other critical point s = (1 + sqrt beta)^2: negative double root -sqrt(beta).
  const T beta = parse<T>("0.25");
  const Spectrum<T> sp = spectrum(HeavyBall<T>(parse<T>("2.25"), beta), T(1));
  CHECK(sp.regime == Regime::critical);
  CHECK(abs(sp.roots[0].re + T(1) / 2) <= test::ulps<T>(4));
}

TEST_CASE_TEMPLATE("exact rational critical points at 50 digits", T, momentum::float50,
                   momentum::mpfr_float) {
  // mu = 1, L = 100: alpha = 4/121, beta = 81/121; both mu and L are double roots.
  const HeavyBall<T> hb(parse<T>("4/121"), parse<T>("81/121"));
  for (const char* lam : {"1", "100"}) {
    const Spectrum<T> sp = spectrum(hb, parse<T>(lam));
    CHECK(sp.regime == Regime::critical);
    CHECK(abs(sp.rho - T(9) / 11) <= test::ulps<T>(4));
  }
  CHECK(spectrum(hb, parse<T>("1.0000001")).regime == Regime::complex);
  CHECK(spectrum(hb, parse<T>("0.9999999")).regime == Regime::real_distinct);
  // Nesterov's double root q = 4 beta/(1 + beta)^2: beta = 1/2 gives q = 8/9, z = 2/3.
  const Nesterov<T> n(parse<T>("1/9"), parse<T>("1/2"));
  const Spectrum<T> sn = spectrum(n, T(1));
  CHECK(sn.regime == Regime::critical);
  CHECK(sn.jordan);
  CHECK(abs(sn.rho - T(2) / 3) <= test::ulps<T>(4));
}

TEST_CASE_TEMPLATE("boundary cases: alpha*lambda = 2(1 + beta) and beta = 1", T, MOMENTUM_SCALARS) {
  using std::abs;
  for (const char* b : {"0", "0.5", "1/3", "-0.5", "0.9"}) {
    const T beta = parse<T>(b);
    const T s = 2 * (1 + beta);
    const Spectrum<T> sp = spectrum(HeavyBall<T>(s, beta), T(1));
    INFO("beta = " << std::string(b));
    CHECK(sp.regime == Regime::boundary);
    CHECK_FALSE(sp.converges());
    // Roots -1 and -beta, to the error bound. The bound is a small multiple of epsilon unless
    // the case is near a double root: beta = 0.9 puts s = 3.8 within 0.003 of the double root
    // (1 + sqrt 0.9)^2 = 3.797, where the roots' condition number is ~1/sqrt(discriminant).
    CHECK(abs(sp.roots[0].re + 1) <= sp.rho_error);
    CHECK(sp.rho_error <= test::ulps<T>(std::string(b) == "0.9" ? 5000 : 200));
  }
  const Spectrum<T> b1 = spectrum(HeavyBall<T>(parse<T>("0.5"), T(1)), T(1));
  CHECK(b1.regime == Regime::boundary);
  CHECK(b1.rho == 1);
  // beta slightly above 1 diverges; alpha*lambda beyond 2(1 + beta) diverges.
  CHECK(spectrum(HeavyBall<T>(parse<T>("0.5"), parse<T>("1.01")), T(1)).regime ==
        Regime::divergent);
  CHECK(spectrum(HeavyBall<T>(parse<T>("3.1"), parse<T>("0.5")), T(1)).regime ==
        Regime::divergent);
  // s = 0: roots 1 and beta.
  CHECK(spectrum(HeavyBall<T>(T(0), parse<T>("0.5")), T(1)).regime == Regime::boundary);
}

TEST_CASE_TEMPLATE("gradient descent's own regimes", T, MOMENTUM_SCALARS) {
  const T l = parse<T>("4");
  CHECK(spectrum(GradientDescent<T>(parse<T>("0.1")), l).regime == Regime::monotone);
  CHECK(spectrum(GradientDescent<T>(parse<T>("0.25")), l).regime == Regime::one_step);
  CHECK(spectrum(GradientDescent<T>(parse<T>("0.25")), l).rho == 0);
  CHECK(spectrum(GradientDescent<T>(parse<T>("0.4")), l).regime == Regime::oscillating);
  CHECK(spectrum(GradientDescent<T>(parse<T>("0.5")), l).regime == Regime::boundary);
  CHECK(spectrum(GradientDescent<T>(parse<T>("0.6")), l).regime == Regime::divergent);
  CHECK(spectrum(GradientDescent<T>(T(0)), l).regime == Regime::boundary);
  CHECK(spectrum(GradientDescent<T>(T(-1)), l).regime == Regime::divergent);
  // d2l's eta = 0.6 on lambda = 4: rho = 1.4 (x2 blows up to -1673 in 20 steps).
  CHECK(abs(spectrum(GradientDescent<T>(parse<T>("0.6")), l).rho - parse<T>("1.4")) <=
        test::ulps<T>(8));
}

TEST_CASE_TEMPLATE("Nesterov at q = 0 is nilpotent: rho = 0 with a Jordan block", T,
                   MOMENTUM_SCALARS) {
  const Spectrum<T> sp = spectrum(Nesterov<T>(parse<T>("0.5"), parse<T>("0.7")), T(2));
  CHECK(sp.rho == 0);
  CHECK(sp.regime == Regime::critical);
  CHECK(sp.jordan);
}

TEST_CASE_TEMPLATE("complex regime: rho = sqrt(beta), independent of the step", T,
                   MOMENTUM_SCALARS) {
  using std::sqrt;
  const T beta = parse<T>("0.5");
  for (const char* a : {"0.3", "1", "2"}) {
    const Spectrum<T> sp = spectrum(HeavyBall<T>(parse<T>(a), beta), T(1));
    CHECK(sp.regime == Regime::complex);
    CHECK(abs(sp.rho - sqrt(beta)) <= test::ulps<T>(2));
    CHECK(sp.critical_distance < 0);
  }
}

TEST_CASE("d2l's velocity example: eta = 0.6, beta = 0.5 on lambda = 0.2 and 4") {
  // s = 0.12 and 2.4 both lie between (1 - sqrt .5)^2 = 0.086 and (1 + sqrt .5)^2 = 2.91: complex.
  const Velocity<float50> v(parse<float50>("0.6"), parse<float50>("0.5"));
  const auto a = spectrum(v, parse<float50>("0.2"));
  const auto b = spectrum(v, parse<float50>("4"));
  CHECK(a.regime == Regime::complex);
  CHECK(b.regime == Regime::complex);
  CHECK(abs(a.rho - sqrt(float50(1) / 2)) <= test::ulps<float50>(4));
}

TEST_CASE_TEMPLATE("every finite (step, beta) is analysed: step <= 0 and |beta| >= 1 included", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  using std::sqrt;
  const T one(1), two(2);
  // Heavy ball with alpha <= 0: s <= 0 puts a root at or beyond 1.
  CHECK(spectrum(HeavyBall<T>(T(0), T(1) / 2), one).regime == Regime::boundary);
  const Spectrum<T> neg = spectrum(HeavyBall<T>(T(-1) / 10, T(1) / 2), two);
  CHECK(neg.regime == Regime::divergent);
  // tau = 1.7, delta = 0.89: rho = (1.7 + sqrt(0.89))/2.
  CHECK(abs(neg.rho - (parse<T>("1.7") + sqrt(parse<T>("0.89"))) / 2) <= test::ulps<T>(16));
  // beta = -1: roots of z^2 - tau z - 1 multiply to -1, one is outside the unit disk.
  CHECK(spectrum(HeavyBall<T>(T(1) / 10, T(-1)), one).regime == Regime::divergent);
  // |beta| > 1 for heavy ball and the velocity form: the roots multiply to beta.
  for (const char* b : {"1.5", "-1.5", "5", "-5"}) {
    INFO("beta = " << std::string(b));
    const T beta = parse<T>(b);
    const Spectrum<T> h = spectrum(HeavyBall<T>(T(1) / 10, beta), one);
    CHECK(h.regime == Regime::divergent);
    CHECK(h.rho >= sqrt(abs(beta)) * (1 - test::ulps<T>(8)));
    CHECK(spectrum(Velocity<T>(T(1) / 10, beta), one).rho == h.rho);
  }
  // Nesterov with beta = 1 converges where 0 < q < 1: complex roots of modulus sqrt(q).
  const Spectrum<T> n1 = spectrum(Nesterov<T>(T(1) / 10, T(1)), one);
  CHECK(n1.regime == Regime::complex);
  CHECK(abs(n1.rho - sqrt(parse<T>("0.9"))) <= test::ulps<T>(8));
  // Nesterov with beta = 1.5 converges exactly for alpha*lambda in (1/3, 5/4) (regions.hpp).
  const T b15 = parse<T>("1.5");
  CHECK(spectrum(Nesterov<T>(T(1) / 2, b15), one).converges());
  CHECK(spectrum(Nesterov<T>(T(6) / 5, b15), one).converges());
  CHECK_FALSE(spectrum(Nesterov<T>(T(1) / 10, b15), one).converges());
  CHECK_FALSE(spectrum(Nesterov<T>(T(13) / 10, b15), one).converges());
}

TEST_CASE("a polynomial that overflows double throws std::overflow_error, not a wrong radius") {
  // Regressions: alpha = 1e100 on lambda = 1e100 (s = 1e200, discriminant 1e400 = inf) was
  // called a double root with rho = 5e199 (the truth is 1e200); alpha = 1e300 on 1e300
  // (s = inf) gave rho = inf and a NaN distance, reported by the tool as "rho = 0, converges".
  auto overflows = [](auto&& f, std::initializer_list<const char*> fragments) {
    bool thrown = false;
    try {
      f();
    } catch (const std::overflow_error& e) {
      thrown = true;
      const std::string msg = e.what();
      for (const char* frag : fragments) {
        INFO(msg << " | expected " << frag);
        CHECK(msg.find(frag) != std::string::npos);
      }
    }
    CHECK_MESSAGE(thrown, "expected std::overflow_error");
  };
  overflows([] { (void)spectrum(HeavyBall<double>(1e100, 0.5), 1e100); },
            {"heavy_ball", "alpha*lambda", "1e+100", "beta = 0.5", "overflows"});
  overflows([] { (void)spectrum(HeavyBall<double>(1e300, 0.5), 1e300); }, {"heavy_ball", "overflows"});
  overflows([] { (void)spectrum(Velocity<double>(1e300, 0.5), 1e300); }, {"velocity", "eta*lambda"});
  overflows([] { (void)spectrum(Nesterov<double>(1e200, 0.5), 1e200); }, {"nesterov", "alpha*lambda"});
  overflows([] { (void)spectrum(GradientDescent<double>(1e300), 1e300); }, {"gradient_descent", "eta*lambda"});
  overflows([] { (void)spectrum(HeavyBall<double>(0.1, 1e200), 1.0); }, {"heavy_ball", "with beta = "});
  // Just below: s = 1e150 is still exact, rho = |tau| + ... = s - 1.5 + beta/s to double.
  const Spectrum<double> big = spectrum(HeavyBall<double>(1e75, 0.5), 1e75);
  CHECK(big.regime == Regime::divergent);
  CHECK(std::abs(big.rho - 1e150) <= 1e150 * 4e-16);
  // The same questions in MPFR, whose exponents reach 10^323228496: the right radii.
  set_digits(30);
  const mpfr_float s = spectrum(HeavyBall<mpfr_float>(mpfr_float("1e100"), mpfr_float("0.5")),
                                mpfr_float("1e100")).rho;
  CHECK(abs(s / mpfr_float("1e200") - 1) < mpfr_float("1e-25"));
  const mpfr_float g = spectrum(GradientDescent<mpfr_float>(mpfr_float("1e300")), mpfr_float("1e300")).rho;
  CHECK(abs(g / mpfr_float("1e600") - 1) < mpfr_float("1e-25"));
  set_digits(50);
}

// ---- The two-state family (spectrum(TwoState / PyTorchSGD / QHM), issue 17) ----

namespace family_spectrum_test {
/// The rational n/d parsed into T (one rounding: n and d are exact in every type here).
template <class T>
T frac(long long n, long long d) {
  return parse<T>(std::to_string(n) + "/" + std::to_string(d));
}
}  // namespace family_spectrum_test

TEST_CASE_TEMPLATE("two-state family: exact rational double roots are critical", T,
                   momentum::float50, momentum::mpfr_float, double) {
  using family_spectrum_test::frac;
  // With r = sqrt(P) = n1/d1, gamma = n2/d2 and lambda = n3/d3, beta = (r^2 + gamma)/(1 + gamma)
  // and alpha = (1 +- r)^2/(lambda (1 + gamma)^2) put u = alpha (1 + gamma) lambda on the root
  // (1 +- r)^2/(1 + gamma) of the discriminant: a double root z = p/2 in rationals.
  std::mt19937_64 g(4242);
  int critical = 0, checked = 0;
  for (int k = 0; k < 300; ++k) {
    auto pick = [&](long long lo, long long hi) {
      return std::uniform_int_distribution<long long>(lo, hi)(g);
    };
    const long long n1 = pick(0, 11), d1 = pick(1, 11), n2 = pick(-11, 11), d2 = pick(1, 11);
    const long long n3 = pick(1, 11), d3 = pick(1, 11), sg = pick(0, 1) ? 1 : -1;
    if (d2 + n2 == 0 || d1 + sg * n1 == 0) continue;
    const long long bn = n1 * n1 * d2 + n2 * d1 * d1, bd = d1 * d1 * (d2 + n2);
    const long long an = (d1 + sg * n1) * (d1 + sg * n1) * d2 * d2 * d3,
                    ad = d1 * d1 * (d2 + n2) * (d2 + n2) * n3;
    const TwoState<T> m(frac<T>(an, ad), frac<T>(bn, bd), frac<T>(n2, d2));
    const T lambda = frac<T>(n3, d3);
    const Spectrum<T> sp = spectrum(m, lambda);
    INFO("alpha=" << an << "/" << ad << " beta=" << bn << "/" << bd << " gamma=" << n2 << "/"
                  << d2 << " lambda=" << n3 << "/" << d3);
    ++checked;
    CHECK(sp.double_root);
    CHECK(abs(sp.discriminant) <= sp.discriminant_error);
    const T z = sp.trace / 2;
    using std::abs;
    if (abs(z) < 1 - T(1) / 1000) {
      CHECK(sp.regime == Regime::critical);
      critical += sp.regime == Regime::critical;
    }
  }
  CHECK(checked > 250);
  CHECK(critical > 50);
}

TEST_CASE_TEMPLATE("two-state family: heavy ball is gamma = 0, Nesterov gamma = beta", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  using std::max;
  std::mt19937_64 g(77);
  int same_regime = 0;
  for (int k = 0; k < 2000; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 10);
    const T alpha = test::uniform<T>(g, -0.2, 1.5);
    const T beta = test::uniform<T>(g, -1.3, 1.3);
    INFO("alpha=" << test::str(alpha) << " beta=" << test::str(beta) << " lambda=" << test::str(lambda));
    const std::pair<Spectrum<T>, Spectrum<T>> pairs[] = {
        {spectrum(TwoState<T>(alpha, beta, T(0)), lambda), spectrum(HeavyBall<T>(alpha, beta), lambda)},
        {spectrum(TwoState<T>(alpha, beta, beta), lambda), spectrum(Nesterov<T>(alpha, beta), lambda)}};
    for (const auto& pr : pairs) {
      const Spectrum<T>&f = pr.first, &n = pr.second;
      // Radii agree to the larger error bound plus a few ulps.
      CHECK(abs(f.rho - n.rho) <= max(f.rho_error, n.rho_error) + test::ulps<T>(8) * (1 + n.rho));
      // Regimes agree away from the double-root and radius-1 boundaries of either.
      const bool near_double = abs(f.discriminant) <= 4 * f.discriminant_error ||
                               abs(n.discriminant) <= 4 * n.discriminant_error;
      const bool near_one = abs(n.rho - 1) <= 4 * max(f.rho_error, n.rho_error) + test::ulps<T>(64);
      if (!near_double && !near_one) {
        CHECK(f.regime == n.regime);
        ++same_regime;
        CHECK(abs(f.discriminant - n.discriminant) <=
              f.discriminant_error + n.discriminant_error + test::ulps<T>(8) * abs(n.discriminant));
      }
    }
  }
  CHECK(same_regime > 3500);
}

TEST_CASE_TEMPLATE("PyTorch's SGD and QHM: the spectrum of their family member", T, MOMENTUM_SCALARS) {
  using std::abs;
  using std::max;
  std::mt19937_64 g(78);
  for (int k = 0; k < 1000; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 10);
    const T lr = test::uniform<T>(g, 0, 1.5), mom = test::uniform<T>(g, 0, 1.1);
    const T damp = k % 3 == 0 ? T(0) : test::uniform<T>(g, 0, 1), wd = k % 2 ? T(0) : test::uniform<T>(g, 0, 0.5);
    const PyTorchSGD<T> pt(lr, mom, damp, wd, k % 4 < 2);
    const Spectrum<T> a = spectrum(pt, lambda), b = spectrum(pt.family(), T(lambda + wd));
    INFO("pytorch lr=" << test::str(lr) << " m=" << test::str(mom) << " d=" << test::str(damp)
                       << " wd=" << test::str(wd) << " lambda=" << test::str(lambda));
    CHECK(abs(a.rho - b.rho) <= max(a.rho_error, b.rho_error) + test::ulps<T>(8));
    CHECK(a.trace == b.trace);
    CHECK(a.determinant == b.determinant);
    const T alpha = test::uniform<T>(g, 0, 3), nu = test::uniform<T>(g, -0.2, 1.2),
            beta = test::uniform<T>(g, -0.5, 1.05);
    const QHM<T> q(alpha, nu, beta);
    const Spectrum<T> c = spectrum(q, lambda), d = spectrum(q.family(), lambda);
    CHECK(abs(c.rho - d.rho) <= max(c.rho_error, d.rho_error) + test::ulps<T>(8));
  }
}

TEST_CASE_TEMPLATE("two-state family against the general eigen-solver on the own matrices", T,
                   MOMENTUM_SCALARS) {
  std::mt19937_64 g(79);
  std::map<Regime, int> seen;
  for (int k = 0; k < 500; ++k) {
    const T lambda = test::uniform<T>(g, 0.01, 10);
    check_against_general(TwoState<T>(test::uniform<T>(g, -0.2, 1.5), test::uniform<T>(g, -1.3, 1.3),
                                      test::uniform<T>(g, -2, 3)),
                          lambda, seen);
    check_against_general(PyTorchSGD<T>(test::uniform<T>(g, 0, 1.5), test::uniform<T>(g, 0, 1.1),
                                        test::uniform<T>(g, 0, 1), test::uniform<T>(g, 0, 0.5), k % 2 == 0),
                          lambda, seen);
    check_against_general(QHM<T>(test::uniform<T>(g, 0, 3), test::uniform<T>(g, -0.2, 1.2),
                                 test::uniform<T>(g, -0.5, 1.05)),
                          lambda, seen);
  }
  CHECK(seen[Regime::complex] > 50);
  CHECK(seen[Regime::real_distinct] > 50);
  CHECK(seen[Regime::divergent] > 50);
}

TEST_CASE_TEMPLATE("two-state family: gamma infinite (alpha = 0) and alpha (1 + gamma) = 0", T,
                   MOMENTUM_SCALARS) {
  using std::abs;
  using std::sqrt;
  // PyTorch nesterov with momentum * dampening = 1: alpha = 0, roots 1 and beta - c lambda.
  const PyTorchSGD<T> pt(T(1) / 4, T(1) / 2, T(2), T(0), true);
  CHECK_FALSE(pt.family().gamma_finite);
  const Spectrum<T> sp = spectrum(pt, T(1));  // d = 1/2 - 1/8 = 3/8
  CHECK(sp.regime == Regime::boundary);
  CHECK(sp.rho == 1);
  CHECK(abs(sp.roots[1].re - T(3) / 8) <= test::ulps<T>(4));
  // gamma = -1 (a = alpha + alpha gamma = 0): p = 1 + beta, d = beta + alpha lambda;
  // alpha = beta = 1/4, lambda = 1: z^2 - (5/4) z + 1/2, discriminant -7/16, rho = sqrt(1/2).
  const Spectrum<T> s2 = spectrum(TwoState<T>(T(1) / 4, T(1) / 4, T(-1)), T(1));
  CHECK(s2.regime == Regime::complex);
  CHECK(abs(s2.discriminant + T(7) / 16) <= test::ulps<T>(4));
  CHECK(abs(s2.rho - sqrt(T(1) / 2)) <= test::ulps<T>(4));
  // QHM with beta = 1 keeps the root 1: boundary.
  CHECK(spectrum(QHM<T>(T(1) / 2, T(1) / 2, T(1)), T(1)).regime == Regime::boundary);
}
