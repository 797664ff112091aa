#include "sim/scenario/observations.h"

#include <cctype>
#include <map>

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
    if (!series || !sector || !measure || !value || !month) {
      local.error({path, row.line, 1}, "expected " + std::to_string(rows[0].fields.size()) + " fields");
      continue;
    }
    Observation obs;
    obs.where = {path, row.line, 1};
    if (const CsvField* id = field("id")) obs.id = id->text;
    if (const CsvField* source = field("source")) obs.source = source->text;
    obs.sector = sector->text;
    const std::string& m = measure->text;
    const std::string base = series->text;
    if (m == "ytd_yoy") obs.variable = base + "_ytd_yoy";
    else if (m == "yoy") obs.variable = base + "_yoy";
    else if (m == "level") obs.variable = base;
    else {
      local.error(location_of(path, row, *measure), "unknown measure '" + m + "' (expected ytd_yoy, yoy or level)");
      continue;
    }
    if (!is_known_series(obs.variable))
      local.error(location_of(path, row, *series),
                  "'" + base + "' with measure '" + m + "' is not a reported series ('" + obs.variable + "')");
    if (!parse_year_month(month->text))
      local.error(location_of(path, row, *month), "expected a month YYYY-MM, got '" + month->text + "'");
    obs.month = month->text;
    const auto [first, fresh] = seen.emplace(obs.variable + '|' + obs.sector + '|' + obs.month, row.line);
    if (!fresh)
      local.error({path, row.line, 1}, "the same figure as line " + std::to_string(first->second) + " (series '" +
                                           base + "', sector '" + obs.sector + "', measure '" + m + "', month " +
                                           obs.month + "); keep one row per figure");
    if (const CsvField* published = field("published")) {
      const std::string& date = published->text;
      int day = 0;
      if (date.size() != 10 || date[7] != '-' || !parse_year_month(date.substr(0, 7)) ||
          !std::isdigit(static_cast<unsigned char>(date[8])) || !std::isdigit(static_cast<unsigned char>(date[9])) ||
          (day = (date[8] - '0') * 10 + (date[9] - '0')) < 1 || day > 31)
        local.error(location_of(path, row, *published), "expected a date YYYY-MM-DD, got '" + date + "'");
      obs.published = date;
    }
    if (!parse_double(value->text, &obs.value))
      local.error(location_of(path, row, *value), "expected a number, got '" + value->text + "'");
    out.push_back(std::move(obs));
  }
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  return out;
}

}  // namespace mfgsim
