#pragma once
/// \file tracked.hpp
/// Running error analysis: a value together with a rigorous bound on its absolute error,
/// propagated through +, -, *, / and sqrt with one rounding per operation. spectrum.hpp derives
/// the error bounds of the two-state family's discriminant with it (its error model: one-ulp
/// perturbations of the parameters and of lambda, plus every rounding).

#include <momentum/scalar.hpp>

#include <limits>
#include <utility>

namespace momentum::detail {

/// A value with a bound on its absolute error (running error analysis). Every operation adds
/// the propagated errors of its operands (to all orders for +, - and *) and eps |result| for
/// its own rounding (round to nearest errs by at most eps/2: the factor 2 also covers the
/// rounding of the bound's own arithmetic). Inputs enter with their perturbation (one ulp:
/// eps |x|); exact constants with 0.
template <class Scalar>
struct Tracked {
  Scalar v, e;
};
template <class Scalar>
Tracked<Scalar> tracked_input(const Scalar& x, int ulps = 1) {
  using std::abs;
  return {x, Scalar(ulps * epsilon<Scalar>() * abs(x))};
}
template <class Scalar>
Tracked<Scalar> tracked_round(Scalar v, Scalar e) {
  using std::abs;
  const Scalar r = epsilon<Scalar>() * abs(v);
  return {std::move(v), Scalar(e + r)};
}
template <class Scalar>
Tracked<Scalar> operator+(const Tracked<Scalar>& x, const Tracked<Scalar>& y) {
  return tracked_round(Scalar(x.v + y.v), Scalar(x.e + y.e));
}
template <class Scalar>
Tracked<Scalar> operator-(const Tracked<Scalar>& x, const Tracked<Scalar>& y) {
  return tracked_round(Scalar(x.v - y.v), Scalar(x.e + y.e));
}
template <class Scalar>
Tracked<Scalar> operator*(const Tracked<Scalar>& x, const Tracked<Scalar>& y) {
  using std::abs;
  return tracked_round(Scalar(x.v * y.v), Scalar(abs(x.v) * y.e + abs(y.v) * x.e + x.e * y.e));
}
/// x / y: |(x + dx)/(y + dy) - x/y| <= (|dx| + |x/y| |dy|) / (|y| - |dy|); infinite when the
/// error of y reaches |y| (the callers avoid that case).
template <class Scalar>
Tracked<Scalar> operator/(const Tracked<Scalar>& x, const Tracked<Scalar>& y) {
  using std::abs;
  const Scalar q = x.v / y.v, room = abs(y.v) - y.e;
  const Scalar e = room > 0 ? Scalar((x.e + abs(q) * y.e) / room)
                            : Scalar(std::numeric_limits<Scalar>::infinity());
  return tracked_round(q, e);
}
/// sqrt(x) for x >= 0: |sqrt(x + dx) - sqrt(x)| <= min(|dx| / sqrt(x), sqrt(|dx|)) (a true value
/// below 0 only makes the formula using it hold with sqrt(0)).
template <class Scalar>
Tracked<Scalar> tracked_sqrt(const Tracked<Scalar>& x) {
  using std::min;
  using std::sqrt;
  const Scalar r = sqrt(x.v), se = sqrt(x.e);
  return tracked_round(r, r > 0 ? Scalar(min(Scalar(x.e / r), se)) : se);
}
/// An exact multiple by a power of two (no rounding).
template <class Scalar>
Tracked<Scalar> tracked_times(int k, const Tracked<Scalar>& x) {
  return {Scalar(k * x.v), Scalar((k < 0 ? -k : k) * x.e)};
}

}  // namespace momentum::detail
