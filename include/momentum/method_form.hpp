#pragma once
/// \file method_form.hpp
/// A method as the heavy algorithms see it: per eigenvalue of Q its own 2x2 block (matrix and
/// closed-form spectrum), how its state is laid out, its default start, and one step in x-space
/// (SPEC sections 2, 11; issue 17). Simulation, rate verification, iteration counts and the
/// x-error are compiled once per scalar on a MethodForm, and every method reaches them
/// through form_of(method) (compiled once per method and scalar). Adding a method is its value
/// type with its family() map (methods.hpp), its own iteration matrix and spectrum
/// (iteration_matrix.hpp, spectrum.hpp) and a form_of overload here: its state representation.
///
/// The state of one eigen-coordinate is [x; second] (heavy ball, Nesterov, the family: the
/// second state is the previous point, x_{-1} = x_0 by default) or [second; x] (the velocity
/// form's v, PyTorch's buffer b_{t-1}, QHM's g: a direction, rotated to eigen-coordinates
/// without the shift by x*; zero by default, but for PyTorch's empty buffer), or [x] alone
/// (gradient descent).

#include <momentum/detail/coordinate_kernel.hpp>
#include <momentum/powers.hpp>
#include <momentum/quadratic.hpp>

#include <functional>
#include <string>

namespace momentum {

/// The state of an x-space run (simulate): the error e = x - x*, the second state (e_{t-1},
/// v_t, b_{t-1}, g_t; empty for gradient descent) and two work vectors.
template <class S>
struct XState {
  Vector<S> e, second, g, next;
  bool fresh = false;  ///< PyTorch from torch's start: the next step sets its buffer b = d
};

/// A method's state representation (see the file comment).
template <class S>
struct MethodForm {
  const char* name = "";
  int states = 2;        ///< entries of one coordinate's state: 1 (gradient descent) or 2
  bool x_last = false;   ///< [second; x] with a direction as second state, else [x; second]
  S shift = S(0);        ///< the update sees Q + shift I (PyTorch's weight decay)
  /// A direction's default: start_factor (lambda + shift) z_0 per coordinate (PyTorch's empty
  /// buffer b_{-1} = (dampening/momentum) d_0); 0: the zero vector.
  S start_factor = S(0);
  bool fresh_start = false;  ///< x-space, default start: the first step sets the buffer (PyTorch)
  /// The block of eigenvalue lambda of Q: own matrix (gradient descent: diag(q, 0)), its
  /// closed-form spectrum and where x sits in the state.
  std::function<detail::Block<S>(const S& lambda)> block;
  /// The method's own spectrum at lambda (for gradient descent that of its 1x1 matrix).
  std::function<Spectrum<S>(const S& lambda)> spectrum;
  /// simulate_eigen's recurrence of one coordinate.
  std::function<detail::CoordinateKernel<S>(const S& lambda)> kernel;
  /// One step of the x-space run on the dense Q, in the method's own operation order.
  std::function<void(const Matrix<S>& Q, XState<S>& s)> step;

