#pragma once
/// \file quadratic.hpp
/// The convex quadratic h(x) = 1/2 x^T Q x + c^T x + b, its minimizer, and its eigen-coordinates
/// z = O (x - x*) with Q = O^T Lambda O (SPEC section 1).

#include <momentum/eigen.hpp>

#include <string>

namespace momentum {

/// A validated convex quadratic with its eigen-decomposition.
///
/// Invariants established by the constructor: Q is square, finite, symmetric to within
/// 16 n epsilon ||Q||_max (and is then symmetrized exactly), positive definite; c has Q's size
/// and is finite; b is finite. Eigenvalues are sorted ascending; O's rows are the eigenvectors.
template <class Scalar>
class Quadratic {
 public:
  /// \throws std::invalid_argument naming the argument: "Quadratic: Q must be symmetric ...",
  ///   "Q must be positive definite ... (lambda_min = ...)", "c must have n entries", ...
  ///   A positive semidefinite Q (smallest eigenvalue zero to within rounding) is rejected with
  ///   "has no unique minimizer"; an indefinite one with "is indefinite (not convex)".
  Quadratic(Matrix<Scalar> Q, Vector<Scalar> c, Scalar b = Scalar(0))
      : Q_(std::move(Q)), c_(std::move(c)), b_(std::move(b)) {
    validate_and_decompose();
  }

  /// h(x) = 1/2 x^T Q x (c = 0, b = 0).
  explicit Quadratic(Matrix<Scalar> Q)
      : Quadratic(Q, Vector<Scalar>::Zero(Q.rows()), Scalar(0)) {}

  /// Q = diag(lambdas), c = 0, b = 0: the spectrum problem, where x = z.
  static Quadratic diagonal(const Vector<Scalar>& lambdas) {
    return Quadratic(Matrix<Scalar>(lambdas.asDiagonal()));
  }

  Eigen::Index dimension() const { return Q_.rows(); }
  const Matrix<Scalar>& Q() const { return Q_; }
  const Vector<Scalar>& c() const { return c_; }
  const Scalar& b() const { return b_; }
  /// Eigenvalues of Q, ascending.
  const Vector<Scalar>& eigenvalues() const { return lambda_; }
  /// The orthogonal O with Q = O^T diag(eigenvalues) O.
  const Matrix<Scalar>& O() const { return O_; }
  const Scalar& lambda_min() const { return lambda_(0); }
  const Scalar& lambda_max() const { return lambda_(lambda_.size() - 1); }
  /// The minimizer x* = -Q^{-1} c.
  const Vector<Scalar>& minimizer() const { return x_star_; }
  /// The minimizer of h(x) + shift/2 ||x||^2, -(Q + shift I)^{-1} c (PyTorch's weight decay,
  /// SPEC section 11), from the eigen-decomposition: -O^T (Lambda + shift I)^{-1} O c.
  /// \throws std::invalid_argument if shift is not finite or Q + shift I is not positive
  ///         definite (lambda_min + shift <= 0).
  Vector<Scalar> shifted_minimizer(const Scalar& shift) const {
    if (!is_finite(shift))
      throw std::invalid_argument("Quadratic::shifted_minimizer: shift must be finite, got " +
                                  to_string(shift, 17));
    if (shift == 0) return x_star_;
    const Vector<Scalar> shifted = lambda_.array() + shift;
    if (!(shifted(0) > 0))
      throw std::invalid_argument(
          "Quadratic::shifted_minimizer: Q + shift I must be positive definite, but lambda_min + "
          "shift = " + to_string(Scalar(shifted(0)), 17) + " (shift " + to_string(shift, 17) + ")");
    const Vector<Scalar> w = (O_ * c_).cwiseQuotient(shifted);
    return -(O_.transpose() * w);
  }
  /// The minimum h* = b - 1/2 c^T Q^{-1} c.
  const Scalar& minimum() const { return h_star_; }

