// Property tests at volume: invariance under a random orthogonal similarity (SPEC section 1).
// For each method, base_cases()/40 (default 2500) random quadratics Q = O^T diag(lambda) O
// with n = 1..8, O the orthogonal factor of a Gaussian matrix (Householder QR), kappa up to 1e4,
// repeated eigenvalues now and then, a random linear term c, and parameters putting the ends in
// every regime. In double:
//  - Quadratic(Q) finds the eigenvalues (Weyl: within the perturbation of Q);
//  - the worst case computed from Q equals the worst case of diag(lambda), within the radius's
//    change under that eigenvalue perturbation plus both radii's error bounds;
//  - every eigenvalue of the dense 2n x 2n (n x n) iteration matrix built from Q, by the general
//    eigen-solver, lies in the perturbation disc of a root of some per-eigenvalue block of
//    diag(lambda), and the dense spectral radius is the blocks' largest within those discs;
//  - simulating in x-space with Q equals simulating each eigen-coordinate z = O(x - x*) alone and
//    mapping back (with the construction's O, and with the library's own decomposition), within
//    the propagated perturbation and rounding.
// Every perturbation is measured (||Q - O^T diag(lambda) O||, ||O O^T - I|| at 50 digits) and
// carried through the bounds of property_support.hpp; the constants are stated where used.
#include "property_support.hpp"

#include <momentum/eigen.hpp>
#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>
#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

using namespace momentum;
using property::Rng;