  /// The block state of one coordinate from its error z and second state w (ignored for
  /// gradient descent).
  Eigen::Matrix<S, 2, 1> block_state(const S& z, const S& w) const {
    return detail::layout_state(states, x_last, z, w);
  }
};

namespace detail {

/// The parts every form_of shares: name, layout, block, spectrum and kernel from the method's
/// own overloads.
template <class Method, class S>
MethodForm<S> own_form(const Method& m) {
  MethodForm<S> f;
  f.name = Method::name;
  f.states = Method::state_size;
  f.x_last = x_last<Method>();
  f.block = [m](const S& lambda) { return block(m, lambda); };
  f.spectrum = [m](const S& lambda) { return momentum::spectrum(m, lambda); };
  f.kernel = [m](const S& lambda) { return coordinate_kernel(m, lambda); };
  return f;
}

}  // namespace detail

/// Gradient descent: e+ = e - eta Q e.
template <class S>
MethodForm<S> form_of(const GradientDescent<S>& m) {
  MethodForm<S> f = detail::own_form<GradientDescent<S>, S>(m);
  f.step = [eta = m.eta](const Matrix<S>& Q, XState<S>& s) {
    s.g.noalias() = Q * s.e;
    for (Eigen::Index i = 0; i < s.e.size(); ++i) s.e(i) -= eta * s.g(i);
  };
  return f;
}

/// Heavy ball: e+ = e - alpha Q e + beta (e - e-).
template <class S>
MethodForm<S> form_of(const HeavyBall<S>& m) {
  MethodForm<S> f = detail::own_form<HeavyBall<S>, S>(m);
  f.step = [m](const Matrix<S>& Q, XState<S>& s) {
    s.g.noalias() = Q * s.e;
    for (Eigen::Index i = 0; i < s.e.size(); ++i)
      s.next(i) = s.e(i) - m.alpha * s.g(i) + m.beta * (s.e(i) - s.second(i));
    s.second.swap(s.e);
    s.e.swap(s.next);
  };
  return f;
}

/// The velocity form: v+ = beta v + Q e, e+ = e - eta v+.
template <class S>
MethodForm<S> form_of(const Velocity<S>& m) {
  MethodForm<S> f = detail::own_form<Velocity<S>, S>(m);
  f.step = [m](const Matrix<S>& Q, XState<S>& s) {
    s.g.noalias() = Q * s.e;
    for (Eigen::Index i = 0; i < s.e.size(); ++i) s.second(i) = m.beta * s.second(i) + s.g(i);
    for (Eigen::Index i = 0; i < s.e.size(); ++i) s.e(i) -= m.eta * s.second(i);
  };
  return f;
}

/// Nesterov: y = e + beta (e - e-), e+ = y - alpha Q y.
template <class S>
MethodForm<S> form_of(const Nesterov<S>& m) {
  MethodForm<S> f = detail::own_form<Nesterov<S>, S>(m);
  f.step = [m](const Matrix<S>& Q, XState<S>& s) {
    for (Eigen::Index i = 0; i < s.e.size(); ++i)
      s.next(i) = s.e(i) + m.beta * (s.e(i) - s.second(i));
    s.g.noalias() = Q * s.next;
    for (Eigen::Index i = 0; i < s.e.size(); ++i) s.next(i) -= m.alpha * s.g(i);
    s.second.swap(s.e);
    s.e.swap(s.next);
  };
  return f;
}

/// The two-state family: e+ = e + beta (e - e-) - Q (alpha e + alpha gamma (e - e-)).
template <class S>
MethodForm<S> form_of(const TwoState<S>& m) {
  MethodForm<S> f = detail::own_form<TwoState<S>, S>(m);
  f.step = [m](const Matrix<S>& Q, XState<S>& s) {
    // next = alpha e + alpha gamma (e - e-), the step's argument before Q.
    for (Eigen::Index i = 0; i < s.e.size(); ++i)
      s.next(i) = m.alpha * s.e(i) + m.alpha_gamma * (s.e(i) - s.second(i));
    s.g.noalias() = Q * s.next;
    for (Eigen::Index i = 0; i < s.e.size(); ++i)
      s.next(i) = s.e(i) + m.beta * (s.e(i) - s.second(i)) - s.g(i);
    s.second.swap(s.e);
    s.e.swap(s.next);
  };
  return f;
}

/// torch.optim.SGD (1.13, _single_tensor_sgd), on e relative to the minimizer of h + wd/2
/// ||x||^2: d_p = grad.add(param, alpha=wd); buf = clone(d_p) at the first step from torch's
/// start, else buf.mul_(momentum).add_(d_p, alpha=1 - dampening); d_p = d_p.add(buf,
/// alpha=momentum) (nesterov) or buf; param.add_(d_p, alpha=-lr). With momentum = 0 there is
/// no buffer: the state's first row is d_t (iteration_matrix.hpp).
template <class S>
MethodForm<S> form_of(const PyTorchSGD<S>& m) {
  MethodForm<S> f = detail::own_form<PyTorchSGD<S>, S>(m);
  f.shift = m.weight_decay;
  f.start_factor = detail::pytorch_start_factor(m);
  f.fresh_start = true;
  f.step = [m](const Matrix<S>& Q, XState<S>& s) {
    const Eigen::Index n = s.e.size();
    s.g.noalias() = Q * s.e;
    if (m.weight_decay != 0)
      for (Eigen::Index i = 0; i < n; ++i) s.g(i) = s.g(i) + m.weight_decay * s.e(i);
    const S neg_lr = -m.lr;
    if (m.momentum == 0) {
      for (Eigen::Index i = 0; i < n; ++i) s.e(i) = s.e(i) + neg_lr * s.g(i);
      s.second = s.g;
      return;
    }
    if (s.fresh) {
      s.second = s.g;
      s.fresh = false;
    } else {
      const S keep = 1 - m.dampening;
      for (Eigen::Index i = 0; i < n; ++i) s.second(i) = s.second(i) * m.momentum + keep * s.g(i);
    }
    if (m.nesterov)
      for (Eigen::Index i = 0; i < n; ++i)
        s.e(i) = s.e(i) + neg_lr * (s.g(i) + m.momentum * s.second(i));
    else
      for (Eigen::Index i = 0; i < n; ++i) s.e(i) = s.e(i) + neg_lr * s.second(i);
  };
  return f;
}

/// QHM in qhoptim's order: buf.mul_(beta).add_(1 - beta, d_p); p.add_(-lr nu, buf);
/// p.add_(-lr (1 - nu), d_p).
template <class S>
MethodForm<S> form_of(const QHM<S>& m) {
  MethodForm<S> f = detail::own_form<QHM<S>, S>(m);
  f.step = [m](const Matrix<S>& Q, XState<S>& s) {
    s.g.noalias() = Q * s.e;
    const S keep = 1 - m.beta;
    const S on_buffer = -m.alpha * m.nu;
    const S on_gradient = -m.alpha * (1 - m.nu);
    for (Eigen::Index i = 0; i < s.e.size(); ++i) {
      s.second(i) = s.second(i) * m.beta + keep * s.g(i);
      s.e(i) = s.e(i) + on_buffer * s.second(i);
      s.e(i) = s.e(i) + on_gradient * s.g(i);
    }
  };
  return f;
}

/// A form is its own form (so that every function taking a method also takes a MethodForm).
template <class S>
const MethodForm<S>& form_of(const MethodForm<S>& f) {
  return f;
}

namespace detail {

/// The default second state in eigen-coordinates: z_{-1} = z_0 ([x; second]), the direction
/// start_factor (lambda_i + shift) z_0 or zero ([second; x]), none (gradient descent).
template <class S>
Vector<S> default_second_eigen(const MethodForm<S>& f, const Vector<S>& lambdas,
                               const Vector<S>& z0) {
  const Eigen::Index n = z0.size();
  if (f.states == 1) return Vector<S>();
  if (!f.x_last) return z0;
  Vector<S> w(n);
  for (Eigen::Index i = 0; i < n; ++i)
    w(i) = f.start_factor == 0 ? S(0) : S(f.start_factor * (S(lambdas(i) + f.shift) * z0(i)));
  return w;
}

/// The second state of a run from `first`: `second` validated in size, or, when it is empty,
/// make_default(). Gradient descent has none (a non-empty `second` is refused).
template <class S, class Default>
Vector<S> second_state(const MethodForm<S>& f, const Vector<S>& first, const Vector<S>& second,
                       const char* who, const Default& make_default) {
  const Eigen::Index n = first.size();
  if (f.states == 1) {
    if (second.size() != 0)
      throw std::invalid_argument(std::string(who) +
                                  ": gradient descent has no second state; pass an empty vector");
    return Vector<S>();
  }
  if (second.size() == 0) return make_default();
  if (second.size() != n)
    throw std::invalid_argument(std::string(who) + ": the second state must have " +
                                std::to_string(n) + " entries, got " +
                                std::to_string(second.size()));
  return second;
}

/// The second state in eigen-coordinates: `second_z`, or the default from (lambdas, z0).
template <class S>
Vector<S> second_state_eigen(const MethodForm<S>& f, const Vector<S>& lambdas,
                             const Vector<S>& z0, const Vector<S>& second_z, const char* who) {
  return second_state(f, z0, second_z, who, [&] { return default_second_eigen(f, lambdas, z0); });
}

/// The standard start of one eigen-coordinate of eigenvalue lambda as a block state: z_0 = 1
/// and its default second state.
template <class S>
Eigen::Matrix<S, 2, 1> standard_start_state(const MethodForm<S>& f, const S& lambda) {
  Vector<S> l(1), z(1);
  l(0) = lambda;
  z(0) = S(1);
  const Vector<S> w = default_second_eigen(f, l, z);
  return f.block_state(S(1), w.size() != 0 ? S(w(0)) : S(0));
}

template <class S>
void require_finite_vector(const Vector<S>& v, const char* who, const char* what) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!is_finite(v(i)))
      throw std::invalid_argument(std::string(who) + ": " + what + " must be finite, entry " +
                                  std::to_string(i + 1) + " is " + to_string(v(i), 17));
}

