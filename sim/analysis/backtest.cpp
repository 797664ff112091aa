#include "sim/analysis/backtest.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "sim/core/calendar.h"
#include "sim/io/csv.h"
#include "sim/core/text.h"

namespace mfgsim {

namespace {

std::string shortest(double x) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}



}  // namespace

std::optional<MemberValues> read_member_values(const std::string& path, const std::vector<CellKey>& wanted,
                                               Diagnostics& diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error({path, 0, 0}, "cannot read the file");
    return std::nullopt;
  }
  const std::set<CellKey> wanted_set(wanted.begin(), wanted.end());
  MemberValues values;
  static const char* kHeader[] = {"scenario", "member", "month", "sector", "variable", "value"};
  Diagnostics local;
  bool header = true;
  CellKey key;
  // Read in blocks: a members.csv can be far larger than memory.
  CsvReader reader(path, local, [&](CsvRow& row) {
    if (!local.ok()) return;
    const std::vector<CsvField>& fields = row.fields;
    if (header) {
      header = false;
      bool ok = fields.size() == 6;
      for (int k = 0; ok && k < 6; ++k) ok = fields[k].text == kHeader[k];
      if (!ok)
        local.error({path, row.line, 1}, "expected the header scenario,member,month,sector,variable,value "
                                         "(a members.csv written by mfgsim run --keep-members)");
      return;
    }
    if (fields.size() != 6) {
      local.error({path, row.line, 1}, "expected 6 fields, got " + std::to_string(fields.size()));
      return;
    }
    std::get<0>(key) = fields[0].text;
    std::get<1>(key) = fields[4].text;
    std::get<2>(key) = fields[3].text;
    std::get<3>(key) = fields[2].text;
    if (!wanted_set.count(key) || fields[5].text.empty()) return;
    double x = 0.0;
    if (!parse_double(fields[5].text, &x)) {
      local.error(location_of(path, row, fields[5]), "expected a number in column 'value', got '" + fields[5].text + "'");
      return;
    }
    values[key].push_back(x);
  });
  std::string block(1 << 16, '\0');
  while (local.ok() && in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    reader.feed(std::string_view(block.data(), static_cast<std::size_t>(in.gcount())));
  }
  reader.finish();
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  return values;
}

double crps_ensemble(std::vector<double> members, double y) {
  const std::size_t n = members.size();
  if (n == 0) return std::nan("");
  std::sort(members.begin(), members.end());
  double to_observation = 0.0, spread = 0.0;
  // sum_i sum_j |x_i - x_j| = 2 sum_i (2i - n + 1) x_(i), i = 0 .. n-1, sorted.
  for (std::size_t i = 0; i < n; ++i) {
    to_observation += std::abs(members[i] - y);
    spread += (2.0 * static_cast<double>(i) - static_cast<double>(n) + 1.0) * members[i];
  }
  const double dn = static_cast<double>(n);
  return to_observation / dn - spread / (dn * dn);
}

std::vector<CellKey> backtest_cells(const std::vector<SummaryRecord>& summary, const std::vector<Observation>& observed) {
  std::vector<std::string> scenarios;
  for (const SummaryRecord& r : summary)
    if (std::find(scenarios.begin(), scenarios.end(), r.scenario) == scenarios.end()) scenarios.push_back(r.scenario);
  std::vector<CellKey> cells;
  for (const std::string& s : scenarios)
    for (const Observation& o : observed) cells.emplace_back(s, o.variable, o.sector, o.month);
  return cells;
}

BacktestReport backtest(const std::vector<SummaryRecord>& summary, const std::vector<Observation>& observed,
                        const MemberValues* members) {
  BacktestReport report;
  report.have_members = members != nullptr;
  std::map<CellKey, const SummaryRecord*> cells;
  std::vector<std::string> scenarios;
  std::map<std::string, std::pair<std::string, std::string>> span;  // scenario -> first, last month
  for (const SummaryRecord& r : summary) {
    cells[{r.scenario, r.variable, r.sector, r.month}] = &r;
    auto [it, inserted] = span.emplace(r.scenario, std::pair{r.month, r.month});
    if (inserted) scenarios.push_back(r.scenario);
    it->second.first = std::min(it->second.first, r.month);  // YYYY-MM sorts as text
    it->second.second = std::max(it->second.second, r.month);
  }
  for (const std::string& scenario : scenarios) {
    BacktestScores scores;
    scores.scenario = scenario;
    double abs_sum = 0.0, square_sum = 0.0, crps_sum = 0.0;
    int covered = 0, with_crps = 0;
    const auto& [first, last] = span[scenario];
    for (const Observation& obs : observed) {
      const CellKey key{scenario, obs.variable, obs.sector, obs.month};
      auto it = cells.find(key);
      if (it == cells.end() || !it->second->defined) {
        std::string reason;
        if (!obs.modelled()) reason = "not one model sector (" + obs.industry + ")";
        else if (obs.month < first || obs.month > last) reason = "outside the run (" + first + " to " + last + ")";
        else if (it != cells.end()) reason = "undefined in the run (the growth rate needs months before its start)";
        else reason = "not in the results (series or sector not written)";
        report.skipped.push_back({scenario, obs, reason});
        continue;
      }
      const SummaryRecord& rec = *it->second;
      BacktestRow row;
      row.scenario = scenario;
      row.observation = obs;
      row.p05 = rec.quantiles[0];
      row.median = rec.quantiles[2];
      row.p95 = rec.quantiles[4];
      row.miss_points = 100.0 * (row.median - obs.value);
      row.covered = row.p05 <= obs.value && obs.value <= row.p95;
      if (members) {
        auto m = members->find(key);
        if (m != members->end() && !m->second.empty()) {
          row.crps_points = 100.0 * crps_ensemble(m->second, obs.value);
          row.members = static_cast<int>(m->second.size());
        }
      }
      ++scores.figures;
      abs_sum += std::abs(row.miss_points);
      square_sum += row.miss_points * row.miss_points;
      covered += row.covered;
      if (row.crps_points) {
        crps_sum += *row.crps_points;
        ++with_crps;
      }
      report.rows.push_back(std::move(row));
    }
    if (scores.figures > 0) {
      const double n = scores.figures;
      scores.mae_points = abs_sum / n;
      scores.rmse_points = std::sqrt(square_sum / n);
      scores.coverage = covered / n;
      if (with_crps == scores.figures) scores.crps_points = crps_sum / n;
    }
    report.scores.push_back(scores);
  }
  return report;
}

