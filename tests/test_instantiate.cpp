// Explicit instantiation of every public template of the core headers for every supported
// scalar, so that a multiprecision compile gap shows here rather than in a user's build
// (STYLE 11). The run-time checks are a smoke test that the instantiations link and agree.
#include "test_support.hpp"

#include <momentum/momentum.hpp>
#include <momentum/residual_interval.hpp>

#define MOMENTUM_INSTANTIATE_CORE(T)                                                          \
  template T momentum::parse<T>(const std::string&, const std::string&);                     \
  template std::string momentum::to_string<T>(const T&, int);                                \
  template struct momentum::GradientDescent<T>;                                              \
  template struct momentum::HeavyBall<T>;                                                    \
  template struct momentum::Velocity<T>;                                                     \
  template struct momentum::Nesterov<T>;                                                     \
  template momentum::HeavyBall<T> momentum::to_heavy_ball<T>(const Velocity<T>&);            \
  template momentum::Velocity<T> momentum::to_velocity<T>(const HeavyBall<T>&);              \
  template Eigen::Matrix<T, 2, 2> momentum::similarity_T<T>(const T&);                       \
  template Eigen::Matrix<T, 2, 2> momentum::similarity_T_inverse<T>(const T&);               \
  template momentum::Spectrum<T> momentum::spectrum<T>(const GradientDescent<T>&, const T&); \
  template momentum::Spectrum<T> momentum::spectrum<T>(const HeavyBall<T>&, const T&);       \
  template momentum::Spectrum<T> momentum::spectrum<T>(const Velocity<T>&, const T&);        \
  template momentum::Spectrum<T> momentum::spectrum<T>(const Nesterov<T>&, const T&);        \
  template bool momentum::converges<T>(const GradientDescent<T>&, const T&);                 \
  template bool momentum::converges<T>(const HeavyBall<T>&, const T&);                       \
  template bool momentum::converges<T>(const Velocity<T>&, const T&);                        \
  template bool momentum::converges<T>(const Nesterov<T>&, const T&);                        \
  template momentum::Interval<T> momentum::convergence_interval<T>(const GradientDescent<T>&); \
  template momentum::Interval<T> momentum::convergence_interval<T>(const HeavyBall<T>&);     \
  template momentum::Interval<T> momentum::convergence_interval<T>(const Velocity<T>&);      \
  template momentum::Interval<T> momentum::convergence_interval<T>(const Nesterov<T>&);      \
  template momentum::GeneralSpectrum<T> momentum::general_spectrum<T>(const Matrix<T>&);     \
  template class momentum::Quadratic<T>;                                                     \
  template momentum::WorstCase<T> momentum::worst_case<momentum::HeavyBall<T>, T>(           \
      const HeavyBall<T>&, const T&, const T&);                                              \
  template momentum::WorstCase<T> momentum::worst_case<momentum::Nesterov<T>, T>(            \
      const Nesterov<T>&, const Quadratic<T>&);                                              \
  template momentum::StartRate<T> momentum::rate_from_start<momentum::Velocity<T>, T>(       \
      const Velocity<T>&, const Quadratic<T>&, const Vector<T>&);                            \
  template momentum::Tuning<momentum::GradientDescent<T>, T> momentum::optimal_gd<T>(        \
      const T&, const T&);                                                                   \
  template momentum::Tuning<momentum::HeavyBall<T>, T> momentum::optimal_heavy_ball<T>(      \
      const T&, const T&);                                                                   \
  template momentum::Tuning<momentum::Velocity<T>, T> momentum::optimal_velocity<T>(         \
      const T&, const T&);                                                                   \
  template momentum::Tuning<momentum::Nesterov<T>, T> momentum::optimal_nesterov<T>(         \
      const T&, const T&);                                                                   \
  template momentum::Tuning<momentum::Nesterov<T>, T> momentum::standard_nesterov<T>(        \
      const T&, const T&);                                                                   \
  template T momentum::critical_beta<T>(const T&, const T&);

namespace momentum {
using ld = long double;
}
using momentum::GradientDescent;
using momentum::HeavyBall;
using momentum::Matrix;
using momentum::Nesterov;
using momentum::Quadratic;
using momentum::Vector;
using momentum::Velocity;

MOMENTUM_INSTANTIATE_CORE(double)
MOMENTUM_INSTANTIATE_CORE(momentum::ld)
MOMENTUM_INSTANTIATE_CORE(momentum::float50)
MOMENTUM_INSTANTIATE_CORE(momentum::mpfr_float)

