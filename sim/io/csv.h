// A small CSV tokenizer shared by every CSV reader (sector and input-output
// tables, summary.csv, targets and observed figures): comma separated,
// optional double quotes ("" inside quotes is a quote), blank lines skipped,
// fields trimmed, each field with the 1-based line and character column it
// starts at, for file:line:col messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"

namespace mfgsim {

struct CsvField {
  std::string text;
  int column = 1;  // 1-based character column where the field starts
};

struct CsvRow {
  int line = 0;  // 1-based
  std::vector<CsvField> fields;
};

// Splits CSV text into non-blank rows; reports unterminated quotes and text
// after a closing quote as errors at their place in `file`.
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
