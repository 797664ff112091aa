#include "sim/analysis/rolling_backtest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/analysis/backtest.h"
#include "sim/analysis/plot.h"
#include "sim/core/random_stream.h"
#include "sim/core/statistics.h"
#include "sim/io/hashing.h"
#include "sim/ensemble/run_error.h"

namespace mfgsim {

namespace {

constexpr int kMaxStep = 120;

bool same_series(const Observation& a, const Observation& b) {
  return a.variable == b.variable && a.sector == b.sector;
}

std::optional<double> optional_value(const Observation* o) {
  return o ? std::optional<double>(o->value) : std::nullopt;
}

// An empty field for a missing value; else the shortest round-trip text.
std::string field(const std::optional<double>& x) { return x ? fmt::format("{}", *x) : std::string(); }

std::string csv_quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::optional<std::vector<YearMonth>> parse_origins(std::string_view text, std::string* error) {
  std::vector<YearMonth> out;
  auto month = [&](std::string_view part) -> std::optional<YearMonth> {
    const std::optional<YearMonth> ym = parse_year_month(part);
    if (!ym) *error = "expected a month YYYY-MM, got '" + std::string(part) + "'";
    return ym;
  };
  if (text.find(':') != std::string_view::npos) {
    const std::size_t a = text.find(':'), b = text.find(':', a + 1);
    if (b == std::string_view::npos || text.find(':', b + 1) != std::string_view::npos ||
        text.find(',') != std::string_view::npos) {
      *error = "expected a range FROM:TO:STEP (e.g. 2022-03:2023-03:3), got '" + std::string(text) + "'";
      return std::nullopt;
    }
    const auto from = month(text.substr(0, a)), to = month(text.substr(a + 1, b - a - 1));
    if (!from || !to) return std::nullopt;
    const std::string_view step_text = text.substr(b + 1);
    int step = 0;
    bool digits = !step_text.empty() && step_text.size() <= 3;
    for (char c : step_text) digits = digits && c >= '0' && c <= '9';
    if (digits) for (char c : step_text) step = 10 * step + (c - '0');
    if (!digits || step < 1 || step > kMaxStep) {
      *error = "expected a STEP of 1 to " + std::to_string(kMaxStep) + " months after FROM:TO:, got '" +
               std::string(step_text) + "'";
      return std::nullopt;
    }
    if (months_between(*from, *to) < 0) {
      *error = "the range's FROM " + format_year_month(*from) + " is after its TO " + format_year_month(*to);
      return std::nullopt;
    }
    for (YearMonth ym = *from; months_between(ym, *to) >= 0; ym = add_months(ym, step)) out.push_back(ym);
    return out;
  }
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const auto ym = month(text.substr(begin, end - begin));
    if (!ym) return std::nullopt;
    if (!out.empty() && months_between(out.back(), *ym) <= 0) {
      *error = "origins must be strictly increasing: " + format_year_month(*ym) + " after " +
               format_year_month(out.back());
      return std::nullopt;
    }
    out.push_back(*ym);
    if (end == text.size()) break;
    begin = end + 1;
  }
  return out;
}

double crps_point(double forecast, double observed) { return std::abs(forecast - observed); }

double skill_score(double crps_model, double crps_naive) {
  return crps_naive == 0.0 ? std::numeric_limits<double>::quiet_NaN() : 1.0 - crps_model / crps_naive;
}

std::optional<double> naive_last(const std::vector<Observation>& known, const Observation& target) {
  const std::optional<YearMonth> period = parse_year_month(target.month);
  const Observation* best = nullptr;
  int best_gap = 0;
  for (const Observation& o : known) {
    const std::optional<YearMonth> p = parse_year_month(o.month);
    if (!same_series(o, target) || !p || !period) continue;
    const int gap = months_between(*p, *period);
    if (gap <= 0) continue;
    if (!best || gap <= best_gap) best = &o, best_gap = gap;
  }
  return optional_value(best);
}

std::optional<double> naive_year_ago(const std::vector<Observation>& known, const Observation& target) {
  const std::optional<YearMonth> period = parse_year_month(target.month);
  const Observation* found = nullptr;
  for (const Observation& o : known) {
    const std::optional<YearMonth> p = parse_year_month(o.month);
    if (same_series(o, target) && p && period && months_between(*p, *period) == 12) found = &o;
  }
  return optional_value(found);
}

std::string figure_group(const Observation& o) {
  if (o.sector.empty() && o.variable.rfind("industry_va", 0) == 0) return "all industry";
  if (o.sector.empty() && o.variable.rfind("manufacturing_va", 0) == 0) return "manufacturing";
  return "other";
}

std::size_t figures_to_score(const Calendar& calendar, const std::vector<Observation>& figures, YearMonth origin,
                             int horizon) {
  std::size_t n = 0;
  for (const Observation& o : figures) {
    const std::optional<YearMonth> period = parse_year_month(o.month);
    if (!period) continue;
    const int ahead = months_between(origin, *period);
    n += ahead >= 1 && ahead <= horizon && calendar.index_of(*period) < calendar.months;
  }
  return n;
}

std::string origin_problem(const Scenario& scenario, const std::vector<Observation>& figures, YearMonth origin) {
  const Calendar& calendar = scenario.calendar;
  const int t = calendar.index_of(origin);
  if (t < 0 || t >= calendar.months - 1)
    return "origin " + format_year_month(origin) + " is outside the scenario's calendar: it must be a month from " +
           format_year_month(calendar.at(0)) + " to " + format_year_month(calendar.at(calendar.months - 2)) +
           " (the months after it are projected)";
  const std::vector<FilterFigure> usable = filter_figures(scenario, available_at(figures, format_year_month(origin)), t);
  if (std::none_of(usable.begin(), usable.end(), [](const FilterFigure& f) { return f.skipped.empty(); }))
    return "origin " + format_year_month(origin) + ": no figure is usable by then (a figure needs period_end <= the "
           "origin, a value defined in the run from " + format_year_month(calendar.at(0)) +
           " (year-to-date growth from the run's second January) and, with a `published` date, publication by the "
           "end of the month after the origin)";
  return "";
}

namespace {
// The bin of RollingScores::band_counts that y falls in: on p05 or p95
// inside the 90% band, on p25 or p75 inside the 50% band (a NaN: below p05,
// in no band).
int band_of(const std::array<double, 5>& q, double y) {
  if (!(y >= q[0])) return 0;
  if (y < q[1]) return 1;
  if (y > q[4]) return 5;
  if (y > q[3]) return 4;
  return y < q[2] ? 2 : 3;
}
}  // namespace

std::vector<RollingScores> rolling_scores(const std::vector<RollingRow>& rows) {
  std::vector<RollingScores> out;
  for (const char* group : {"all industry", "manufacturing", "other", "overall"}) {
    RollingScores s;
    s.group = group;
    double squares = 0.0;
    struct Sums {
      double model = 0.0, naive = 0.0;
    } last, year_ago;
    for (const RollingRow& r : rows) {
      if (s.group != "overall" && figure_group(r.observation) != s.group) continue;
      const double y = r.observation.value, miss = r.quantiles[2] - y;
      ++s.figures;
      s.mae += std::abs(miss);
      squares += miss * miss;
      s.crps += r.crps;
      ++s.band_counts[band_of(r.quantiles, y)];
      auto versus = [&](const std::optional<double>& naive, RollingScores::Versus& v, Sums& sums) {
        if (!naive) return void(++v.left_out);
        ++v.figures;
        sums.model += r.crps;
        sums.naive += crps_point(*naive, y);
      };
      versus(r.last, s.last, last);
      versus(r.year_ago, s.year_ago, year_ago);
    }
    if (s.figures == 0) continue;
    const double n = s.figures;
    // The coverages are the bins inside each band: one rule for a figure on an edge.
    const std::array<int, 6>& c = s.band_counts;
    s.coverage50 = (c[2] + c[3]) / n;
    s.coverage90 = (c[1] + c[2] + c[3] + c[4]) / n;
    s.mae /= n, s.crps /= n;
    s.rmse = std::sqrt(squares / n);
    for (auto [v, sums] : {std::pair{&s.last, last}, std::pair{&s.year_ago, year_ago}}) {
      v->skill = std::numeric_limits<double>::quiet_NaN();
      if (v->figures == 0) continue;
      v->crps_model = sums.model / v->figures;
      v->crps_naive = sums.naive / v->figures;
      v->skill = skill_score(v->crps_model, v->crps_naive);
    }
    out.push_back(s);
  }
  return out;
}

std::uint64_t figure_stream_key(const Observation& o) {
  return scenario_stream_key(o.variable + "/" + o.sector + "/" + o.month);
}

std::vector<double> figure_forecasts(std::vector<double> values, const std::vector<std::int64_t>& excluded,
                                     std::int64_t members, const ParticleFilterOptions& filter, std::uint64_t seed,
                                     const Observation& figure, std::uint64_t figure_key) {
  if (static_cast<std::int64_t>(values.size() + excluded.size()) != members)
    throw std::invalid_argument("figure_forecasts: " + std::to_string(values.size()) + " values and " +
                                std::to_string(excluded.size()) + " excluded members are not " +
                                std::to_string(members) + " members");
  const RandomStream stream(seed, kModelStreamKey);
  std::size_t k = 0;
  for_each_kept_member(members, excluded, [&](std::int64_t m) {
    // A duplicated or out-of-range excluded index would call this more
    // often than there are values.
    if (k == values.size()) throw std::invalid_argument("figure_forecasts: `excluded` is not ascending and unique");
    double u[4];
    stream.uniforms(static_cast<std::uint64_t>(m), static_cast<std::uint64_t>(filter.origin),
                    StreamPurpose::predictive, figure_key, u);
    values[k++] += measurement_error(filter, figure, std::min(u[0], 1.0 - 0x1p-53));
  });
  return values;
}

RollingReport rolling_backtest(const Scenario& scenario, const std::vector<Observation>& figures,
                               const RollingOptions& options,
                               const std::function<void(const std::string&)>& progress) {
  if (options.horizon < 1) throw RunError("the backtest horizon must be at least 1 month");
  RollingReport report;
  const Calendar& calendar = scenario.calendar;
  for (const YearMonth origin : options.origins) {
    const std::string problem = origin_problem(scenario, figures, origin);
    if (!problem.empty()) throw RunError(problem);
    const std::string origin_text = format_year_month(origin);
    if (progress) progress(origin_text);
    const std::vector<Observation> known = available_at(figures, origin_text);
    ParticleFilterOptions filter = options.filter;
    filter.origin = calendar.index_of(origin);
    // No month after origin + horizon is scored, so the run stops there: each
    // member's values are the same (its draws are keyed by its month, not by
    // the run's length), in a fraction of the time on a long calendar; a
    // member stopped by a guard only later is no longer left out.
    Scenario shortened = scenario;
    shortened.calendar.months = std::min(calendar.months, filter.origin + options.horizon + 1);
    const ParticleFilterResult result = run_particle_filter(shortened, known, filter);
    const std::vector<std::int64_t> excluded = result.excluded();
    RollingOrigin summary{origin_text, 0, 0, result.months.empty() ? 0.0 : result.months.back().ess,
                          result.months.empty() ? result.store->members() : result.months.back().lineages};
    for (const FilterFigure& f : result.figures) summary.figures_known += f.skipped.empty();
    if (!result.moves.empty()) {
      std::int64_t proposed = 0, accepted = 0;
      for (const MoveStep& step : result.moves) {
        proposed += step.proposed;
        accepted += step.accepted;
      }
      summary.moved = result.moves.back().moved;
      summary.move_acceptance = proposed > 0 ? static_cast<double>(accepted) / static_cast<double>(proposed) : 0.0;
    }
    for (const Observation& o : figures) {
      const std::optional<YearMonth> period = parse_year_month(o.month);
      const int ahead = period ? months_between(origin, *period) : 0;
      if (ahead < 1 || ahead > options.horizon) continue;
      if (calendar.index_of(*period) >= calendar.months) {
        report.skipped.push_back({origin_text, o, "after the run"});
        continue;
      }
      std::vector<double> values = figure_members(*result.store, scenario.params.sectors.names, o, excluded);
      if (values.empty() || std::isnan(values.front())) {
        report.skipped.push_back({origin_text, o, "undefined in the run, or not a series the model holds"});
        continue;
      }
      values = figure_forecasts(std::move(values), excluded, result.store->members(), filter, scenario.ensemble.seed,
                                o, figure_stream_key(o));
      RollingRow row;
      row.origin = origin_text;
      row.observation = o;
      row.horizon = ahead;
      row.members = static_cast<int>(values.size());
      row.crps = crps_ensemble(values, o.value);
      std::sort(values.begin(), values.end());
      for (std::size_t q = 0; q < kQuantileLevels.size(); ++q)
        row.quantiles[q] = quantile_sorted(values.data(), static_cast<std::int64_t>(values.size()), kQuantileLevels[q]);
      row.last = naive_last(known, o);
      row.year_ago = naive_year_ago(known, o);
      report.rows.push_back(std::move(row));
      ++summary.figures_scored;
    }
    report.origins.push_back(summary);
  }
  report.scores = rolling_scores(report.rows);
  return report;
}

std::string rolling_figures_csv(const RollingReport& report) {
  std::string out =
      "origin,figure,sector,period,horizon_months,observed,median,p05,p25,p75,p95,crps,naive_last,naive_year_ago\n";
  for (const RollingRow& r : report.rows)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.origin, r.observation.variable,
                       csv_quoted(r.observation.sector), r.observation.month, r.horizon, r.observation.value,
                       r.quantiles[2], r.quantiles[0], r.quantiles[1], r.quantiles[3], r.quantiles[4], r.crps,
                       field(r.last), field(r.year_ago));
  return out;
}

