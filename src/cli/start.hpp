#pragma once
/// \file start.hpp
/// The start of a run (--x0, --x-prev, --v0, --steps, --at) and its eigen-coordinates, shared
/// by verify, simulate and demo. For --eigenvalues, Q = diag(l) and c = 0, so x = z in the
/// order given; for --matrix, z = O (x - x*).

#include "options.hpp"
#include "problem.hpp"
#include "report.hpp"

#include <momentum/simulate.hpp>

#include <charconv>
#include <string>
#include <vector>

namespace momentum::cli {

struct StartOptions {
  std::string x0, x_prev, v0, steps, at;
};

/// Adds --x0, --x-prev, --v0, --steps (default `default_steps`, empty: required) and, when
/// asked, --at.
void add_start_options(CLI::App& app, StartOptions& o, const std::string& default_steps,
                       bool with_at);

/// --steps as a count in [1, max]. \throws UsageError.
long long parse_steps(const std::string& text, const std::string& what, long long max);

/// --at t1,t2,... as sorted unique checkpoints in [0, steps]. \throws UsageError.
std::vector<long long> parse_checkpoints(const std::string& text, long long steps);

/// The start in eigen-coordinates: z0 and the second state (z_{-1} for heavy ball and
/// Nesterov, O v0 for the velocity form, empty for the default or gradient descent).
template <class Scalar>
struct EigenStart {
  Vector<Scalar> lambdas, z0, second;
};

template <class Scalar, class Method>
EigenStart<Scalar> eigen_start(const Method&, const Problem<Scalar>& p, const StartOptions& o,
                               bool x0_required) {
  const Eigen::Index n = p.n;
  auto vec = [&](const std::string& text, const std::string& what) {
    Vector<Scalar> v = parse_list<Scalar>(text, what);
    if (v.size() != n)
      throw UsageError(what + ": must have " + std::to_string(n) + " entries (the size of Q), got " +
                       std::to_string(v.size()));
    return v;
  };
  constexpr bool velocity = momentum::detail::is_velocity<Method>();
  constexpr bool gd = Method::state_size == 1;
  // PyTorch's SGD and QHM start their buffers as their libraries do (no option sets them).
  constexpr bool buffered = IsParameterization<Method>::value;
  if (!o.x_prev.empty() && (velocity || gd || buffered))
    throw UsageError(std::string("--x-prev: only for heavy-ball, nesterov and general") +
                     (velocity ? " (the velocity form starts from --v0)"
                      : buffered ? " (PyTorch's and QHM's buffers start as their libraries "
                                   "start them, from --x0 alone)"
                                 : ""));
  if (!o.v0.empty() && !velocity)
    throw UsageError("--v0: only for the velocity form (heavy-ball, nesterov and general take "
                     "--x-prev)");
  if (o.x0.empty() && x0_required) throw UsageError("--x0: the start is required");
  const Vector<Scalar> x0 = o.x0.empty() ? Vector<Scalar>(Vector<Scalar>::Ones(n)) : vec(o.x0, "--x0");
  EigenStart<Scalar> s;
  s.lambdas = p.coordinate_eigenvalues();
  if (p.kind == Problem<Scalar>::Kind::eigenvalues) {
    s.z0 = x0;
    if (!o.x_prev.empty()) s.second = vec(o.x_prev, "--x-prev");
    if (!o.v0.empty()) s.second = vec(o.v0, "--v0");
  } else {
    const Quadratic<Scalar>& h = *p.quadratic;
    s.z0 = h.to_eigen(x0);
    if (!o.x_prev.empty()) s.second = h.to_eigen(vec(o.x_prev, "--x-prev"));
    if (!o.v0.empty()) s.second = h.rotate_to_eigen(vec(o.v0, "--v0"));
  }
  return s;
}

/// x_t from z_t: z itself for a spectrum problem, x* + O^T z for a matrix.
template <class Scalar>
Vector<Scalar> to_x(const Problem<Scalar>& p, const Vector<Scalar>& z) {
  if (p.kind == Problem<Scalar>::Kind::eigenvalues) return z;
  return p.quadratic->from_eigen(z);
}

}  // namespace momentum::cli
