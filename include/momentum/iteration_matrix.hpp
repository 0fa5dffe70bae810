#pragma once
/// \file iteration_matrix.hpp
/// The iteration matrix of each method: per eigenvalue (1x1 for gradient descent, 2x2 for the
/// momentum methods) and for a whole Q (n x n or 2n x 2n), with the permutation that makes the
/// whole matrix block diagonal in eigen-coordinates (SPEC sections 1 and 2).

#include <momentum/methods.hpp>

#include <Eigen/Core>

namespace momentum {

/// Matrix type of one eigen-coordinate's state update for a method.
template <class Method, class Scalar>
using BlockMatrix = Eigen::Matrix<Scalar, Method::state_size, Method::state_size>;

/// Gradient descent, one eigenvalue: [1 - eta*lambda].
template <class Scalar>
Eigen::Matrix<Scalar, 1, 1> iteration_matrix(const GradientDescent<Scalar>& m,
                                             const Scalar& lambda) {
  Eigen::Matrix<Scalar, 1, 1> M;
  M(0, 0) = 1 - m.eta * lambda;
  return M;
}

/// Heavy ball, one eigenvalue, state [x_t; x_{t-1}]: A = [[1+beta-alpha*lambda, -beta], [1, 0]].
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> iteration_matrix(const HeavyBall<Scalar>& m, const Scalar& lambda) {
  Eigen::Matrix<Scalar, 2, 2> A;
  A(0, 0) = 1 + m.beta - m.alpha * lambda;
  A(0, 1) = -m.beta;
  A(1, 0) = 1;
  A(1, 1) = 0;
  return A;
}

/// Velocity form, one eigenvalue, state [v; x]: R = [[beta, lambda], [-eta*beta, 1-eta*lambda]].
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> iteration_matrix(const Velocity<Scalar>& m, const Scalar& lambda) {
  Eigen::Matrix<Scalar, 2, 2> R;
  R(0, 0) = m.beta;
  R(0, 1) = lambda;
  R(1, 0) = -m.eta * m.beta;
  R(1, 1) = 1 - m.eta * lambda;
  return R;
}

/// Nesterov, one eigenvalue, state [x_t; x_{t-1}], q = 1 - alpha*lambda:
/// B = [[(1+beta) q, -beta q], [1, 0]].
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> iteration_matrix(const Nesterov<Scalar>& m, const Scalar& lambda) {
  const Scalar q = 1 - m.alpha * lambda;
  Eigen::Matrix<Scalar, 2, 2> B;
  B(0, 0) = (1 + m.beta) * q;
  B(0, 1) = -m.beta * q;
  B(1, 0) = 1;
  B(1, 1) = 0;
  return B;
}

/// The two-state family, one eigenvalue, state [x_t; x_{t-1}]:
/// [[1 + beta - (alpha + alpha gamma) lambda, -(beta - alpha gamma lambda)], [1, 0]].
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> iteration_matrix(const TwoState<Scalar>& m, const Scalar& lambda) {
  Eigen::Matrix<Scalar, 2, 2> A;
  A(0, 0) = 1 + m.beta - m.alpha_total() * lambda;
  A(0, 1) = m.alpha_gamma * lambda - m.beta;
  A(1, 0) = 1;
  A(1, 1) = 0;
  return A;
}

/// PyTorch's SGD, one eigenvalue lambda of Q (it sees l = lambda + weight_decay), state
/// [b_{t-1}; x_t] (t >= 1; the first step is a change of start), with m = momentum and
/// k = 1 - dampening: b_t = m b_{t-1} + k l x_t, and x_{t+1} = x_t - lr b_t, or with nesterov
/// x_{t+1} = x_t - lr (l x_t + m b_t):
///   [[m, k l], [-lr m, 1 - lr k l]]  or  [[m, k l], [-lr m^2, 1 - lr l (1 + m k)]].
/// With momentum = 0 (no buffer in PyTorch) the buffer row is [0, l] and x+ = x - lr l x.
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> iteration_matrix(const PyTorchSGD<Scalar>& m, const Scalar& lambda) {
  const Scalar l = lambda + m.weight_decay;
  const Scalar k = m.momentum == 0 ? Scalar(1) : Scalar(1 - m.dampening);
  Eigen::Matrix<Scalar, 2, 2> M;
  M(0, 0) = m.momentum;
  M(0, 1) = k * l;
  if (m.momentum == 0) {
    M(1, 0) = 0;
    M(1, 1) = 1 - m.lr * l;
  } else if (m.nesterov) {
    M(1, 0) = -m.lr * m.momentum * m.momentum;
    M(1, 1) = 1 - m.lr * l * (1 + m.momentum * k);
  } else {
    M(1, 0) = -m.lr * m.momentum;
    M(1, 1) = 1 - m.lr * k * l;
  }
  return M;
}

/// QHM, one eigenvalue, state [g_t; x_t]: g_{t+1} = beta g_t + (1 - beta) lambda x_t,
/// x_{t+1} = x_t - alpha ((1 - nu) lambda x_t + nu g_{t+1}):
///   [[beta, (1 - beta) lambda], [-alpha nu beta, 1 - alpha lambda (1 - nu beta)]].
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> iteration_matrix(const QHM<Scalar>& m, const Scalar& lambda) {
  Eigen::Matrix<Scalar, 2, 2> M;
  M(0, 0) = m.beta;
  M(0, 1) = (1 - m.beta) * lambda;
  M(1, 0) = -m.alpha * m.nu * m.beta;
  M(1, 1) = 1 - m.alpha * lambda * (1 - m.nu * m.beta);
  return M;
}

namespace detail {
template <class Derived>
void require_square(const Eigen::MatrixBase<Derived>& Q, const char* who) {
  if (Q.rows() != Q.cols() || Q.rows() == 0)
    throw std::invalid_argument(std::string(who) + ": Q must be square and non-empty, got " +
                                std::to_string(Q.rows()) + "x" + std::to_string(Q.cols()));
}
}  // namespace detail

/// The n x n iteration matrix of gradient descent on Q: I - eta Q (state x).
template <class Scalar, class Derived>
Matrix<Scalar> iteration_matrix(const GradientDescent<Scalar>& m,
                                const Eigen::MatrixBase<Derived>& Q) {
  detail::require_square(Q, "iteration_matrix");
  const Eigen::Index n = Q.rows();
  return Matrix<Scalar>::Identity(n, n) - m.eta * Q;
}

/// The 2n x 2n heavy-ball matrix on Q, state [x_t; x_{t-1}]:
/// [[(1+beta) I - alpha Q, -beta I], [I, 0]].
template <class Scalar, class Derived>
Matrix<Scalar> iteration_matrix(const HeavyBall<Scalar>& m, const Eigen::MatrixBase<Derived>& Q) {
  detail::require_square(Q, "iteration_matrix");
  const Eigen::Index n = Q.rows();
  Matrix<Scalar> M = Matrix<Scalar>::Zero(2 * n, 2 * n);
  M.topLeftCorner(n, n) = (1 + m.beta) * Matrix<Scalar>::Identity(n, n) - m.alpha * Q;
  M.topRightCorner(n, n) = -m.beta * Matrix<Scalar>::Identity(n, n);
  M.bottomLeftCorner(n, n) = Matrix<Scalar>::Identity(n, n);
  return M;
}

/// The 2n x 2n velocity-form matrix on Q, state [v; x]: [[beta I, Q], [-eta beta I, I - eta Q]].
template <class Scalar, class Derived>
Matrix<Scalar> iteration_matrix(const Velocity<Scalar>& m, const Eigen::MatrixBase<Derived>& Q) {
  detail::require_square(Q, "iteration_matrix");
  const Eigen::Index n = Q.rows();
  Matrix<Scalar> M(2 * n, 2 * n);
  M.topLeftCorner(n, n) = m.beta * Matrix<Scalar>::Identity(n, n);
  M.topRightCorner(n, n) = Q;
  M.bottomLeftCorner(n, n) = -(m.eta * m.beta) * Matrix<Scalar>::Identity(n, n);
  M.bottomRightCorner(n, n) = Matrix<Scalar>::Identity(n, n) - m.eta * Q;
  return M;
}

/// The 2n x 2n Nesterov matrix on Q, state [x_t; x_{t-1}], with P = I - alpha Q:
/// [[(1+beta) P, -beta P], [I, 0]].
template <class Scalar, class Derived>
Matrix<Scalar> iteration_matrix(const Nesterov<Scalar>& m, const Eigen::MatrixBase<Derived>& Q) {
  detail::require_square(Q, "iteration_matrix");
  const Eigen::Index n = Q.rows();
  const Matrix<Scalar> P = Matrix<Scalar>::Identity(n, n) - m.alpha * Q;
  Matrix<Scalar> M = Matrix<Scalar>::Zero(2 * n, 2 * n);
  M.topLeftCorner(n, n) = (1 + m.beta) * P;
  M.topRightCorner(n, n) = -m.beta * P;
  M.bottomLeftCorner(n, n) = Matrix<Scalar>::Identity(n, n);
  return M;
}

/// The 2n x 2n family matrix on Q, state [x_t; x_{t-1}]:
/// [[(1 + beta) I - (alpha + alpha gamma) Q, alpha gamma Q - beta I], [I, 0]].
template <class Scalar, class Derived>
Matrix<Scalar> iteration_matrix(const TwoState<Scalar>& m, const Eigen::MatrixBase<Derived>& Q) {
  detail::require_square(Q, "iteration_matrix");
  const Eigen::Index n = Q.rows();
  Matrix<Scalar> M = Matrix<Scalar>::Zero(2 * n, 2 * n);
  M.topLeftCorner(n, n) = (1 + m.beta) * Matrix<Scalar>::Identity(n, n) - m.alpha_total() * Q;
  M.topRightCorner(n, n) = m.alpha_gamma * Q - m.beta * Matrix<Scalar>::Identity(n, n);
  M.bottomLeftCorner(n, n) = Matrix<Scalar>::Identity(n, n);
  return M;
}

/// The permutation P that interleaves a stacked state [u; w] (blocks of n) into
/// [u_1, w_1, u_2, w_2, ...]. For Q = diag(lambda) (or after the change of coordinates
/// blockwise by O), P M P^T is block diagonal with the 2x2 matrices of each lambda_i.
/// For state_size 1 it is the identity. \note Proof: proofs/decoupling.md.
inline Eigen::PermutationMatrix<Eigen::Dynamic> block_permutation(Eigen::Index n,
                                                                  int state_size = 2) {
  Eigen::PermutationMatrix<Eigen::Dynamic> P(state_size * n);
  // P maps index k*n + i (block k, coordinate i) to i*state_size + k.
  for (int k = 0; k < state_size; ++k)
    for (Eigen::Index i = 0; i < n; ++i) P.indices()(k * n + i) = static_cast<int>(i * state_size + k);
  return P;
}

/// T = [[-1/eta, 1/eta], [1, 0]] with R = T A T^{-1} (velocity form R, heavy ball A, alpha = eta):
/// the velocity state is T times the heavy-ball state, v_t = (x_{t-1} - x_t)/eta.
/// \throws std::invalid_argument if eta = 0. \note Proof: proofs/README.md, theorem 1 (Coq).
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> similarity_T(const Scalar& eta) {
  if (eta == 0) throw std::invalid_argument("similarity_T: eta must be non-zero");
  Eigen::Matrix<Scalar, 2, 2> T;
  T(0, 0) = -1 / eta;
  T(0, 1) = 1 / eta;
  T(1, 0) = 1;
  T(1, 1) = 0;
  return T;
}

/// T^{-1} = [[0, 1], [eta, 1]].
template <class Scalar>
Eigen::Matrix<Scalar, 2, 2> similarity_T_inverse(const Scalar& eta) {
  Eigen::Matrix<Scalar, 2, 2> Ti;
  Ti(0, 0) = 0;
  Ti(0, 1) = 1;
  Ti(1, 0) = eta;
  Ti(1, 1) = 1;
  return Ti;
}

}  // namespace momentum
