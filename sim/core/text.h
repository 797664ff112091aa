// Text helpers shared by the readers and the commands: numbers as YAML and
// CSV write them, typo suggestions, and printf-style lines for the aligned
// tables the commands print.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfgsim {

// A finite decimal number as YAML and CSV write it (`12`, `-0.5`, `1e-3`,
// `+2`, `.5`); nullopt for anything else (including inf and nan).
std::optional<double> parse_number(std::string_view text);
// A whole number written without a fraction or exponent.
std::optional<long long> parse_integer(std::string_view text);
// Levenshtein distance (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate if it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean `x`?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// "%g" formatting used in messages (0.0833333, 100, 1e+07).
std::string format_number(double x);

[[gnu::format(printf, 1, 2)]] std::string format_line(const char* format, ...);

}  // namespace mfgsim
