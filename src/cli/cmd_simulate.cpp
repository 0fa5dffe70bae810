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
#include "twin.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <type_traits>

namespace momentum::cli {

namespace {

/// Where the rows go: stdout or --output.
class Sink {
 public:
  Sink(const std::string& path, bool force) {
    if (!path.empty()) file_ = std::make_unique<OutputFile>(path, "--output", force);
  }
  void write(const std::string& s) {
    // Through std::cout (synchronized with stdio, so the same bytes as fwrite on stdout), so
    // that the Python binding, which points std::cout at a buffer, captures the rows too.
    if (file_) file_->write(s);
    else std::cout.write(s.data(), static_cast<std::streamsize>(s.size()));
  }
  void close() {
    if (file_) file_->close();
    else std::cout.flush();
  }

 private:
  std::unique_ptr<OutputFile> file_;
};

/// The shadow of a double run: the same run in long double (64-bit significand, 2048 times
/// finer), from the inputs parsed again from their text. Where the double run's printed value
/// and the shadow's differ by more than a few ulps, the double digits are not all correct: near
/// a double root with kappa = 1e10 a tuned heavy ball's x_t after 10^5 steps has 7 correct
/// digits. For a matrix problem the shadow starts from the double decomposition with every
/// eigenvalue moved by its error bound, so that the decomposition's error shows too.
struct Shadow {
  Vector<long double> lambdas, z0, second;
  Matrix<long double> Ot;       ///< O^T (matrix problems)
  Vector<long double> x_star;   ///< x* (matrix problems)
  double x_star_error = 0;      ///< bound on the error of x* (matrix problems)
  bool matrix = false;
};

template <class Method>
Shadow make_shadow(const Problem<double>& p, const EigenStart<double>& s, const StartOptions& o) {
  Shadow sh;
  if (p.kind == Problem<double>::Kind::eigenvalues) {
    // Parsed again from the text, so that the inputs' rounding to double shows.
    sh.lambdas = p.diagonal.cast<long double>();
    sh.z0 = s.z0.cast<long double>();
    sh.second = s.second.cast<long double>();
    return sh;
  }
  sh.matrix = true;
  const Quadratic<double>& h = *p.quadratic;
  sh.lambdas = (s.lambdas.array() + p.lambda_error).matrix().cast<long double>();
  sh.z0 = s.z0.cast<long double>();
  sh.second = s.second.cast<long double>();
  sh.Ot = h.O().transpose().cast<long double>();
  sh.x_star = h.minimizer().cast<long double>();
  // x* = -Q^{-1} c moves by about ||dQ|| ||Q^{-1}|| = lambda_error / lambda_min relative.
  sh.x_star_error = h.minimizer().cwiseAbs().maxCoeff() * (p.lambda_error / p.lambda_min());
  (void)o;
  return sh;
}

template <class Scalar>
int run_simulate(const SimulateCliOptions& o) {
  Progress progress(!o.out.quiet);
  const long long T = parse_steps(o.start.steps, "--steps", 1000000000000LL);
  // Rounding (and near a double root its amplification, like t^2 for a Jordan block) grows
  // with the steps: 2 log10(T) more guard digits in MPFR.
  apply_precision(o.out.precision, guard_digits + 2 * int(std::ceil(std::log10(double(T) + 1))));
  const Precision& prec = o.out.precision;
  const Problem<Scalar> p = load_problem<Scalar>(o.problem, &progress);
  const std::vector<long long> at =
      o.start.at.empty() ? std::vector<long long>() : parse_checkpoints(o.start.at, T);
  with_method<Scalar>(o.method, [&](const auto& m) {
    using M = std::decay_t<decltype(m)>;
    const EigenStart<Scalar> s = eigen_start(m, p, o.start, true);
    // Double runs carry a long double shadow (Shadow above) that bounds each printed value's
    // error; MPFR runs carry guard digits instead.
    constexpr bool shadowed = std::is_same_v<Scalar, double>;
    std::unique_ptr<Shadow> shadow;
    std::unique_ptr<typename WideOf<M>::type> m_ld;
    if constexpr (shadowed) {
      shadow = std::make_unique<Shadow>(make_shadow<M>(p, s, o.start));
      m_ld = std::make_unique<typename WideOf<M>::type>(wide_method<M>(o.method));
      if (p.kind == Problem<Scalar>::Kind::eigenvalues) {
        shadow->lambdas = parse_list<long double>(o.problem.eigenvalues, "--eigenvalues");
        if (!o.problem.shift.empty())  // PyTorch's weight decay (problem_for)
          shadow->lambdas.array() += parse_number<long double>(o.problem.shift, "--weight-decay");
        if (!o.start.x0.empty()) shadow->z0 = parse_list<long double>(o.start.x0, "--x0");
        if (!o.start.x_prev.empty()) shadow->second = parse_list<long double>(o.start.x_prev, "--x-prev");
        if (!o.start.v0.empty()) shadow->second = parse_list<long double>(o.start.v0, "--v0");
      }
    }
    Vector<long double> z_ld, w_ld;
    if (shadow) z_ld = shadow->z0, w_ld = shadow->second;
    int fewest = prec.digits;
    long long first_loss = -1, underflow_t = -1;
    // Digits of a double value v whose shadow is u: the shadow's own error is taken to be at
    // most their distance (it is 2048 times finer), plus a few of its ulps.
    auto digits_of = [&](const Scalar& v, long double u, long long t, double extra_error) {
      if constexpr (!shadowed) {
        (void)v, (void)u, (void)t, (void)extra_error;
        return prec.digits;
      } else {
        const long double diff = std::fabs(static_cast<long double>(v) - u);
        const double err = twin_error(v, u, diff) + extra_error;
        if (v == 0 && u != 0 && underflow_t < 0) underflow_t = t;
        const int d = reliable_digits(v, err, prec.digits);
        if (d < fewest) fewest = d;
        if (digits_lost(d, prec) && first_loss < 0) first_loss = t;
        return d;
      }
    };
    Json head;
    head["command"] = "simulate";
    head["method"] = method_label(m);
    head["parameters"] = parameters_json(m, prec, o.method);
    if (const Json f = family_report(m, prec, o.method); !f.is_null()) head["family"] = f;
    head["problem"] = problem_json(p, prec);
    head["digits"] = prec.digits;
    head["scalar"] = prec.multiprecision ? "mpfr" : "double";
    head["steps"] = T;
    Sink sink(o.output, o.out.force);
    if (o.out.json) {
      std::string h = json_text(head, 2);
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
      Trajectory<long double> tr_ld;
      if constexpr (shadowed) tr_ld = simulate_eigen(*m_ld, shadow->lambdas, z_ld, w_ld, so);
      for (std::size_t k = 0; k < tr.points.size(); ++k) {
        const auto& c = tr.points[k];
        const long long t = t_now + c.t;
        const Vector<Scalar> x = to_x(p, c.x);
        // Each value with the digits its shadow confirms.
        Vector<long double> x_ld;
        long double e_ld = 0, l_ld = 0;
        if (shadow) {
          const auto& cl = tr_ld.points[k];
          x_ld = shadow->matrix ? Vector<long double>(shadow->x_star + shadow->Ot * cl.x) : cl.x;
          e_ld = cl.error_norm;
          l_ld = cl.excess_loss;
        }
        auto x_text = [&](Eigen::Index i) {
          const int d = shadow ? digits_of(x(i), x_ld(i), t, shadow->x_star_error) : prec.digits;
          return decimal(x(i), prec, d);
        };
        const std::string en = decimal(c.error_norm, prec, shadow ? digits_of(c.error_norm, e_ld, t, 0) : prec.digits);
        const std::string el = decimal(c.excess_loss, prec, shadow ? digits_of(c.excess_loss, l_ld, t, 0) : prec.digits);
        if (o.out.json) {
          Json row;
          row["t"] = t;
          row["error_norm"] = en;
          row["excess_loss"] = el;
          Json xs = Json::array();
          for (Eigen::Index i = 0; i < x.size(); ++i) xs.push_back(x_text(i));
          row["x"] = xs;
          sink.write(std::string(first_row ? "\n    " : ",\n    ") + json_text(row));
        } else {
          std::string line = std::to_string(t);
          for (Eigen::Index i = 0; i < x.size(); ++i) line += "," + x_text(i);
          line += "," + en + "," + el + "\n";
          sink.write(line);
        }
        first_row = false;
      }
      z = tr.final_error;
      w = tr.final_second;
      if constexpr (shadowed) z_ld = tr_ld.final_error, w_ld = tr_ld.final_second;
      t_now += so.steps;
      if (T > 0) progress.update(double(t_now) / double(T));
      if (at.empty() ? t_now >= T : next_at >= at.size()) break;
    }
    std::string note;
    if (first_loss >= 0)
      note = "some values (the first at t = " + std::to_string(first_loss) + ") have fewer " +
             "correct digits than " +
             (prec.explicit_digits ? "the " + std::to_string(prec.digits) + " asked for"
                                   : "the " + std::to_string(double_digits) + " a double holds") +
             ", as few as " +
             std::to_string(fewest) + " (rounding, amplified near a double root or by "
             "ill-conditioned eigenvalues, measured against a long double shadow run); only "
             "the correct digits are printed.";
    if (underflow_t >= 0)
      note += (note.empty() ? "" : " ") + std::string("From t = ") + std::to_string(underflow_t) +
              " on, values underflow double (below 1e-308) and print as 0.";
    if (!note.empty()) note += " " + more_digits_hint(prec);
    if (o.out.json) {
      std::string tail = "\n  ],\n  \"reliable_digits\": " + std::to_string(fewest);
      if (!note.empty()) tail += ",\n  \"note\": " + json_text(Json(note));
      sink.write(tail + "\n}\n");
    }
    sink.close();
    // The CSV stays clean: the note goes to stderr.
    if (!o.out.json && !note.empty()) std::cerr << "momentum simulate: note: " << note << '\n';
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

int run_simulate_command(const SimulateCliOptions& given) {
  SimulateCliOptions o = given;
  if (o.output == "-") o.output.clear();  // "-o -": standard output, as without --output
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
  add_method_options(*app, o->method, all_method_names());
  add_problem_options(*app, o->problem, false, false);
  add_start_options(*app, o->start, "", true);
  app->add_option("--output,-o", o->output, "Write the CSV or JSON to this file instead of stdout (-: stdout)")
      ->type_name("FILE");
  app->add_option("--plot", o->plot, "Plot ||x_t - x*|| with the predicted band (.svg or .png)")
      ->type_name("FILE");
  add_output_options(*app, o->out, true);
  app->footer(
      "Examples (d2l's printed trajectories, SPEC section 10):\n"
      "  momentum simulate --method velocity --eta 0.6 --beta 0.5 --eigenvalues 0.2,4 --x0=-5,-2 --steps 20\n"
      "  momentum simulate --method gd --eta 0.4 --eigenvalues 0.2,4 --x0=-5,-2 --steps 20 --at 20 --json\n"
      "  momentum simulate --method heavy-ball --alpha 4/121 --beta 81/121 --eigenvalues 1,100 \\\n"
      "      --x0 1,1 --steps 30000 --at 30000 --digits 50 --json   # error_norm ~ 1e-2600\n"
      "  momentum simulate --method pytorch --lr 0.1 --momentum 0.9 --nesterov --matrix Q.npy \\\n"
      "      --linear c.npy --x0 1,1,1 --steps 100   # torch.optim.SGD's iterates (its first step too)");
  return {app, [o] {
            o->out.resolve();
            o->problem = problem_for(o->problem, o->method);
            return run_simulate_command(*o);
          }};
}

}  // namespace momentum::cli
