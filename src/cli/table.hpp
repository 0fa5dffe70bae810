#pragma once
/// \file table.hpp
/// Plain-text output: aligned tables and "key  value" blocks for the default (non-JSON) output.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace momentum::cli {

/// Columns aligned on their widest cell; numbers right-aligned, text left-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void print(std::ostream& out, int indent = 2) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

/// "key   value" lines with the keys padded to the widest.
class Fields {
 public:
  void add(std::string key, std::string value) {
    items_.emplace_back(std::move(key), std::move(value));
  }
  void print(std::ostream& out, int indent = 2) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace momentum::cli
