// The methods in their users' terms (issue 17): pytorch, qhm and general against the named
// methods they contain, PyTorch's weight decay as a shift of the problem, the two-state tunings
// of `optimal --method all`, a landscape over two of a parameterization's parameters, and the
// errors of options a method does not take.
#include "cli_support.hpp"

#include <cmath>
#include <string>
#include <vector>

using namespace cli_test;

namespace {

Json ok_json(const std::vector<std::string>& args) {
  const Result r = run(args);
  INFO(show(args, r));
  REQUIRE(r.status == 0);
  return r.json();
}

double rate_of(const std::vector<std::string>& args) {
  return num(ok_json(cat({"rate"}, args, {"--json", "--digits", "30"}))["spectral_radius"]);
}

}  // namespace

TEST_SUITE("methods") {
  TEST_CASE("pytorch, qhm and general have the rates of the named methods they contain") {
    const std::vector<std::string> problem = {"--mu", "1", "--L", "100"};
    // torch.optim.SGD without nesterov or dampening is the velocity form (eta = lr).
    CHECK(rate_of(cat({"--method", "pytorch", "--lr", "0.02", "--momentum", "0.8"}, problem)) ==
          rate_of(cat({"--method", "velocity", "--eta", "0.02", "--beta", "0.8"}, problem)));
    // With dampening D: heavy ball with alpha = lr (1 - D).
    CHECK(rate_of(cat({"--method", "pytorch", "--lr", "0.02", "--momentum", "0.8", "--dampening", "0.25"}, problem)) ==
          rate_of(cat({"--method", "heavy-ball", "--alpha", "0.015", "--beta", "0.8"}, problem)));
    // nesterov: Nesterov's method (alpha = lr, beta = momentum).
    CHECK(rate_of(cat({"--method", "pytorch", "--lr", "0.02", "--momentum", "0.8", "--nesterov"}, problem)) ==
          rate_of(cat({"--method", "nesterov", "--alpha", "0.02", "--beta", "0.8"}, problem)));
    // momentum 0: PyTorch keeps no buffer; gradient descent with step lr, dampening unused.
    CHECK(rate_of(cat({"--method", "pytorch", "--lr", "0.02", "--momentum", "0", "--dampening", "0.5"}, problem)) ==
          rate_of(cat({"--method", "gd", "--eta", "0.02"}, problem)));
    // general: heavy ball at gamma = 0, Nesterov at gamma = beta.
    CHECK(rate_of(cat({"--method", "general", "--alpha", "0.02", "--beta", "0.8", "--gamma", "0"}, problem)) ==
          rate_of(cat({"--method", "heavy-ball", "--alpha", "0.02", "--beta", "0.8"}, problem)));
    CHECK(rate_of(cat({"--method", "general", "--alpha", "0.02", "--beta", "0.8", "--gamma", "0.8"}, problem)) ==
          rate_of(cat({"--method", "nesterov", "--alpha", "0.02", "--beta", "0.8"}, problem)));
    // qhm with nu = 1: heavy ball with alpha (1 - beta).
    CHECK(rate_of(cat({"--method", "qhm", "--alpha", "0.1", "--nu", "1", "--beta", "0.8"}, problem)) ==
          rate_of(cat({"--method", "heavy-ball", "--alpha", "0.02", "--beta", "0.8"}, problem)));
  }

  TEST_CASE("reports show the parameters as given and their two-state member") {
    const Json j = ok_json({"rate", "--method", "pytorch", "--lr", "0.01", "--momentum", "0.9",
                            "--dampening", "0.1", "--weight-decay", "5e-4", "--nesterov", "--mu", "1",
                            "--L", "100", "--json", "--digits", "25"});
    CHECK(j["method"] == "pytorch");
    CHECK(j["parameters"]["lr"] == "0.01");
    CHECK(j["parameters"]["momentum"] == "0.9");
    CHECK(j["parameters"]["dampening"] == "0.1");
    CHECK(j["parameters"]["weight_decay"] == "0.0005");
    CHECK(j["parameters"]["nesterov"] == true);
    // alpha = lr (1 - momentum dampening) = 0.0091, alpha gamma = lr momentum = 0.009.
    CHECK(j["family"]["alpha"] == "0.0091");
    CHECK(j["family"]["beta"] == "0.9");
    CHECK(j["family"]["alpha_gamma"] == "0.009");
    CHECK(std::fabs(num(j["family"]["gamma"]) - 0.009 / 0.0091) < 1e-15);
    // The weight decay shifts the spectrum: [mu + wd, L + wd].
    CHECK(j["problem"]["lambda_min"] == "1.0005");
    CHECK(j["problem"]["lambda_max"] == "100.0005");
    // A degenerate map: momentum = dampening = 1 with nesterov has alpha = 0 and an infinite
    // gamma; the rate is analysed (1 is a root at every eigenvalue), not refused.
    const Json d = ok_json({"rate", "--method", "pytorch", "--lr", "0.1", "--momentum", "1",
                            "--dampening", "1", "--nesterov", "--eigenvalues", "1,2", "--json"});
    CHECK(d["family"]["gamma"].is_null());
    CHECK(d["converges"] == false);
    CHECK(d["converges_decided"] == true);
  }

  TEST_CASE("the text report names each method's own default start") {
    const std::vector<std::string> problem = {"--eigenvalues", "1,10", "--tol", "1e-3"};
    auto text = [&](const std::vector<std::string>& method) {
      const Result r = run(cat({"rate"}, method, problem));
      INFO(show(cat({"rate"}, method, problem), r));
      REQUIRE(r.status == 0);
      return r.out;
    };
    const std::string qhm = text({"--method", "qhm", "--alpha", "0.1", "--nu", "0.7", "--beta", "0.5"});
    CHECK(qhm.find("from every x_0 (g_0 = 0)") != std::string::npos);
    CHECK(qhm.find("v_0 = 0") == std::string::npos);
    const std::string torch = text({"--method", "pytorch", "--lr", "0.1", "--momentum", "0.5"});
    CHECK(torch.find("from every x_0 (torch's first step, b_0 = d_0)") != std::string::npos);
    const std::string general =
        text({"--method", "general", "--alpha", "0.1", "--beta", "0.5", "--gamma", "0.2"});
    CHECK(general.find("from every x_0 (x_{-1} = x_0)") != std::string::npos);
    const std::string heavy = text({"--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.5"});
    CHECK(heavy.find("from every x_0 (x_{-1} = x_0, v_0 = 0)") != std::string::npos);
  }

  TEST_CASE("weight decay is the problem Q + wd I") {
    const std::vector<std::string> m = {"--method", "pytorch", "--lr", "0.1", "--momentum", "0.5"};
    CHECK(rate_of(cat(m, {"--weight-decay", "0.5", "--eigenvalues", "1,2"})) ==
          rate_of(cat(m, {"--eigenvalues", "1.5,2.5"})));
  }

  TEST_CASE("optimal lists triple and robust momentum, and tunes pytorch and qhm") {
    const Json all = ok_json({"optimal", "--method", "all", "--mu", "1", "--L", "100", "--json",
                              "--digits", "30"});
    bool triple = false, robust = false;
    for (const Json& t : all["tunings"]) {
      if (t["tuning"] == "triple-momentum") {
        triple = true;
        CHECK(t["method"] == "general");
        CHECK(std::fabs(num(t["rate"]) - 0.9) < 1e-25);  // 1 - 1/sqrt(kappa)
      }
      if (t["tuning"] == "robust-momentum") {
        robust = true;
        // The middle of [1 - 1/sqrt(kappa), 1 - 1/kappa] = [0.9, 0.99].
        CHECK(std::fabs(num(t["rate"]) - 0.945) < 1e-25);
      }
    }
    CHECK(triple);
    CHECK(robust);
    const Json r = ok_json({"optimal", "--method", "general", "--mu", "1", "--L", "100", "--rho",
                            "0.95", "--json", "--digits", "30"});
    bool found = false;
    for (const Json& t : r["tunings"]) {
      if (t["tuning"] != "robust-momentum") continue;
      found = true;
      CHECK(std::fabs(num(t["rate"]) - 0.95) < 1e-25);
    }
    CHECK(found);
    // PyTorch without nesterov: the tuned heavy ball, lr = alpha* / (1 - dampening).
    const Json hb = ok_json({"optimal", "--method", "heavy-ball", "--mu", "1", "--L", "100", "--json", "--digits", "30"});
    const Json pt = ok_json({"optimal", "--method", "pytorch", "--dampening", "0.5", "--mu", "1", "--L",
                             "100", "--json", "--digits", "30"});
    CHECK(std::fabs(num(pt["parameters"]["lr"]) - 2 * num(hb["parameters"]["alpha"])) < 1e-25);
    CHECK(pt["parameters"]["momentum"] == hb["parameters"]["beta"]);
    CHECK(pt["rate"] == hb["rate"]);
    // With weight decay: tuned for [mu + wd, L + wd], and the decay shown as given.
    const Json wd = ok_json({"optimal", "--method", "pytorch", "--weight-decay", "0.5", "--mu", "1", "--L",
                             "100", "--json"});
    CHECK(wd["parameters"]["weight_decay"] == "0.5");
    CHECK(wd["problem"]["lambda_min"] == "1.5");
    const Json q = ok_json({"optimal", "--method", "qhm", "--mu", "1", "--L", "100", "--json", "--digits", "30"});
    CHECK(q["rate"] == hb["rate"]);
  }

  TEST_CASE("landscape over two of a parameterization's parameters") {
    const Json j = ok_json({"landscape", "--method", "pytorch", "--lr", "0.001:0.05", "--momentum",
                            "0:0.95", "--dampening", "0.1", "--mu", "1", "--L", "100", "--grid", "30",
                            "--json"});
    CHECK(j["axes"] == Json::array({"lr", "momentum"}));
    CHECK(j["fixed"]["dampening"] == "0.1");
    CHECK(j["best"].contains("lr"));
    CHECK(j["best"].contains("momentum"));
    // The best grid point is no better than the optimal tuning.
    CHECK(num(j["best"]["spectral_radius"]) >= num(j["optimal"]["spectral_radius"]) - 1e-15);
    const Json g = ok_json({"landscape", "--method", "general", "--alpha", "0.005:0.05", "--beta",
                            "0.5", "--gamma", "-1:1", "--mu", "1", "--L", "100", "--grid", "20", "--json"});
    CHECK(g["axes"] == Json::array({"alpha", "gamma"}));
  }

  TEST_CASE("options a method does not take, and missing ones, are named") {
    const std::vector<std::string> problem = {"--eigenvalues", "1,2"};
    check_bad(cat({"rate", "--method", "pytorch", "--lr", "0.1", "--beta", "0.9"}, problem),
              {"--beta", "--method pytorch does not take it", "--momentum"});
    check_bad(cat({"rate", "--method", "pytorch", "--lr", "0.1"}, problem),
              {"--momentum", "required for --method pytorch"});
    check_bad(cat({"rate", "--method", "heavy-ball", "--alpha", "0.1", "--beta", "0.5", "--gamma", "1"}, problem),
              {"--gamma", "does not take it", "--method general"});
    check_bad(cat({"rate", "--method", "qhm", "--alpha", "0.1", "--beta", "0.5"}, problem),
              {"--nu", "required for --method qhm"});
    check_bad(cat({"rate", "--method", "pytorh", "--lr", "0.1", "--momentum", "0.9"}, problem),
              {"--method", "did you mean pytorch?"});
    check_bad(cat({"optimal", "--method", "heavy-ball", "--dampening", "0.1"}, problem),
              {"--dampening", "--method pytorch"});
    check_bad(cat({"landscape", "--method", "qhm", "--alpha", "0.1:1", "--beta", "0.5", "--nu", "0.7"}, problem),
              {"exactly two", "--alpha", "--nu", "--beta"});
    check_bad(cat({"simulate", "--method", "pytorch", "--lr", "0.1", "--momentum", "0.9", "--x0", "1,1",
                   "--x-prev", "1,1", "--steps", "3"}, problem),
              {"--x-prev", "PyTorch"});
  }
}
