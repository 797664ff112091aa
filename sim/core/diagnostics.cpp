#include "sim/core/diagnostics.h"

namespace mfgsim {

std::string Diagnostic::format() const {
  std::string out = where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += warning ? ": warning: " : ": error: ";
  out += message;
  return out;
}

namespace {
std::string lines(const std::vector<Diagnostic>& items) {
  std::string out;
  for (const Diagnostic& d : items) {
    out += d.format();
    out += '\n';
  }
  return out;
}
}  // namespace

std::string Diagnostics::format() const { return lines(items_); }

std::string Diagnostics::format_warnings() const { return lines(warnings_); }

}  // namespace mfgsim
