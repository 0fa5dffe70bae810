// End-to-end tests of the frictions issue 18 removed from the tool: lists with spaces, newlines
// or from a file (@FILE); the demo run again in its own folder; devices and pipes as output
// files; landscape's default ranges and where its CSV goes; suggestions for typos; each
// subcommand's --help listing only what it takes; errors as JSON with --json; verify's report
// explained. Each case failed on the tool before these changes.
#include "cli_support.hpp"

#include <momentum/regions.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <thread>

using namespace cli_test;

namespace {
std::vector<std::string> plus(std::vector<std::string> a, std::initializer_list<std::string> more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

bool holds_text(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

const std::vector<std::string> hb_rate = {"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.5",
                                     "--json", "--all"};
}  // namespace

TEST_SUITE("frictions") {
  TEST_CASE("lists of numbers take commas, spaces and newlines, and @FILE") {
    const Json ref = run_ok(plus(hb_rate, {"--eigenvalues", "1,2,10"})).json();
    REQUIRE(ref["per_eigenvalue"].size() == 3);
    TempDir dir;
    spit(dir / "ev.txt", "1,\n2\n  10\n");
    spit(dir / "x0.txt", "3 4\n");
    for (const std::string& list : {std::string("1, 2, 10"), std::string("1 2 10"), std::string("1\n2\n10\n"),
                                    std::string(" 1 ,2\t10 "), "@" + dir / "ev.txt"}) {
      INFO("--eigenvalues \"" << list << "\"");
      const Json j = run_ok(plus(hb_rate, {"--eigenvalues", list})).json();
      CHECK(j["per_eigenvalue"] == ref["per_eigenvalue"]);
      CHECK(j["spectral_radius"] == ref["spectral_radius"]);
    }
    // Parsed exactly, as on the command line: 40 digits of 0.1 and 0.7 from the file.
    spit(dir / "dec.txt", "0.7\n3.1\n");
    const std::vector<std::string> d40 = {"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.3",
                                          "--digits", "40", "--json"};
    CHECK(run_ok(plus(d40, {"--eigenvalues", "@" + dir / "dec.txt"})).json()["spectral_radius"] ==
          run_ok(plus(d40, {"--eigenvalues", "0.7,3.1"})).json()["spectral_radius"]);
    // --x0 shares the syntax.
    const std::vector<std::string> sim = {"simulate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1 2",
                                          "--steps", "1", "--json"};
    const Json a = run_ok(plus(sim, {"--x0", "3,4"})).json();
    CHECK(run_ok(plus(sim, {"--x0", "3, 4"})).json()["checkpoints"] == a["checkpoints"]);
    CHECK(run_ok(plus(sim, {"--x0", "@" + dir / "x0.txt"})).json()["checkpoints"] == a["checkpoints"]);
    // A missing, empty, malformed or binary file: the option, the file and what is wrong.
    const std::vector<std::string> gd = {"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues"};
    check_bad(plus(gd, {"@" + dir / "none.txt"}), {"--eigenvalues @", "none.txt", "cannot read the file"});
    spit(dir / "empty.txt", "");
    check_bad(plus(gd, {"@" + dir / "empty.txt"}), {"--eigenvalues @", "empty.txt", "no numbers"});
    spit(dir / "bad.txt", "1, 2\n3 x\n");
    check_bad(plus(gd, {"@" + dir / "bad.txt"}), {"--eigenvalues @", "bad.txt", "line 2", "item 4",
                                                 "expected a decimal number", "\"x\""});
    spit(dir / "commas.txt", "1,\n,2\n");
    check_bad(plus(gd, {"@" + dir / "commas.txt"}), {"commas.txt", "line 2", "empty item"});
    spit(dir / "neg.txt", "1\n\n-2\n");
    check_bad(plus(gd, {"@" + dir / "neg.txt"}), {"neg.txt", "line 3", "positive"});
    spit(dir / "bin.txt", std::string("1\n2\0\x01", 5));
    check_bad(plus(gd, {"@" + dir / "bin.txt"}), {"bin.txt", "line 2", "binary"});
    check_bad(plus(gd, {"@" + dir.path}), {"--eigenvalues @", "directory"});
    check_bad(plus(gd, {"1,,2"}), {"--eigenvalues", "empty item"});
    check_bad(plus(gd, {"1,2,"}), {"--eigenvalues", "comma ends"});
    // Spaces in an unquoted list: the stray item is named, with the fix.
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,", "2"}, {"\"2\"", "quoted"});
  }

