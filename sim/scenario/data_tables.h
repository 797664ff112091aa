// The data files a scenario names: the sector table (data/sectors.csv) and
// the input-output coefficients (data/io_coefficients.csv). Both are plain
// CSV (comma separated, optional double quotes, a header line); problems are
// reported as `file:line:col: error: message`, col being the 1-based
// character column where the offending field starts.
//
// Sector table: a `name` column plus exactly the columns of sector_fields()
// (models/parameters.h), in any order, one row per sector. Names are unique
// and made of letters, digits, `_` and `-`; every value is a number within
// its column's range, a whole number where the column is `integer`.
//
// Input-output table: first column `supplier`, then one column per sector;
// one row per sector. Rows and columns name exactly the sectors of the
// sector table (each once; matched by name, so in any order); the matrix is
// returned in the sector table's order, A(i, j) = input from sector i per
// unit of gross output of sector j. Values are finite and >= 0.
//
// Checks that need both tables and the scenario's overrides (each column of
// A sums below 1 - v, capital_goods_share sums to at most 1, a
// manufacturing sector also counts in industry, ...) are the model's
// (models/validate.h); the scenario reader reports them at the table cell
// concerned, with the positions kept here.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"
#include "models/model_params.h"

namespace mfgsim {

struct SectorTableFile {
  SectorTable table;
  std::vector<int> row_lines;  // 1-based line of each sector's row in the file
  int header_line = 1;
  std::vector<std::string> header;                // column names, as in the file
  std::vector<int> header_columns;                // 1-based character column of each header field
  std::vector<std::vector<int>> field_columns;    // [sector][header index]: where each value starts

  // Where sector `sector`'s value of `column` is written; with sector < 0,
  // the column's header. Line 1, column 1 of `file` if `column` is unknown.
  SourceLocation location(const std::string& file, int sector, const std::string& column) const;
};

// Where each sector's column and row of the input-output table are (in the
// sector table's order), for messages about them.
struct IoTableLayout {
  int header_line = 1;
  std::vector<int> column_of_sector;  // 1-based character column of the sector's header field
  std::vector<int> row_line_of_sector;
};

// Parses sector-table text; `file` names it in messages. nullopt on error.
std::optional<SectorTableFile> parse_sector_table(std::string_view text, const std::string& file,
                                                  Diagnostics& diagnostics);
// Reads a sector-table file; a file that cannot be read is an error at
// `referenced_from` (the scenario node naming it; the path itself if empty).
std::optional<SectorTableFile> read_sector_table(const std::string& path, Diagnostics& diagnostics,
                                                 const SourceLocation& referenced_from = {});

// `layout`, if given, receives where each sector's column and row are.
std::optional<Eigen::MatrixXd> parse_io_table(std::string_view text, const std::string& file,
                                              const std::vector<std::string>& sectors, Diagnostics& diagnostics,
                                              IoTableLayout* layout = nullptr);
std::optional<Eigen::MatrixXd> read_io_table(const std::string& path, const std::vector<std::string>& sectors,
                                             Diagnostics& diagnostics, const SourceLocation& referenced_from = {},
                                             IoTableLayout* layout = nullptr);

}  // namespace mfgsim