namespace {
namespace invariance {  // one namespace per file: the property tests compile as one unit

using H = property::H;  // 50 digits (doctest_main.cpp)
using Mat = Matrix<double>;
using Vec = Vector<double>;

constexpr std::uint64_t default_seed = 7004;
constexpr long long steps = 40;

/// Backward error of the dense eigen-solvers (Householder reduction, then QR iterations): a
/// computed spectrum is exact for a matrix within c k eps ||M||_F, k the dimension (Golub & Van
/// Loan, 4th ed., sections 7.5.6 and 8.3.6); c = 8.
constexpr double solver_backward_error = 8;

double gaussian(Rng& r) {
  const double u1 = r.uniform(0, 1), u2 = r.unit();
  const double two_pi = 2 * std::acos(-1.0);
  return std::sqrt(-2 * std::log(u1)) * std::cos(two_pi * u2);
}

/// ||Q - O^T diag(lambda) O||_F + (2 eta + eta^2) lambda_max, eta = ||O O^T - I||_F, at 50
/// digits: how far Q is from a matrix orthogonally similar to diag(lambda) (the polar factor U
/// of O has ||O - U|| <= eta, so U^T diag(lambda) U is within (2 eta + eta^2) lambda_max of
/// O^T diag(lambda) O).
double distance_to_similar(const Mat& Q, const Mat& O, const Vec& lambdas) {
  const Eigen::Index n = Q.rows();
  const Matrix<H> OH = O.cast<H>();
  Matrix<H> D = Matrix<H>::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) D(i, i) = H(lambdas(i));
  const Matrix<H> R = Q.cast<H>() - OH.transpose() * D * OH;
  const Matrix<H> E = OH * OH.transpose() - Matrix<H>::Identity(n, n);
  const double eta = static_cast<double>(H(E.norm()));
  return static_cast<double>(H(R.norm())) + (2 * eta + eta * eta) * lambdas.cwiseAbs().maxCoeff();
}

// Parameters (as in test_property_worst_case.cpp): tuned, near-tuned and random.
GradientDescent<double> draw(const GradientDescent<double>*, double mu, double L, Rng& r) {
  if (r.chance(0.2)) return optimal_gd(mu, L).method;
  // Past the optimum: L oscillates and is the worst end.
  if (r.chance(0.15) && L > mu) return GradientDescent<double>(r.uniform(2 / (mu + L), 2 / L));
  return GradientDescent<double>(r.uniform(-0.2, 2.6) / L);
}
template <class Method>
Method heavy_draw(double mu, double L, Rng& r) {
  const auto tuned = optimal_heavy_ball(mu, L).method;
  if (r.chance(0.25)) return Method(tuned.alpha, tuned.beta);
  const double b = r.uniform(-1.1, 1.1);
  return Method(r.uniform(0, 2.8 * (1 + std::abs(b))) / L, b);
}
HeavyBall<double> draw(const HeavyBall<double>*, double mu, double L, Rng& r) {
  return heavy_draw<HeavyBall<double>>(mu, L, r);
}
Velocity<double> draw(const Velocity<double>*, double mu, double L, Rng& r) {
  return heavy_draw<Velocity<double>>(mu, L, r);
}
Nesterov<double> draw(const Nesterov<double>*, double mu, double L, Rng& r) {
  if (r.chance(0.25)) return optimal_nesterov(mu, L).method;
  return Nesterov<double>(r.uniform(0, 4.0) / L, r.uniform(-0.6, 1.3));
}

/// How the iteration matrix depends on Q: ||dM||_F <= coupling ||dQ||_F (SPEC section 2).
double coupling(const GradientDescent<double>& m) { return std::abs(m.eta); }
double coupling(const HeavyBall<double>& m) { return std::abs(m.alpha); }
double coupling(const Velocity<double>& m) { return 1 + std::abs(m.eta); }
double coupling(const Nesterov<double>& m) {
  return std::abs(m.alpha) * (std::abs(1 + m.beta) + std::abs(m.beta));
}

/// How one eigenvalue's polynomial coefficients move when lambda moves by dl: (dp, dd).
std::pair<double, double> coefficient_shift(const GradientDescent<double>& m, double dl) {
  return {std::abs(m.eta) * dl, 0};
}
std::pair<double, double> coefficient_shift(const HeavyBall<double>& m, double dl) {
  return {std::abs(m.alpha) * dl, 0};
}
std::pair<double, double> coefficient_shift(const Velocity<double>& m, double dl) {
  return {std::abs(m.eta) * dl, 0};
}
std::pair<double, double> coefficient_shift(const Nesterov<double>& m, double dl) {
  return {std::abs(m.alpha * (1 + m.beta)) * dl, std::abs(m.alpha * m.beta) * dl};
}

/// The radius's error allowance (test_property_worst_case.cpp).
double radius_error(const Spectrum<double>& sp) {
  double e = sp.rho_error;
  if (sp.double_root) e += std::sqrt(2 * sp.discriminant_error) / 2;
  return e;
}

/// The radius's change when lambda moves by dl (root_shift_bound_coefficients), with |D|
/// bounded below by what the closed form's discriminant and its error allow.
template <class Method>
double radius_shift(const Method& m, const Spectrum<double>& sp, double dl) {
  const auto [dp, dd] = coefficient_shift(m, dl);
  if constexpr (Method::state_size == 1) {
    return dp;
  } else {
    const double D = std::max(0.0, std::abs(sp.discriminant) - sp.discriminant_error);
    return property::root_shift_bound_coefficients(sp.trace, D, dp, dd);
  }
}

/// The exact roots of one block (from the double inputs, at 50 digits) and its perturbation
/// disc: every eigenvalue of the block plus a perturbation of 2-norm at most eps2 lies within
/// `radius` of a root (root_shift_bound with ||E||_F <= sqrt(2) ||E||_2 for a 2x2).
struct Block {
  std::vector<std::complex<double>> roots;
  double rho = 0, radius = 0;
};

template <class Method>
Block exact_block(const Method& m, double lambda, double eps2) {
  Block b;
  const property::Reference ref = property::reference(property::widen(m), H(lambda));
  b.rho = static_cast<double>(ref.rho);
  if constexpr (Method::state_size == 1) {
    b.roots = {std::complex<double>(static_cast<double>(ref.p), 0)};
    b.radius = eps2;
  } else {
    using std::sqrt;
    const H half_p = ref.p / 2;
    const H half_root = sqrt(H(abs(ref.D))) / 2;
    if (ref.D >= 0) {
      b.roots = {std::complex<double>(static_cast<double>(H(half_p + half_root)), 0),
                 std::complex<double>(static_cast<double>(H(half_p - half_root)), 0)};
    } else {
      b.roots = {
          std::complex<double>(static_cast<double>(half_p), static_cast<double>(half_root)),
          std::complex<double>(static_cast<double>(half_p), -static_cast<double>(half_root))};
    }
    const double normF = iteration_matrix(m, lambda).norm();
    b.radius = property::root_shift_bound(static_cast<double>(ref.p), static_cast<double>(ref.D),
                                          normF, std::sqrt(2.0) * eps2);
  }
  // The roots were rounded to double: half an ulp each.
  b.radius += epsilon<double>() * (1 + b.rho);
  return b;
}

/// Largest 2-norm of the t-th power over the blocks, t = 0..T (matrix products in double; their
/// own rounding is far below the bound they enter).
template <class Method>
std::vector<double> block_power_norms(const Method& m, const Vec& lambdas, long long T) {
  std::vector<double> P(static_cast<std::size_t>(T) + 1, 0.0);
  for (Eigen::Index i = 0; i < lambdas.size(); ++i) {
    const auto M = iteration_matrix(m, lambdas(i));
    using BM = std::decay_t<decltype(M)>;
    BM A = BM::Identity();
    for (long long t = 0; t <= T; ++t) {
      const double nrm = norm_2(A);
      P[static_cast<std::size_t>(t)] = std::max(P[static_cast<std::size_t>(t)], nrm);
      A = (A * M).eval();
    }
  }
  return P;
}

struct Stats {
  property::Tally regimes;
  long long robust_regimes = 0, dense_eigenvalues = 0;
  double worst_eigen = 0, worst_rate = 0, worst_dense = 0, worst_sim = 0, worst_sim_lib = 0;
};

template <class Method>
void check_case(const Method& m, const Vec& lambdas_sorted, const Mat& O, Rng& r, Stats& st) {
  using std::abs;
  using std::max;
  const double eps = epsilon<double>();
  const Eigen::Index n = lambdas_sorted.size();
  const Mat Q = O.transpose() * lambdas_sorted.asDiagonal() * O;
  Vec c(n);
  for (Eigen::Index i = 0; i < n; ++i) c(i) = r.uniform(-1, 1);
  const Quadratic<double> h(Q, c);
  const double lmax = lambdas_sorted(n - 1), lmin = lambdas_sorted(0);

  // 1. The eigenvalues of Q (Weyl): within the distance of Q to a matrix orthogonally similar to
  // diag(lambda), plus the symmetric solver's backward error.
  const double dQ = distance_to_similar(Q, O, lambdas_sorted);
  const double weyl = dQ + solver_backward_error * static_cast<double>(n) * eps * Q.norm();
  INFO("||Q - O^T diag(lambda) O|| (with O's departure from orthogonality) = "
       << test::str(dQ, 3) << ", Weyl bound " << test::str(weyl, 3));
  for (Eigen::Index i = 0; i < n; ++i) {
    const double e = abs(h.eigenvalues()(i) - lambdas_sorted(i));
    CHECK(e <= weyl);
    st.worst_eigen = max(st.worst_eigen, e / weyl);
  }

  // 2. The worst case from Q equals the worst case of diag(lambda).
  const WorstCase<double> wq = worst_case(m, h);
  const WorstCase<double> wd = worst_case(m, lmin, lmax);
  st.regimes.add(wd.regime);
  const double rate_tol =
      max(radius_shift(m, wd.at_min, weyl) + radius_error(wd.at_min) + radius_error(wq.at_min),
          radius_shift(m, wd.at_max, weyl) + radius_error(wd.at_max) + radius_error(wq.at_max));
  INFO("worst case from Q: " << test::str(wq.rho, 17) << " (" << std::string(to_string(wq.regime))
                             << "), from diag(lambda): " << test::str(wd.rho, 17) << " ("
                             << std::string(to_string(wd.regime)) << "), allowed "
                             << test::str(rate_tol, 3));
  CHECK(abs(wq.rho - wd.rho) <= rate_tol);
  st.worst_rate = max(st.worst_rate, abs(wq.rho - wd.rho) / rate_tol);
  // The same regime wherever the ends are clear of every edge by far more than the perturbation.
  // (Gradient descent has no double roots: its edges are rho = 0 and rho = 1.)
  const auto clear = [&](const Spectrum<double>& sp) {
    return (Method::state_size == 1 || abs(sp.critical_distance) > 1e-6) &&
           abs(sp.rho - 1) > 1e-6 && sp.rho > 1e-6;
  };
  if (clear(wd.at_min) && clear(wd.at_max) && abs(wd.at_min.rho - wd.at_max.rho) > 1e-6) {
    CHECK(wq.regime == wd.regime);
    ++st.robust_regimes;
  }

  // 3. The dense iteration matrix from Q, by the general solver: each eigenvalue in a block's
  // disc. Perturbation: Q's distance to the similar matrix through the matrix's dependence on
  // Q, the assembly's rounding, and the solver's backward error.
  const Mat MQ = iteration_matrix(m, h.Q());
  const double k = static_cast<double>(MQ.rows());
  const double eps2 =
      coupling(m) * dQ + 2 * eps * MQ.norm() + solver_backward_error * k * eps * MQ.norm();
  std::vector<Block> blocks;
  double rho_star = 0, radius_sum = 0, rho_hi = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    blocks.push_back(exact_block(m, lambdas_sorted(i), eps2));
    rho_star = max(rho_star, blocks.back().rho);
    radius_sum += blocks.back().radius;
    rho_hi = max(rho_hi, blocks.back().rho + blocks.back().radius);
  }
  const GeneralSpectrum<double> g = general_spectrum(MQ);
  for (std::size_t j = 0; j < g.re.size(); ++j) {
    const std::complex<double> mu(g.re[j], g.im[j]);
    double best = std::numeric_limits<double>::infinity();  // distance / disc radius
    for (const Block& b : blocks)
      for (const auto& z : b.roots) best = std::min(best, std::abs(mu - z) / b.radius);
    INFO("dense eigenvalue " << test::str(mu.real(), 17) << " + " << test::str(mu.imag(), 17)
                             << " i: distance to the nearest block root / its disc radius "
                             << best);
    CHECK(best <= 1);
    st.worst_dense = max(st.worst_dense, best);
    ++st.dense_eigenvalues;
  }
  INFO("dense rho " << test::str(g.rho, 17) << ", blocks' rho " << test::str(rho_star, 17)
                    << ", sum of disc radii " << test::str(radius_sum, 3));
  CHECK(g.rho <= rho_hi + 2 * eps * g.rho);
  CHECK(g.rho >= rho_star - 2 * radius_sum);

