#include "problem.hpp"

#include "matrix_file.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

namespace momentum::cli {

namespace {

template <class Scalar>
std::string list_text(const Vector<Scalar>& v) {
  std::string s;
  const Eigen::Index shown = std::min<Eigen::Index>(v.size(), 6);
  for (Eigen::Index i = 0; i < shown; ++i) {
    if constexpr (std::is_same_v<Scalar, double>) s += (i ? ", " : "") + with_digits(v(i), 8);
    else s += (i ? ", " : "") + to_string(v(i), 8);
  }
  if (v.size() > shown) s += ", ... (" + std::to_string(v.size()) + " eigenvalues)";
  return s;
}

template <class Scalar>
void require_positive(const Scalar& x, const std::string& what) {
  if (!(x > 0))
    throw UsageError(what + ": must be positive (Q positive definite), got " + to_string(x, 17));
}

/// A bound on the absolute error of the eigenvalues the dense solver computed. A priori it is
/// about n epsilon ||Q|| (backward stability). In double an a posteriori bound is much tighter:
/// for a symmetric Q, an exact eigenvalue lies within ||Q v - theta v|| / ||v|| of each computed
/// pair (theta, v) (Bauer-Fike for normal matrices), and that residual, evaluated in long double
/// (2048 times finer rounding), is about epsilon ||Q|| for a backward-stable solver, not
/// n epsilon ||Q||. Every pair for n <= 200, else the two extreme ones (the rate's), with the a
/// priori bound as a ceiling for the others' sake.
template <class Scalar>
Scalar eigenvalue_error_bound(const Quadratic<Scalar>& h) {
  using std::abs;
  const Eigen::Index n = h.dimension();
  const Scalar norm = std::max(abs(h.lambda_min()), abs(h.lambda_max()));
  const Scalar a_priori = Scalar(n) * epsilon<Scalar>() * norm;
  if constexpr (!std::is_same_v<Scalar, double>) {
    return a_priori;
  } else {
    using L = long double;
    const Matrix<L> Q = h.Q().template cast<L>();
    std::vector<Eigen::Index> which;
    if (n <= 200) {
      for (Eigen::Index i = 0; i < n; ++i) which.push_back(i);
    } else {
      which = {0, n - 1};
    }
    L worst = 0;
    const Matrix<L> Q_abs = Q.cwiseAbs();
    for (const Eigen::Index i : which) {
      const Vector<L> v = h.O().row(i).transpose().template cast<L>();
      const L theta = static_cast<L>(h.eigenvalues()(i));
      const Vector<L> r = Q * v - theta * v;
      // The residual's own rounding in long double, componentwise: (n + 2) epsilon_ld
      // (|Q| |v| + |theta| |v|), added.
      const Vector<L> scale = Q_abs * v.cwiseAbs() + std::abs(theta) * v.cwiseAbs();
      const L bound = (r.norm() + L(n + 2) * std::numeric_limits<L>::epsilon() * scale.norm()) /
                      v.norm();
      worst = std::max(worst, bound);
    }
    // Interior eigenvalues of a large Q were not checked: the a priori bound covers them.
    const double a_posteriori = static_cast<double>(worst) * (1 + 1e-12);
    return n <= 200 ? a_posteriori : std::max(a_posteriori, a_priori);
  }
}

}  // namespace

bool use_extremes_path(const ProblemOptions& o) {
  if (o.matrix.empty() || o.path == "dense") return false;
  if (o.path == "extremes") return true;
  const MatrixMarketHeader h = read_matrix_file_header(o.matrix, "--matrix");
  if (h.rows > 2000) return true;
  if (!h.coordinate) return false;
  const double stored = double(h.entries) * (h.symmetric ? 2.0 : 1.0);
  return stored < 0.1 * double(h.rows) * double(h.cols);
}

namespace {
/// The problem as given; a matrix's Q has `shift` added to its diagonal before the
/// decomposition (the eigenvalues of a list or an interval are moved by load_problem).
template <class Scalar>
Problem<Scalar> load_unshifted(const ProblemOptions& o, Progress* progress, const Scalar& shift);
}  // namespace

template <class Scalar>
Problem<Scalar> load_problem(const ProblemOptions& o, Progress* progress) {
  Scalar shift(0);
  if (!o.shift.empty()) shift = parse_number<Scalar>(o.shift, "--weight-decay");
  Problem<Scalar> p = load_unshifted<Scalar>(o, progress, shift);
  if (shift == 0 || p.kind == Problem<Scalar>::Kind::matrix) return p;  // a matrix: Q + wd I
  // f + (wd/2) ||x||^2: every eigenvalue moves by wd; the typed twins move with them, so that
  // the rounding of lambda + wd in double is measured (accuracy.hpp).
  TypedEigenvalues typed;
  long double wide_shift = 0;
  if constexpr (std::is_same_v<Scalar, double>) wide_shift = parse_number<long double>(o.shift, "--weight-decay");
  auto move = [&](Vector<Scalar>& v) {
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const Scalar moved = v(i) + shift;
      if constexpr (std::is_same_v<Scalar, double>)
        if (!p.typed.empty()) typed.add(moved, p.typed(v(i)) + wide_shift);
      v(i) = moved;
    }
  };
  move(p.eigenvalues);
  if (p.diagonal.size() > 0) {
    typed = TypedEigenvalues();
    move(p.diagonal);
  }
  if constexpr (std::is_same_v<Scalar, double>) p.typed = typed;
  for (Eigen::Index i = 0; i < p.eigenvalues.size(); ++i)
    require_positive(p.eigenvalues(i), "--weight-decay " + o.shift + " (Q + wd I)");
  p.description += " + " + o.shift + " I (weight decay)";
  return p;
}

