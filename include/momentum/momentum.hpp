#pragma once
/// \file momentum.hpp
/// Umbrella header: the whole `momentum` library.

#include <momentum/scalar.hpp>
#include <momentum/methods.hpp>
#include <momentum/iteration_matrix.hpp>
#include <momentum/spectrum.hpp>
#include <momentum/regions.hpp>
#include <momentum/eigen.hpp>
#include <momentum/quadratic.hpp>
#include <momentum/worst_case.hpp>
#include <momentum/landscape.hpp>
#include <momentum/tuning.hpp>
#include <momentum/powers.hpp>
#include <momentum/method_form.hpp>
#include <momentum/simulate.hpp>
#include <momentum/iterations.hpp>
#include <momentum/residual.hpp>
#include <momentum/verify.hpp>
#include <momentum/noise.hpp>
#include <momentum/extremes.hpp>
