// Rate estimation itself (issue 5, item (e)): each way to obtain the spectral radius rho of one
// heavy-ball block, its cost (the benchmark time) and its error against the exact rate
// (counters), on four eigenvalues of the heavy ball tuned for mu = 1, L = 100
// (alpha = 4/121, beta = 81/121, SPEC section 6):
//   complex     lambda = 10   interior eigenvalue: complex pair, rho = sqrt(beta) = 9/11
//   real        lambda = 1/2  below mu: overdamped, rho = (200 + sqrt 796)/242 = 0.9430...
//   critical    lambda = 1    = mu: double root 9/11 with a Jordan block (SPEC section 3)
//   critical_L  lambda = 100  = L: double root -9/11, Jordan block
// in double and in mpfr_float at 50 digits (the inputs parsed straight into each type). Rounded to
// double, the two critical blocks fall on opposite sides: tau^2 - 4 beta of the double entries is
// -3.6e-16 at lambda = mu (a complex pair of modulus sqrt(beta): accurate) and +3.7e-16 at
// lambda = L (two real roots 9/11 +- 1e-8: a formula or solver that trusts the rounded entries is
// off by ~1e-8, SPEC section 3).
//
//   BM_RateClosedForm        momentum::spectral_radius (factored, cancellation-free discriminant)
//   BM_RateSpectrum2x2       momentum::spectrum_2x2: closed form for any 2x2, from the entries
//   BM_RateNaiveFormula      (|tau| + sqrt(tau^2 - 4 beta))/2, sqrt(beta) if negative: the
//                            formula of ../shared/baselines/common.py (rho2)
//   BM_RateEigenSolver       momentum::general_spectral_radius (Eigen's EigenSolver, real Schur)
//   BM_RatePowerIteration/t  v <- M v / ||M v|| t times; estimate ||M v_{t-1}||. Does not converge
//                            for a complex pair (the ratio keeps oscillating)
//   BM_RateGelfand/t         ||M^t||_2^{1/t} with the closed-form power (powers.hpp): O(1) in t
//   BM_RateGelfandBinary/t   the same with M^t by binary powering: O(log t)
//   BM_RateRoot/t            (||s_t|| / ||s_0||)^{1/t} from a simulated trajectory
//   BM_RateSlope/t           exp of the least-squares slope of log ||s_t|| over [t/2, t]
// The last two are verify.hpp's estimators (state norm ||[z_t; z_{t-1}]||, start z_0 = z_{-1} = 1,
// at most about 4096 points of the window). At the Jordan block ||M^t|| ~ c t rho^t, so Gelfand
// and the root converge only like log(t)/t; the slope like 1/t.
//
// Counters: rel_err = |estimate - rho| / rho against the exact rate of the problem as posed
// (rational inputs), computed at 200 digits by the plain quadratic formula (at a double root the
// cancelled discriminant is ~1e-200, so the reference is good to ~1e-100); rel_err_rounded against
// the exact rate of the matrix actually formed in the scalar type (entries rounded to it), which
// at the critical point can differ from 9/11 by ~sqrt(epsilon): what a general eigen-solver or a
// trajectory can see at best. When the error state or ||M^t|| underflows the type (rho^t below
// 1e-308 in double: t >= ~3.5e3 at rho = 9/11) the estimate is 0 or NaN; the row then reports
// underflow = 1 and no error. MPFR's default exponent range reaches 2^-(2^30) ~ 1e-323228496:
// the mpfr_float rows follow Gelfand to t = 1e9 (rho^t ~ 1e-87000000), not to 1e12.
//
// Run (the table): bash scripts/bench.sh --full; alone:
//   bench_rate_estimation --benchmark_min_time=0.05 --benchmark_filter='critical'
#include <momentum/eigen.hpp>
#include <momentum/iteration_matrix.hpp>
#include <momentum/powers.hpp>
#include <momentum/simulate.hpp>
#include <momentum/spectrum.hpp>

