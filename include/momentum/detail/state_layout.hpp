#pragma once
/// \file detail/state_layout.hpp
/// Where each method keeps its iterate in its own state, and its default start (SPEC sections 2,
/// 11): [x_t; x_{t-1}] for heavy ball, Nesterov and the two-state family (the second state is a
/// point, x_{-1} = x_0 by default); [v_t; x_t] for the velocity form, [b_{t-1}; x_t] for PyTorch's
/// SGD and [g_t; x_t] for QHM (the second state is a direction: it rotates to eigen-coordinates
/// without the shift by x*; v_0 = 0, g_0 = 0, and PyTorch's empty buffer is b_{-1} =
/// (dampening/momentum) d_0, which makes its first step b_0 = d_0); [x_t] for gradient descent.

#include <momentum/methods.hpp>

#include <type_traits>

namespace momentum::detail {

/// True when the method's state is [second; x] (x at index 1), false for [x; second] or [x].
template <class Method>
struct state_x_last : std::false_type {};
template <class S>
struct state_x_last<Velocity<S>> : std::true_type {};
template <class S>
struct state_x_last<PyTorchSGD<S>> : std::true_type {};
template <class S>
struct state_x_last<QHM<S>> : std::true_type {};
template <class Method>
constexpr bool x_last() {
  return state_x_last<Method>::value;
}

template <class Method>
struct is_pytorch_method : std::false_type {};
template <class S>
struct is_pytorch_method<PyTorchSGD<S>> : std::true_type {};
template <class Method>
constexpr bool is_pytorch() {
  return is_pytorch_method<Method>::value;
}

/// How far the method's update moves the spectrum: weight_decay for PyTorch, 0 for the others.
template <class Method>
auto spectrum_shift(const Method& m) {
  using S = std::decay_t<decltype(family(m).alpha)>;
  if constexpr (is_pytorch<Method>()) return S(m.weight_decay);
  else {
    (void)m;
    return S(0);
  }
}

/// The eigenvalue the method's update sees for an eigenvalue lambda of Q: lambda +
/// weight_decay for PyTorch, lambda for the others.
template <class Method, class S>
S seen_eigenvalue(const Method& m, const S& lambda) {
  if constexpr (is_pytorch<Method>()) return S(lambda + m.weight_decay);
  else {
    (void)m;
    return lambda;
  }
}

/// PyTorch's buffer before its first step, b_{-1} = (dampening/momentum) d_0 for the gradient
/// d_0 it sees at x_0 (0 when momentum = 0: no buffer; the update then ignores it).
template <class S>
S pytorch_start_factor(const PyTorchSGD<S>& m) {
  if (m.momentum == 0 || m.dampening == 0) return S(0);
  return S(m.dampening / m.momentum);
}

}  // namespace momentum::detail
