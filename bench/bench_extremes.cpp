// Worst-case rate of a large Q from its extreme eigenvalues (extremes.hpp) against the dense
// ways, on the baseline problem of ../shared/baselines/common.py: Q = O diag(l) O^T with l
// log-spaced in [1, 1e4] and O a random orthogonal matrix, heavy ball alpha = 1e-4, beta = 0.9;
// and the sparse 2-D Laplacian (../shared/baselines/laplacian.py).
//
//   BM_RateExtremes/n             certified_worst_case(method, Q, extremes): the proven interval as
//                                 the tool computes it (lambda_max only when it can decide the rate)
//   BM_RateExtremesUncertified/n  the same without the certificate factorizations
//   BM_RateExtremesBothEnds/n     extreme_eigenvalues of both ends (no LargestNeeded) + the rate
//   BM_RateDenseSymmetric/n       SelfAdjointEigenSolver eigenvalues + closed forms
//   BM_RateNaive/n                EigenSolver of the 2n x 2n iteration matrix (n <= 1000)
//   BM_LaplacianExtremes/N        2-D Laplacian on an N x N grid, n = N^2 (certified, and not)
//
// Counters: rel_err against the dense symmetric rate (or the closed-form extremes), the width
// of the proven rate interval, and the operator applications / factorizations per end.
#include <momentum/extremes.hpp>
#include <momentum/iteration_matrix.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <random>
#include <vector>

namespace {

using momentum::Matrix;
using momentum::Vector;

const momentum::HeavyBall<double> kMethod(1e-4, 0.9);

/// The baseline Q for size n (cached: built once per size, outside the timings).
const Matrix<double>& baseline_q(Eigen::Index n) {
  static std::map<Eigen::Index, Matrix<double>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  std::mt19937_64 g(12345);
  std::normal_distribution<double> normal;
  Matrix<double> G(n, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < n; ++i) G(i, j) = normal(g);
  const Matrix<double> O = Eigen::HouseholderQR<Matrix<double>>(G).householderQ();
  Vector<double> l(n);
  for (Eigen::Index i = 0; i < n; ++i)
    l(i) = std::pow(10.0, 4.0 * static_cast<double>(i) / static_cast<double>(n - 1));
  l(0) = 1;
  l(n - 1) = 1e4;
  Matrix<double> Q = O * l.asDiagonal() * O.transpose();
  Q = ((Q + Q.transpose()) / 2).eval();
  return cache.emplace(n, std::move(Q)).first->second;
}

/// The dense symmetric reference rate for size n (cached).
double dense_rate(Eigen::Index n) {
  static std::map<Eigen::Index, double> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  Eigen::SelfAdjointEigenSolver<Matrix<double>> es(baseline_q(n), Eigen::EigenvaluesOnly);
  const double rho = momentum::worst_case(kMethod, Vector<double>(es.eigenvalues())).rho;
  return cache.emplace(n, rho).first->second;
}

void extremes_rate(benchmark::State& state, bool certify, bool both_ends) {
  const Eigen::Index n = state.range(0);
  const Matrix<double>& Q = baseline_q(n);
  momentum::ExtremesOptions o;
  o.certify = certify;
  double rho = 0, width = 0;
  bool tight = false;
  momentum::ExtremeEigenvalues<double> ex;
  for (auto _ : state) {
    const momentum::RateEnclosure<double> r = [&] {
      if (!both_ends) return momentum::certified_worst_case(kMethod, Q, ex, o);
      ex = momentum::extreme_eigenvalues(Q, o);
      return momentum::certified_worst_case(kMethod, ex);
    }();
    benchmark::DoNotOptimize(r.rho_hi);
    rho = r.rho;
    width = r.rho_hi - r.rho_lo;
    tight = r.certified;
  }
  state.counters["rel_err"] = std::abs(rho - dense_rate(n)) / dense_rate(n);
  state.counters["rho_width"] = width;
  state.counters["ops_min"] = static_cast<double>(ex.smallest.operations);
  state.counters["ops_max"] = static_cast<double>(ex.largest.operations);
  state.counters["factorizations"] =
      static_cast<double>(ex.smallest.factorizations + ex.largest.factorizations);
  // The rate's interval is as tight as certificates make it (RateEnclosure::certified): both
  // ends certified, or the largest left as bounds that cannot decide the rate.
  state.counters["certified"] = tight ? 1 : 0;
  state.counters["largest_bounds"] =
      ex.largest.solver == momentum::ExtremeSolver::bounds ? 1 : 0;
}

void BM_RateExtremes(benchmark::State& state) { extremes_rate(state, true, false); }
void BM_RateExtremesUncertified(benchmark::State& state) { extremes_rate(state, false, false); }
void BM_RateExtremesBothEnds(benchmark::State& state) { extremes_rate(state, true, true); }

void BM_RateDenseSymmetric(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Matrix<double>& Q = baseline_q(n);
  double rho = 0;
  for (auto _ : state) {
    Eigen::SelfAdjointEigenSolver<Matrix<double>> es(Q, Eigen::EigenvaluesOnly);
    rho = momentum::worst_case(kMethod, Vector<double>(es.eigenvalues())).rho;
    benchmark::DoNotOptimize(rho);
  }
  state.counters["rel_err"] = std::abs(rho - dense_rate(n)) / dense_rate(n);
}

void BM_RateNaive(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Matrix<double>& Q = baseline_q(n);
  double rho = 0;
  for (auto _ : state) {
    const Matrix<double> M = momentum::iteration_matrix(kMethod, Q);
    rho = momentum::general_spectral_radius(M);
    benchmark::DoNotOptimize(rho);
  }
  state.counters["rel_err"] = std::abs(rho - dense_rate(n)) / dense_rate(n);
}

Eigen::SparseMatrix<double> laplacian_2d(int N) {
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(static_cast<std::size_t>(5 * N * N));
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      const int k = i * N + j;
      t.emplace_back(k, k, 4.0);
      if (i > 0) t.emplace_back(k, k - N, -1.0);
      if (i + 1 < N) t.emplace_back(k, k + N, -1.0);
      if (j > 0) t.emplace_back(k, k - 1, -1.0);
      if (j + 1 < N) t.emplace_back(k, k + 1, -1.0);
    }
  Eigen::SparseMatrix<double> Q(N * N, N * N);
  Q.setFromTriplets(t.begin(), t.end());
  return Q;
}

