// printf-style formatting into a std::string, for the aligned text tables the
// commands print (calibrate, backtest).
#pragma once

#include <string>

namespace mfgsim {

[[gnu::format(printf, 1, 2)]] std::string format_line(const char* format, ...);

}  // namespace mfgsim