  /// h(x) = 1/2 x^T Q x + c^T x + b.
  Scalar value(const Vector<Scalar>& x) const {
    check_size(x, "value", "x");
    return Scalar(x.dot(Q_ * x) / 2 + c_.dot(x) + b_);
  }
  /// grad h(x) = Q x + c.
  Vector<Scalar> gradient(const Vector<Scalar>& x) const {
    check_size(x, "gradient", "x");
    return Q_ * x + c_;
  }
  /// z = O (x - x*).
  Vector<Scalar> to_eigen(const Vector<Scalar>& x) const {
    check_size(x, "to_eigen", "x");
    return O_ * (x - x_star_);
  }
  /// x = O^T z + x*.
  Vector<Scalar> from_eigen(const Vector<Scalar>& z) const {
    check_size(z, "from_eigen", "z");
    return O_.transpose() * z + x_star_;
  }
  /// A direction (no x* shift): O d. Maps velocities and errors e = x - x* to eigen-coordinates.
  Vector<Scalar> rotate_to_eigen(const Vector<Scalar>& d) const {
    check_size(d, "rotate_to_eigen", "d");
    return O_ * d;
  }
  /// O^T w: back from eigen-coordinates, without the x* shift.
  Vector<Scalar> rotate_from_eigen(const Vector<Scalar>& w) const {
    check_size(w, "rotate_from_eigen", "w");
    return O_.transpose() * w;
  }
  /// h in eigen-coordinates: 1/2 sum lambda_i z_i^2 + h*.
  Scalar value_eigen(const Vector<Scalar>& z) const {
    check_size(z, "value_eigen", "z");
    return Scalar(z.dot(lambda_.cwiseProduct(z)) / 2 + h_star_);
  }
  /// The gradient in eigen-coordinates: Lambda z.
  Vector<Scalar> gradient_eigen(const Vector<Scalar>& z) const {
    check_size(z, "gradient_eigen", "z");
    return lambda_.cwiseProduct(z);
  }

 private:
  void check_size(const Vector<Scalar>& v, const char* fn, const char* arg) const {
    if (v.size() != Q_.rows())
      throw std::invalid_argument("Quadratic::" + std::string(fn) + ": " + arg + " must have " +
                                  std::to_string(Q_.rows()) + " entries, got " +
                                  std::to_string(v.size()));
  }

  void validate_and_decompose() {
    using std::abs;
    const Eigen::Index n = Q_.rows();
    if (n == 0 || Q_.cols() != n)
      throw std::invalid_argument("Quadratic: Q must be square and non-empty, got " +
                                  std::to_string(Q_.rows()) + "x" + std::to_string(Q_.cols()));
    if (c_.size() != n)
      throw std::invalid_argument("Quadratic: c must have " + std::to_string(n) +
                                  " entries (the size of Q), got " + std::to_string(c_.size()));
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        if (!is_finite(Q_(i, j)))
          throw std::invalid_argument("Quadratic: Q must be finite, entry (" +
                                      std::to_string(i + 1) + "," + std::to_string(j + 1) +
                                      ") is " + to_string(Q_(i, j), 17));
    for (Eigen::Index i = 0; i < n; ++i)
      if (!is_finite(c_(i)))
        throw std::invalid_argument("Quadratic: c must be finite, entry " +
                                    std::to_string(i + 1) + " is " + to_string(c_(i), 17));
    if (!is_finite(b_)) throw std::invalid_argument("Quadratic: b must be finite");
    const Scalar scale = Q_.cwiseAbs().maxCoeff();
    const Scalar tol = 16 * Scalar(n) * epsilon<Scalar>() * scale;
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = j + 1; i < n; ++i)
        if (abs(Q_(i, j) - Q_(j, i)) > tol)
          throw std::invalid_argument(
              "Quadratic: Q must be symmetric, but Q(" + std::to_string(i + 1) + "," +
              std::to_string(j + 1) + ") = " + to_string(Q_(i, j), 17) + " differs from Q(" +
              std::to_string(j + 1) + "," + std::to_string(i + 1) + ") = " +
              to_string(Q_(j, i), 17));
    Q_ = ((Q_ + Q_.transpose()) / 2).eval();
    Matrix<Scalar> vectors;
    if (!detail::symmetric_eigen(Q_, lambda_, &vectors))
      throw std::runtime_error("Quadratic: the symmetric eigen-solver did not converge");
    O_ = vectors.transpose();
    // The eigenvalues carry an absolute error of about n epsilon ||Q||: below that, a zero
    // eigenvalue cannot be excluded.
    const Scalar zero_tol = Scalar(n) * epsilon<Scalar>() * scale * 4;
    if (lambda_(0) < -zero_tol)
      throw std::invalid_argument("Quadratic: Q is indefinite (not convex): smallest eigenvalue " +
                                  to_string(lambda_(0), 17) + " < 0");
    if (lambda_(0) <= zero_tol)
      throw std::invalid_argument(
          "Quadratic: Q is positive semidefinite with a zero eigenvalue (smallest " +
          to_string(lambda_(0), 17) + "), so h has no unique minimizer; Q must be positive "
          "definite");
    // x* = -O^T Lambda^{-1} O c and h* = b - 1/2 c^T Q^{-1} c = b + 1/2 c^T x*.
    const Vector<Scalar> w = (O_ * c_).cwiseQuotient(lambda_);
    x_star_ = -(O_.transpose() * w);
    h_star_ = b_ + c_.dot(x_star_) / 2;
  }

  Matrix<Scalar> Q_;
  Vector<Scalar> c_;
  Scalar b_;
  Vector<Scalar> lambda_;
  Matrix<Scalar> O_;
  Vector<Scalar> x_star_;
  Scalar h_star_;
};

}  // namespace momentum
