#include "sim/core/diagnostics.h"

namespace mfgsim {

std::string Diagnostic::format() const {
  std::string out = where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  out += ": error: ";
  out += message;
  return out;
}

std::string Diagnostics::format() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    out += d.format();
    out += '\n';
  }
  return out;
}

}  // namespace mfgsim
