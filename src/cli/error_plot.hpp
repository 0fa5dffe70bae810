#pragma once
/// \file error_plot.hpp
/// The error plot of verify, simulate and demo: the measured error norm of a run on a log axis
/// (as log10, computed in the working precision, so 1e-3000 plots fine) with the band the
/// theory predicts, c_lo t^{m-1} rho^t <= ||e_t|| <= c_hi t^{m-1} rho^t.

#include "start.hpp"
#include "svg_plot.hpp"

#include <momentum/verify.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace momentum::cli {

/// The label of the verified norm: the whole state or ||e_t||.
template <class Method>
std::string measure_label(ErrorMeasure measure) {
  if (measure == ErrorMeasure::x || Method::state_size == 1) return "\u2016x_t \u2212 x*\u2016";
  if (momentum::detail::is_velocity<Method>()) return "\u2016(v_t, x_t \u2212 x*)\u2016";
  return "\u2016(x_t \u2212 x*, x_{t\u22121} \u2212 x*)\u2016";
}

/// Runs the method from the start for T steps (every step up to 20000 points, else evenly
/// strided) and plots the measured norm on a log axis; with a verification `v`, also the
/// predicted band c t^{m-1} rho^t, c in [c_lo, c_hi], and a second panel with the normalised
/// error ||e_t|| / (t^{m-1} rho^t) against [c_lo, c_hi] (the band is thin on the first panel's
/// scale once the error spans hundreds of decades).
template <class Scalar, class Method>
std::vector<LinePlot> error_plot(const Method& m, const EigenStart<Scalar>& s, long long T,
                                 ErrorMeasure measure, const RateVerification<Scalar>* v,
                                 const std::string& title, const std::string& subtitle) {
  using std::log10;
  SimulateOptions so;
  so.steps = T;
  const long long stride = std::max<long long>(1, T / 20000);
  for (long long t = 0; t <= T; t += stride) so.at.push_back(t);
  if (so.at.back() != T) so.at.push_back(T);
  so.record_state_norm = measure == ErrorMeasure::state;
  const Trajectory<Scalar> tr = simulate_eigen(m, s.lambdas, s.z0, s.second, so);
  const std::string norm = measure_label<Method>(measure);
  LinePlot p;
  p.title = title;
  p.subtitle = subtitle;
  p.x.label = "iteration t";
  p.y.label = norm + "  (log scale)";
  p.y.log = true;
  Series meas;
  meas.label = "measured " + norm;
  meas.color = "#1f4e9c";
  std::vector<Scalar> logs;
  for (const auto& c : tr.points) {
    meas.x.push_back(double(c.t));
    const Scalar& e = measure == ErrorMeasure::state ? c.state_norm : c.error_norm;
    logs.push_back(e > 0 ? Scalar(log10(e)) : Scalar(-std::numeric_limits<double>::infinity()));
    meas.y.push_back(static_cast<double>(logs.back()));
  }
  std::vector<LinePlot> panels;
  if (!v) {
    p.series.push_back(std::move(meas));
    panels.push_back(std::move(p));
    return panels;
  }
  const bool two_sided = v->c_lo > 0;
  const std::string law = v->m == 1 ? "\u03c1^t" : "t \u03c1^t";
  const Scalar l_rho = log10(v->rho);
  // The prediction on the first panel.
  Band b;
  b.color = "#f08a24";
  b.label = "predicted c " + law + ", c in [c_lo, c_hi]";
  Series upper;
  upper.label = "predicted bound c_hi " + law;
  upper.color = "#f08a24";
  upper.width = 1.8;
  for (const auto& c : tr.points) {
    if (c.t < 1) continue;
    const Scalar t = Scalar(c.t);
    const Scalar common = Scalar((v->m - 1) * log10(t) + t * l_rho);
    b.x.push_back(double(c.t));
    b.hi.push_back(static_cast<double>(log10(v->c_hi) + common));
    b.lo.push_back(two_sided ? static_cast<double>(log10(v->c_lo) + common) : 0.0);
  }
  if (two_sided) {
    p.bands.push_back(b);
  } else {
    upper.x = b.x;
    upper.y = b.hi;
    p.series.push_back(upper);
  }
  Series slope;
  slope.label = "\u03c1^t times the start's norm";
  slope.color = "#555555";
  slope.dashed = true;
  slope.width = 1.1;
  if (std::isfinite(meas.y.front())) {
    for (const auto& c : tr.points) {
      slope.x.push_back(double(c.t));
      slope.y.push_back(static_cast<double>(logs.front() + Scalar(c.t) * l_rho));
    }
    p.series.push_back(std::move(slope));
  }
  // The normalised error on the second panel, linear.
  LinePlot q;
  q.x.label = "iteration t";
  q.y.label = std::string("normalised: \u2016\u00b7\u2016 / ") + (v->m == 1 ? law : "(" + law + ")");
  Band qb;
  qb.color = "#f08a24";
  qb.label = two_sided ? "[c_lo, c_hi] = [" + to_string(static_cast<double>(v->c_lo), 4) + ", " +
                             to_string(static_cast<double>(v->c_hi), 4) + "]"
                       : "[0, c_hi] = [0, " + to_string(static_cast<double>(v->c_hi), 4) + "]";
  Series qs;
  qs.label = "measured, normalised";
  qs.color = "#1f4e9c";
  for (std::size_t k = 0; k < tr.points.size(); ++k) {
    const long long t = tr.points[k].t;
    if (t < 1) continue;
    const Scalar ratio_log = logs[k] - Scalar((v->m - 1) * log10(Scalar(t)) + Scalar(t) * l_rho);
    qs.x.push_back(double(t));
    qs.y.push_back(std::pow(10.0, static_cast<double>(ratio_log)));
    qb.x.push_back(double(t));
    qb.lo.push_back(two_sided ? static_cast<double>(v->c_lo) : 0.0);
    qb.hi.push_back(static_cast<double>(v->c_hi));
  }
  q.bands.push_back(std::move(qb));
  q.series.push_back(std::move(qs));
  p.series.push_back(std::move(meas));  // drawn last, on top
  panels.push_back(std::move(p));
  panels.push_back(std::move(q));
  return panels;
}

}  // namespace momentum::cli