namespace {

template <class Scalar>
Problem<Scalar> load_unshifted(const ProblemOptions& o, Progress* progress, const Scalar& shift) {
  Problem<Scalar> p;
  if (!o.eigenvalues.empty()) {
    p.kind = Problem<Scalar>::Kind::eigenvalues;
    p.diagonal = parse_list<Scalar>(o.eigenvalues, "--eigenvalues", require_positive<Scalar>);
    p.n = p.diagonal.size();
    p.eigenvalues = p.diagonal;
    std::sort(p.eigenvalues.data(), p.eigenvalues.data() + p.n);
    p.description = "Q = diag(" + list_text(p.diagonal) + ")";
    if constexpr (std::is_same_v<Scalar, double>) {
      const Vector<long double> typed = parse_list<long double>(o.eigenvalues, "--eigenvalues");
      for (Eigen::Index i = 0; i < typed.size(); ++i) p.typed.add(p.diagonal(i), typed(i));
    }
    return p;
  }
  if (!o.mu.empty()) {
    p.kind = Problem<Scalar>::Kind::interval;
    const Scalar mu = parse_number<Scalar>(o.mu, "--mu");
    const Scalar L = parse_number<Scalar>(o.L, "--L");
    require_positive(mu, "--mu");
    if (L < mu)
      throw UsageError("--L: must be at least --mu, got " + o.L + " < " + o.mu);
    p.n = 2;
    p.eigenvalues.resize(2);
    p.eigenvalues << mu, L;
    p.description = "spectrum in [" + o.mu + ", " + o.L + "]";
    if constexpr (std::is_same_v<Scalar, double>) {
      p.typed.add(mu, parse_number<long double>(o.mu, "--mu"));
      p.typed.add(L, parse_number<long double>(o.L, "--L"));
    }
    return p;
  }
  p.kind = Problem<Scalar>::Kind::matrix;
  MatrixMarket<Scalar> m = read_matrix_file<Scalar>(o.matrix, "--matrix", progress);
  const Eigen::Index n = m.header.rows;
  if (m.header.cols != n)
    throw UsageError("--matrix " + o.matrix + ": Q must be square, got " + std::to_string(n) +
                     "x" + std::to_string(m.header.cols) + "\n  " +
                     accepted_formats("--matrix", false));
  Matrix<Scalar> Q;
  if (m.is_sparse()) {
    require_memory(double(bytes_per_scalar<Scalar>()) * double(n) * double(n) * 3, "--matrix " + o.matrix,
                   "a dense eigen-decomposition of this " + std::to_string(n) + "x" +
                       std::to_string(n) + " matrix");
    Q = Matrix<Scalar>(m.sparse);
    m.sparse = Eigen::SparseMatrix<Scalar>();
  } else {
    Q = std::move(m.dense);
  }
  Vector<Scalar> c = Vector<Scalar>::Zero(n);
  if (!o.linear.empty()) {
    c = read_vector_file<Scalar>(o.linear, "--linear");
    if (c.size() != n)
      throw UsageError("--linear " + o.linear + ": c must have " + std::to_string(n) +
                       " entries (the size of Q), got " + std::to_string(c.size()));
  }
  const Scalar b = o.constant.empty() ? Scalar(0) : parse_number<Scalar>(o.constant, "--constant");
  if (shift != 0) Q.diagonal().array() += shift;
  if (progress) progress->stage("eigen-decomposition of Q (" + std::to_string(n) + "x" + std::to_string(n) + ")");
  try {
    p.quadratic = std::make_shared<const Quadratic<Scalar>>(std::move(Q), std::move(c), b);
  } catch (const std::invalid_argument& e) {
    std::string why = e.what();
    if (why.rfind("Quadratic: ", 0) == 0) why = why.substr(11);
    throw UsageError("--matrix " + o.matrix + ": " + why);
  }
  p.n = n;
  p.eigenvalues = p.quadratic->eigenvalues();
  p.lambda_error = eigenvalue_error_bound(*p.quadratic);
  p.description = "Q from " + o.matrix + " (" + std::to_string(n) + "x" + std::to_string(n) + ", " +
                  (m.header.npy ? ".npy " + m.header.field
                   : m.is_sparse()
                       ? std::to_string(m.header.entries) + " stored entries, coordinate"
                       : std::string("array")) +
                  (m.header.npy ? "" : m.header.symmetric ? ", symmetric" : ", general") + ")" +
                  (shift != 0 ? " + " + o.shift + " I (weight decay)" : std::string());
  return p;
}

}  // namespace

template Problem<double> load_problem<double>(const ProblemOptions&, Progress*);
template Problem<mpfr_float> load_problem<mpfr_float>(const ProblemOptions&, Progress*);

}  // namespace momentum::cli
