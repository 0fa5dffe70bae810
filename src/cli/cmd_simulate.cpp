// momentum simulate: run a method from a start and print its iterates (CSV), or with --json a
// list of checkpoints {t, error_norm, excess_loss, x}. The run streams in chunks (continuing
// from the last state), so memory stays O(n) whatever the number of steps.
#include "command_options.hpp"
#include "commands.hpp"
#include "error_plot.hpp"
#include "json_output.hpp"
#include "matrix_market.hpp"
#include "output_file.hpp"
#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace momentum::cli {

namespace {

/// Where the rows go: stdout or --output.
class Sink {
 public:
  Sink(const std::string& path, bool force) {
    if (!path.empty()) file_ = std::make_unique<OutputFile>(path, "--output", force);
  }
  void write(const std::string& s) {
    if (file_) file_->write(s);
    else std::fwrite(s.data(), 1, s.size(), stdout);
  }
  void close() {
    if (file_) file_->close();
    else std::fflush(stdout);
  }

 private:
  std::unique_ptr<OutputFile> file_;
};

template <class Scalar>
int run_simulate(const SimulateCliOptions& o) {
  Progress progress(!o.out.quiet);
  const long long T = parse_steps(o.start.steps, "--steps", 1000000000000LL);
  apply_precision(o.out.precision, guard_digits + int(std::ceil(std::log10(double(T) + 1))));
  const Precision& prec = o.out.precision;
  const Problem<Scalar> p = load_problem<Scalar>(o.problem, &progress);
  const std::vector<long long> at =
      o.start.at.empty() ? std::vector<long long>() : parse_checkpoints(o.start.at, T);
  with_method<Scalar>(o.method, [&](const auto& m) {
    const EigenStart<Scalar> s = eigen_start(m, p, o.start, true);
    Json head;
    head["command"] = "simulate";
    head["method"] = method_label(m);
    head["parameters"] = parameters_json(m, prec);
    head["problem"] = problem_json(p, prec);
    head["digits"] = prec.digits;
    head["scalar"] = prec.multiprecision ? "mpfr" : "double";
    head["steps"] = T;
    Sink sink(o.output, o.out.force);
    if (o.out.json) {
      std::string h = head.dump(2);
      h.pop_back();  // reopen the object: the checkpoints stream in
      while (!h.empty() && (h.back() == '\n' || h.back() == ' ')) h.pop_back();
      sink.write(h + ",\n  \"checkpoints\": [");
    } else {
      std::string h = "t";
      for (Eigen::Index i = 0; i < p.n; ++i) h += ",x" + std::to_string(i + 1);
      sink.write(h + ",error_norm,excess_loss\n");
    }
    // Chunks of checkpoints, each run continuing from the previous one's final state.
    const long long chunk = std::max<long long>(1, (1 << 20) / std::max<Eigen::Index>(p.n, 1));
    Vector<Scalar> z = s.z0, w = s.second;
    long long t_now = 0;
    std::size_t next_at = 0;
    bool first_row = true;
    progress.stage("simulating " + std::to_string(T) + " steps");
    while (true) {
      SimulateOptions so;
      so.record_x = true;
      if (at.empty()) {
        // Every step: the first chunk starts at t = 0, later ones right after the last.
        const long long last = std::min(T - t_now, chunk);
        for (long long r = first_row ? 0 : 1; r <= last; ++r) so.at.push_back(r);
      } else {
        while (next_at < at.size() && so.at.size() < std::size_t(chunk))
          so.at.push_back(at[next_at++] - t_now);
      }
      if (so.at.empty()) break;
      so.steps = so.at.back();
      const Trajectory<Scalar> tr = simulate_eigen(m, s.lambdas, z, w, so);
      for (const auto& c : tr.points) {
        const long long t = t_now + c.t;
        const Vector<Scalar> x = to_x(p, c.x);
        if (o.out.json) {
          Json row;
          row["t"] = t;
          row["error_norm"] = decimal(c.error_norm, prec);
          row["excess_loss"] = decimal(c.excess_loss, prec);
          Json xs = Json::array();
          for (Eigen::Index i = 0; i < x.size(); ++i) xs.push_back(decimal(x(i), prec));
          row["x"] = xs;
          sink.write(std::string(first_row ? "\n    " : ",\n    ") + row.dump());
        } else {
          std::string line = std::to_string(t);
          for (Eigen::Index i = 0; i < x.size(); ++i) line += "," + decimal(x(i), prec);
          line += "," + decimal(c.error_norm, prec) + "," + decimal(c.excess_loss, prec) + "\n";
          sink.write(line);
        }
        first_row = false;
      }
      z = tr.final_error;
      w = tr.final_second;
      t_now += so.steps;
      if (T > 0) progress.update(double(t_now) / double(T));
      if (at.empty() ? t_now >= T : next_at >= at.size()) break;
    }
    if (o.out.json) sink.write("\n  ]\n}\n");
    sink.close();
    if (!o.plot.empty()) {
      progress.stage("plotting");
      std::unique_ptr<RateVerification<Scalar>> v;
      if (T >= 1) {
        try {
          VerifyOptions<Scalar> vo;
          vo.steps = T;
          vo.measure = ErrorMeasure::x;
          v = std::make_unique<RateVerification<Scalar>>(verify_rate(m, s.lambdas, s.z0, s.second, vo));
        } catch (const std::exception&) {
          v.reset();  // no band (e.g. a start at the minimizer)
        }
      }
      const std::vector<LinePlot> lp = error_plot(m, s, T, ErrorMeasure::x, v.get(), plot_title(head),
                                     v ? "\u03c1 = " + to_string(v->rho, 8) + " seen from x_0" : "");
      write_svg_or_png(o.plot, "--plot", render_svg(lp), o.out.force);
    }
  });
  return exit_ok;
}

}  // namespace

