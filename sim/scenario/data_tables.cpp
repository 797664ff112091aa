#include "sim/scenario/data_tables.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "models/parameters.h"
#include "sim/io/csv.h"
#include "sim/core/text.h"
#include "sim/core/range.h"

namespace mfgsim {
namespace {

SourceLocation at(const std::string& file, const CsvRow& row, const CsvField& field) {
  return {file, row.line, field.column};
}

// The location of the end of a row (for missing fields).
SourceLocation end_of(const std::string& file, const CsvRow& row) {
  const CsvField& last = row.fields.back();
  return {file, row.line, last.column + static_cast<int>(last.text.size())};
}

// A row with as many fields as the header; otherwise an error at the first
// extra field or at the end of the short row.
bool has_header_width(const std::string& file, const CsvRow& header, const CsvRow& row, Diagnostics& diagnostics) {
  if (row.fields.size() == header.fields.size()) return true;
  diagnostics.error(row.fields.size() < header.fields.size() ? end_of(file, row)
                                                             : at(file, row, row.fields[header.fields.size()]),
                    "expected " + std::to_string(header.fields.size()) + " fields, got " +
                        std::to_string(row.fields.size()));
  return false;
}

bool valid_sector_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

}  // namespace

std::optional<SectorTableFile> parse_sector_table(std::string_view text, const std::string& file,
                                                  Diagnostics& diagnostics) {
  Diagnostics local;
  std::vector<CsvRow> rows = split_csv(text, file, local);
  if (rows.empty()) {
    local.error({file, 1, 1}, "the sector table is empty (expected a header line and one row per sector)");
    diagnostics.append(local);
    return std::nullopt;
  }

  // Header: `name` plus every sector field, in any order.
  std::vector<std::string> known = {"name"};
  for (const SectorFieldInfo& f : sector_fields()) known.emplace_back(f.column);
  const CsvRow& header = rows.front();
  std::vector<const SectorFieldInfo*> fields(header.fields.size(), nullptr);
  std::map<std::string, int> seen;
  int name_column = -1;
  bool header_ok = true;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const CsvField& h = header.fields[c];
    if (seen.count(h.text)) {
      local.error(at(file, header, h), "duplicate column `" + h.text + "`");
      header_ok = false;
      continue;
    }
    seen[h.text] = static_cast<int>(c);
    if (h.text == "name") {
      name_column = static_cast<int>(c);
    } else if (const SectorFieldInfo* f = find_sector_field(h.text)) {
      fields[c] = f;
    } else {
      local.error(at(file, header, h), "unknown column `" + h.text + "`" + did_you_mean(h.text, known));
      header_ok = false;
    }
  }
  for (const std::string& column : known) {
    if (!seen.count(column)) {
      local.error({file, header.line, 1}, "missing column `" + column + "`");
      header_ok = false;
    }
  }
  if (!header_ok) {
    diagnostics.append(local);
    return std::nullopt;
  }

  SectorTableFile out;
  out.header_line = header.line;
  for (const CsvField& h : header.fields) {
    out.header.push_back(h.text);
    out.header_columns.push_back(h.column);
  }
  SectorTable& table = out.table;
  std::map<std::string, int> name_lines;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (!has_header_width(file, header, row, local)) continue;
    const CsvField& name = row.fields[name_column];
    if (name.text.empty()) {
      local.error(at(file, row, name), "empty sector name (every row names its sector in column `name`)");
    } else if (!valid_sector_name(name.text)) {
      local.error(at(file, row, name), "a sector name is made of letters, digits, `_` and `-` (got '" +
                                           name.text + "')");
    } else if (name_lines.count(name.text)) {
      local.error(at(file, row, name), "duplicate sector `" + name.text + "` (first at line " +
                                           std::to_string(name_lines[name.text]) + ")");
    }
    name_lines.emplace(name.text, row.line);
    table.names.push_back(name.text);
    out.row_lines.push_back(row.line);
    out.field_columns.emplace_back();
    for (const CsvField& field : row.fields) out.field_columns.back().push_back(field.column);
    for (std::size_t c = 0; c < row.fields.size(); ++c) {
      const SectorFieldInfo* f = fields[c];
      if (!f) continue;
      const CsvField& field = row.fields[c];
      std::optional<double> x = parse_number(field.text);
      double value = 0.0;
      if (!x) {
        local.error(at(file, row, field), "column `" + std::string(f->column) + "`: expected a number, got '" +
                                              field.text + "'");
      } else if (f->integer && std::floor(*x) != *x) {
        local.error(at(file, row, field),
                    "column `" + std::string(f->column) + "` must be a whole number (got " + field.text + ")");
      } else if (!f->range.contains(*x)) {
        local.error(at(file, row, field), "column `" + std::string(f->column) + "` must be " +
                                              range_requirement(f->range) + " (got " + field.text + ")");
      } else {
        value = *x;
      }
      (table.*(f->field)).push_back(value);
    }
  }
  if (table.names.empty() && local.ok()) local.error({file, header.line, 1}, "the sector table has no sectors");
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  return out;
}