  TEST_CASE("the demo replaces its own files when run again, and only its own folder's") {
    TempDir dir;
    REQUIRE(run({"demo", "--quiet"}, dir.path).status == 0);
    CHECK(exists(dir / "momentum-demo/.momentum-demo"));
    spit(dir / "momentum-demo/notes.txt", "mine\n");
    spit(dir / "momentum-demo/landscape.csv", "stale\n");
    const Result again = run({"demo", "--quiet"}, dir.path);
    INFO(again.err);
    CHECK(again.status == 0);
    CHECK(holds_text(again.out, "replacing the files of an earlier run"));
    CHECK(slurp(dir / "momentum-demo/landscape.csv").rfind("eta,beta,spectral_radius,regime", 0) == 0);
    CHECK(slurp(dir / "momentum-demo/notes.txt") == "mine\n");  // a user's file is never touched
    // A folder the demo did not write (no marker) still needs --force; nothing is written.
    REQUIRE(mkdir((dir / "mine").c_str(), 0755) == 0);
    spit(dir / "mine/landscape.csv", "precious\n");
    check_bad({"demo", "--quiet", "--output-dir", dir / "mine"}, {"--output-dir", "already exists", "--force"});
    CHECK(slurp(dir / "mine/landscape.csv") == "precious\n");
    CHECK_FALSE(exists(dir / "mine/.momentum-demo"));
  }

  TEST_CASE("devices and pipes are written to without --force; regular files still need it") {
    const std::vector<std::string> land = {"landscape", "--method", "velocity", "--eigenvalues", "0.2,4",
                                           "--eta", "0.1:1", "--grid", "4"};
    run_ok(plus(land, {"-o", "/dev/null"}));
    run_ok({"simulate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1", "--x0", "1", "--steps", "3",
            "--output", "/dev/null"});
    TempDir dir;
    const std::string fifo = dir / "pipe";
    REQUIRE(mkfifo(fifo.c_str(), 0644) == 0);
    std::string received;
    std::atomic<bool> done{false};
    std::thread reader([&] {
      received = slurp(fifo);
      done = true;
    });
    const Result r = run(plus(land, {"--output", fifo}));
    // Should the tool never have opened the pipe, the reader still waits for a writer: open
    // and close it (until the reader is done; it may not have reached its open yet).
    while (!done) {
      const int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0) close(fd);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reader.join();
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(csv(received).size() == 17);
    spit(dir / "l.csv", "precious\n");
    check_bad(plus(land, {"-o", dir / "l.csv"}), {"--output", "already exists"});
  }

