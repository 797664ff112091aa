#include "sim/scenario/observations.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/core/calendar.h"
#include "sim/io/csv.h"
#include "sim/engine/series.h"

namespace mfgsim {

std::optional<std::vector<Observation>> read_observations(const std::string& path, Diagnostics& diagnostics) {
  return read_csv_file(path, diagnostics, "cannot read the file", parse_observations);
}

std::optional<std::vector<Observation>> parse_observations(std::string_view text, const std::string& path,
                                                           Diagnostics& diagnostics) {
  Diagnostics local;
  const std::vector<CsvRow> rows = split_csv(text, path, local);
  std::map<std::string, int> column;
  if (!rows.empty())
    for (std::size_t k = 0; k < rows[0].fields.size(); ++k) column[rows[0].fields[k].text] = static_cast<int>(k);
  const int month_column = column.count("month") ? column["month"] : column.count("period_end") ? column["period_end"] : -1;
  for (const char* required : {"series", "sector", "measure", "value"})
    if (!column.count(required)) local.error({path, 1, 1}, std::string("missing column '") + required + "'");
  // A column this reader would not read (a misspelt `source`) is an error, not silently dropped.
  static const std::set<std::string> known{"id",     "series",     "sector",    "measure", "month",
                                           "period_end", "value", "published", "source",  "note"};
  if (!rows.empty())
    for (const CsvField& name : rows[0].fields)
      if (!known.count(name.text))
        local.error(location_of(path, rows[0], name),
                    "unknown column '" + name.text +
                        "' (expected series, sector, measure, month or period_end, value; optional id, published, "
                        "source, note)");
  if (column.count("month") && column.count("period_end"))
    local.error(location_of(path, rows[0], rows[0].fields[column["period_end"]]),
                "both 'month' and 'period_end': give one");
  if (month_column < 0) local.error({path, 1, 1}, "missing column 'month' (or 'period_end')");
  std::vector<Observation> out;
  std::map<std::string, int> seen;  // "variable|sector|month" -> its first line: one figure per period
  // Every row's problems are reported, once the header is usable.
  const bool header_ok = local.ok();
  for (std::size_t r = 1; header_ok && r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    auto field = [&](const std::string& name) -> const CsvField* {
      auto it = column.find(name);
      return it != column.end() && it->second < static_cast<int>(row.fields.size()) ? &row.fields[it->second] : nullptr;
    };
    const CsvField *series = field("series"), *sector = field("sector"), *measure = field("measure"),
                   *value = field("value"), *month = month_column < static_cast<int>(row.fields.size()) ? &row.fields[month_column] : nullptr;
    if (row.fields.size() != rows[0].fields.size()) {
      const bool extra = row.fields.size() > rows[0].fields.size();
      local.error(extra ? location_of(path, row, row.fields[rows[0].fields.size()]) : SourceLocation{path, row.line, 1},
                  "expected " + std::to_string(rows[0].fields.size()) + " fields, as the header has, got " +
                      std::to_string(row.fields.size()) + (extra ? " (a comma in an unquoted field?)" : ""));
      continue;
    }
    Observation obs;
    obs.where = {path, row.line, 1};
    obs.series_where = location_of(path, row, *series);
    obs.sector_where = location_of(path, row, *sector);
    if (const CsvField* id = field("id")) obs.id = id->text;
    if (const CsvField* source = field("source")) obs.source = source->text;
    obs.sector = sector->text;
    const std::string& m = measure->text;
    const std::string base = series->text;
    if (const CsvField* published = field("published"); published && !published->text.empty()) {
      obs.published = published->text;
      const std::optional<YearMonth> ym = parse_year_month(month->text);
      if (!valid_date(obs.published))
        local.error(location_of(path, row, *published), "expected a date YYYY-MM-DD, got '" + obs.published + "'");
      else if (ym && obs.published < format_year_month(add_months(*ym, 1)) + "-01")
        local.error(location_of(path, row, *published),
                    "published " + obs.published + " before the period " + month->text + " ended");
    }
    if (base == "va_industry" || base == "mining_va") {
      if (base == "va_industry" && obs.sector.empty())
        local.error(location_of(path, row, *sector), "'va_industry' needs the industry's name in `sector`");
      if (m != "ytd_yoy" && m != "yoy" && m != "level")
        local.error(location_of(path, row, *measure), "unknown measure '" + m + "' (expected ytd_yoy, yoy or level)");
      obs.industry = base == "va_industry" ? base + "/" + obs.sector : base;
      obs.variable.clear();
    } else if (m == "ytd_yoy") obs.variable = base + "_ytd_yoy";
    else if (m == "yoy") obs.variable = base + "_yoy";
    else if (m == "level") obs.variable = base;
    else {
      local.error(location_of(path, row, *measure), "unknown measure '" + m + "' (expected ytd_yoy, yoy or level)");
      continue;
    }
    if (obs.modelled() && !is_known_series(obs.variable))
      local.error(location_of(path, row, *series),
                  "'" + base + "' with measure '" + m + "' is not a reported series ('" + obs.variable + "')");
    if (!parse_year_month(month->text))
      local.error(location_of(path, row, *month), "expected a month YYYY-MM, got '" + month->text + "'");
    obs.month = month->text;
    const auto [first, fresh] = seen.emplace(base + '|' + m + '|' + obs.sector + '|' + obs.month, row.line);
    if (!fresh)
      local.error({path, row.line, 1}, "the same figure as line " + std::to_string(first->second) + " (series '" +
                                           base + "', sector '" + obs.sector + "', measure '" + m + "', month " +
                                           obs.month + "); keep one row per figure");
    if (!parse_double(value->text, &obs.value))
      local.error(location_of(path, row, *value), "expected a number, got '" + value->text + "'");
    out.push_back(std::move(obs));
  }
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  return out;
}

std::vector<Observation> modelled_only(const std::vector<Observation>& figures, const std::string& use,
                                       Diagnostics& diagnostics) {
  std::vector<Observation> kept;
  std::vector<const Observation*> left;
  for (const Observation& f : figures) {
    if (f.modelled()) kept.push_back(f);
    else left.push_back(&f);
  }
  if (!left.empty()) {
    std::string lines;
    for (std::size_t k = 0; k < left.size() && k < 8; ++k) lines += (k ? ", " : "") + std::to_string(left[k]->where.line);
    if (left.size() > 8) lines += ", ...";
    diagnostics.warn(left.front()->where, std::to_string(left.size()) +
                                              " figure(s) of industries that are not one model sector (" +
                                              left.front()->industry + " ...; line" + (left.size() > 1 ? "s " : " ") + lines +
                                              ") are not " + use);
  }
  return kept;
}

std::vector<Observation> merge_figures(const std::vector<std::vector<Observation>>& files, Diagnostics& diagnostics) {
  std::vector<Observation> out;
  for (const std::vector<Observation>& file : files)
    for (const Observation& o : file) {
      const auto first = std::find_if(out.begin(), out.end(), [&](const Observation& k) {
        return k.variable == o.variable && k.sector == o.sector && k.industry == o.industry && k.month == o.month;
      });
      if (first == out.end()) {
        out.push_back(o);
        continue;
      }
      if (first->value == o.value) continue;
      std::string figure = o.variable + ' ';
      if (!o.sector.empty()) figure += o.sector + ' ';
      if (!o.industry.empty()) figure += o.industry + ' ';
      // Shortest round-trip digits: two values that differ never print alike.
      diagnostics.error(o.where, fmt::format("{}{} is {} here but {} at {}:{}", figure, o.month, o.value, first->value,
                                             first->where.file, first->where.line));
    }
  return out;
}

std::vector<Observation> available_at(const std::vector<Observation>& figures, const std::string& origin,
                                      std::vector<Observation>* left_out) {
  const std::optional<YearMonth> ym = parse_year_month(origin);
  if (!ym) throw std::invalid_argument("available_at: expected an origin YYYY-MM, got '" + origin + "'");
  const std::string published_before = format_year_month(add_months(*ym, 2)) + "-01";
  std::vector<Observation> out;
  for (const Observation& f : figures) {
    const bool known = f.month <= origin && (f.published.empty() || f.published < published_before);
    if (known) out.push_back(f);
    else if (left_out) left_out->push_back(f);
  }
  return out;
}

}  // namespace mfgsim
