// momentum demo (and `momentum` alone): d2l's ill-conditioned example f = 0.1 x1^2 + 2 x2^2
// with the velocity form at eta = 0.6, beta = 0.5, analysed by running the same subcommands a
// user would type (each printed before its output), into a folder it does not clobber.
#include "command_options.hpp"
#include "commands.hpp"
#include "output_file.hpp"

#include <momentum/tuning.hpp>
#include <momentum/worst_case.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <sys/stat.h>

namespace momentum::cli {

namespace {

void banner(const std::string& title, const std::string& command) {
  std::cout << "\n== " << title << "\n$ " << command << "\n\n" << std::flush;
}

OutputOptions output(bool quiet, bool force, const std::string& digits = "") {
  OutputOptions o;
  o.digits = digits;
  o.quiet = quiet;
  o.force = force;
  o.resolve();
  return o;
}

}  // namespace

/// The file that marks a folder as the demo's own: a later run may replace the demo's files
/// there without --force (and only those: it never deletes anything).
const char* const demo_marker = ".momentum-demo";

int run_demo(const std::string& folder, bool force, bool quiet) {
  const std::string marker = folder + "/" + demo_marker;
  struct stat st {};
  bool rerun = false;  // the folder holds an earlier run's files: replace them
  if (stat(folder.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      throw UsageError("--output-dir: \"" + folder + "\" exists and is not a folder");
    rerun = stat(marker.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    if (!force && !rerun)
      throw UsageError("--output-dir: the folder \"" + folder +
                       "\" already exists and is not one the demo wrote (it has no " + demo_marker +
                       " file); not overwriting its files (use --force, or choose another folder "
                       "with --output-dir)");
  } else if (mkdir(folder.c_str(), 0755) != 0) {
    throw UsageError("--output-dir: cannot create the folder \"" + folder + "\": " +
                     std::strerror(errno));
  }
  // The demo's own files are replaced in its own folder (or anywhere with --force).
  force = force || rerun;
  write_file(marker, "--output-dir",
             "This folder was written by `momentum demo`. Running it again replaces its files here\n"
             "(landscape.svg, landscape.csv, error.svg, trajectory.svg) and nothing else; delete this\n"
             "file to protect them.\n",
             true);
  const std::string landscape_svg = folder + "/landscape.svg", landscape_csv = folder + "/landscape.csv";
  const std::string error_svg = folder + "/error.svg", trajectory_svg = folder + "/trajectory.svg";

  std::cout << "momentum demo: d2l's ill-conditioned quadratic f(x) = 0.1 x1^2 + 2 x2^2, i.e.\n"
               "Q = diag(0.2, 4), kappa = 20, with the velocity form of momentum (d2l, PyTorch)\n"
               "  v+ = beta v + grad f(x),  x+ = x - eta v+   at eta = 0.6, beta = 0.5,\n"
               "started from x0 = (-5, -2), v0 = 0.\n";
  int status = exit_ok;

  MethodOptions velocity;
  velocity.method = "velocity";
  velocity.eta = "0.6";
  velocity.beta = "0.5";
  ProblemOptions d2l;
  d2l.eigenvalues = "0.2,4";

  {
    banner("1. Regimes and rate of d2l's momentum, and its noise floor as SGD (gradient noise "
           "sigma = 0.1)",
           "momentum rate --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4 --all "
           "--noise 0.1");
    RateOptions o;
    o.out = output(quiet, force);
    o.method = velocity;
    o.problem = d2l;
    o.all = true;
    o.noise = "0.1";
    status = std::max(status, run_rate_command(o));
  }
  {
    banner("2. Gradient descent at the same step diverges (d2l: x2 = -1673.365109 after 20 steps)",
           "momentum rate --method gd --eta 0.6 --eigenvalues 0.2,4");
    RateOptions o;
    o.out = output(quiet, force);
    o.method.method = "gd";
    o.method.eta = "0.6";
    o.problem = d2l;
    status = std::max(status, run_rate_command(o));
  }
  {
    banner("3. Optimal tunings for the spectrum [0.2, 4]",
           "momentum optimal --method all --eigenvalues 0.2,4");
    OptimalOptions o;
    o.out = output(quiet, force);
    o.method.method = "all";
    o.problem = d2l;
    status = std::max(status, run_optimal_command(o));
    // The gain of the optimal velocity-form tuning over d2l's choice.
    const double given = worst_case(Velocity<double>(0.6, 0.5), 0.2, 4.0).rho;
    const auto best = optimal_velocity(0.2, 4.0);
    const double per_given = -1 / std::log10(given), per_best = -1 / std::log10(best.rate);
    char line[400];
    std::snprintf(line, sizeof line,
                  "\ngain: the optimal velocity form (eta = %.6g, beta = %.6g) has rate %.6g instead "
                  "of %.6g:\n  %.3g instead of %.3g iterations per decimal digit, %.2fx fewer "
                  "iterations; gradient descent at its best needs %.3g.\n",
                  best.method.eta, best.method.beta, best.rate, given, per_best, per_given,
                  per_given / per_best, -1 / std::log10(optimal_gd(0.2, 4.0).rate));
    std::cout << line;
  }
  {
    banner("4. d2l's printed trajectory, reproduced (epoch 20, x1: 0.007188, x2: 0.002553)",
           "momentum simulate --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4 "
           "--x0=-5,-2 --steps 20 --at 0,1,2,20 --plot " + trajectory_svg);
    SimulateCliOptions o;
    o.out = output(quiet, force);
    o.method = velocity;
    o.problem = d2l;
    o.start.x0 = "-5,-2";
    o.start.steps = "20";
    o.start.at = "0,1,2,20";
    o.plot = trajectory_svg;
    status = std::max(status, run_simulate_command(o));
  }
  {
    banner("5. The rate verified at 50 digits over 10^4 steps (the error reaches 1e-1500, far "
           "below double's 1e-308)",
           "momentum verify --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4 "
           "--x0=-5,-2 --steps 10000 --digits 50 --plot " + error_svg);
    VerifyCliOptions o;
    o.out = output(quiet, force, "50");
    o.method = velocity;
    o.problem = d2l;
    o.start.x0 = "-5,-2";
    o.start.steps = "10000";
    o.plot = error_svg;
    status = std::max(status, run_verify_command(o));
  }
  {
    banner("6. The rate over all (eta, beta): where d2l's choice sits",
           "momentum landscape --method velocity --eigenvalues 0.2,4 --eta 0.02:1.6 --beta 0:0.95 "
           "--grid 320 --mark \"d2l (0.6, 0.5)=0.6,0.5\" --output " + landscape_csv + " --plot " +
               landscape_svg);
    LandscapeOptions o;
    o.out = output(quiet, force);
    o.method.method = "velocity";
    o.problem = d2l;
    o.eta = "0.02:1.6";
    o.beta = "0:0.95";
    o.grid = "320";
    o.marks = {"d2l (0.6, 0.5)=0.6,0.5"};
    o.output = landscape_csv;
    o.plot = landscape_svg;
    status = std::max(status, run_landscape_command(o));
  }
  std::cout << "\nFiles written:\n"
            << "  " << landscape_svg
            << "    heatmap of the worst-case rate over (eta, beta), rho = 1 contour,\n"
               "        d2l's point, the grid minimum and the optimal tuning marked\n"
            << "  " << landscape_csv << "    the same grid as CSV (eta, beta, spectral_radius, regime)\n"
            << "  " << error_svg
            << "       the error state over 10^4 steps at 50 digits, inside the predicted band\n"
            << "  " << trajectory_svg
            << "  ||x_t - x*|| over d2l's 20 steps with its predicted band\n";
  if (rerun) std::cout << "(replacing the files of an earlier run of the demo in " << folder << ")\n";
  return status;
}

Command add_demo(CLI::App& parent) {
  struct DemoOptions {
    std::string folder = "momentum-demo";
    bool force = false, quiet = false;
  };
  auto o = std::make_shared<DemoOptions>();
  CLI::App* app = parent.add_subcommand(
      "demo", "The built-in example (also what `momentum` alone runs): d2l's f = 0.1 x1^2 + "
              "2 x2^2 with eta = 0.6, beta = 0.5: regimes, rate, optimal tuning and its gain, a "
              "50-digit verification over 10^4 steps, and plots");
  app->add_option("--output-dir,-o", o->folder,
                  "Folder for the plots (created; a folder of an earlier demo run, marked by its "
                  ".momentum-demo file, has its demo files replaced; any other existing folder "
                  "needs --force)")
      ->capture_default_str();
  app->add_flag("--force", o->force,
                "Write into an existing folder the demo did not create, replacing its files of "
                "the demo's names (other files are never touched)");
  app->add_flag("--quiet", o->quiet, "No progress indicator on stderr");
  app->footer("Example:\n  momentum demo --output-dir /tmp/demo");
  return {app, [o] { return run_demo(o->folder, o->force, o->quiet); }};
}

}  // namespace momentum::cli
