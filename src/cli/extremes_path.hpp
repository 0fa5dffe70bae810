#pragma once
/// \file extremes_path.hpp
/// The path for large or sparse Q (rate and optimal): stream the Matrix Market file into a
/// sparse matrix, find the extreme eigenvalues with proven enclosures (extremes.hpp), and
/// report rates as proven intervals [rho_lo, rho_hi] instead of decomposing Q densely.
/// Always in double: the enclosures, not the arithmetic, limit the digits.

#include "json_output.hpp"
#include "options.hpp"
#include "progress.hpp"

#include <momentum/extremes.hpp>

#include <string>

namespace momentum::cli {

struct ExtremesProblem {
  std::string description;
  Eigen::Index n = 0;
  std::int64_t nonzeros = 0;
  ExtremeEigenvalues<double> extremes;
};

/// Reads --matrix (sparse or dense) in double and computes its certified extremes; the largest
/// only when `largest_needed` (empty: always) says it can matter (extremes.hpp).
/// \throws UsageError for bad files, non-symmetric or indefinite Q.
ExtremesProblem load_extremes_problem(const ProblemOptions& o, Progress* progress,
                                      const LargestNeeded<double>& largest_needed = {});

/// Whether the extremes computed only the bounds of lambda_max (it could not decide the rate).
inline bool largest_is_bounds(const ExtremesProblem& p) {
  return p.extremes.largest.solver == ExtremeSolver::bounds;
}

/// {"lambda_min": {...}, "lambda_max": {...}}: estimate, enclosure, solver, certified (a
/// largest end left as bounds has its enclosure, solver "bounds" and a note only).
Json extremes_json(const ExtremesProblem& p);

/// The digits rho_lo and rho_hi share, as a decimal (at least 1 digit, at most `wanted`):
/// the value every number in [lo, hi] rounds to, or the midpoint to 2 digits if none does.
std::string common_digits(double lo, double hi, int wanted);

/// Worst-case rate enclosure of a method (double) on the extremes.
template <class Method>
RateEnclosure<double> rate_enclosure(const Method& m, const ExtremesProblem& p) {
  return certified_worst_case(m, p.extremes);
}

}  // namespace momentum::cli
