// The (alpha, beta) rate landscape (landscape.hpp) on the problem of the Python baseline
// `landscape` (../shared/baselines/baseline.py grid() and land_real, common.py): heavy ball on a
// spectrum in [mu, L] = [1, 1e4], alphas = linspace(0, 4/L, 512), betas = linspace(0, 0.999, 512),
// the worst-case radius max(rho(mu), rho(L)) at each of the 262,144 points.
//
//   BM_Landscape<HeavyBall>/threads:T   double, the vectorized path, on T = 1 and 2 threads
//   BM_Landscape<Nesterov>/threads:1     the same grid for Nesterov
//   BM_LandscapeWorstCaseLoop           the same grid by worst_case(...) point by point (what
//                                       the command-line tool did before landscape.hpp)
//   BM_LandscapeGeneric<T>/n            the generic path on an n x n grid of the same ranges
//                                       (long double, cpp_bin_float_50, mpfr_float at 50 digits)
//
// Each double run's label is the Python baseline's checksum line, to compare with
// `minrho=...;argmin_ab=(...|...);sum=...` from
//   /usr/bin/python3 ../shared/baselines/baseline.py landscape --reps 11
// Compare medians, measured side by side, e.g.
//   bench_landscape --benchmark_repetitions=11 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <momentum/landscape.hpp>

#include <cstdio>
#include <string>

namespace {

using momentum::Matrix;
using momentum::Vector;

constexpr double kMu = 1.0, kL = 1.0e4;
constexpr Eigen::Index kGrid = 512;

/// numpy.linspace(lo, hi, n): arange(n) * ((hi - lo)/(n - 1)) + lo, the last point set to hi,
/// in the same IEEE operations (so that the checksums compare bit for bit up to summation order).
template <class T>
Vector<T> linspace(const T& lo, const T& hi, Eigen::Index n) {
  Vector<T> v(n);
  const T step = (hi - lo) / T(n - 1);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = T(T(i) * step + lo);
  v(n - 1) = hi;
  return v;
}

template <class T>
Vector<T> baseline_alphas(Eigen::Index n) {
  return linspace(T(0), T(T(4) / T(kL)), n);
}
template <class T>
Vector<T> baseline_betas(Eigen::Index n) {
  return linspace(T(0), T(momentum::parse<T>("0.999")), n);
}

/// The baseline's checksum: minimum, its (alpha, beta), and the sum of all radii.
std::string checksum(const Matrix<double>& rho, const Vector<double>& alphas,
                     const Vector<double>& betas) {
  Eigen::Index i = 0, j = 0;
  const double best = rho.minCoeff(&i, &j);
  char line[160];
  std::snprintf(line, sizeof line, "minrho=%.15g;argmin_ab=(%.6g|%.6g);sum=%.15g", best,
                alphas(i), betas(j), rho.sum());
  return line;
}

template <template <class> class Method>
void BM_Landscape(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  const Vector<double> alphas = baseline_alphas<double>(kGrid), betas = baseline_betas<double>(kGrid);
  Matrix<double> rho;
  for (auto _ : state) {
    rho = momentum::rate_landscape<Method>(alphas, betas, kMu, kL, threads);
    benchmark::DoNotOptimize(rho.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kGrid * kGrid);
  state.SetLabel(checksum(rho, alphas, betas));
}

void BM_LandscapeWorstCaseLoop(benchmark::State& state) {
  const Vector<double> alphas = baseline_alphas<double>(kGrid), betas = baseline_betas<double>(kGrid);
  Matrix<double> rho(kGrid, kGrid);
  for (auto _ : state) {
    for (Eigen::Index j = 0; j < kGrid; ++j)
      for (Eigen::Index i = 0; i < kGrid; ++i)
        rho(i, j) = momentum::worst_case(momentum::HeavyBall<double>(alphas(i), betas(j)), kMu, kL).rho;
    benchmark::DoNotOptimize(rho.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * kGrid * kGrid);
  state.SetLabel(checksum(rho, alphas, betas));
}

template <class T>
void BM_LandscapeGeneric(benchmark::State& state) {
  if constexpr (std::is_same_v<T, momentum::mpfr_float>) momentum::set_digits(50);
  const Eigen::Index n = state.range(0);
  const Vector<T> alphas = baseline_alphas<T>(n), betas = baseline_betas<T>(n);
  Matrix<T> rho;
  for (auto _ : state) {
    rho = momentum::rate_landscape<momentum::HeavyBall>(alphas, betas, T(kMu), T(kL));
    benchmark::DoNotOptimize(rho.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n * n);
  Eigen::Index i = 0, j = 0;
  const T best = rho.minCoeff(&i, &j);
  state.SetLabel("minrho=" + momentum::to_string(best, 20));
}

}  // namespace

using momentum::HeavyBall;
using momentum::Nesterov;
BENCHMARK_TEMPLATE(BM_Landscape, HeavyBall)
    ->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_Landscape, Nesterov)
    ->ArgName("threads")->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LandscapeWorstCaseLoop)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_LandscapeGeneric, long double)->Arg(64)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_LandscapeGeneric, momentum::float50)->Arg(64)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_LandscapeGeneric, momentum::mpfr_float)->Arg(64)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
