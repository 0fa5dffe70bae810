#include "table.hpp"

#include <algorithm>
#include <cctype>

namespace momentum::cli {

namespace {
bool numeric(const std::string& s) {
  if (s.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  return std::isdigit(c) || ((c == '-' || c == '+') && s.size() > 1 &&
                             std::isdigit(static_cast<unsigned char>(s[1])));
}
}  // namespace

void Table::print(std::ostream& out, int indent) const {
  std::vector<std::size_t> width(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto line = [&](const std::vector<std::string>& r, bool head) {
    out << std::string(static_cast<std::size_t>(indent), ' ');
    for (std::size_t i = 0; i < width.size(); ++i) {
      const std::string cell = i < r.size() ? r[i] : "";
      const std::size_t pad = width[i] - cell.size();
      const bool right = !head && numeric(cell);
      if (right) out << std::string(pad, ' ') << cell;
      else out << cell << (i + 1 < width.size() ? std::string(pad, ' ') : "");
      if (i + 1 < width.size()) out << "  ";
    }
    out << '\n';
  };
  line(header_, true);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  line(rule, true);
  for (const auto& r : rows_) line(r, false);
}

void Fields::print(std::ostream& out, int indent) const {
  std::size_t w = 0;
  for (const auto& [k, v] : items_) w = std::max(w, k.size());
  for (const auto& [k, v] : items_)
    out << std::string(static_cast<std::size_t>(indent), ' ') << k
        << std::string(w - k.size() + 2, ' ') << v << '\n';
}

}  // namespace momentum::cli
