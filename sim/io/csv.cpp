#include "sim/io/csv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mfgsim {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

// Splits CSV text into non-blank rows; reports unterminated quotes.
std::vector<CsvRow> split_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  std::vector<CsvRow> rows;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    CsvRow row;
    row.line = line_number;
    std::size_t k = 0;
    int column = 1;  // character column of line[k]
    auto advance = [&](std::size_t n) {
      for (std::size_t j = 0; j < n && k < line.size(); ++j, ++k)
        if ((static_cast<unsigned char>(line[k]) & 0xC0) != 0x80) ++column;
    };
    while (true) {
      while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) advance(1);
      CsvField field;
      field.column = column;
      if (k < line.size() && line[k] == '"') {
        advance(1);
        bool closed = false;
        while (k < line.size()) {
          if (line[k] == '"') {
            if (k + 1 < line.size() && line[k + 1] == '"') {
              field.text += '"';
              advance(2);
              continue;
            }
            advance(1);
            closed = true;
            break;
          }
          field.text += line[k];
          advance(1);
        }
        if (!closed) diagnostics.error({file, line_number, field.column}, "unterminated quoted field");
        std::size_t start = k;
        while (k < line.size() && line[k] != ',') advance(1);
        if (!trim(line.substr(start, k - start)).empty())
          diagnostics.error({file, line_number, field.column}, "text after a quoted field");
      } else {
        std::size_t start = k;
        while (k < line.size() && line[k] != ',') advance(1);
        field.text = trim(line.substr(start, k - start));
      }
      row.fields.push_back(std::move(field));
      if (k >= line.size()) break;
      advance(1);  // the comma
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool read_text_file(const std::string& path, std::string* text) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool parse_double(std::string_view text, double* value) {
  if (text.empty()) return false;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || errno == ERANGE || !std::isfinite(x)) return false;
  *value = x;
  return true;
}

}  // namespace mfgsim
