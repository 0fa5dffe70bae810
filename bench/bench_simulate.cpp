// Simulation speed: ns per heavy-ball coordinate-step in eigen-coordinates, on the problem of
// the Python baseline `traj` (../shared/baselines/common.py: lambdas log-spaced in [1, 1e4],
// alpha = 1e-4, beta = 0.9, x = x_prev = 1), for double, cpp_bin_float_50 and mpfr_float_50,
// against a raw MPFR C loop (two fused calls per step on preallocated numbers) as the floor.
// Compare with:
//   /usr/bin/python3 ../shared/baselines/baseline.py traj --ncoords 100 --T 2000
//       --kinds float,mpmath --reps 3   (one command line)
// Also: the closed-form power costs the same at t = 10 and t = 1e9.
#include <benchmark/benchmark.h>

#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>

#include <mpfr.h>

#include <cmath>
#include <vector>

namespace {

constexpr int kCoords = 100;
constexpr long long kSteps = 2000;

/// The baseline's eigenvalues, computed with the same IEEE operations as traj_coeffs in
/// baseline.py: 10.0 ** (4.0 * (i / (n - 1))), ends exactly 1 and 1e4.
std::vector<double> traj_lambdas(int n) {
  std::vector<double> l(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    l[static_cast<std::size_t>(i)] = std::pow(10.0, 4.0 * (static_cast<double>(i) / (n - 1)));
  l.front() = 1.0;
  l.back() = 1.0e4;
  return l;
}

template <class S>
void BM_heavy_ball_coordinate_step(benchmark::State& state) {
  const std::vector<double> ld = traj_lambdas(kCoords);
  momentum::Vector<S> lambdas(kCoords), z0(kCoords);
  for (int i = 0; i < kCoords; ++i) {
    lambdas(i) = S(ld[static_cast<std::size_t>(i)]);
    z0(i) = S(1);
  }
  const momentum::HeavyBall<S> hb(momentum::parse<S>("1e-4"), momentum::parse<S>("0.9"));
  momentum::SimulateOptions o;
  o.steps = kSteps;  // only the final step is recorded
  for (auto _ : state) {
    const momentum::Trajectory<S> tr = momentum::simulate_eigen(hb, lambdas, z0, momentum::Vector<S>(), o);
    benchmark::DoNotOptimize(tr.final_error.data());
  }
  const double steps = static_cast<double>(kCoords) * static_cast<double>(kSteps);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kCoords * kSteps);
  // Seconds per coordinate-step ("66n" = 66 ns).
  state.counters["per_coord_step"] =
      benchmark::Counter(steps, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// The floor: the same recurrence in the MPFR C API at mpfr_float_50's precision, on
/// preallocated numbers: tmp = beta x_prev; x_prev = a x - tmp (mpfr_fms); swap.
void BM_raw_mpfr_coordinate_step(benchmark::State& state) {
  const std::vector<double> ld = traj_lambdas(kCoords);
  const mpfr_prec_t prec = mpfr_get_prec(momentum::mpfr50(1).backend().data());
  mpfr_t alpha, beta, a, x, xp, tmp, sum;
  for (mpfr_ptr p : {alpha, beta, a, x, xp, tmp, sum}) mpfr_init2(p, prec);
  mpfr_set_str(alpha, "1e-4", 10, MPFR_RNDN);
  mpfr_set_str(beta, "0.9", 10, MPFR_RNDN);
  for (auto _ : state) {
    mpfr_set_ui(sum, 0, MPFR_RNDN);
    for (int i = 0; i < kCoords; ++i) {
      // a = 1 + beta - alpha lambda
      mpfr_set_d(a, ld[static_cast<std::size_t>(i)], MPFR_RNDN);
      mpfr_mul(a, a, alpha, MPFR_RNDN);
      mpfr_ui_sub(a, 1, a, MPFR_RNDN);
      mpfr_add(a, a, beta, MPFR_RNDN);
      mpfr_set_ui(x, 1, MPFR_RNDN);
      mpfr_set_ui(xp, 1, MPFR_RNDN);
      mpfr_ptr cur = x, prev = xp;
      for (long long t = 0; t < kSteps; ++t) {
        mpfr_mul(tmp, beta, prev, MPFR_RNDN);
        mpfr_fms(prev, a, cur, tmp, MPFR_RNDN);
        std::swap(cur, prev);
      }
      mpfr_abs(tmp, cur, MPFR_RNDN);
      mpfr_add(sum, sum, tmp, MPFR_RNDN);
    }
    benchmark::DoNotOptimize(mpfr_get_d(sum, MPFR_RNDN));
  }
  for (mpfr_ptr p : {alpha, beta, a, x, xp, tmp, sum}) mpfr_clear(p);
  const double steps = static_cast<double>(kCoords) * static_cast<double>(kSteps);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kCoords * kSteps);
  state.counters["per_coord_step"] =
      benchmark::Counter(steps, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// The closed-form power of one heavy-ball block: O(1) in t.
template <class S>
void BM_closed_form_power(benchmark::State& state) {
  const momentum::HeavyBall<S> hb(momentum::parse<S>("1e-4"), momentum::parse<S>("0.9"));
  const S lambda(50);
  const long long t = state.range(0);
  for (auto _ : state) {
    const auto P = momentum::power(hb, lambda, t);
    benchmark::DoNotOptimize(P.data());
  }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_heavy_ball_coordinate_step, double)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_heavy_ball_coordinate_step, momentum::float50)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_heavy_ball_coordinate_step, momentum::mpfr50)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_raw_mpfr_coordinate_step)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_closed_form_power, double)->Arg(10)->Arg(1000000)->Arg(1000000000);
BENCHMARK_TEMPLATE(BM_closed_form_power, momentum::mpfr50)->Arg(10)->Arg(1000000)->Arg(1000000000);

BENCHMARK_MAIN();
