// Problems found in user input, reported compiler style:
//   scenarios/x.yaml:12:9: error: calendar.months must be > 0 (got -4)
// and warnings about input that is valid but likely not what was meant:
//   scenarios/x.yaml:8:3: warning: low_carbon.carbon_price changes 2021-01..2023-06, ...
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
  bool warning = false;        // a warning: the input is valid and runs
  std::string format() const;  // "file:line:col: error: message" ("warning:" for a warning)
};

class Diagnostics {
 public:
  void error(const SourceLocation& where, std::string message) {
    items_.push_back({where, std::move(message)});
  }
  // A warning: kept apart from the errors (ok() ignores warnings).
  void warn(const SourceLocation& where, std::string message) {
    warnings_.push_back({where, std::move(message), true});
  }
  bool ok() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }  // the errors
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  std::string format() const;           // one line per error
  std::string format_warnings() const;  // one line per warning
  void append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
    warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
  }

 private:
  std::vector<Diagnostic> items_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace mfgsim