TEST_CASE_TEMPLATE("every scalar gives the same tuned rate to its precision", T, MOMENTUM_SCALARS) {
  const auto hb = momentum::optimal_heavy_ball(T(1), T(100));
  CHECK(abs(momentum::worst_case(hb.method, T(1), T(100)).rho - T(9) / 11) <=
        momentum::test::ulps<T>(8));
}

// The two-state family, PyTorch's SGD and QHM (SPEC section 11): their templates outside the
// library's extern lists, for every scalar (TwoState's per-method ones link from the library).
#define MOMENTUM_INSTANTIATE_FAMILY_METHOD(M, T)                                              \
  template momentum::Trajectory<T> momentum::simulate_eigen<M, T>(                           \
      const M&, const Vector<T>&, const Vector<T>&, const Vector<T>&,                        \
      const momentum::SimulateOptions&);                                                     \
  template momentum::Trajectory<T> momentum::simulate<M, T>(                                 \
      const M&, const Quadratic<T>&, const Vector<T>&, const Vector<T>&,                     \
      const momentum::SimulateOptions&);                                                     \
  template momentum::NoiseStationary<T> momentum::stationary_covariance<M, T>(               \
      const M&, const T&, const T&);                                                         \
  template momentum::IterationCount<T> momentum::worst_case_iterations<M, T>(                \
      const M&, const Vector<T>&, const T&, const momentum::IterationOptions&);              \
  template momentum::RateVerification<T> momentum::verify_rate<M, T>(                        \
      const M&, const Vector<T>&, const Vector<T>&, const Vector<T>&,                        \
      const momentum::VerifyOptions<T>&);                                                    \
  template T momentum::residual<M, T>(const M&, const T&, long long);
#define MOMENTUM_INSTANTIATE_FAMILY(T)                                                        \
  template struct momentum::TwoState<T>;                                                     \
  template struct momentum::PyTorchSGD<T>;                                                   \
  template struct momentum::QHM<T>;                                                          \
  MOMENTUM_INSTANTIATE_FAMILY_METHOD(momentum::PyTorchSGD<T>, T)                             \
  MOMENTUM_INSTANTIATE_FAMILY_METHOD(momentum::QHM<T>, T)                                    \
  template momentum::NoiseStationary<T> momentum::stationary_covariance<momentum::TwoState<T>, T>( \
      const momentum::TwoState<T>&, const T&, const T&);                                     \
  template momentum::RadiusRange<T> momentum::radius_range<T>(const momentum::TwoState<T>&,  \
                                                              const T&, const T&);           \
  template momentum::RadiusRange<T> momentum::radius_range<T>(const momentum::PyTorchSGD<T>&, \
                                                              const T&, const T&);           \
  template momentum::RadiusRange<T> momentum::radius_range<T>(const momentum::QHM<T>&,       \
                                                              const T&, const T&);           \
  template momentum::XErrorInterval<T> momentum::x_error_interval<momentum::TwoState<T>, T>( \
      const momentum::TwoState<T>&, const T&, const T&, const T&, long long);

MOMENTUM_INSTANTIATE_FAMILY(double)
MOMENTUM_INSTANTIATE_FAMILY(momentum::ld)
MOMENTUM_INSTANTIATE_FAMILY(momentum::float50)
MOMENTUM_INSTANTIATE_FAMILY(momentum::mpfr_float)

TEST_CASE_TEMPLATE("every scalar: TwoState(alpha, beta, 0) counts as heavy ball (library instances)",
                   T, MOMENTUM_SCALARS) {
  Vector<T> lambdas(2);
  lambdas << T(1), T(100);
  const auto hb = momentum::optimal_heavy_ball(T(1), T(100)).method;
  const momentum::TwoState<T> f(hb.alpha, hb.beta, T(0));
  const T eps = T(1) / 1000000;
  CHECK(momentum::worst_case_iterations(f, lambdas, eps).first ==
        momentum::worst_case_iterations(hb, lambdas, eps).first);
  // 300 steps: 0.82^300 ~ 1e-26 stays inside double's range (10000 would underflow).
  momentum::VerifyOptions<T> o;
  o.steps = 300;
  const momentum::RateVerification<T> a = momentum::verify_rate(f, T(1), o);
  CHECK(a.holds);
  CHECK(a.c_hi == momentum::verify_rate(hb, T(1), o).c_hi);
}