/// The start of a run in eigen-coordinates, validated: z0 has one finite entry per (finite)
/// eigenvalue; returns the second state (second_z, or the default), finite too. Names `who`.
template <class S>
Vector<S> eigen_start(const MethodForm<S>& f, const Vector<S>& lambdas, const Vector<S>& z0,
                      const Vector<S>& second_z, const char* who) {
  const Eigen::Index n = lambdas.size();
  if (z0.size() != n)
    throw std::invalid_argument(std::string(who) + ": z0 must have " + std::to_string(n) +
                                " entries (one per eigenvalue), got " + std::to_string(z0.size()));
  require_finite_vector(lambdas, who, "lambdas");
  require_finite_vector(z0, who, "z0");
  Vector<S> w0 = second_state_eigen(f, lambdas, z0, second_z, who);
  require_finite_vector(w0, who, "the second state");
  return w0;
}

/// The start (x0, second) of a run on a quadratic, in its eigen-coordinates: z0 = O(x0 - x*)
/// (x* that of Q + shift I) and w = O(x_{-1} - x*) ([x; second]) or O times the direction
/// ([second; x]), empty for gradient descent; an empty `second` stays empty (the
/// eigen-coordinate functions then take the default start). Validates sizes and finiteness,
/// naming `who`.
template <class S>
std::pair<Vector<S>, Vector<S>> start_in_eigen(const MethodForm<S>& f, const Quadratic<S>& h,
                                               const Vector<S>& x0, const Vector<S>& second,
                                               const char* who) {
  if (x0.size() != h.dimension())
    throw std::invalid_argument(std::string(who) + ": x0 must have " +
                                std::to_string(h.dimension()) + " entries (the size of Q), got " +
                                std::to_string(x0.size()));
  require_finite_vector(x0, who, "x0");
  const Vector<S> x_star = h.shifted_minimizer(f.shift);
  Vector<S> w;
  const Vector<S> sec = second_state(f, x0, second, who, [] { return Vector<S>(); });
  if (f.states == 2 && sec.size() != 0) {
    require_finite_vector(sec, who, "the second state");
    w = f.x_last ? h.rotate_to_eigen(sec) : h.rotate_to_eigen(Vector<S>(sec - x_star));
  }
  return {h.rotate_to_eigen(Vector<S>(x0 - x_star)), w};
}

}  // namespace detail

}  // namespace momentum

