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
// sector table, in any order; the matrix is returned in the sector table's
// order, A(i, j) = input from sector i per unit of gross output of sector j.
// Values are finite and >= 0.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/model_params.h"

namespace mfgsim {

struct SectorTableFile {
  SectorTable table;
  std::vector<int> row_lines;  // 1-based line of each sector's row in the file
};

// Parses sector-table text; `file` names it in messages. nullopt on error.
std::optional<SectorTableFile> parse_sector_table(std::string_view text, const std::string& file,
                                                  Diagnostics& diagnostics);
// Reads a sector-table file; a file that cannot be read is an error at
// `referenced_from` (the scenario node naming it; the path itself if empty).
std::optional<SectorTableFile> read_sector_table(const std::string& path, Diagnostics& diagnostics,
                                                 const SourceLocation& referenced_from = {});

std::optional<Eigen::MatrixXd> parse_io_table(std::string_view text, const std::string& file,
                                              const std::vector<std::string>& sectors, Diagnostics& diagnostics);
std::optional<Eigen::MatrixXd> read_io_table(const std::string& path, const std::vector<std::string>& sectors,
                                             Diagnostics& diagnostics, const SourceLocation& referenced_from = {});

}  // namespace mfgsim
