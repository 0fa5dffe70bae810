// Explicit instantiation of Eigen's eigen-solvers for momentum::float50 (see include/momentum/eigen.hpp).
#define MOMENTUM_INSTANTIATING
#include <momentum/eigen.hpp>

MOMENTUM_EIGEN_SOLVERS(, momentum::float50)
