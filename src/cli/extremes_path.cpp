#include "extremes_path.hpp"

#include "matrix_file.hpp"
#include "memory_matrix.hpp"

#include <cmath>
#include <cstdio>

namespace momentum::cli {

ExtremesProblem load_extremes_problem(const ProblemOptions& o, Progress* progress,
                                      const LargestNeeded<double>& largest_needed) {
  // A dense matrix the Python package lent (memory_matrix.hpp) is read in place, not copied.
  const std::optional<Eigen::Map<const Matrix<double>>> view = memory_view(o.matrix);
  MatrixMarket<double> m;
  if (view) m.header = memory_matrix_header(*find_memory_matrix(o.matrix));
  else m = read_matrix_file<double>(o.matrix, "--matrix", progress);
  const Eigen::Index n = m.header.rows;
  if (m.header.cols != n)
    throw UsageError("--matrix " + o.matrix + ": Q must be square, got " + std::to_string(n) +
                     "x" + std::to_string(m.header.cols) + "\n  " +
                     accepted_formats("--matrix", false));
  if (!o.linear.empty()) {
    const Vector<double> c = read_vector_file<double>(o.linear, "--linear");
    if (c.size() != n)
      throw UsageError("--linear " + o.linear + ": c must have " + std::to_string(n) +
                       " entries (the size of Q), got " + std::to_string(c.size()));
  }
  if (!o.constant.empty()) (void)parse_number<double>(o.constant, "--constant");
  if (!o.shift.empty()) {
    // PyTorch's weight decay: Q + wd I (every diagonal entry, stored or not).
    const double shift = parse_number<double>(o.shift, "--weight-decay");
    if (m.is_sparse()) {
      Eigen::SparseMatrix<double> I(n, n);
      I.setIdentity();
      m.sparse = m.sparse + shift * I;
    } else {
      m.dense.diagonal().array() += shift;
    }
  }
  ExtremesProblem p;
  p.n = n;
  p.nonzeros = m.stored();
  if (progress) progress->stage("extreme eigenvalues of Q (n = " + std::to_string(n) + ", Lanczos)");
  try {
    if (m.is_sparse()) p.extremes = extreme_eigenvalues(m.sparse, {}, largest_needed);
    else if (view) p.extremes = extreme_eigenvalues(*view, {}, largest_needed);
    else p.extremes = extreme_eigenvalues(m.dense, {}, largest_needed);
  } catch (const std::invalid_argument& e) {
    std::string why = e.what();
    if (why.rfind("extreme_eigenvalues: ", 0) == 0) why = why.substr(21);
    throw UsageError("--matrix " + o.matrix + ": " + why);
  }
  char density[32];
  std::snprintf(density, sizeof density, "%.3g%%", 100 * m.density());
  p.description = "Q from " + o.matrix + " (" + std::to_string(n) + "x" + std::to_string(n) + ", " +
                  std::to_string(p.nonzeros) + " nonzeros, " + density + " dense)";
  if (!o.shift.empty()) p.description += " + " + o.shift + " I (weight decay)";
  return p;
}

namespace {
Json end_json(const ExtremeEigenpair<double>& e) {
  Precision p;
  Json j;
  if (e.solver == ExtremeSolver::bounds) {
    j["enclosure"] = {decimal(e.enclosure.lo, p), decimal(e.enclosure.hi, p)};
    j["certified"] = false;
    j["solver"] = to_string(e.solver);
    j["note"] = e.factorizations > 0
                    ? "not computed: no eigenvalue in these bounds (the largest diagonal entry and "
                      "the bound of a Cholesky factorization of tau I - Q) can decide the rate"
                    : "not computed: no eigenvalue in these bounds (the largest diagonal entry and "
                      "Gershgorin's bound) can decide the rate";
    return j;
  }
  j["estimate"] = decimal(e.value, p);
  j["enclosure"] = {decimal(e.enclosure.lo, p), decimal(e.enclosure.hi, p)};
  j["certified"] = e.enclosure.certified;
  j["solver"] = to_string(e.solver);
  j["residual"] = decimal(e.residual, p);
  j["operations"] = e.operations;
  j["converged"] = e.converged;
  return j;
}
}  // namespace

Json extremes_json(const ExtremesProblem& p) {
  Json j;
  j["lambda_min"] = end_json(p.extremes.smallest);
  j["lambda_max"] = end_json(p.extremes.largest);
  return j;
}

std::string common_digits(double lo, double hi, int wanted) {
  // The most digits d such that lo and hi round to the same d-digit decimal.
  std::string best;
  for (int d = 1; d <= wanted; ++d) {
    const std::string a = to_string(lo, d), b = to_string(hi, d);
    if (a != b) break;
    best = a;
  }
  if (best.empty()) best = to_string((lo + hi) / 2, 2);
  return best;
}

}  // namespace momentum::cli