  // 4. Simulation in x-space equals simulation of the eigen-coordinates, mapped back.
  Vec x0(n), second;
  for (Eigen::Index i = 0; i < n; ++i) x0(i) = r.uniform(-2, 2);
  if constexpr (Method::state_size == 2) {
    second.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) second(i) = r.uniform(-2, 2);
  }
  SimulateOptions so;
  so.steps = steps;
  so.every_step = true;
  so.record_x = true;
  const Trajectory<double> tx = simulate(m, h, x0, second, so);
  // With the construction's O: z = O (x - x*), w = O (x_{-1} - x*) or O v0.
  const Vec& xs = h.minimizer();
  const Vec z0 = O * (x0 - xs);
  Vec w0;
  if constexpr (Method::state_size == 2) {
    if constexpr (std::is_same_v<Method, Velocity<double>>)
      w0 = O * second;
    else
      w0 = O * (second - xs);
  }
  const Trajectory<double> tz = simulate_eigen(m, lambdas_sorted, z0, w0, so);
  const Trajectory<double> tl = simulate_via_eigen(m, h, x0, second, so);
  // The bound (first order): per step, the iteration matrices differ by coupling * dQ (the
  // similar matrix) and each run rounds by a few (n + 2) eps (1 + ||M||) ||state||; both are
  // carried to t by the block powers: sum_k P(t-1-k) P(k) ||s_0||. The changes of coordinates
  // add n eps (and O's departure from orthogonality) on the way in and out.
  const std::vector<double> P = block_power_norms(m, lambdas_sorted, steps);
  double s0 = (x0 - xs).squaredNorm();
  if constexpr (Method::state_size == 2) {
    if constexpr (std::is_same_v<Method, Velocity<double>>)
      s0 += second.squaredNorm();
    else
      s0 += (second - xs).squaredNorm();
  }
  s0 = std::sqrt(s0);
  const double normM = MQ.norm();
  const double per_step = 4 * static_cast<double>(n + 2) * eps * (1 + normM);
  const double dQ_lib = distance_to_similar(h.Q(), h.O(), h.eigenvalues());
  for (long long t = 0; t <= steps; ++t) {
    double conv = 0;
    for (long long j = 0; j < t; ++j)
      conv += P[static_cast<std::size_t>(t - 1 - j)] * P[static_cast<std::size_t>(j)];
    const double edge = 4 * static_cast<double>(n) * eps * (P[static_cast<std::size_t>(t)] + 1);
    // x* enters both runs' start (x0 - x*) and output (x* + e): a few eps |x*| more.
    const double shift = 4 * eps * xs.norm() * (1 + P[static_cast<std::size_t>(t)]);
    const double tol = ((coupling(m) * dQ + per_step) * conv + edge) * s0 + shift;
    const double tol_lib = ((coupling(m) * dQ_lib + per_step) * conv + edge) * s0 + shift;
    const auto& px = tx.points[static_cast<std::size_t>(t)];
    const Vec xz = h.minimizer() + O.transpose() * tz.points[static_cast<std::size_t>(t)].x;
    const double dz = (px.x - xz).norm();
    const double dl = (px.x - tl.points[static_cast<std::size_t>(t)].x).norm();
    INFO("t = " << t << ": |x-space - eigen (O)| = " << test::str(dz, 3)
                << ", |x-space - eigen (library)| = " << test::str(dl, 3) << ", bounds "
                << test::str(tol, 3) << ", " << test::str(tol_lib, 3));
    CHECK(dz <= tol);
    CHECK(dl <= tol_lib);
    st.worst_sim = max(st.worst_sim, dz / tol);
    st.worst_sim_lib = max(st.worst_sim_lib, dl / tol_lib);
  }
}

