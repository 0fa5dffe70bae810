#pragma once
/// \file problem.hpp
/// The problem a subcommand analyses, built from --eigenvalues, --mu/--L or --matrix (with
/// --linear, --constant) in the working scalar, validated with messages naming the argument.

#include "options.hpp"
#include "progress.hpp"
#include "typed_eigenvalues.hpp"

#include <momentum/quadratic.hpp>

#include <memory>
#include <string>

namespace momentum::cli {

template <class Scalar>
struct Problem {
  enum class Kind { eigenvalues, interval, matrix };
  Kind kind = Kind::eigenvalues;
  std::string description;  ///< "Q = diag(0.2, 4)", "spectrum in [1, 100]", "Q from Q.mtx (...)"
  Eigen::Index n = 0;       ///< dimension (2 for an interval: its ends)
  /// Eigenvalues, ascending: the whole spectrum (list or dense decomposition) or {mu, L}.
  Vector<Scalar> eigenvalues;
  /// For --eigenvalues: the list in the order given (Q = diag of it, so x = z in that order).
  Vector<Scalar> diagonal;
  /// Absolute error bound of each eigenvalue: 0 when given exactly; when computed by the dense
  /// symmetric eigen-solver, in double the a posteriori residual bound ||Q v - theta v|| (about
  /// epsilon ||Q||), in MPFR n epsilon ||Q||.
  Scalar lambda_error = 0;
  /// Double runs: --eigenvalues or --mu/--L parsed again in long double from the text as typed
  /// (the wide twin's eigenvalues, accuracy.hpp). Empty for a matrix and in MPFR.
  TypedEigenvalues typed;
  /// The quadratic with its decomposition (--matrix only).
  std::shared_ptr<const Quadratic<Scalar>> quadratic;

  const Scalar& lambda_min() const { return eigenvalues(0); }
  const Scalar& lambda_max() const { return eigenvalues(eigenvalues.size() - 1); }
  bool whole_spectrum() const { return kind != Kind::interval; }
  /// The eigenvalues a start's coordinates refer to: the diagonal in given order for a
  /// spectrum, else the quadratic's ascending eigenvalues.
  const Vector<Scalar>& coordinate_eigenvalues() const {
    return kind == Kind::eigenvalues ? diagonal : eigenvalues;
  }
};

/// Builds the problem (numbers parsed in Scalar; the matrix read and decomposed densely).
/// \throws UsageError naming the argument for any bad input (a non-symmetric or indefinite Q,
///         mismatched sizes, unreadable files, non-positive eigenvalues, ...).
template <class Scalar>
Problem<Scalar> load_problem(const ProblemOptions& o, Progress* progress);

/// Whether --matrix should take the extremes path (rate and optimal only): --path extremes, or
/// --path auto with n > 2000 or a coordinate file under 10% dense.
bool use_extremes_path(const ProblemOptions& o);

extern template Problem<double> load_problem<double>(const ProblemOptions&, Progress*);
extern template Problem<mpfr_float> load_problem<mpfr_float>(const ProblemOptions&, Progress*);

}  // namespace momentum::cli