SourceLocation SectorTableFile::location(const std::string& file, int sector, const std::string& column) const {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] != column) continue;
    if (sector < 0 || sector >= static_cast<int>(row_lines.size())) return {file, header_line, header_columns[c]};
    return {file, row_lines[sector], field_columns[sector][c]};
  }
  return {file, sector >= 0 && sector < static_cast<int>(row_lines.size()) ? row_lines[sector] : 1, 1};
}

std::optional<SectorTableFile> read_sector_table(const std::string& path, Diagnostics& diagnostics,
                                                 const SourceLocation& referenced_from) {
  std::string text;
  if (!read_text_file(path, &text)) {
    diagnostics.error(referenced_from.file.empty() ? SourceLocation{path, 0, 0} : referenced_from,
                      "cannot read sector table `" + path + "`");
    return std::nullopt;
  }
  return parse_sector_table(text, path, diagnostics);
}

std::optional<Eigen::MatrixXd> parse_io_table(std::string_view text, const std::string& file,
                                              const std::vector<std::string>& sectors, Diagnostics& diagnostics,
                                              IoTableLayout* layout) {
  Diagnostics local;
  std::vector<CsvRow> rows = split_csv(text, file, local);
  const int S = static_cast<int>(sectors.size());
  auto index_of = [&](const std::string& name) {
    for (int i = 0; i < S; ++i)
      if (sectors[i] == name) return i;
    return -1;
  };
  if (rows.empty()) {
    local.error({file, 1, 1}, "the input-output table is empty (expected a header line and one row per sector)");
    diagnostics.append(local);
    return std::nullopt;
  }
  const CsvRow& header = rows.front();
  std::vector<int> column_sector(header.fields.size(), -1);
  std::vector<int> column_of_sector(S, -1);
  bool header_ok = true;
  if (header.fields.front().text != "supplier") {
    local.error(at(file, header, header.fields.front()),
                "the first column must be `supplier` (got '" + header.fields.front().text + "')");
    header_ok = false;
  }
  for (std::size_t c = 1; c < header.fields.size(); ++c) {
    const CsvField& h = header.fields[c];
    int i = index_of(h.text);
    if (i < 0) {
      local.error(at(file, header, h), "unknown sector `" + h.text + "`" + did_you_mean(h.text, sectors));
      header_ok = false;
    } else if (column_of_sector[i] >= 0) {
      local.error(at(file, header, h), "duplicate column `" + h.text + "`");
      header_ok = false;
    } else {
      column_of_sector[i] = static_cast<int>(c);
      column_sector[c] = i;
    }
  }
  for (int i = 0; i < S; ++i) {
    if (column_of_sector[i] < 0) {
      local.error({file, header.line, 1}, "missing column for sector `" + sectors[i] + "`");
      header_ok = false;
    }
  }
  if (!header_ok) {
    diagnostics.append(local);
    return std::nullopt;
  }

  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(S, S);
  std::vector<int> row_of_sector(S, -1);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (!has_header_width(file, header, row, local)) continue;
    const CsvField& supplier = row.fields.front();
    int i = index_of(supplier.text);
    if (i < 0) {
      local.error(at(file, row, supplier), "unknown sector `" + supplier.text + "`" +
                                               did_you_mean(supplier.text, sectors));
      continue;
    }
    if (row_of_sector[i] >= 0) {
      local.error(at(file, row, supplier), "duplicate row for sector `" + supplier.text + "` (first at line " +
                                               std::to_string(row_of_sector[i]) + ")");
      continue;
    }
    row_of_sector[i] = row.line;
    for (std::size_t c = 1; c < row.fields.size(); ++c) {
      const CsvField& field = row.fields[c];
      std::optional<double> x = parse_number(field.text);
      if (!x) {
        local.error(at(file, row, field), "expected a number, got '" + field.text + "'");
      } else if (*x < 0) {
        local.error(at(file, row, field), "input coefficient " + supplier.text + " -> " +
                                              sectors[column_sector[c]] + " must be >= 0 (got " + field.text + ")");
      } else {
        A(i, column_sector[c]) = *x;
      }
    }
  }
  for (int i = 0; i < S; ++i)
    if (row_of_sector[i] < 0) local.error({file, header.line, 1}, "missing row for sector `" + sectors[i] + "`");
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  if (layout) {
    layout->header_line = header.line;
    layout->column_of_sector.assign(S, 1);
    for (int i = 0; i < S; ++i) layout->column_of_sector[i] = header.fields[column_of_sector[i]].column;
    layout->row_line_of_sector = row_of_sector;
  }
  return A;
}

std::optional<Eigen::MatrixXd> read_io_table(const std::string& path, const std::vector<std::string>& sectors,
                                             Diagnostics& diagnostics, const SourceLocation& referenced_from,
                                             IoTableLayout* layout) {
  std::string text;
  if (!read_text_file(path, &text)) {
    diagnostics.error(referenced_from.file.empty() ? SourceLocation{path, 0, 0} : referenced_from,
                      "cannot read input-output table `" + path + "`");
    return std::nullopt;
  }
  return parse_io_table(text, path, sectors, diagnostics, layout);
}

}  // namespace mfgsim
