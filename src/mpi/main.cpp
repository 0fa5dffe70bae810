// momentum-mpi: the worst-case rate of a method on a Q too big for one machine (issue 8).
// Q is distributed by rows over the MPI ranks (PETSc), its extreme eigenvalues come from SLEPc,
// and the report is `momentum rate --matrix`'s, from the same code (src/cli).
//
//   mpirun -np K momentum-mpi rate --method heavy-ball --alpha 0.1 --beta 0.5 --matrix Q.mtx
//   mpirun -np K momentum-mpi convert --matrix Q.mtx --output Q.petsc
#include "distributed_extremes.hpp"
#include "distributed_matrix.hpp"
#include "petsc_support.hpp"

#include "dynamics.hpp"
#include "extremes_path.hpp"
#include "json_output.hpp"
#include "matrix_market.hpp"
#include "noise_report.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "twin.hpp"

#include <slepcsys.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <limits>
#include <sstream>

namespace momentum::mpi {

namespace {

using cli::Json;

struct RateOptions {
  cli::OutputOptions out;
  cli::MethodOptions method;
  std::string matrix, tol = "1e-6", noise;
  std::string smallest = "auto", largest = "auto", refine = "needed";
  std::string ncv, eigen_tol, basis_memory;
  bool no_certify = false;
  std::string petsc_options;
};

struct ConvertOptions {
  std::string matrix, output, petsc_options;
  bool force = false, quiet = false;
};

/// Parses a positive integer option. \throws cli::UsageError naming it.
long long positive_integer(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used == text.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw cli::UsageError(what + ": expected a positive integer, got \"" + text + "\"");
}

DistributedOptions solver_options(const RateOptions& o) {
  DistributedOptions d;
  d.smallest = parse_smallest(o.smallest, "--smallest");
  d.largest = parse_largest(o.largest, "--largest");
  if (!o.ncv.empty()) {
    const long long ncv = positive_integer(o.ncv, "--ncv");
    if (ncv < 3) throw cli::UsageError("--ncv: the Lanczos basis needs at least 3 vectors, got " + o.ncv);
    d.ncv = static_cast<PetscInt>(std::min<long long>(ncv, 1 << 20));
  }
  if (!o.eigen_tol.empty()) {
    d.tolerance = cli::parse_number<double>(o.eigen_tol, "--eigen-tol");
    if (!(d.tolerance >= 1e-15 && d.tolerance < 1e-2))
      throw cli::UsageError("--eigen-tol: must lie in [1e-15, 1e-2), got " + o.eigen_tol);
    d.rough_tolerance = std::max(d.rough_tolerance, d.tolerance);
  }
  if (!o.basis_memory.empty())
    d.basis_memory = double(positive_integer(o.basis_memory, "--basis-memory")) * 1024 * 1024;
  if (o.refine != "needed" && o.refine != "both")
    throw cli::UsageError("--refine: expected needed or both, got \"" + o.refine + "\"");
  d.refine_both = o.refine == "both";
  d.certify = !o.no_certify;
  return d;
}

Json end_json(const DistributedEnd& e) {
  cli::Precision p;
  Json j;
  j["estimate"] = cli::decimal(e.pair.value, p);
  j["enclosure"] = {cli::decimal(e.pair.enclosure.lo, p), cli::decimal(e.pair.enclosure.hi, p)};
  j["certified"] = e.pair.enclosure.certified;
  j["solver"] = e.solver;
  j["certificate"] = e.certificate;
  j["refined"] = e.refined;
  j["residual"] = cli::decimal(e.pair.residual, p);
  j["operations"] = e.iterations;
  j["factorizations"] = e.pair.factorizations;
  j["seconds"] = cli::decimal(e.seconds, p, 3);
  j["converged"] = e.pair.converged;
  return j;
}

std::string describe(const DistributedMatrix& m, const std::string& path, int ranks) {
  char density[32];
  std::snprintf(density, sizeof density, "%.3g%%", 100 * double(m.nonzeros) / (double(m.n) * double(m.n)));
  return "Q from " + path + " (" + std::to_string(m.n) + "x" + std::to_string(m.n) + ", " +
         std::to_string(m.nonzeros) + " nonzeros, " + density + " dense; " + m.format +
         (m.symmetrized ? ", symmetrized" : "") + "; " + std::to_string(ranks) +
         (ranks == 1 ? " rank)" : " ranks)");
}

void insert_petsc_options(const std::string& text) {
  if (!text.empty()) MOMENTUM_PETSC(PetscOptionsInsertString(nullptr, text.c_str()));
}

/// `rate`: the report of `momentum rate --matrix` (path "distributed").
int run_rate(MPI_Comm comm, const RateOptions& o, std::ostream& out) {
  const int rank = comm_rank(comm), ranks = comm_size(comm);
  DistributedOptions d;
  collectively(comm, [&] {
    if (o.matrix.empty()) throw cli::UsageError("--matrix: required (a Matrix Market coordinate file or a PETSc binary matrix)");
    (void)cli::parse_method(o.method.method);
    cli::with_method<double>(o.method, [](const auto&) { return 0; });  // checks the parameters
    const double tol = cli::parse_number<double>(o.tol, "--tol");
    if (!(tol > 0 && tol < 1)) throw cli::UsageError("--tol: must lie in (0, 1), got " + o.tol);
    if (o.out.precision.multiprecision)
      throw cli::UsageError("--digits: momentum-mpi computes in double (at most 17 digits), got " + o.out.digits);
    d = solver_options(o);
    insert_petsc_options(o.petsc_options);
  });
  cli::Progress progress(!o.out.quiet && rank == 0);
  const DistributedMatrix m = load_distributed_matrix(comm, o.matrix, "--matrix", &progress);
  const cli::Precision prec;  // double
  Json j;
  collectively(comm, [&] {
    // PyTorch's weight decay: the method runs on Q + wd I, whose extremes are Q's moved by wd
    // (the enclosures rounded outward).
    const double shift = o.method.method == "pytorch" && !o.method.weight_decay.empty()
                             ? cli::parse_number<double>(o.method.weight_decay, "--weight-decay")
                             : 0.0;
    auto shifted = [shift](EigenEnclosure<double> e) {
      if (shift != 0) {
        e.lo = std::nextafter(e.lo + shift, -std::numeric_limits<double>::infinity());
        e.hi = std::nextafter(e.hi + shift, std::numeric_limits<double>::infinity());
      }
      return e;
    };
    j = cli::with_method<double>(o.method, [&](const auto& method) {
      const RateOf rate_of = [&method, &shifted, shift](const EigenEnclosure<double>& lo,
                                                        const EigenEnclosure<double>& hi,
                                                        double v_lo, double v_hi) {
        return certified_worst_case(method, shifted(lo), shifted(hi), v_lo + shift, v_hi + shift);
      };
      const DistributedExtremes x = distributed_extremes(m, rate_of, d, &progress);
      progress.stage("closed-form spectra");
      RateEnclosure<double> r = rate_of(x.smallest.pair.enclosure, x.largest.pair.enclosure,
                                        x.smallest.pair.value, x.largest.pair.value);
      r.certified = x.rate_certified;
      Json js;
      js["command"] = "rate";
      js["method"] = cli::method_label(method);
      js["parameters"] = cli::parameters_json(method, o.out.precision, o.method);
      if (const Json f = cli::family_report(method, o.out.precision, o.method); !f.is_null()) js["family"] = f;
      js["problem"] = {{"kind", "matrix"},
                       {"description", describe(m, o.matrix, ranks) +
                                           (shift != 0 ? " + " + o.method.weight_decay + " I (weight decay)"
                                                       : std::string())},
                       {"dimension", m.n},
                       {"path", "distributed"},
                       {"ranks", ranks},
                       {"format", m.format}};
      js["digits"] = o.out.precision.digits;
      js["scalar"] = "double";
      js["spectral_radius"] = cli::common_digits(r.rho_lo, r.rho_hi, o.out.precision.digits);
      js["spectral_radius_interval"] = {cli::decimal(r.rho_lo, prec), cli::decimal(r.rho_hi, prec)};
      js["spectral_radius_estimate"] = cli::decimal(r.rho, prec);
      js["certified"] = r.certified;
      js["converges"] = r.converges_proven();
      js["converges_estimate"] = r.estimate.converges();
      js["regime"] = to_string(r.estimate.regime);
      Json worst = Json::array();
      for (double l : r.estimate.worst_eigenvalues) worst.push_back(cli::decimal(l, prec));
      js["worst_eigenvalues"] = worst;
      const double step = cli::method_step(method);
      js["per_eigenvalue"] = {
          cli::eigenvalue_json(r.estimate.lambda_min, step, r.estimate.at_min, 17, prec),
          cli::eigenvalue_json(r.estimate.lambda_max, step, r.estimate.at_max, 17, prec)};
      // The ends of the problem the method runs on, Q + wd I (as the single-machine path reports).
      auto shifted_end = [&](DistributedEnd e) {
        e.pair.enclosure = shifted(e.pair.enclosure);
        e.pair.value += shift;
        return e;
      };
      js["eigenvalues"] = {{"lambda_min", end_json(shifted_end(x.smallest))},
                           {"lambda_max", end_json(shifted_end(x.largest))}};
      js["convergence_interval"] = cli::interval_json(method, prec);
      const double tol = cli::parse_number<double>(o.tol, "--tol");
      Vector<double> ends(2);
      ends << r.estimate.lambda_min, r.estimate.lambda_max;
      cli::add_dynamics(js, method, ends, tol, o.tol, prec);
      js["iterations"]["based_on"] = "the extreme eigenvalue estimates";
      if (!o.noise.empty()) {
        const double err = std::max({x.smallest.pair.enclosure.width(), x.largest.pair.enclosure.width()});
        cli::add_noise(js, method, ends, ends, false, err, o.noise, prec);
      }
      std::string note = x.note;
      if (o.out.precision.explicit_digits)
        note += std::string(note.empty() ? "" : "; ") +
                "the distributed path computes in double; the proven interval, not --digits, "
                "limits the digits of the rate";
      if (!note.empty()) js["note"] = note;
      return js;
    });
  });
  if (rank == 0) {
    if (o.out.json) cli::print_json(out, j);
    else cli::print_rate_text(out, j);
    out.flush();
  }
  return cli::exit_ok;
}

/// `convert`: Matrix Market to PETSc binary, in parallel.
int run_convert(MPI_Comm comm, const ConvertOptions& o, std::ostream& out) {
  collectively(comm, [&] { insert_petsc_options(o.petsc_options); });
  cli::Progress progress(!o.quiet && comm_rank(comm) == 0);
  const DistributedMatrix m = load_distributed_matrix(comm, o.matrix, "--matrix", &progress);
  progress.stage("writing " + o.output);
  write_petsc_binary(m, o.output, o.force);
  if (comm_rank(comm) == 0 && !o.quiet)
    out << "wrote " << o.output << ": " << describe(m, o.matrix, comm_size(comm)) << ", PETSc binary\n";
  return cli::exit_ok;
}

int run(int argc, char** argv) {
  MPI_Comm comm = PETSC_COMM_WORLD;
  const int rank = comm_rank(comm);
  std::ostringstream sink;
  std::ostream& out = rank == 0 ? std::cout : sink;
  std::ostream& err = rank == 0 ? std::cerr : sink;

  CLI::App app{"momentum-mpi: the worst-case rate of a momentum method on a distributed Q "
               "(SLEPc/PETSc with MPI; run it with mpirun -np K)",
               "momentum-mpi"};
  app.set_version_flag("--version", std::string("momentum-mpi ") + MOMENTUM_VERSION);
  app.require_subcommand(1);
  RateOptions ro;
  CLI::App* rate = app.add_subcommand("rate", "Worst-case rate of a method on a distributed Q: "
                                              "the report of `momentum rate --matrix`");
  cli::add_method_options(*rate, ro.method, cli::all_method_names());
  rate->add_option("--matrix,-Q", ro.matrix,
                   "Q: a Matrix Market coordinate file (real or integer, general or symmetric; "
                   "each rank reads its own part) or a PETSc binary matrix (MatLoad)")
      ->type_name("FILE")
      ->required();
  rate->add_option("--tol", ro.tol, "Tolerance of the iteration count (as `momentum rate`)")
      ->type_name("TOL")
      ->capture_default_str();
  rate->add_option("--noise", ro.noise, "SGD noise sigma (as `momentum rate`)")->type_name("SIGMA");
  rate->add_option("--smallest", ro.smallest,
                   "Solver of lambda_min: auto (= lobpcg), lobpcg (LOBPCG with GAMG), lobpcg-hypre "
                   "(with BoomerAMG), shift-invert (Krylov-Schur on Q^-1, MUMPS Cholesky), "
                   "krylov-schur")
      ->type_name("S")
      ->capture_default_str();
  rate->add_option("--largest", ro.largest,
                   "Solver of lambda_max: auto (Lanczos with local reorthogonalization while its "
                   "basis fits the memory budget, else Krylov-Schur with 24 vectors), lanczos, "
                   "krylov-schur")
      ->type_name("S")
      ->capture_default_str();
  rate->add_option("--ncv", ro.ncv, "Basis size of the largest end's solver (default: by memory, at most 256)")
      ->type_name("N");
  rate->add_option("--basis-memory", ro.basis_memory,
                   "MiB of Lanczos basis per rank (default: an eighth of the node's memory, "
                   "shared by its ranks)")
      ->type_name("MIB");
  rate->add_option("--eigen-tol", ro.eigen_tol,
                   "Relative residual of a refined eigenpair (default 1e-10)")
      ->type_name("TOL");
  rate->add_option("--refine", ro.refine,
                   "needed: refine and certify only the ends that can move the rate; both: "
                   "both ends")
      ->type_name("WHICH")
      ->capture_default_str();
  rate->add_flag("--no-certify", ro.no_certify,
                 "Skip the inertia counts (MUMPS factorizations): the far sides stay Gershgorin's bounds");
  rate->add_option("--petsc-options", ro.petsc_options,
                   "PETSc/SLEPc options, e.g. \"-min_eps_view -log_view\" (prefix min_ and max_ "
                   "for the two ends' solvers)")
      ->type_name("TEXT");
  cli::add_output_options(*rate, ro.out, false);
  rate->footer(
      "Examples:\n"
      "  mpirun -np 2 momentum-mpi rate --method heavy-ball --alpha 0.1 --beta 0.5 --matrix Q.mtx\n"
      "  mpirun -np 4 momentum-mpi rate --method gd --eta 0.2 --matrix Q.petsc --json\n"
      "As root, mpirun needs --allow-run-as-root; more ranks than cores need --oversubscribe.");

  ConvertOptions co;
  CLI::App* convert = app.add_subcommand("convert", "Matrix Market coordinate file to PETSc binary "
                                                    "(for files too big for text)");
  convert->add_option("--matrix,-Q", co.matrix, "The Matrix Market coordinate file")
      ->type_name("FILE")
      ->required();
  convert->add_option("--output,-o", co.output, "The PETSc binary file to write")
      ->type_name("FILE")
      ->required();
  convert->add_flag("--force", co.force, "Overwrite the output file");
  convert->add_flag("--quiet", co.quiet, "No progress on stderr, no summary");
  convert->add_option("--petsc-options", co.petsc_options, "PETSc options")->type_name("TEXT");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);
    const std::string where = rate->parsed() ? " rate" : convert->parsed() ? " convert" : "";
    err << "momentum-mpi" << where << ": error: " << e.what() << "\n"
        << "Run 'momentum-mpi" << where << " --help' for the options.\n";
    return cli::exit_usage;
  }
  try {
    if (rate->parsed()) {
      collectively(comm, [&] { ro.out.resolve(); });
      return run_rate(comm, ro, out);
    }
    return run_convert(comm, co, out);
  } catch (const CollectiveUsageError& e) {
    err << "momentum-mpi: error: " << e.what() << '\n';
    return cli::exit_usage;
  } catch (const CollectiveFailure& e) {
    err << "momentum-mpi: failed: " << e.what() << '\n';
    return cli::exit_failure;
  } catch (const std::exception& e) {
    // One rank's failure: the others may wait for it in a collective call, so end them all.
    std::cerr << "momentum-mpi: failed on rank " << rank << ": " << e.what() << std::endl;
    MPI_Abort(comm, cli::exit_failure);
    return cli::exit_failure;
  }
}

}  // namespace

}  // namespace momentum::mpi