std::string rolling_scores_csv(const RollingReport& report) {
  std::string out =
      "group,figures,mae_points,rmse_points,crps_points,coverage50,coverage90,"
      "last_figures,last_left_out,last_crps_model_points,last_crps_points,skill_vs_last,"
      "year_ago_figures,year_ago_left_out,year_ago_crps_model_points,year_ago_crps_points,skill_vs_year_ago,"
      "below_p05,p05_p25,p25_p50,p50_p75,p75_p95,above_p95\n";
  auto versus = [](const RollingScores::Versus& v) {
    if (v.figures == 0) return fmt::format("0,{},,,", v.left_out);
    return fmt::format("{},{},{},{},{}", v.figures, v.left_out, 100 * v.crps_model, 100 * v.crps_naive,
                       std::isnan(v.skill) ? std::string() : fmt::format("{}", v.skill));
  };
  for (const RollingScores& s : report.scores)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", s.group, s.figures, 100 * s.mae, 100 * s.rmse, 100 * s.crps,
                       s.coverage50, s.coverage90, versus(s.last), versus(s.year_ago), fmt::join(s.band_counts, ","));
  return out;
}

std::string rolling_table(const RollingReport& report) {
  // With resample-move: the members it moved and the share of proposals accepted.
  bool moves = false;
  for (const RollingOrigin& o : report.origins) moves = moves || o.moved >= 0;
  std::string out = std::string("origin   known  scored  last ESS  lineages") + (moves ? "    moved  accepted" : "") + "\n";
  for (const RollingOrigin& o : report.origins) {
    out += fmt::format("{}  {:>5}  {:>6}  {:>8.1f}  {:>8}", o.origin, o.figures_known, o.figures_scored, o.last_ess,
                       o.lineages);
    if (moves) out += fmt::format("  {:>7}  {:>7.2f}%", o.moved, 100.0 * o.move_acceptance);
    out += "\n";
  }
  out += "\ngroup          figures    MAE   RMSE   CRPS  cov50  cov90 | vs last: n  skill | vs year-ago: n  skill\n";
  auto skill = [](const RollingScores::Versus& v) {
    return std::isnan(v.skill) ? fmt::format("{:>3}  {:>5}", v.figures, "-")
                               : fmt::format("{:>3}  {:>+5.2f}", v.figures, v.skill);
  };
  for (const RollingScores& s : report.scores)
    out += fmt::format("{:<13}  {:>7}  {:>5.2f}  {:>5.2f}  {:>5.2f}  {:>4.0f}%  {:>4.0f}% |       {} |            {}\n",
                       s.group, s.figures, 100 * s.mae, 100 * s.rmse, 100 * s.crps, 100 * s.coverage50,
                       100 * s.coverage90, skill(s.last), skill(s.year_ago));
  out += "(MAE, RMSE, CRPS in percentage points; skill = 1 - CRPS_model / CRPS_naive over the figures the naive "
         "forecaster has a value for, n)\n";
  out += "\ngroup          figures |  <p05  p05-p25  p25-p50  p50-p75  p75-p95  >p95\n";
  for (const RollingScores& s : report.scores) {
    out += fmt::format("{:<13}  {:>7} | {:>5}", s.group, s.figures, s.band_counts[0]);
    for (std::size_t b = 1; b < s.band_counts.size(); ++b) out += fmt::format("  {:>7}", s.band_counts[b]);
    out += "\n";
  }
  out += "(figures by where they fall among the forecasts' quantiles; a calibrated forecaster puts 5, 20, 25, 25, 20 "
         "and 5% of them there)\n";
  return out;
}

