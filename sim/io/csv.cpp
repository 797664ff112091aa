#include "sim/io/csv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mfgsim {

namespace {
constexpr char kBom[] = "\xEF\xBB\xBF";  // the UTF-8 byte order mark
}  // namespace

CsvReader::CsvReader(std::string file, Diagnostics& diagnostics, std::function<void(CsvRow&)> on_row)
    : file_(std::move(file)), diagnostics_(diagnostics), on_row_(std::move(on_row)) {
  row_.line = 1;
}

void CsvReader::feed(std::string_view piece) {
  for (char c : piece) {
    if (!started_) {
      // A byte order mark before anything else is skipped.
      if (c == kBom[bom_seen_]) {
        if (++bom_seen_ == 3) started_ = true;
        continue;
      }
      started_ = true;
      const std::size_t partial = bom_seen_;
      bom_seen_ = 0;
      for (std::size_t k = 0; k < partial; ++k) take(kBom[k]);  // not a mark after all
    }
    take(c);
  }
}

void CsvReader::take(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (!utf8_.in_sequence()) ++column_;
  if (!utf8_.next(byte) && !utf8_reported_) {
    diagnostics_.error({file_, line_, column_}, "invalid UTF-8 (a CSV file must be UTF-8 text)");
    utf8_reported_ = true;
  }
  const bool lf_after_cr = after_cr_ && c == '\n';  // the LF of a CRLF: no new line
  after_cr_ = c == '\r';
  const bool line_break = c == '\n' || c == '\r';
  switch (state_) {
    case State::quoted:
      if (c == '"') state_ = State::quote_in_quoted;
      else field_.text += c;
      break;
    case State::quote_in_quoted:
      if (c == '"') {  // "" is one quote
        field_.text += c;
        state_ = State::quoted;
        break;
      }
      state_ = State::after_quoted;
      [[fallthrough]];
    case State::after_quoted:
    case State::field_start:
    case State::unquoted:
      if (lf_after_cr) break;
      if (c == ',' || line_break) {
        end_field();
        if (line_break) end_row();
      } else if (state_ == State::after_quoted) {
        if (c != ' ' && c != '\t' && field_.column > 0) {
          diagnostics_.error({file_, row_.line, field_.column}, "text after a quoted field");
          field_.column = -field_.column;  // reported once
        }
      } else if (state_ == State::field_start && (c == ' ' || c == '\t')) {
        // leading blanks are not part of the field
      } else if (state_ == State::field_start && c == '"') {
        field_.column = column_;
        quote_line_ = line_;
        quoted_ = row_quoted_ = true;
        state_ = State::quoted;
      } else {
        if (state_ == State::field_start) field_.column = column_;
        field_.text += c;
        state_ = State::unquoted;
      }
      break;
  }
  if (line_break && !lf_after_cr) {
    ++line_;
    column_ = 0;
  } else if (lf_after_cr) {
    column_ = 0;
  }
}

void CsvReader::end_field() {
  if (!quoted_) {
    std::size_t e = field_.text.size();
    while (e > 0 && (field_.text[e - 1] == ' ' || field_.text[e - 1] == '\t')) --e;
    field_.text.resize(e);
  }
  if (field_.column == 0) field_.column = column_;  // an empty field: where it ends
  field_.column = std::abs(field_.column);
  row_.fields.push_back(std::move(field_));
  field_ = CsvField{};
  field_.column = 0;
  quoted_ = false;
  state_ = State::field_start;
}

void CsvReader::end_row() {
  // A blank line is one empty, unquoted field.
  const bool blank = row_.fields.size() == 1 && row_.fields[0].text.empty() && !row_quoted_;
  if (!blank) on_row_(row_);
  row_ = CsvRow{};
  row_.line = line_ + 1;  // called before the line break is counted
  row_quoted_ = false;
}

void CsvReader::finish() {
  if (!started_) {  // the text ended inside what began like a byte order mark
    started_ = true;
    for (std::size_t k = 0; k < bom_seen_; ++k) take(kBom[k]);
  }
  if (state_ == State::quoted)
    diagnostics_.error({file_, quote_line_, field_.column}, "unterminated quoted field");
  if (!utf8_.complete() && !utf8_reported_)
    diagnostics_.error({file_, line_, column_}, "invalid UTF-8: the last character is cut short");
  if (state_ != State::field_start || !row_.fields.empty()) {
    end_field();
    end_row();
  }
}

std::vector<CsvRow> split_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  std::vector<CsvRow> rows;
  CsvReader reader(file, diagnostics, [&](CsvRow& row) { rows.push_back(std::move(row)); });
  reader.feed(text);
  reader.finish();
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