/// INSTANCES(EXTERN, Method, S) for each method in scalar S.
#define MOMENTUM_FOR_EACH_METHOD(INSTANCES, EXTERN, S)                                       \
  INSTANCES(EXTERN, momentum::GradientDescent<S>, S)                                         \
  INSTANCES(EXTERN, momentum::HeavyBall<S>, S)                                               \
  INSTANCES(EXTERN, momentum::Velocity<S>, S)                                                \
  INSTANCES(EXTERN, momentum::Nesterov<S>, S)                                                \
  INSTANCES(EXTERN, momentum::TwoState<S>, S)                                                \
  INSTANCES(EXTERN, momentum::PyTorchSGD<S>, S)                                              \
  INSTANCES(EXTERN, momentum::QHM<S>, S)

// Compiled once per method and scalar in src/ (see MOMENTUM_EXTERN_FOR_EACH_SCALAR in
// scalar.hpp).
#define MOMENTUM_METHOD_FORM_METHOD_INSTANCES(EXTERN, M, S)                                  \
  EXTERN template momentum::MethodForm<S> momentum::form_of<S>(const M&);
#define MOMENTUM_METHOD_FORM_INSTANCES(EXTERN, S)                                            \
  MOMENTUM_FOR_EACH_METHOD(MOMENTUM_METHOD_FORM_METHOD_INSTANCES, EXTERN, S)
MOMENTUM_EXTERN_FOR_EACH_SCALAR(MOMENTUM_METHOD_FORM_INSTANCES)
