#include "sim/analysis/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
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

// "2021-01 to 2030-12"
std::string labels_span(const std::vector<std::string>& labels) {
  return labels.empty() ? std::string("no months") : labels.front() + " to " + labels.back();
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

std::string results_path(const std::string& dir) { return (std::filesystem::path(dir) / "results.nc").string(); }

// The aggregates with member values in a file: the headline ones first.
std::vector<std::string> member_series(const NetcdfReader& file) {
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
  return available;
}

// The scenarios compared, from one batch's results.nc or several runs'
// (one scenario each), with what pairs them.
struct CompareSource {
  std::vector<std::unique_ptr<NetcdfReader>> files;
  std::vector<std::string> dirs;                 // per file
  std::vector<std::size_t> file_of, index_in_file;  // per scenario
  std::vector<std::string> scenarios, sweeps, labels, parameters, series;
  std::vector<double> counts, seeds, stochastic, parameter_values;  // parameter_values [scenario][parameter]
  bool runs = false;  // run folders, not a batch
  // Member values of `var` for scenario s, [t * members(s) + m].
  std::vector<double> values(const std::string& var, std::size_t s) const {
    const NetcdfReader& file = *files[file_of[s]];
    return file.doubles(var, {index_in_file[s], 0, 0}, {1, labels.size(), file.dimension("member")});
  }
  std::size_t members(std::size_t s) const { return files[file_of[s]]->dimension("member"); }
};

// Opens the folders and checks they can be compared; nullopt (with the
// problems in `problems`) otherwise.
std::optional<CompareSource> open_source(const CompareRequest& request, Diagnostics& problems) {
  CompareSource out;
  const std::vector<std::string>& dirs = request.results_dirs;
  if (dirs.empty()) {
    problems.error(kCommandLine, "compare needs a batch folder, or two or more run folders");
    return std::nullopt;
  }
  for (const std::string& dir : dirs) {
    const std::string path = results_path(dir);
    if (!std::filesystem::exists(path)) {
      problems.error(kCommandLine, path + " not found: compare reads the results.nc of a `mfgsim batch` or "
                                          "`mfgsim run` output folder");
      continue;
    }
    auto file = std::make_unique<NetcdfReader>(path);
    const bool run = file->text_attribute("", "history").starts_with("mfgsim run ");
    if (!run && dirs.size() > 1) {
      problems.error(kCommandLine, dir + " is not the folder of a `mfgsim run`: compare takes one batch folder, "
                                         "or two or more run folders");
      continue;
    }
    if (run && dirs.size() == 1) {
      problems.error(kCommandLine, dir + " holds one `mfgsim run`: give two or more run folders (the first is the "
                                         "baseline), or a batch folder");
      continue;
    }
    if (!file->has_dimension("member") || member_series(*file).empty()) {
      problems.error(kCommandLine,
                     path + " holds no member values" +
                         (run ? ": re-run it with `mfgsim run SCENARIO --keep-members` (and the same --seed)"
                              : " (no `member` dimension)"));
      continue;
    }
    out.runs = run;
    out.dirs.push_back(dir);
    out.files.push_back(std::move(file));
  }
  if (!problems.ok()) return std::nullopt;
  for (std::size_t f = 0; f < out.files.size(); ++f) {
    const NetcdfReader& file = *out.files[f];
    const std::vector<std::string> names = file.strings("scenario");
    const std::vector<std::string> sweeps = file.strings("sweep");
    const std::vector<double> counts = file.doubles("member_count"), seeds = file.doubles("seed"),
                              stochastic = file.doubles("stochastic");
    for (std::size_t k = 0; k < names.size(); ++k) {
      const auto same = std::find(out.scenarios.begin(), out.scenarios.end(), names[k]);
      if (same != out.scenarios.end()) {
        problems.error(kCommandLine, out.dirs[out.file_of[static_cast<std::size_t>(same - out.scenarios.begin())]] +
                                         " and " + out.dirs[f] + " both hold scenario `" + names[k] +
                                         "`: compare scenarios with different names");
        continue;
      }
      out.file_of.push_back(f);
      out.index_in_file.push_back(k);
      out.scenarios.push_back(names[k]);
      out.sweeps.push_back(sweeps[k]);
      out.counts.push_back(counts[k]);
      out.seeds.push_back(seeds[k]);
      out.stochastic.push_back(stochastic[k]);
    }
    const std::vector<std::string> labels = file.strings("month_label");
    if (f == 0) {
      out.labels = labels;
      out.series = member_series(file);
      if (file.has_variable("parameter")) {
        out.parameters = file.strings("parameter");
        out.parameter_values = file.doubles("parameter_value");
      }
      continue;
    }
    // Runs pair with the first run only if member k of both drew the same numbers.
    const std::string pair = out.dirs[0] + " and " + out.dirs[f] + " cannot be paired member by member: ";
    auto differ = [&](const std::string& what, const std::string& a, const std::string& b, const std::string& fix) {
      problems.error(kCommandLine, pair + what + " differ (" + a + " and " + b + "); " + fix);
    };
    if (labels != out.labels)
      differ("months", labels_span(out.labels), labels_span(labels), "run both over the same months");
    if (out.stochastic[0] != stochastic[0])
      differ("stochastic settings", out.stochastic[0] != 0 ? "stochastic" : "deterministic",
             stochastic[0] != 0 ? "stochastic" : "deterministic", "run both the same way");
    else if (stochastic[0] != 0 && out.seeds[0] != seeds[0])
      differ("seeds", format_number(out.seeds[0]), format_number(seeds[0]), "run both with the same --seed");
    if (out.counts[0] != counts[0])
      differ("member counts", format_number(out.counts[0]), format_number(counts[0]),
             "run both with the same --members");
    std::vector<std::string> both;
    for (const std::string& name : out.series)
      if (file.has_variable(name + "_members")) both.push_back(name);
    out.series = both;
  }
  if (!problems.ok()) return std::nullopt;
  if (out.parameter_values.empty()) out.parameter_values.assign(out.scenarios.size() * out.parameters.size(), 0.0);
  return out;
}

// What a request selects: the baseline, the scenarios compared, the months
// and the series, as indices into the source. Each name that is not there
// is a diagnostic.
struct CompareSelection {
  std::size_t base = 0;
  std::vector<std::size_t> compared, month_index;
  std::vector<std::string> months, series;
};

CompareSelection select(const CompareRequest& request, const CompareSource& source, Diagnostics& problems) {
  CompareSelection out;
  const std::vector<std::string>& scenarios = source.scenarios;
  const std::vector<std::string>& labels = source.labels;
  const std::size_t N = scenarios.size();
  const std::string where = source.runs ? std::string("the run folders") : results_path(source.dirs[0]);
  // Baseline.
  if (!request.baseline.empty()) {
    const auto it = std::find(scenarios.begin(), scenarios.end(), request.baseline);
    if (it == scenarios.end())
      problems.error(kCommandLine, "--baseline: no scenario `" + request.baseline + "` in " + where +
                                       did_you_mean(request.baseline, scenarios));
    else
      out.base = static_cast<std::size_t>(it - scenarios.begin());
  } else if (!source.runs) {
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
        problems.error(kCommandLine, "--scenarios: no scenario `" + name + "` in " + where + did_you_mean(name, scenarios));
        continue;
      }
      const auto s = static_cast<std::size_t>(it - scenarios.begin());
      if (s != out.base && std::find(out.compared.begin(), out.compared.end(), s) == out.compared.end())
        out.compared.push_back(s);
    }
    // Only the baseline named: nothing would be compared (it wrote a table
    // of no rows; found by a new user's trial).
    if (problems.ok() && out.compared.empty() && out.base < N)
      problems.error(kCommandLine, "--scenarios: names only the baseline `" + scenarios[out.base] +
                                       "`, which the others are compared against: name at least one other scenario "
                                       "(scenarios: " + join(scenarios) + ")");
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
  // Levers are shown as changes (LeverChange), not as outcomes, unless asked for.
  const std::vector<std::string>& available = source.series;
  if (request.series.empty()) {
    for (const std::string& name : available)
      if (std::none_of(kLeverSeries.begin(), kLeverSeries.end(),
                       [&](AggregateSeries lever) { return series_name(lever) == name; }))
        out.series.push_back(name);
  } else {
    out.series = request.series;
  }
  for (const std::string& name : out.series)
    if (std::find(available.begin(), available.end(), name) == available.end())
      problems.error(kCommandLine, "--series: no member values of `" + name + "` in " + where + " (available: " +
                                       join(available) + ")" + did_you_mean(name, available));
  // Growth rates compare a month with the year before: none in the run's first
  // year, so a month typed there would give a table of "undefined" rows.
  std::vector<std::string> growth;
  for (const std::string& name : out.series)
    if (name.ends_with("_yoy")) growth.push_back(name);
  if (request.refuse_undefined_months && !request.months.empty() && !growth.empty() && labels.size() > 12)
    for (std::size_t k = 0; k < out.month_index.size(); ++k)
      if (out.month_index[k] < 12)
        problems.error(kCommandLine, "--at: " + labels[out.month_index[k]] + " is in the run's first year, where " +
                                         join(growth) + " (growth on the year before) is undefined: choose " +
                                         labels[12] + " or later, or --series without growth rates");
  return out;
}

}  // namespace