int main(int argc, char** argv) {
  // PETSc reads no options from the command line (CLI11 owns it): --petsc-options and the
  // PETSC_OPTIONS environment variable reach it instead.
  if (SlepcInitialize(nullptr, nullptr, nullptr, nullptr) != 0) {
    std::fprintf(stderr, "momentum-mpi: failed: SLEPc/PETSc/MPI did not initialize\n");
    return momentum::cli::exit_failure;
  }
  // Errors come back as codes (turned into exceptions), without PETSc's traceback on stderr.
  momentum::mpi::install_error_handler();
  // MUMPS, for MatGetInertia (the certificates): no ScaLAPACK on the root front, so that the
  // count covers the whole matrix in parallel, and null-pivot detection, so that a (near-)zero
  // pivot is counted as zero rather than signed at random.
  PetscOptionsSetValue(nullptr, "-mat_mumps_icntl_13", "1");
  PetscOptionsSetValue(nullptr, "-mat_mumps_icntl_24", "1");
  // Ordering: Debian's MUMPS has neither METIS nor SCOTCH; of its own, AMF factorized the 2-D
  // Laplacian at n = 10^6 about twice as fast as the automatic choice here (--petsc-options
  // "-mat_mumps_icntl_7 K" overrides it).
  PetscOptionsSetValue(nullptr, "-mat_mumps_icntl_7", "2");
  const int status = momentum::mpi::run(argc, argv);
  SlepcFinalize();
  return status;
}
