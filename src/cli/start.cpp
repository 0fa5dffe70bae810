#include "start.hpp"

#include <algorithm>

namespace momentum::cli {

void add_start_options(CLI::App& app, StartOptions& o, const std::string& default_steps,
                       bool with_at) {
  app.add_option("--x0", o.x0,
                 "Start x_0 (n numbers separated by commas, spaces or newlines, or @FILE; use --x0=-5,-2 for "
                 "negative numbers)" +
                     std::string(default_steps.empty() ? "" : "; default all ones"))
      ->type_name("LIST");
  app.add_option("--x-prev", o.x_prev, "x_{-1} for heavy-ball and nesterov, a list like --x0 (default: x_0)")
      ->type_name("LIST");
  app.add_option("--v0", o.v0, "v_0 for the velocity form, a list like --x0 (default: 0)")->type_name("LIST");
  auto* steps = app.add_option("--steps,-T", o.steps, "Number of steps T")->type_name("T");
  if (default_steps.empty()) steps->required();
  else o.steps = default_steps, steps->capture_default_str();
  if (with_at)
    app.add_option("--at", o.at, "Only these checkpoints t1,t2,... (default: every step)")
        ->type_name("LIST");
}

long long parse_steps(const std::string& text, const std::string& what, long long max) {
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size())
    throw UsageError(what + ": expected a whole number of steps, got \"" + text + "\"");
  if (v < 0 || v > max)
    throw UsageError(what + ": must lie in 0.." + std::to_string(max) + ", got " + text);
  return v;
}

std::vector<long long> parse_checkpoints(const std::string& text, long long steps) {
  std::vector<long long> ts;
  for (const std::string& item : split_list(text, "--at")) ts.push_back(parse_steps(item, "--at", steps));
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  return ts;
}

}  // namespace momentum::cli