#include <benchmark/benchmark.h>

#include <boost/multiprecision/mpfr.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

/// The reference type: 200 decimal digits.
using Reference =
    boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<200>>;

/// One eigenvalue of one heavy ball, as exact decimal or rational strings.
struct Case {
  const char* name;
  const char* alpha;
  const char* beta;
  const char* lambda;
};

const Case kCases[] = {
    {"complex", "4/121", "81/121", "10"},
    {"real", "4/121", "81/121", "1/2"},
    {"critical", "4/121", "81/121", "1"},
    {"critical_L", "4/121", "81/121", "100"},
};

/// Spectral radius of z^2 - tau z + beta by the plain quadratic formula, at 200 digits.
Reference reference_rho(const Reference& tau, const Reference& beta) {
  using std::abs;
  using std::sqrt;
  const Reference delta = tau * tau - 4 * beta;
  if (delta < 0) return sqrt(beta);
  return (abs(tau) + sqrt(delta)) / 2;
}

/// The block of a case in the scalar S, and both reference rates.
template <class S>
struct Problem {
  momentum::HeavyBall<S> hb;
  S lambda;
  Eigen::Matrix<S, 2, 2> A;
  Reference rho_posed, rho_rounded;

  explicit Problem(const Case& c)
      : hb(momentum::parse<S>(c.alpha, "alpha"), momentum::parse<S>(c.beta, "beta")),
        lambda(momentum::parse<S>(c.lambda, "lambda")),
        A(momentum::iteration_matrix(hb, lambda)) {
    const Reference alpha = momentum::parse<Reference>(c.alpha, "alpha");
    const Reference beta = momentum::parse<Reference>(c.beta, "beta");
    const Reference lam = momentum::parse<Reference>(c.lambda, "lambda");
    rho_posed = reference_rho(1 + beta - alpha * lam, beta);
    // The matrix formed in S, its entries converted exactly (200 digits hold any product of two).
    rho_rounded = reference_rho(Reference(A(0, 0)), Reference(-A(0, 1)));
  }
};

/// Sets the error counters of an estimate (or the underflow flag).
template <class S>
void report(benchmark::State& state, const Problem<S>& p, const S& estimate, bool underflow) {
  using std::abs;
  using std::log10;
  if (underflow || !momentum::is_finite(estimate)) {
    state.counters["underflow"] = 1;
    return;
  }
  const Reference e(estimate);
  const Reference err = abs(e - p.rho_posed) / p.rho_posed;
  state.counters["rel_err"] = static_cast<double>(err);
  state.counters["rel_err_rounded"] =
      static_cast<double>(Reference(abs(e - p.rho_rounded) / p.rho_rounded));
  // Correct decimal digits, -log10(rel_err): readable where the console's SI prefixes stop
  // (below 1e-18 it prints "51.7" for 5.17e-26).
  state.counters["digits"] = err > 0 ? -static_cast<double>(Reference(log10(err))) : 200.0;
}

/// Keeps a value alive (and, called on the inputs at the top of each iteration, makes them
/// opaque, so that nothing is hoisted out of the timed loop). Only the const overload of
/// DoNotOptimize: with Google Benchmark 1.7.1's in-out overload (asm "+m,r"), GCC 12 -O2 lost the
/// value here: `rho = ...; DoNotOptimize(rho);` read back 0 after the loop (the same family of
/// problems as google/benchmark#903).
template <class T>
void keep(const T& x) {
  benchmark::DoNotOptimize(x);
}

/// Below the smallest normal number of S (underflowed, or about to lose digits).
template <class S>
bool tiny(const S& x) {
  return !(x >= std::numeric_limits<S>::min());
}

// ---- O(1) in t: closed forms and the general eigen-solver.

template <class S>
void BM_RateClosedForm(benchmark::State& state, const Case& c) {
  Problem<S> p(c);
  S rho(0);
  for (auto _ : state) {
    keep(p);
    rho = momentum::spectral_radius(p.hb, p.lambda);
    keep(rho);
  }
  report(state, p, rho, false);
}