  TEST_CASE("landscape defaults its ranges from the convergence region; a plot alone prints no CSV") {
    TempDir dir;
    const Result r = run_ok({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,10", "--plot", dir / "l.svg"});
    CHECK(line_count(r.out) < 10);  // was: 40,001 lines of CSV
    CHECK(holds_text(r.out, "alpha in [") );
    CHECK(holds_text(r.out, "(default"));
    CHECK(holds_text(slurp(dir / "l.svg"), "<svg"));
    const Json j = run_ok({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,10", "--grid", "8",
                           "--json"})
                       .json();
    const Json& g = j["grid"];
    CHECK(g["step_range"]["default"] == true);
    CHECK(g["beta_range"]["default"] == true);
    CHECK(g["beta_range"]["lo"] == "0");
    CHECK(g["beta_range"]["hi"] == "0.99");
    CHECK(g["step_scale"] == "linear");
    // Heavy ball converges at lambda_max = 10 for alpha < 2(1 + beta)/10: 0.398 at beta = 0.99.
    const double hi = 2 * (1 + 0.99) / 10;
    CHECK(num(g["step_range"]["hi"]) == doctest::Approx(hi).epsilon(1e-15));
    CHECK(num(g["step_range"]["lo"]) == doctest::Approx(hi / 8).epsilon(1e-15));
    // Nesterov's interval (0, (2 + 2 beta)/(1 + 2 beta)) is widest at beta = -1/3: 4.
    const Json n = run_ok({"landscape", "--method", "nesterov", "--eigenvalues", "1,10", "--grid", "4",
                           "--beta=-0.5:0.5", "--json"})
                       .json();
    const auto iv = momentum::convergence_interval(momentum::Nesterov<double>(1, -1.0 / 3));
    CHECK(num(n["grid"]["step_range"]["hi"]) == doctest::Approx(iv.hi / 10).epsilon(1e-15));
    CHECK(n["grid"]["beta_range"]["default"] == false);
    check_bad({"landscape", "--method", "heavy-ball", "--eigenvalues", "1,10", "--beta", "1:2"},
              {"--alpha", "no default step range", "--beta 1:2"});
    // The CSV: on stdout without --plot and --output, or with -o -; the rates converge inside.
    const Result csv_out = run_ok({"landscape", "--method", "velocity", "--eigenvalues", "1,10", "--grid", "3"});
    const auto rows = csv(csv_out.out);
    REQUIRE(rows.size() == 10);
    CHECK(holds_text(csv_out.err, "eta in ["));
    const Result dash = run_ok({"landscape", "--method", "velocity", "--eigenvalues", "1,10", "--grid", "3",
                                "--plot", dir / "m.svg", "-o", "-", "--quiet"});
    CHECK(csv(dash.out) == rows);
  }

  TEST_CASE("typos get the closest option, method or subcommand") {
    const std::vector<std::string> tail = {"--eta", "0.1", "--eigenvalues", "1,2"};
    check_bad(cat({"rate", "--methd", "gd"}, tail), {"--methd", "did you mean --method?"});
    check_bad(cat({"rate", "--method", "gd", "--eigenvalus", "1,2", "--eta", "0.1"}, {}),
              {"--eigenvalus", "did you mean --eigenvalues?"});
    check_bad({"rate", "--method", "heavy-bal", "--alpha", "0.1", "--beta", "0.5", "--eigenvalues", "1"},
              {"--method", "heavy-bal", "did you mean heavy-ball?"});
    const Result sub = run(cat({"rat", "--method", "gd"}, tail));
    INFO(sub.err);
    CHECK(sub.status == 2);
    CHECK(holds_text(sub.err, "unknown subcommand 'rat'; did you mean 'rate'?"));
    CHECK_FALSE(holds_text(sub.err, "--method rat"));  // CLI11's leftovers, reversed
    check_bad({"frobnicate"}, {"unknown subcommand 'frobnicate'", "rate"});
    // An option of another subcommand, an option before its subcommand.
    check_bad({"verify", "--method", "gd", "--eta", "0.1", "--mu", "1", "--L", "2"},
              {"--mu", "does not take", "rate", "eigenvalues"});
    check_bad(cat({"--quiet", "rate", "--method", "gd"}, tail), {"--quiet", "after"});
  }

  TEST_CASE("each subcommand's --help lists only the options it takes") {
    for (const char* sub : {"verify", "simulate"}) {
      const Result h = run_ok({sub, "--help"});
      INFO(h.out);
      CHECK_FALSE(holds_text(h.out, "--mu"));
      CHECK_FALSE(holds_text(h.out, "--L "));
      CHECK_FALSE(holds_text(h.out, "--path"));
      CHECK(holds_text(h.out, "--eigenvalues"));
    }
    for (const char* sub : {"rate", "optimal", "landscape"}) {
      const Result h = run_ok({sub, "--help"});
      CHECK(holds_text(h.out, "--mu"));
      CHECK(holds_text(h.out, "--L"));
    }
  }

  TEST_CASE("with --json, errors are also one JSON object {error, argument} on stdout") {
    auto error_json = [](const std::vector<std::string>& args, int status) {
      const Result r = run(args);
      INFO(show(args, r));
      CHECK(r.status == status);
      CHECK_FALSE(r.err.empty());
      const Json j = r.json();
      CHECK(j.size() == 2);
      CHECK(j.contains("error"));
      CHECK(j.contains("argument"));
      CHECK(holds_text(r.err, j["error"].get<std::string>()));
      return j;
    };
    const std::vector<std::string> gd = {"rate", "--method", "gd", "--eta", "0.1", "--json"};
    CHECK(error_json(plus(gd, {"--eigenvalues", "1,x"}), 2)["argument"] == "--eigenvalues");
    CHECK(error_json(plus(gd, {"--eigenvalues", "1", "--digits", "0"}), 2)["argument"] == "--digits");
    CHECK(error_json(gd, 2)["argument"].is_null());  // the problem is missing: no one option
    CHECK(error_json({"rate", "--methd", "gd", "--eta", "0.1", "--eigenvalues", "1", "--json"}, 2)["argument"] ==
          "--methd");
    CHECK(error_json({"rate", "--eta", "0.1", "--eigenvalues", "1", "--json"}, 2)["argument"] == "--method");
    CHECK(error_json({"landscape", "--method", "velocity", "--eigenvalues", "1", "--eta", "0.1:1", "--grid", "3",
                      "--output", "", "--json"},
                     2)["argument"] == "--output");
    // A failure (exit 3) too: double overflows.
    const Json f = error_json({"rate", "--method", "gd", "--eta", "1e300", "--eigenvalues", "1e300", "--json"}, 3);
    CHECK(holds_text(f["error"].get<std::string>(), "overflow"));
    // An option that is not UTF-8 (found by fuzz_cli: the JSON writer threw): its bad byte
    // becomes U+FFFD, and the error is still one JSON object.
    const Result bad_utf8 = run({"rate", "--method", "gd", "--eta", "0.1", "--eig\xe5nvalues", "1", "--json"});
    CHECK(bad_utf8.status == 2);
    const Json u = bad_utf8.json();
    CHECK(u.size() == 2);
    CHECK(u["argument"] == "--eig\xef\xbf\xbdnvalues");
    CHECK(holds_text(u["error"].get<std::string>(), "did you mean --eigenvalues?"));
    // Without --json, stdout stays empty.
    check_bad({"rate", "--method", "gd", "--eta", "0.1", "--eigenvalues", "1,x"}, {"--eigenvalues"});
  }

  TEST_CASE("verify's sharp check and resolution are explained, and so is a failure") {
    const Result h = run_ok({"verify", "--help"});
    CHECK(holds_text(h.out, "sharp check  the largest distance"));
    CHECK(holds_text(h.out, "resolves     the smallest relative error"));
    const std::string readme = slurp(MOMENTUM_README);
    CHECK(holds_text(readme, "`sharp_deviation` (the sharp check"));
    CHECK(holds_text(readme, "`detectable_rate_error` (what the run resolves"));
    const std::vector<std::string> d2l_verify = {"verify", "--method", "velocity", "--eta", "0.6", "--beta", "0.5",
                                          "--eigenvalues", "0.2,4", "--x0=-5,-2", "--steps", "2000"};
    const Result wrong = run(plus(d2l_verify, {"--rho", "0.7"}));
    INFO(wrong.out);
    CHECK(wrong.status == 1);
    CHECK(holds_text(wrong.out, "what it means"));
    CHECK(holds_text(wrong.out, "not the true rate of this run"));
    CHECK(holds_text(wrong.out, "rho = 0.7071067811865475244"));
    const Result right = run_ok(d2l_verify);
    CHECK_FALSE(holds_text(right.out, "what it means"));
  }
}
