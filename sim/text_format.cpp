#include "sim/text_format.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace mfgsim {

std::string format_line(const char* format, ...) {
  va_list args, copy;
  va_start(args, format);
  va_copy(copy, args);
  const int size = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string out(static_cast<std::size_t>(std::max(size, 0)) + 1, '\0');
  std::vsnprintf(out.data(), out.size(), format, args);
  va_end(args);
  out.resize(static_cast<std::size_t>(std::max(size, 0)));
  return out;
}

}  // namespace mfgsim
