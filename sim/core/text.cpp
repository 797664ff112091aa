#include "sim/core/text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace mfgsim {


std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view body = text;
  if (body.front() == '+') body.remove_prefix(1);
  if (body.empty() || (body.size() < text.size() && (body.front() == '+' || body.front() == '-')))
    return std::nullopt;
  // Only decimal digits, one sign, a point and an exponent: no inf, nan, hex.
  bool digit = false;
  for (char c : body) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') return std::nullopt;
  }
  if (!digit) return std::nullopt;
  std::string buffer(body);
  if (buffer.front() == '.') buffer.insert(buffer.begin(), '0');
  if (buffer.size() > 1 && buffer[0] == '-' && buffer[1] == '.') buffer.insert(buffer.begin() + 1, '0');
  double x = 0.0;
  auto [end, ec] = std::from_chars(buffer.data(), buffer.data() + buffer.size(), x);
  if (ec != std::errc() || end != buffer.data() + buffer.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

std::optional<long long> parse_integer(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view body = text;
  // One sign at most: "+-3" is not a number.
  if (body.front() == '+') {
    body.remove_prefix(1);
    if (!body.empty() && body.front() == '-') return std::nullopt;
  }
  long long x = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), x);
  if (ec != std::errc() || end != body.data() + body.size() || body.empty()) return std::nullopt;
  return x;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::size_t best = std::string::npos;
  const std::string* match = nullptr;
  for (const std::string& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best) {
      best = d;
      match = &c;
    }
  }
  if (!match) return std::nullopt;
  // A likely typo: at most a third of the longer word wrong (and at least one
  // edit allowed), or one word containing the other.
  std::size_t longest = std::max(word.size(), match->size());
  std::size_t limit = std::max<std::size_t>(1, (longest + 2) / 3);
  if (best <= limit && best < longest) return *match;
  for (const std::string& c : candidates)
    if (word.size() >= 3 && c.find(word) != std::string::npos) return c;
  return std::nullopt;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto match = closest_match(word, candidates);
  return match ? " (did you mean `" + *match + "`?)" : "";
}

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", x);
  return buffer;
}

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

bool Utf8Checker::next(unsigned char byte) {
  if (need_ > 0) {
    if (byte < low_ || byte > high_) {
      need_ = 0;
      return false;
    }
    low_ = 0x80;
    high_ = 0xBF;
    --need_;
    return true;
  }
  if (byte < 0x80) return true;
  if (byte >= 0xC2 && byte <= 0xDF) {
    need_ = 1;
  } else if (byte >= 0xE0 && byte <= 0xEF) {
    need_ = 2;
    low_ = byte == 0xE0 ? 0xA0 : 0x80;   // not overlong
    high_ = byte == 0xED ? 0x9F : 0xBF;  // not a surrogate
  } else if (byte >= 0xF0 && byte <= 0xF4) {
    need_ = 3;
    low_ = byte == 0xF0 ? 0x90 : 0x80;   // not overlong
    high_ = byte == 0xF4 ? 0x8F : 0xBF;  // at most U+10FFFF
  } else {
    return false;
  }
  return true;
}

std::optional<TextPosition> first_invalid_utf8(std::string_view text) {
  Utf8Checker checker;
  TextPosition at{1, 0};
  for (char c : text) {
    const bool starts_character = !checker.in_sequence();
    if (starts_character) ++at.column;
    if (!checker.next(static_cast<unsigned char>(c))) return at;
    if (c == '\n') at = {at.line + 1, 0};
  }
  if (!checker.complete()) return at;
  return std::nullopt;
}

}  // namespace mfgsim
