#pragma once
/// \file command_options.hpp
/// The options of each subcommand, and the function that runs it once they are parsed (also
/// called by `demo`, which runs the same commands a user would type).

#include "landscape.hpp"
#include "options.hpp"
#include "start.hpp"

#include <string>

namespace momentum::cli {

struct RateOptions {
  OutputOptions out;
  MethodOptions method;
  ProblemOptions problem;
  bool all = false;
  std::string tol = "1e-6";
  std::string noise;  ///< --noise SIGMA (empty: not asked)
  std::string x0;     ///< --x0: the x-error count from this start (empty: worst case over starts)
};
int run_rate_command(const RateOptions& o);

struct OptimalOptions {
  OutputOptions out;
  MethodOptions method;
  ProblemOptions problem;
  std::string tol = "1e-6";  ///< tolerance of each tuning's x-error count
  std::string rho;           ///< robust momentum's rate parameter (empty: the middle)
};
int run_optimal_command(const OptimalOptions& o);

struct VerifyCliOptions {
  OutputOptions out;
  MethodOptions method;
  ProblemOptions problem;
  StartOptions start;
  std::string rho, jordan, measure = "state", plot;
};
int run_verify_command(const VerifyCliOptions& o);

struct SimulateCliOptions {
  OutputOptions out;
  MethodOptions method;
  ProblemOptions problem;
  StartOptions start;
  std::string output, plot;
};
int run_simulate_command(const SimulateCliOptions& o);

}  // namespace momentum::cli