template <class S>
void BM_RateSpectrum2x2(benchmark::State& state, const Case& c) {
  Problem<S> p(c);
  S rho(0);
  for (auto _ : state) {
    keep(p);
    rho = momentum::spectrum_2x2(p.A).rho;
    keep(rho);
  }
  report(state, p, rho, false);
}

template <class S>
void BM_RateNaiveFormula(benchmark::State& state, const Case& c) {
  using std::abs;
  using std::sqrt;
  Problem<S> p(c);
  S rho(0);
  for (auto _ : state) {
    keep(p);
    const S tau = 1 + p.hb.beta - p.hb.alpha * p.lambda;
    const S delta = tau * tau - 4 * p.hb.beta;
    rho = delta < 0 ? S(sqrt(p.hb.beta)) : S((abs(tau) + sqrt(delta)) / 2);
    keep(rho);
  }
  report(state, p, rho, false);
}

template <class S>
void BM_RateEigenSolver(benchmark::State& state, const Case& c) {
  Problem<S> p(c);
  S rho(0);
  for (auto _ : state) {
    keep(p);
    const momentum::Matrix<S> M = p.A;  // the general solver takes a dynamic matrix
    rho = momentum::general_spectral_radius(M);
    keep(rho);
  }
  report(state, p, rho, false);
}

// ---- Iterative: state.range(0) = t.

template <class S>
void BM_RatePowerIteration(benchmark::State& state, const Case& c) {
  using std::sqrt;
  Problem<S> p(c);
  const long long t = state.range(0);
  S rho(0);
  for (auto _ : state) {
    keep(p);
    Eigen::Matrix<S, 2, 1> v(S(1), S(1)), w;
    v /= sqrt(S(2));
    for (long long k = 0; k < t; ++k) {
      w.noalias() = p.A * v;
      rho = w.norm();
      v = w / rho;
    }
    keep(rho);
  }
  report(state, p, rho, false);
}

template <class S>
void BM_RateGelfand(benchmark::State& state, const Case& c) {
  using std::pow;
  Problem<S> p(c);
  const long long t = state.range(0);
  S g(0), rho(0);
  for (auto _ : state) {
    keep(p);
    g = momentum::power_norm(p.hb, p.lambda, t);
    rho = pow(g, S(1) / S(t));
    keep(rho);
  }
  report(state, p, rho, tiny(g));
}

template <class S>
void BM_RateGelfandBinary(benchmark::State& state, const Case& c) {
  using std::pow;
  Problem<S> p(c);
  const long long t = state.range(0);
  S g(0), rho(0);
  for (auto _ : state) {
    keep(p);
    g = momentum::norm_2(momentum::matrix_power_binary(p.A, t));
    rho = pow(g, S(1) / S(t));
    keep(rho);
  }
  report(state, p, rho, tiny(g));
}

/// One coordinate from z_0 = z_{-1} = 1, the state norm recorded at `at`.
template <class S>
momentum::Trajectory<S> trajectory(const Problem<S>& p, long long t, std::vector<long long> at) {
  momentum::Vector<S> l(1), z0(1);
  l(0) = p.lambda;
  z0(0) = S(1);
  momentum::SimulateOptions o;
  o.steps = t;
  o.at = std::move(at);
  o.record_state_norm = true;
  return momentum::simulate_eigen(p.hb, l, z0, momentum::Vector<S>(), o);
}

template <class S>
void BM_RateRoot(benchmark::State& state, const Case& c) {
  using std::exp;
  using std::log;
  Problem<S> p(c);
  const long long t = state.range(0);
  S rho(0);
  bool underflow = false;
  for (auto _ : state) {
    keep(p);
    const momentum::Trajectory<S> tr = trajectory(p, t, {0, t});
    const S& n0 = tr.points.front().state_norm;
    const S& nt = tr.points.back().state_norm;
    underflow = tiny(nt);
    rho = underflow ? S(0) : S(exp((log(nt) - log(n0)) / S(t)));
    keep(rho);
  }
  report(state, p, rho, underflow);
}

