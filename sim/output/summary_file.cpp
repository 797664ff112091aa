#include "sim/output/summary_file.h"

#include <limits>

#include "sim/io/csv.h"

namespace mfgsim {

std::optional<std::vector<SummaryRecord>> read_summary_csv(const std::string& path, Diagnostics& diagnostics) {
  return read_csv_file(path, diagnostics, "cannot read the file (expected a summary.csv written by mfgsim run)",
                       parse_summary_csv);
}

std::optional<std::vector<SummaryRecord>> parse_summary_csv(std::string_view text, const std::string& path,
                                                            Diagnostics& diagnostics) {
  Diagnostics local;
  const std::vector<CsvRow> rows = split_csv(text, path, local);
  static const char* kHeader[] = {"scenario", "month", "sector", "variable", "unit", "mean",
                                  "mean_se",  "p05",   "p25",    "p50",      "p75",  "p95"};
  constexpr int kColumns = 12;
  if (rows.empty() || rows[0].fields.size() != kColumns) {
    local.error({path, 1, 1},
                "expected the header scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95");
  } else {
    for (int k = 0; k < kColumns; ++k)
      if (rows[0].fields[k].text != kHeader[k])
        local.error(location_of(path, rows[0], rows[0].fields[k]),
                    std::string("expected column '") + kHeader[k] + "', got '" + rows[0].fields[k].text + "'");
  }
  std::vector<SummaryRecord> records;
  for (std::size_t r = 1; local.ok() && r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.fields.size() != kColumns) {
      local.error({path, row.line, 1}, "expected 12 fields, got " + std::to_string(row.fields.size()));
      break;
    }
    SummaryRecord rec{row.fields[0].text, row.fields[1].text, row.fields[2].text, row.fields[3].text,
                      row.fields[4].text};
    rec.defined = !row.fields[5].text.empty();
    if (rec.defined) {
      double* targets[7] = {&rec.mean,         &rec.mean_se,      &rec.quantiles[0], &rec.quantiles[1],
                            &rec.quantiles[2], &rec.quantiles[3], &rec.quantiles[4]};
      for (int k = 0; k < 7; ++k)
        if (k == 1 && row.fields[6].text.empty())
          rec.mean_se = std::numeric_limits<double>::quiet_NaN();  // one member: no standard error
        else if (!parse_double(row.fields[5 + k].text, targets[k]))
          local.error(location_of(path, row, row.fields[5 + k]), "expected a number, got '" + row.fields[5 + k].text + "'");
    }
    records.push_back(std::move(rec));
  }
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  return records;
}

}  // namespace mfgsim