int run_simulate_command(const SimulateCliOptions& o) {
  o.problem.check(false);
  parse_method(o.method.method);
  if (!o.output.empty()) check_output(o.output, "--output", o.out.force);
  if (!o.plot.empty()) check_output(o.plot, "--plot", o.out.force, {".svg", ".png"});
  if (!o.output.empty() && o.output == o.plot) throw UsageError("--output and --plot name the same file");
  return o.out.precision.multiprecision ? run_simulate<mpfr_float>(o) : run_simulate<double>(o);
}

Command add_simulate(CLI::App& parent) {
  auto o = std::make_shared<SimulateCliOptions>();
  CLI::App* app = parent.add_subcommand(
      "simulate", "Run a method from x_0 and print the iterates as CSV (t, x1..xn, error_norm, "
                  "excess_loss), or with --json checkpoints {t, error_norm, excess_loss, x}");
  add_method_options(*app, o->method, {"gd", "heavy-ball", "velocity", "nesterov"});
  add_problem_options(*app, o->problem, false);
  add_start_options(*app, o->start, "", true);
  app->add_option("--output,-o", o->output, "Write the CSV or JSON to this file instead of stdout")
      ->type_name("FILE");
  app->add_option("--plot", o->plot, "Plot ||x_t - x*|| with the predicted band (.svg or .png)")
      ->type_name("FILE");
  add_output_options(*app, o->out, true);
  app->footer(
      "Examples (d2l's printed trajectories, SPEC section 10):\n"
      "  momentum simulate --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4 --x0=-5,-2 --steps 20\n"
      "  momentum simulate --method gd --eta 0.4 --eigenvalues 0.2,4 --x0=-5,-2 --steps 20 --at 20 --json\n"
      "  momentum simulate --method heavy-ball --alpha 4/121 --beta 81/121 --eigenvalues 1,100 \\\n"
      "      --x0 1,1 --steps 30000 --at 30000 --digits 50 --json   # error_norm ~ 1e-2600");
  return {app, [o] {
            o->out.resolve();
            return run_simulate_command(*o);
          }};
}

}  // namespace momentum::cli