template <class Method>
void run_method(std::uint64_t stream) {
  const std::uint64_t seed = property::seed(default_seed);
  const long long cases = property::scaled_cases(40);
  Stats st;
  for (long long i = 0; i < cases; ++i) {
    Rng r(seed, stream, static_cast<std::uint64_t>(i));
    const Eigen::Index n = static_cast<Eigen::Index>(r.integer(1, 8));
    const double mu = std::exp2(r.uniform(-4, 4));
    const double kappa = n == 1 || r.chance(0.05) ? 1.0 : r.decade(0, 4);
    Vec lambdas(n);
    lambdas(0) = mu;
    if (n > 1) lambdas(n - 1) = mu * kappa;
    for (Eigen::Index j = 1; j + 1 < n; ++j)
      lambdas(j) = r.chance(0.15) ? lambdas(j - 1) : mu * std::pow(kappa, r.unit());
    std::sort(lambdas.data(), lambdas.data() + n);
    Mat G(n, n);
    for (Eigen::Index a = 0; a < n; ++a)
      for (Eigen::Index b = 0; b < n; ++b) G(a, b) = gaussian(r);
    const Mat O = Eigen::HouseholderQR<Mat>(G).householderQ();
    const Method m = draw(static_cast<const Method*>(nullptr), lambdas(0), lambdas(n - 1), r);
    INFO(property::where(seed, i) << " (" << std::string(Method::name) << "): n = " << n
                                  << ", lambda = "
                                  << lambdas.transpose().format(Eigen::IOFormat(17)) << ", "
                                  << property::params(m));
    check_case(m, lambdas, O, r, st);
  }
  MESSAGE(std::string(Method::name)
          << " (seed " << seed << "): " << cases
          << " quadratics; regime of the worst end: " << st.regimes.str() << " | regimes compared "
          << st.robust_regimes << ", dense eigenvalues " << st.dense_eigenvalues
          << " | largest error/bound: eigenvalues " << st.worst_eigen << ", worst case "
          << st.worst_rate << ", dense spectrum " << st.worst_dense << ", simulation (O) "
          << st.worst_sim << ", simulation (library) " << st.worst_sim_lib);
  // Coverage: the draws put the worst end in each regime (about 10-40% each).
  const std::vector<Regime> regimes = property::regimes_of<Method>();
  for (Regime reg : regimes) {
    INFO("regime of the worst end " << std::string(to_string(reg)) << ": " << st.regimes[reg]);
    CHECK(static_cast<double>(st.regimes[reg]) >= 0.05 * static_cast<double>(cases));
  }
}

}  // namespace invariance
}  // namespace

TEST_CASE("orthogonal similarity invariance: gradient descent") {
  invariance::run_method<GradientDescent<double>>(0);
}

TEST_CASE("orthogonal similarity invariance: heavy ball") {
  invariance::run_method<HeavyBall<double>>(1);
}

TEST_CASE("orthogonal similarity invariance: velocity form") {
  invariance::run_method<Velocity<double>>(2);
}

TEST_CASE("orthogonal similarity invariance: Nesterov") {
  invariance::run_method<Nesterov<double>>(3);
}
