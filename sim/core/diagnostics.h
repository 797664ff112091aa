// Problems found in user input, reported compiler style:
//   scenarios/x.yaml:12:9: error: calendar.months must be > 0 (got -4)
// The library returns these as values; it never prints or exits.
#pragma once

#include <string>
#include <vector>

namespace mfgsim {

struct SourceLocation {
  std::string file;  // path as the user gave it (or as resolved by extends)
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

struct Diagnostic {
  SourceLocation where;
  std::string message;
  std::string format() const;  // "file:line:col: error: message"
};

class Diagnostics {
 public:
  void error(const SourceLocation& where, std::string message) {
    items_.push_back({where, std::move(message)});
  }
  bool ok() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string format() const;  // one line per diagnostic
  void append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace mfgsim