template <class S>
void BM_RateSlope(benchmark::State& state, const Case& c) {
  using std::exp;
  using std::log;
  Problem<S> p(c);
  const long long t = state.range(0);
  // verify.hpp's window: [t - W, t], W = t/2, at most about 4096 evenly spaced points.
  const long long W = std::max(1LL, t / 2);
  const long long stride = std::max(1LL, (W + 1) / 4096);
  std::vector<long long> at;
  for (long long k = t; k >= t - W; k -= stride) at.push_back(k);
  std::reverse(at.begin(), at.end());
  S rho(0);
  bool underflow = false;
  for (auto _ : state) {
    keep(p);
    const momentum::Trajectory<S> tr = trajectory(p, t, at);
    underflow = false;
    S mean_t(0), mean_l(0);
    std::vector<S> logs;
    logs.reserve(tr.points.size());
    for (const auto& pt : tr.points) {
      underflow = underflow || tiny(pt.state_norm);
      logs.push_back(underflow ? S(0) : S(log(pt.state_norm)));
      mean_t += S(pt.t);
      mean_l += logs.back();
    }
    const S count(static_cast<long long>(logs.size()));
    mean_t /= count;
    mean_l /= count;
    S sxy(0), sxx(0);
    for (std::size_t k = 0; k < logs.size(); ++k) {
      const S dt = S(tr.points[k].t) - mean_t;
      sxy += dt * (logs[k] - mean_l);
      sxx += dt * dt;
    }
    rho = underflow ? S(0) : S(exp(sxy / sxx));
    keep(rho);
  }
  report(state, p, rho, underflow);
}

using Function = void (*)(benchmark::State&, const Case&);

/// Registers every estimator for the scalar S, named e.g. BM_RateRoot<double>/critical/1000.
template <class S>
void register_scalar(const std::string& scalar) {
  const struct {
    const char* name;
    Function f;
  } direct[] = {{"BM_RateClosedForm", &BM_RateClosedForm<S>},
                {"BM_RateSpectrum2x2", &BM_RateSpectrum2x2<S>},
                {"BM_RateNaiveFormula", &BM_RateNaiveFormula<S>},
                {"BM_RateEigenSolver", &BM_RateEigenSolver<S>}};
  const std::vector<long long> sweep{10, 100, 1000, 10000, 100000};
  // The closed-form power costs the same at any t: follow Gelfand far beyond the trajectories.
  const std::vector<long long> far{10, 100, 1000, 10000, 100000, 1000000, 1000000000};
  const struct {
    const char* name;
    Function f;
    const std::vector<long long>* ts;
  } iterative[] = {{"BM_RatePowerIteration", &BM_RatePowerIteration<S>, &sweep},
                   {"BM_RateGelfand", &BM_RateGelfand<S>, &far},
                   {"BM_RateGelfandBinary", &BM_RateGelfandBinary<S>, &far},
                   {"BM_RateRoot", &BM_RateRoot<S>, &sweep},
                   {"BM_RateSlope", &BM_RateSlope<S>, &sweep}};
  for (const Case& c : kCases) {
    for (const auto& d : direct)
      benchmark::RegisterBenchmark((std::string(d.name) + "<" + scalar + ">/" + c.name).c_str(),
                                   d.f, c);
    for (const auto& it : iterative) {
      auto* b = benchmark::RegisterBenchmark(
          (std::string(it.name) + "<" + scalar + ">/" + c.name).c_str(), it.f, c);
      for (long long t : *it.ts) b->Arg(t);
      b->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // mpfr_float numbers made from here on carry 50 digits (the reference type has its own 200).
  momentum::set_digits(50);
  register_scalar<double>("double");
  register_scalar<momentum::mpfr_float>("mpfr_float_50");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
