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

// UTF-8 checked a byte at a time (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), for readers that stream their input.
class Utf8Checker {
 public:
  // Takes the next byte; false when it makes the text invalid.
  bool next(unsigned char byte);
  bool in_sequence() const { return need_ > 0; }  // inside a multi-byte character
  bool complete() const { return need_ == 0; }    // no character cut short at the end

 private:
  int need_ = 0;                              // continuation bytes still expected
  unsigned char low_ = 0x80, high_ = 0xBF;    // the range of the next one
};

// A position in a text: 1-based line and character (code point) column.
struct TextPosition {
  int line = 1, column = 1;
};
// The character where `text` stops being valid UTF-8 (the first byte of the
// broken character, or the end for a character cut short); nothing when
// the whole text is valid.
std::optional<TextPosition> first_invalid_utf8(std::string_view text);

}  // namespace mfgsim
