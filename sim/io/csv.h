// The one CSV reader of every table mfgsim reads (sector and input-output
// tables, observed figures and calibration targets, summary.csv,
// members.csv, scenarios.csv): RFC 4180 with the usual leniencies. Fields
// are comma separated; a field in double quotes may hold commas, line
// breaks and quotes ("" inside quotes is one "); rows end at CRLF, LF or a
// lone CR; a UTF-8 byte order mark at the start is skipped; blank lines are
// skipped; unquoted fields are trimmed of spaces and tabs. The text must be
// UTF-8. Each field carries the 1-based line and character column it starts
// at, for file:line:col messages.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/core/text.h"

namespace mfgsim {

struct CsvField {
  std::string text;
  int column = 1;  // 1-based character column where the field starts
};

struct CsvRow {
  int line = 0;  // 1-based
  std::vector<CsvField> fields;
};

// The reader, fed a piece at a time (a file far larger than memory reads in
// blocks); hands each complete non-blank row to `on_row`. Errors go to
// `diagnostics` at their place in `file`: an unterminated quoted field (at
// its opening quote), text after a closing quote, and the first byte that
// is not valid UTF-8 (reported once per file).
class CsvReader {
 public:
  CsvReader(std::string file, Diagnostics& diagnostics, std::function<void(CsvRow&)> on_row);
  void feed(std::string_view piece);
  void finish();  // the end of the text: the last row, and any open quote or character

 private:
  enum class State { field_start, unquoted, quoted, quote_in_quoted, after_quoted };
  void take(char c);
  void end_field();
  void end_row();

  std::string file_;
  Diagnostics& diagnostics_;
  std::function<void(CsvRow&)> on_row_;
  State state_ = State::field_start;
  CsvRow row_;
  CsvField field_;
  bool quoted_ = false;        // the current field was quoted
  int quote_line_ = 0;         // the line of the current field's opening quote
  bool row_quoted_ = false;    // a field of the current row was quoted (so the row is not blank)
  bool after_cr_ = false;      // the previous byte was a CR ending a row (an LF after it is the same break)
  std::size_t bom_seen_ = 0;   // bytes of a leading byte order mark matched so far
  bool started_ = false;       // past the byte order mark
  int line_ = 1, column_ = 0;  // of the current byte's character
  Utf8Checker utf8_;
  bool utf8_reported_ = false;
};

// Splits CSV text into non-blank rows (CsvReader).
std::vector<CsvRow> split_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics);

// A field as written to CSV: quoted (with "" for ") when it holds a comma,
// a quote or a line break; as is otherwise.
std::string csv_field(const std::string& text);

// Reads a whole file; false if it is not a readable regular file.
bool read_text_file(const std::string& path, std::string* text);

// Reads the file `path` and returns `parse(text, path, diagnostics)`, the
// reader of a CSV kind (an optional value, nothing on errors). A file that
// cannot be read is the error `unreadable` at path:0:0, and nothing.
template <class Parse>
auto read_csv_file(const std::string& path, Diagnostics& diagnostics, const char* unreadable, Parse parse)
    -> decltype(parse(std::string_view(), path, diagnostics)) {
  std::string text;
  if (!read_text_file(path, &text)) {
    diagnostics.error({path, 0, 0}, unreadable);
    return std::nullopt;
  }
  return parse(text, path, diagnostics);
}

inline SourceLocation location_of(const std::string& file, const CsvRow& row, const CsvField& field) {
  return {file, row.line, field.column};
}

// Parses a whole field as a finite double; false otherwise.
bool parse_double(std::string_view text, double* value);

}  // namespace mfgsim