std::string backtest_csv(const BacktestReport& report) {
  std::string out =
      "scenario,variable,sector,month,observed,median,p05,p95,miss_points,inside_p05_p95,crps_points,members,source\n";
  for (const BacktestRow& r : report.rows) {
    const Observation& o = r.observation;
    out += csv_field(r.scenario) + "," + o.variable + "," + csv_field(o.sector) + "," + o.month + "," + shortest(o.value) +
           "," + shortest(r.median) + "," + shortest(r.p05) + "," + shortest(r.p95) + "," + shortest(r.miss_points) + "," +
           (r.covered ? "1" : "0") + "," + (r.crps_points ? shortest(*r.crps_points) : "") + "," +
           (r.crps_points ? std::to_string(r.members) : "") + "," + csv_field(o.source) + "\n";
  }
  return out;
}

std::string backtest_scores_csv(const BacktestReport& report) {
  std::string out = "scenario,figures,mae_points,rmse_points,coverage_p05_p95,crps_points\n";
  for (const BacktestScores& s : report.scores)
    out += csv_field(s.scenario) + "," + std::to_string(s.figures) + "," +
           (s.figures ? shortest(s.mae_points) + "," + shortest(s.rmse_points) + "," + shortest(s.coverage) : ",,") + "," +
           (s.crps_points ? shortest(*s.crps_points) : "") + "\n";
  return out;
}

std::string backtest_table(const BacktestReport& report) {
  std::string out;
  int name_width = 8;
  for (const BacktestRow& r : report.rows)
    name_width = std::max(name_width, static_cast<int>(r.observation.variable.size() + 1 + r.observation.sector.size()));
  for (const BacktestScores& s : report.scores) {
    out += format_line("%s\n%-*s  %-7s  %9s  %8s  %17s  %8s  %6s  %6s\n", s.scenario.c_str(), name_width, "figure", "month",
                       "observed", "median", "[p05, p95]", "miss", "inside", "CRPS");
    for (const BacktestRow& r : report.rows) {
      if (r.scenario != s.scenario) continue;
      const Observation& o = r.observation;
      const std::string name = o.variable + (o.sector.empty() ? "" : " " + o.sector);
      const std::string band = format_line("[%.2f, %.2f]", 100 * r.p05, 100 * r.p95);
      const std::string crps = r.crps_points ? format_line("%.2f", *r.crps_points) : std::string("-");
      out += format_line("%-*s  %-7s  %9.2f  %8.2f  %17s  %+8.2f  %6s  %6s\n", name_width, name.c_str(), o.month.c_str(),
                         100 * o.value, 100 * r.median, band.c_str(), r.miss_points, r.covered ? "yes" : "no",
                         crps.c_str());
    }
    if (s.figures == 0) {
      out += "no observed figure lies inside the run\n\n";
      continue;
    }
    out += format_line("%d figures (percentage points): MAE %.3f, RMSE %.3f, coverage of [p05, p95] %.0f%%, CRPS %s\n\n",
                       s.figures, s.mae_points, s.rmse_points, 100 * s.coverage,
                       s.crps_points ? format_line("%.3f", *s.crps_points).c_str()
                       : report.have_members
                           ? "- (members.csv lacks some of these cells)"
                           : "- (needs members.csv: run with --keep-members)");
  }
  if (!report.skipped.empty()) {
    out += format_line("%zu observed figure(s) not scored:\n", report.skipped.size());
    for (const BacktestSkip& k : report.skipped) {
      const Observation& o = k.observation;
      out += format_line("  %s: %s %s: %s\n", k.scenario.c_str(), o.label().c_str(), o.month.c_str(), k.reason.c_str());
    }
  }
  return out;
}

}  // namespace mfgsim
