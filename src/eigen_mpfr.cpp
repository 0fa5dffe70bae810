// Explicit instantiation of Eigen's eigen-solvers for momentum::mpfr_float (see include/momentum/eigen.hpp).
#define MOMENTUM_INSTANTIATING
#include <momentum/eigen.hpp>

MOMENTUM_EIGEN_SOLVERS(, momentum::mpfr_float)