void laplacian(benchmark::State& state, bool certify) {
  const int N = static_cast<int>(state.range(0));
  const Eigen::SparseMatrix<double> Q = laplacian_2d(N);
  const double pi = 3.141592653589793238462643383279502884;
  auto s2 = [&](int j) {
    const double x = std::sin(j * pi / (2.0 * (N + 1)));
    return 4 * x * x;
  };
  const double lmin = 2 * s2(1), lmax = 2 * s2(N);
  momentum::ExtremesOptions o;
  o.certify = certify;
  momentum::ExtremeEigenvalues<double> ex;
  for (auto _ : state) {
    ex = momentum::extreme_eigenvalues(Q, o);
    const momentum::RateEnclosure<double> r = momentum::certified_worst_case(kMethod, ex);
    benchmark::DoNotOptimize(r.rho_hi);
  }
  state.counters["rel_err_min"] = std::abs(ex.smallest.value - lmin) / lmin;
  state.counters["rel_err_max"] = std::abs(ex.largest.value - lmax) / lmax;
  state.counters["enc_rel_width_min"] = ex.smallest.enclosure.width() / lmin;
  state.counters["enc_rel_width_max"] = ex.largest.enclosure.width() / lmax;
  state.counters["ops_min"] = static_cast<double>(ex.smallest.operations);
  state.counters["ops_max"] = static_cast<double>(ex.largest.operations);
  state.counters["factorizations"] =
      static_cast<double>(ex.smallest.factorizations + ex.largest.factorizations);
  state.counters["certified"] = ex.certified() ? 1 : 0;
}

void BM_LaplacianExtremes(benchmark::State& state) { laplacian(state, true); }
void BM_LaplacianExtremesUncertified(benchmark::State& state) { laplacian(state, false); }

}  // namespace

BENCHMARK(BM_RateExtremes)->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RateExtremesUncertified)
    ->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RateExtremesBothEnds)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RateDenseSymmetric)
    ->Arg(250)->Arg(500)->Arg(1000)->Arg(2000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RateNaive)->Arg(250)->Arg(500)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LaplacianExtremes)->Arg(300)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LaplacianExtremesUncertified)->Arg(300)->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
