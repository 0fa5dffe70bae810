#include "suggest.hpp"

#include <algorithm>
#include <cctype>

namespace momentum::cli {

namespace {

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string undashed(const std::string& s) {
  const std::size_t first = s.find_first_not_of('-');
  return first == std::string::npos ? std::string() : s.substr(first);
}

/// "a", "a or b", "a, b or c".
std::string or_list(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return s;
}

std::string and_list(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return s;
}

/// Every option name of `app`: "--method", "-m", ...; for suggesting a name for `typed`, only
/// those of its kind (long for "--x", short for "-x": "--mu" is not a typo of "-m").
std::vector<std::string> option_names(const CLI::App& app, const std::string& typed = "") {
  const bool long_only = typed.rfind("--", 0) == 0, short_only = !typed.empty() && !long_only;
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    if (!short_only)
      for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
    if (!long_only)
      for (const std::string& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

bool app_takes(const CLI::App& app, const std::string& option) {
  const std::vector<std::string> names = option_names(app);
  return std::find(names.begin(), names.end(), option) != names.end();
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& tool) {
  return tool.get_subcommands([](const CLI::App*) { return true; });
}

/// A value such as "-5,-2" or "-.5": a negative number, not an option.
bool negative_number(const std::string& s) {
  return s.size() > 1 && s[0] == '-' && (std::isdigit(static_cast<unsigned char>(s[1])) || s[1] == '.');
}

/// Why a subcommand does not take an option another one takes, where that is not obvious.
std::string why_not(const std::string& option) {
  if (option == "--mu" || option == "--L")
    return " (it runs the method, so it needs the actual eigenvalues: --eigenvalues or --matrix, "
           "not only their interval)";
  return "";
}

UnknownArgument unknown_option(const CLI::App& tool, const CLI::App* sub, const std::string& text,
                               const CLI::App* chosen) {
  const std::string name = text.substr(0, text.find('='));
  const std::string tool_name = tool.get_name();
  if (negative_number(text))
    return {"unexpected argument \"" + text + "\": a negative value must be joined to its option "
            "with '=', as in --x0=-5,-2",
            text};
  if (sub == nullptr) {
    // Before the subcommand (or without one).
    if (chosen != nullptr && app_takes(*chosen, name))
      return {name + ": an option of the subcommand comes after it: " + tool_name + " " +
                  chosen->get_name() + " ... " + name,
              name};
    std::vector<std::string> owners, all = option_names(tool, name);
    for (const CLI::App* s : subcommands_of(tool)) {
      if (app_takes(*s, name)) owners.push_back(s->get_name());
      for (const std::string& n : option_names(*s, name))
        if (std::find(all.begin(), all.end(), n) == all.end()) all.push_back(n);
    }
    if (!owners.empty())
      return {name + ": an option of the subcommands " + and_list(owners) +
                  ": give the subcommand first, as in " + tool_name + " " + owners[0] + " " + name,
              name};
    return {name + ": unknown option" + did_you_mean(name, all), name};
  }
  std::vector<std::string> owners;
  for (const CLI::App* s : subcommands_of(tool))
    if (s != sub && app_takes(*s, name)) owners.push_back(s->get_name());
  // A real option of another subcommand is no typo: say who takes it.
  if (!owners.empty())
    return {name + ": '" + tool_name + " " + sub->get_name() + "' does not take this option" +
                why_not(name) + "; " + and_list(owners) + (owners.size() > 1 ? " take" : " takes") +
                " it",
            name};
  const std::string mine = closest(name, option_names(*sub, name));
  return {name + ": unknown option of '" + tool_name + " " + sub->get_name() + "'" +
              (mine.empty() ? std::string() : "; did you mean " + mine + "?"),
          name};
}

UnknownArgument stray_value(const CLI::App& tool, const CLI::App* sub, const std::string& text) {
  std::vector<std::string> names;
  for (const CLI::App* s : subcommands_of(tool)) names.push_back(s->get_name());
  if (sub == nullptr) {
    const std::string near = closest(text, names);
    if (!near.empty())
      return {"unknown subcommand '" + text + "'; did you mean '" + near + "'?", text};
    return {"unknown subcommand '" + text + "' (the subcommands: " + and_list(names) + ")", text};
  }
  if (std::find(names.begin(), names.end(), text) != names.end())
    return {"unexpected argument \"" + text + "\": give one subcommand at a time", text};
  const bool numeric = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) ||
                                          text[0] == '.' || text[0] == ',');
  return {"unexpected argument \"" + text + "\"" +
              (numeric ? ": a list with spaces must be quoted, as in --eigenvalues \"1, 2, 10\""
                       : ": '" + tool.get_name() + " " + sub->get_name() +
                             "' takes options only (is an option name missing?)"),
          text};
}

}  // namespace

std::size_t edit_distance(const std::string& a_in, const std::string& b_in) {
  const std::string a = lowercase(a_in), b = lowercase(b_in);
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
  const std::string t = undashed(typed);
  if (t.empty()) return "";
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(t, undashed(c));
    if (d < best_d) best_d = d, best = c;
  }
  const std::size_t allowed = t.size() <= 4 ? 1 : 2;
  if (best_d <= allowed && best_d < t.size()) return best;
  if (t.size() < 3) return "";
  std::vector<std::string> prefixed;
  for (const std::string& c : candidates)
    if (lowercase(undashed(c)).rfind(lowercase(t), 0) == 0) prefixed.push_back(c);
  return prefixed.size() == 1 ? prefixed[0] : "";
}

std::string did_you_mean(const std::string& typed, const std::vector<std::string>& candidates) {
  const std::string c = closest(typed, candidates);
  return c.empty() ? "" : "; did you mean " + c + "?";
}

CLI::Validator one_of(std::vector<std::string> choices) {
  std::string desc;
  for (const std::string& c : choices) desc += (desc.empty() ? "" : ",") + c;
  return CLI::Validator(
      [choices](std::string& value) -> std::string {
        if (std::find(choices.begin(), choices.end(), value) != choices.end()) return "";
        return "expected " + or_list(choices) + ", got \"" + value + "\"" + did_you_mean(value, choices);
      },
      "{" + desc + "}");
}

std::optional<UnknownArgument> unknown_argument(const CLI::App& tool, const CLI::App* chosen) {
  // Arguments before the subcommand are the tool's leftovers, those after it the subcommand's.
  for (const CLI::App* app : {&tool, chosen}) {
    if (app == nullptr) continue;
    const CLI::App* sub = app == &tool ? nullptr : chosen;
    for (const std::string& text : app->remaining()) {
      if (text == "--") continue;
      if (text.size() > 1 && text[0] == '-') return unknown_option(tool, sub, text, chosen);
      return stray_value(tool, sub, text);
    }
  }
  return std::nullopt;
}

}  // namespace momentum::cli
