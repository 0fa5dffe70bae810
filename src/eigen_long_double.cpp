// Explicit instantiation of Eigen's eigen-solvers for long double (see include/momentum/eigen.hpp).
#define MOMENTUM_INSTANTIATING
#include <momentum/eigen.hpp>

MOMENTUM_EIGEN_SOLVERS(, long double)