std::string rolling_plot_data(const RollingReport& report) {
  std::string out = "# index origin crps_model crps_last crps_year_ago (points; '?' no figure)\n";
  for (std::size_t k = 0; k < report.origins.size(); ++k) {
    double model = 0.0, last = 0.0, year_ago = 0.0;
    int n = 0, n_last = 0, n_year = 0;
    for (const RollingRow& r : report.rows) {
      if (r.origin != report.origins[k].origin) continue;
      model += r.crps, ++n;
      if (r.last) last += crps_point(*r.last, r.observation.value), ++n_last;
      if (r.year_ago) year_ago += crps_point(*r.year_ago, r.observation.value), ++n_year;
    }
    auto mean = [](double sum, int count) { return count ? fmt::format("{}", 100 * sum / count) : std::string("?"); };
    out += fmt::format("{} {} {} {} {}\n", k, report.origins[k].origin, mean(model, n), mean(last, n_last),
                       mean(year_ago, n_year));
  }
  return out;
}

std::string rolling_plot_script(const std::string& stem) {
  const std::string data = gnuplot_quote(stem + ".dat");
  return "set title \"Rolling-origin backtest: mean CRPS of the figures after each origin\"\n"
         "set xlabel \"forecast origin\"\nset ylabel \"mean CRPS (percentage points)\"\n"
         "set key below\nset grid\nset datafile missing \"?\"\nset yrange [0:*]\nset xtics rotate by -45\n" +
         draw_to_png_and_svg(stem, {data + " using 1:3:xtic(2) with linespoints lw 2 title \"model (particle filter)\"",
                                    data + " using 1:4 with linespoints title \"naive: last figure\"",
                                    data + " using 1:5 with linespoints title \"naive: year ago\""});
}

}  // namespace mfgsim
