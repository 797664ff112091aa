#include "sim/analysis/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "sim/batch/batch.h"
#include "sim/core/calendar.h"
#include "sim/output/netcdf_output.h"
#include "sim/scenario/schema.h"
#include "sim/engine/series.h"
#include "sim/core/statistics.h"

namespace mfgsim {

PairedDifference paired_difference(const double* scenario, const double* baseline, std::int64_t n,
                                   bool higher_better) {
  PairedDifference out;
  std::vector<double> diffs;
  diffs.reserve(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
  double better = 0.0, sum = 0.0;
  for (std::int64_t m = 0; m < n; ++m) {
    if (std::isnan(scenario[m]) || std::isnan(baseline[m])) continue;
    const double d = scenario[m] - baseline[m];
    diffs.push_back(d);
    sum += d;
    const double tie = 1e-12 * std::max(std::abs(scenario[m]), std::abs(baseline[m]));
    if (std::abs(d) <= tie) better += 0.5;
    else if ((d > 0.0) == higher_better) better += 1.0;
  }
  out.pairs = static_cast<std::int64_t>(diffs.size());
  if (diffs.empty()) return out;
  const auto k = static_cast<double>(diffs.size());
  out.mean = sum / k;
  out.p_better = better / k;
  std::sort(diffs.begin(), diffs.end());
  out.median = quantile_sorted(diffs.data(), out.pairs, 0.50);
  out.p05 = quantile_sorted(diffs.data(), out.pairs, 0.05);
  out.p95 = quantile_sorted(diffs.data(), out.pairs, 0.95);
  return out;
}

bool higher_is_better(std::string_view series) { return series != "co2" && series != "energy"; }

std::vector<std::string> default_compare_months(const std::vector<std::string>& labels) {
  std::vector<std::string> months;
  if (labels.empty()) return months;
  const auto first = parse_year_month(labels.front());
  if (first) {
    const std::string june = format_year_month({first->year + 2, 6});
    if (std::find(labels.begin(), labels.end(), june) != labels.end()) months.push_back(june);
  }
  if (std::find(months.begin(), months.end(), labels.back()) == months.end()) months.push_back(labels.back());
  return months;
}

namespace {

double median_of(const double* values, std::int64_t n) {
  std::vector<double> v;
  for (std::int64_t m = 0; m < n; ++m)
    if (!std::isnan(values[m])) v.push_back(values[m]);
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  return quantile_sorted(v.data(), static_cast<std::int64_t>(v.size()), 0.5);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

namespace {

// Problems with the command's options print as "mfgsim: error: ...".
const SourceLocation kCommandLine{"mfgsim"};

std::string results_path(const CompareRequest& request) {
  return (std::filesystem::path(request.results_dir) / "results.nc").string();
}

// What a request selects in a results.nc: the baseline, the scenarios
// compared, the months and the series, as indices into the file's
// variables. Each name that is not in the file is a diagnostic.
struct CompareSelection {
  std::vector<std::string> scenarios, labels;  // the file's scenario names and month labels
  std::size_t base = 0;
  std::vector<std::size_t> compared, month_index;
  std::vector<std::string> months, series;
};

CompareSelection select(const CompareRequest& request, const NetcdfReader& file, const std::string& path,
                        Diagnostics& problems) {
  CompareSelection out;
  out.scenarios = file.strings("scenario");
  out.labels = file.strings("month_label");
  const std::vector<std::string>& scenarios = out.scenarios;
  const std::vector<std::string>& labels = out.labels;
  const std::size_t N = scenarios.size();
  // Baseline.
  if (!request.baseline.empty()) {
    const auto it = std::find(scenarios.begin(), scenarios.end(), request.baseline);
    if (it == scenarios.end())
      problems.error(kCommandLine, "--baseline: no scenario `" + request.baseline + "` in " + path +
                                       did_you_mean(request.baseline, scenarios));
    else
      out.base = static_cast<std::size_t>(it - scenarios.begin());
  } else {
    const auto it = std::find(scenarios.begin(), scenarios.end(), "baseline");
    out.base = it == scenarios.end() ? 0 : static_cast<std::size_t>(it - scenarios.begin());
  }

  // Scenarios compared.
  if (request.scenarios.empty()) {
    for (std::size_t s = 0; s < N; ++s)
      if (s != out.base) out.compared.push_back(s);
  } else {
    for (const std::string& name : request.scenarios) {
      const auto it = std::find(scenarios.begin(), scenarios.end(), name);
      if (it == scenarios.end()) {
        problems.error(kCommandLine, "--scenarios: no scenario `" + name + "` in " + path + did_you_mean(name, scenarios));
        continue;
      }
      const auto s = static_cast<std::size_t>(it - scenarios.begin());
      if (s != out.base && std::find(out.compared.begin(), out.compared.end(), s) == out.compared.end())
        out.compared.push_back(s);
    }
  }

  // Months.
  out.months = request.months.empty() ? default_compare_months(labels) : request.months;
  for (const std::string& month : out.months) {
    if (!parse_year_month(month)) {
      problems.error(kCommandLine, "--at: expected a month YYYY-MM, got '" + month + "'");
      continue;
    }
    const auto it = std::find(labels.begin(), labels.end(), month);
    if (it == labels.end()) {
      problems.error(kCommandLine,
                     "--at: " + month + " is outside the run (" + labels.front() + " to " + labels.back() + ")");
      continue;
    }
    out.month_index.push_back(static_cast<std::size_t>(it - labels.begin()));
  }

  // Series: those with member values.
  std::vector<std::string> available;
  for (AggregateSeries a : headline_member_series()) {
    const std::string name(series_name(a));
    if (file.has_variable(name + "_members")) available.push_back(name);
  }
  for (int a = 0; a < kAggregateSeriesCount; ++a) {
    const std::string name(series_name(static_cast<AggregateSeries>(a)));
    if (file.has_variable(name + "_members") && std::find(available.begin(), available.end(), name) == available.end())
      available.push_back(name);
  }
  out.series = request.series.empty() ? available : request.series;
  for (const std::string& name : out.series)
    if (std::find(available.begin(), available.end(), name) == available.end())
      problems.error(kCommandLine, "--series: no member values of `" + name + "` in " + path + " (available: " +
                                       join(available) + ")" + did_you_mean(name, available));
  return out;
}

}  // namespace

Diagnostics validate_compare_request(const CompareRequest& request) {
  Diagnostics problems;
  const std::string path = results_path(request);
  if (!std::filesystem::exists(path)) {
    problems.error(kCommandLine, path + " not found: compare reads the results.nc of a `mfgsim batch` output folder");
    return problems;
  }
  const NetcdfReader file(path);
  if (!file.has_dimension("member")) {
    problems.error(kCommandLine, path + " holds no member values (no `member` dimension)");
    return problems;
  }
  select(request, file, path, problems);
  return problems;
}

Comparison compare_batch(const CompareRequest& request) {
  const std::string path = results_path(request);
  NetcdfReader file(path);
  Diagnostics problems;
  if (!file.has_dimension("member")) problems.error(kCommandLine, path + " holds no member values (no `member` dimension)");
  const CompareSelection selection = problems.ok() ? select(request, file, path, problems) : CompareSelection{};
  if (!problems.ok())
    throw std::invalid_argument("compare_batch: a request validate_compare_request rejects:\n" + problems.format());
  const std::vector<std::string>& scenarios = selection.scenarios;
  const std::vector<std::string> sweeps = file.strings("sweep");
  const std::vector<double> counts = file.doubles("member_count");
  const std::vector<double> seeds = file.doubles("seed");
  const std::vector<double> stochastic = file.doubles("stochastic");
  const std::size_t M = file.dimension("member"), T = selection.labels.size();
  const std::size_t base = selection.base;
  const std::vector<std::size_t>& compared = selection.compared;
  const std::vector<std::size_t>& month_index = selection.month_index;

  Comparison out;
  out.baseline = scenarios[base];
  out.months = selection.months;
  out.series = selection.series;
  std::vector<double> parameter_values;  // [scenario][parameter]
  if (file.has_variable("parameter")) {
    out.parameters = file.strings("parameter");
    parameter_values = file.doubles("parameter_value");
  }

  // Caveats on pairing.
  for (std::size_t s : compared) {
    if (seeds[s] != seeds[base] || stochastic[s] != stochastic[base]) {
      out.notes.push_back("`" + scenarios[s] + "` and `" + out.baseline +
                          "` differ in seed or stochastic setting: their members are not paired, and the "
                          "differences are those of independent draws");
    } else if (counts[s] != counts[base]) {
      out.notes.push_back("`" + scenarios[s] + "` has " + format_number(counts[s]) + " members and `" + out.baseline +
                          "` " + format_number(counts[base]) + ": the first " +
                          format_number(std::min(counts[s], counts[base])) + " are compared");
    }
  }

  for (const std::string& name : out.series) {
    const std::string var = name + "_members";
    const std::string unit = file.text_attribute(var, "units");
    const bool higher = higher_is_better(name);
    const std::vector<double> baseline = file.doubles(var, {base, 0, 0}, {1, T, M});
    std::vector<std::vector<ComparisonRow>> by_month(out.months.size());
    for (std::size_t s : compared) {
      const std::vector<double> values = file.doubles(var, {s, 0, 0}, {1, T, M});
      const auto pairs = static_cast<std::int64_t>(std::min(counts[s], counts[base]));
      for (std::size_t k = 0; k < month_index.size(); ++k) {
        const std::size_t t = month_index[k];
        ComparisonRow row;
        row.series = name;
        row.month = out.months[k];
        row.scenario = scenarios[s];
        row.sweep = sweeps[s];
        row.unit = unit;
        row.higher_better = higher;
        row.difference = paired_difference(values.data() + t * M, baseline.data() + t * M, pairs, higher);
        row.baseline_median = median_of(baseline.data() + t * M, static_cast<std::int64_t>(counts[base]));
        row.scenario_median = median_of(values.data() + t * M, static_cast<std::int64_t>(counts[s]));
        const std::size_t P = out.parameters.size();
        row.parameters.assign(parameter_values.begin() + static_cast<std::ptrdiff_t>(s * P),
                              parameter_values.begin() + static_cast<std::ptrdiff_t>((s + 1) * P));
        by_month[k].push_back(std::move(row));
      }
    }
    for (std::vector<ComparisonRow>& rows : by_month) {
      // Rank by median difference in the better direction; then P(better);
      // then batch order (stable sort).
      std::vector<ComparisonRow*> order;
      for (ComparisonRow& r : rows)
        if (r.difference.pairs > 0) order.push_back(&r);
      std::stable_sort(order.begin(), order.end(), [&](const ComparisonRow* a, const ComparisonRow* b) {
        const double da = higher ? a->difference.median : -a->difference.median;
        const double db = higher ? b->difference.median : -b->difference.median;
        if (da != db) return da > db;
        return a->difference.p_better > b->difference.p_better;
      });
      for (std::size_t k = 0; k < order.size(); ++k) order[k]->rank = static_cast<int>(k + 1);
      for (ComparisonRow& r : rows) out.rows.push_back(std::move(r));
    }
  }
  return out;
}

namespace {

std::string number(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

}  // namespace

void write_comparison_csv(std::ostream& out, const Comparison& c) {
  out << "series,month,scenario,sweep,baseline,unit,better,pairs,median,p05,p95,mean,p_better,rank,baseline_median,"
         "scenario_median\n";
  for (const ComparisonRow& r : c.rows) {
    const PairedDifference& d = r.difference;
    out << fmt::format("{},{},{},{},{},\"{}\",{},{},{},{},{},{},{},{},{},{}\n", r.series, r.month, r.scenario, r.sweep,
                       c.baseline, r.unit, r.higher_better ? "higher" : "lower", d.pairs, number(d.median),
                       number(d.p05), number(d.p95), number(d.mean), number(d.p_better),
                       r.rank > 0 ? std::to_string(r.rank) : std::string(), number(r.baseline_median),
                       number(r.scenario_median));
  }
}

std::string comparison_table(const Comparison& c, int top) {
  std::string out = fmt::format(
      "Paired differences, scenario - {} (member k of every scenario drew the same random numbers);\n"
      "median [p05, p95] of the differences and P(better): the share of members where the scenario beats\n"
      "the baseline (higher is better except for co2 and energy).\n",
      c.baseline);
  for (const std::string& note : c.notes) out += "note: " + note + "\n";
  bool sweeps = false;
  for (const ComparisonRow& r : c.rows) sweeps = sweeps || !r.sweep.empty();
  if (sweeps && !c.parameters.empty()) {
    out += "sweep samples' parameters: (";
    for (std::size_t k = 0; k < c.parameters.size(); ++k) out += (k ? ", " : "") + c.parameters[k];
    out += ")\n";
  }
  for (const std::string& series : c.series)
    for (const std::string& month : c.months) {
      std::vector<const ComparisonRow*> rows;
      for (const ComparisonRow& r : c.rows)
        if (r.series == series && r.month == month) rows.push_back(&r);
      if (rows.empty()) continue;
      const bool ratio = rows.front()->unit == "1";
      const double scale = ratio ? 100.0 : 1.0;
      const std::string unit = ratio ? "percentage points" : rows.front()->unit;
      std::stable_sort(rows.begin(), rows.end(), [](const ComparisonRow* a, const ComparisonRow* b) {
        return (a->rank == 0 ? 1 << 30 : a->rank) < (b->rank == 0 ? 1 << 30 : b->rank);
      });
      out += fmt::format("\n{} at {} ({} is better; {}); baseline median {}\n", series, month,
                         rows.front()->higher_better ? "higher" : "lower", unit,
                         std::isnan(rows.front()->baseline_median)
                             ? std::string("undefined")
                             : fmt::format("{:.4g}", scale * rows.front()->baseline_median));
      out += fmt::format("  {:>4}  {:<32} {:>10}  {:>23}  {:>9}\n", "rank", "scenario", "median", "[p05, p95]", "P(better)");
      std::size_t hidden = 0;
      for (const ComparisonRow* r : rows) {
        if (!(r->rank > 0 && r->rank <= top) && !r->sweep.empty() && top > 0) {
          ++hidden;
          continue;
        }
        const PairedDifference& d = r->difference;
        if (d.pairs == 0) {
          out += fmt::format("  {:>4}  {:<32} {:>10}\n", "—", r->scenario, "undefined");
          continue;
        }
        std::string values;
        if (!r->sweep.empty()) {
          for (std::size_t k = 0; k < r->parameters.size(); ++k)
            values += (k ? ", " : "") + fmt::format("{:.4g}", r->parameters[k]);
          values = "  (" + values + ")";
        }
        out += fmt::format("  {:>4}  {:<32} {:>10.4g}  {:>23}  {:>9.2f}{}\n", r->rank, r->scenario, scale * d.median,
                           fmt::format("[{:.4g}, {:.4g}]", scale * d.p05, scale * d.p95), d.p_better, values);
      }
      if (hidden > 0) out += fmt::format("  ... and {} more sweep samples (compare.csv has every row)\n", hidden);
    }
  return out;
}

}  // namespace mfgsim