Diagnostics validate_compare_request(const CompareRequest& request) {
  Diagnostics problems;
  if (const auto source = open_source(request, problems)) select(request, *source, problems);
  return problems;
}

Comparison compare_batch(const CompareRequest& request) {
  Diagnostics problems;
  const std::optional<CompareSource> opened = open_source(request, problems);
  const CompareSelection selection = opened ? select(request, *opened, problems) : CompareSelection{};
  if (!problems.ok())
    throw std::invalid_argument("compare_batch: a request validate_compare_request rejects:\n" + problems.format());
  const CompareSource& source = *opened;
  const std::vector<std::string>& scenarios = source.scenarios;
  const std::vector<double>& counts = source.counts;
  const std::size_t base = selection.base;
  const std::vector<std::size_t>& compared = selection.compared;
  const std::vector<std::size_t>& month_index = selection.month_index;

  Comparison out;
  out.baseline = scenarios[base];
  out.months = selection.months;
  out.series = selection.series;
  out.parameters = source.parameters;

  // Caveats on pairing (run folders that do not pair were refused).
  for (std::size_t s : compared) {
    if (source.seeds[s] != source.seeds[base] || source.stochastic[s] != source.stochastic[base]) {
      out.notes.push_back("`" + scenarios[s] + "` and `" + out.baseline +
                          "` differ in seed or stochastic setting: their members are not paired, and the "
                          "differences are those of independent draws");
    } else if (counts[s] != counts[base]) {
      out.notes.push_back("`" + scenarios[s] + "` has " + format_number(counts[s]) + " members and `" + out.baseline +
                          "` " + format_number(counts[base]) + ": the first " +
                          format_number(std::min(counts[s], counts[base])) + " are compared");
    }
  }

  // What each scenario changed: levers whose mean differs from the baseline's in some month.
  for (std::size_t s : compared)
    for (const AggregateSeries lever : kLeverSeries) {
      const std::string var = std::string(series_name(lever)) + "_mean";
      const NetcdfReader& bf = *source.files[source.file_of[base]];
      const NetcdfReader& sf = *source.files[source.file_of[s]];
      if (!bf.has_variable(var) || !sf.has_variable(var)) continue;
      const std::size_t T = source.labels.size();
      const std::vector<double> b = bf.doubles(var, {source.index_in_file[base], 0}, {1, T});
      const std::vector<double> v = sf.doubles(var, {source.index_in_file[s], 0}, {1, T});
      std::size_t t = 0;
      while (t < T && b[t] == v[t]) ++t;
      if (t == T) continue;
      LeverChange change{scenarios[s], source.sweeps[s], std::string(series_name(lever)), bf.text_attribute(var, "units"),
                         source.labels[t], {}, {}};
      for (const std::size_t k : month_index) {
        change.baseline.push_back(b[k]);
        change.changed.push_back(v[k]);
      }
      out.levers.push_back(std::move(change));
    }

  for (const std::string& name : out.series) {
    const std::string var = name + "_members";
    const std::string unit = source.files[0]->text_attribute(var, "units");
    const bool higher = higher_is_better(name);
    const std::vector<double> baseline = source.values(var, base);
    const std::size_t base_stride = source.members(base);
    std::vector<std::vector<ComparisonRow>> by_month(out.months.size());
    for (std::size_t s : compared) {
      const std::vector<double> values = source.values(var, s);
      const std::size_t stride = source.members(s);
      const auto pairs = static_cast<std::int64_t>(std::min(counts[s], counts[base]));
      for (std::size_t k = 0; k < month_index.size(); ++k) {
        const std::size_t t = month_index[k];
        ComparisonRow row;
        row.series = name;
        row.month = out.months[k];
        row.scenario = scenarios[s];
        row.sweep = source.sweeps[s];
        row.unit = unit;
        row.higher_better = higher;
        row.difference = paired_difference(values.data() + t * stride, baseline.data() + t * base_stride, pairs, higher);
        row.baseline_median = median_of(baseline.data() + t * base_stride, static_cast<std::int64_t>(counts[base]));
        row.scenario_median = median_of(values.data() + t * stride, static_cast<std::int64_t>(counts[s]));
        const std::size_t P = out.parameters.size();
        row.parameters.assign(source.parameter_values.begin() + static_cast<std::ptrdiff_t>(s * P),
                              source.parameter_values.begin() + static_cast<std::ptrdiff_t>((s + 1) * P));
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
  bool file_levers = false;
  for (const LeverChange& l : c.levers) file_levers = file_levers || l.sweep.empty();
  if (file_levers) {
    out += "\nlevers the scenarios change (mean over members; baseline -> scenario):\n";
    for (const LeverChange& l : c.levers) {
      if (!l.sweep.empty()) continue;
      std::string values;
      for (std::size_t k = 0; k < c.months.size() && k < l.baseline.size(); ++k)
        values += fmt::format("; {} {:.4g} -> {:.4g}", c.months[k], l.baseline[k], l.changed[k]);
      out += fmt::format("  {:<32} {} ({}) from {}{}\n", l.scenario, l.series, l.unit, l.first_month, values);
    }
  }
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
