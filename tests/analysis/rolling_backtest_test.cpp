// Rolling-origin backtests: origin lists, the naive forecasters (with the
// vintage rule), a point forecast's CRPS and skill scores on hand fixtures.
#include "sim/analysis/rolling_backtest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "sim/analysis/backtest.h"
#include "sim/scenario/scenario.h"
#include "tests/support/figures.h"

namespace mfgsim {
namespace {

using test_support::figure;

std::vector<std::string> texts(const std::vector<YearMonth>& months) {
  std::vector<std::string> out;
  for (const YearMonth& m : months) out.push_back(format_year_month(m));
  return out;
}

TEST(RollingBacktest, ParsesOriginListsAndRanges) {
  std::string error;
  auto list = parse_origins("2022-03,2022-06,2023-01", &error);
  ASSERT_TRUE(list) << error;
  EXPECT_EQ(texts(*list), (std::vector<std::string>{"2022-03", "2022-06", "2023-01"}));
  auto range = parse_origins("2021-06:2023-03:3", &error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(texts(*range), (std::vector<std::string>{"2021-06", "2021-09", "2021-12", "2022-03", "2022-06", "2022-09",
                                                     "2022-12", "2023-03"}));
  // TO is reached only when STEP divides the distance.
  range = parse_origins("2022-01:2022-06:4", &error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(texts(*range), (std::vector<std::string>{"2022-01", "2022-05"}));
  range = parse_origins("2022-01:2022-01:1", &error);
  ASSERT_TRUE(range) << error;
  EXPECT_EQ(texts(*range), (std::vector<std::string>{"2022-01"}));
}

TEST(RollingBacktest, RefusesBadOriginLists) {
  for (const char* bad : {"", "2022-3", "2022-13", "2022-03,", "2022-06,2022-03", "2022-03,2022-03",
                          "2022-03:2023-03", "2022-03:2023-03:0", "2022-03:2023-03:121", "2022-03:2023-03:x",
                          "2023-03:2022-03:3", "2022-03:2023-03:3:1", "2022-03,2022-06:2023-03:3"}) {
    std::string error;
    EXPECT_FALSE(parse_origins(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string error;
  parse_origins("2022-06,2022-03", &error);
  EXPECT_EQ(error, "origins must be strictly increasing: 2022-03 after 2022-06");
}

TEST(RollingBacktest, PointForecastCrpsIsTheAbsoluteError) {
  EXPECT_DOUBLE_EQ(crps_point(0.083, 0.062), 0.021);
  EXPECT_DOUBLE_EQ(crps_point(-0.01, 0.02), 0.03);
  // The same as the exact ensemble CRPS of a one-member ensemble.
  EXPECT_NEAR(crps_ensemble({0.083}, 0.062), crps_point(0.083, 0.062), 1e-17);
  EXPECT_DOUBLE_EQ(skill_score(0.02, 0.04), 0.5);
  EXPECT_DOUBLE_EQ(skill_score(0.06, 0.04), -0.5);
  EXPECT_TRUE(std::isnan(skill_score(0.01, 0.0)));
}

// Known at origin 2023-03 (available_at): figures of periods by 2023-03
// published by 2023-04-30.
TEST(RollingBacktest, NaiveForecastersPickTheFiguresKnownAtTheOrigin) {
  const std::vector<Observation> figures = {
      figure("manufacturing_va_ytd_yoy", "", "2022-06", 0.071, "2022-07-20"),
      figure("manufacturing_va_ytd_yoy", "", "2022-09", 0.065, "2022-10-25"),
      figure("manufacturing_va_ytd_yoy", "", "2022-12", 0.060, "2023-01-20"),
      // A period before the origin published after the vintage: no forecaster may use it.
      figure("manufacturing_va_ytd_yoy", "", "2023-03", 0.133, "2023-05-10"),
      figure("industry_va_ytd_yoy", "", "2023-02", 0.050, "2023-03-20"),
      figure("va_ytd_yoy", "equipment", "2022-12", 0.120, "2023-01-20"),
  };
  const std::vector<Observation> known = available_at(figures, "2023-03");
  ASSERT_EQ(known.size(), 5u);

  const Observation june = figure("manufacturing_va_ytd_yoy", "", "2023-06", 0.083);
  // last: 2022-12 (the 2023-03 figure was published after 2023-04-30).
  EXPECT_EQ(naive_last(known, june), 0.060);
  // year-ago: 2022-06.
  EXPECT_EQ(naive_year_ago(known, june), 0.071);
  // Once the 2023-03 figure is available (origin 2023-04: published by 2023-05-31), last takes it.
  EXPECT_EQ(naive_last(available_at(figures, "2023-04"), june), 0.133);

  // September: year-ago 2022-09; December: year-ago 2022-12.
  EXPECT_EQ(naive_year_ago(known, figure("manufacturing_va_ytd_yoy", "", "2023-09", 0.0)), 0.065);
  EXPECT_EQ(naive_year_ago(known, figure("manufacturing_va_ytd_yoy", "", "2023-12", 0.0)), 0.060);
  // No 2022-08 figure: no year-ago value.
  EXPECT_FALSE(naive_year_ago(known, figure("manufacturing_va_ytd_yoy", "", "2023-08", 0.0)));
  // Same series means same sector and measure.
  EXPECT_EQ(naive_last(known, figure("va_ytd_yoy", "equipment", "2023-06", 0.0)), 0.120);
  EXPECT_FALSE(naive_last(known, figure("va_ytd_yoy", "coal_mining", "2023-06", 0.0)));
  EXPECT_FALSE(naive_last(known, figure("manufacturing_va_yoy", "", "2023-06", 0.0)));
  EXPECT_EQ(naive_last(known, figure("industry_va_ytd_yoy", "", "2023-06", 0.0)), 0.050);
  EXPECT_FALSE(naive_year_ago(known, figure("industry_va_ytd_yoy", "", "2023-06", 0.0)));
}

RollingRow row(const std::string& variable, double y, std::array<double, 5> q, double crps, std::optional<double> last,
               std::optional<double> year_ago) {
  RollingRow r;
  r.observation = figure(variable, "", "2023-06", y);
  r.quantiles = q;
  r.crps = crps;
  r.last = last;
  r.year_ago = year_ago;
  return r;
}

// Three figures worked by hand (ratios).
TEST(RollingBacktest, ScoresAndSkillMatchTheHandFixture) {
  const std::vector<RollingRow> rows = {
      row("manufacturing_va_ytd_yoy", 0.05, {0.01, 0.03, 0.06, 0.08, 0.10}, 0.02, 0.08, 0.04),
      row("manufacturing_va_ytd_yoy", 0.10, {0.02, 0.04, 0.06, 0.07, 0.09}, 0.03, 0.06, std::nullopt),
      row("industry_va_ytd_yoy", 0.00, {-0.02, -0.01, 0.01, 0.02, 0.03}, 0.005, std::nullopt, 0.01),
  };
  const std::vector<RollingScores> scores = rolling_scores(rows);
  ASSERT_EQ(scores.size(), 3u);  // no "other" figure: that group is left out
  EXPECT_EQ(scores[0].group, "all industry");
  EXPECT_EQ(scores[1].group, "manufacturing");
  EXPECT_EQ(scores[2].group, "overall");

  const RollingScores& m = scores[1];
  EXPECT_EQ(m.figures, 2);
  EXPECT_NEAR(m.mae, (0.01 + 0.04) / 2, 1e-15);
  EXPECT_NEAR(m.rmse, std::sqrt((0.0001 + 0.0016) / 2), 1e-15);
  EXPECT_NEAR(m.crps, 0.025, 1e-15);
  EXPECT_DOUBLE_EQ(m.coverage50, 0.5);
  EXPECT_DOUBLE_EQ(m.coverage90, 0.5);
  // vs last: both figures; naive CRPS (0.03 + 0.04) / 2; skill 1 - 0.025 / 0.035 = 2/7.
  EXPECT_EQ(m.last.figures, 2);
  EXPECT_EQ(m.last.left_out, 0);
  EXPECT_NEAR(m.last.crps_naive, 0.035, 1e-15);
  EXPECT_NEAR(m.last.skill, 2.0 / 7.0, 1e-12);
  // vs year-ago: the first figure only (model 0.02, naive 0.01): skill -1.
  EXPECT_EQ(m.year_ago.figures, 1);
  EXPECT_EQ(m.year_ago.left_out, 1);
  EXPECT_NEAR(m.year_ago.crps_model, 0.02, 1e-15);
  EXPECT_NEAR(m.year_ago.skill, -1.0, 1e-12);

  const RollingScores& all = scores[2];
  EXPECT_EQ(all.figures, 3);
  EXPECT_NEAR(all.crps, (0.02 + 0.03 + 0.005) / 3, 1e-15);
  EXPECT_NEAR(all.coverage90, 2.0 / 3.0, 1e-15);
  EXPECT_EQ(all.last.left_out, 1);
  EXPECT_NEAR(all.last.skill, 2.0 / 7.0, 1e-12);
  // vs year-ago: first and third: model (0.02 + 0.005) / 2, naive (0.01 + 0.01) / 2: 1 - 1.25.
  EXPECT_EQ(all.year_ago.figures, 2);
  EXPECT_NEAR(all.year_ago.skill, -0.25, 1e-12);
  // all industry: no `last` value at all: no skill.
  EXPECT_EQ(scores[0].last.figures, 0);
  EXPECT_TRUE(std::isnan(scores[0].last.skill));
  // Bands: 0.05 between p25 and the median, 0.10 above p95; 0.00 between p25 and the median.
  EXPECT_EQ(m.band_counts, (std::array<int, 6>{0, 0, 1, 0, 0, 1}));
  EXPECT_EQ(scores[0].band_counts, (std::array<int, 6>{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(all.band_counts, (std::array<int, 6>{0, 0, 2, 0, 0, 1}));
}

// A figure on a quantile lies in the band the coverages count it in: on p05
// and p95 inside the 90% band, on p25 and p75 inside the 50% band, on the
// median in the upper half. Every bin gets a figure off the edges too, and
// the coverages are the bins' sums.
TEST(RollingBacktest, BandCountsPlaceEdgesAsTheCoveragesDo) {
  const std::array<double, 5> q = {0.01, 0.03, 0.05, 0.07, 0.09};
  std::vector<RollingRow> rows;
  for (double y : {0.00, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10})
    rows.push_back(row("industry_va_ytd_yoy", y, q, 0.01, std::nullopt, std::nullopt));
  const RollingScores s = rolling_scores(rows).front();
  ASSERT_EQ(s.group, "all industry");
  // 0.00 | 0.01 0.02 | 0.03 0.04 | 0.05 0.06 0.07 | 0.08 0.09 | 0.10
  EXPECT_EQ(s.band_counts, (std::array<int, 6>{1, 2, 2, 3, 2, 1}));
  const std::array<int, 6>& c = s.band_counts;
  EXPECT_DOUBLE_EQ(s.coverage50, (c[2] + c[3]) / 11.0);
  EXPECT_DOUBLE_EQ(s.coverage90, (c[1] + c[2] + c[3] + c[4]) / 11.0);
  // The scores file ends with the six counts.
  RollingReport report;
  report.scores = {s};
  const std::string csv = rolling_scores_csv(report);
  EXPECT_NE(csv.find(",below_p05,p05_p25,p25_p50,p50_p75,p75_p95,above_p95\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",1,2,2,3,2,1\n"), std::string::npos) << csv;
}

// Each origin's run stops at origin + horizon; the scored members' values
// are those of the filter over the scenario's whole calendar.
TEST(RollingBacktest, ShortenedRunsScoreTheMembersOfTheFullRun) {
  ScenarioLoad load = load_scenario(MFGSIM_SOURCE_DIR "/scenarios/baseline.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  Scenario scenario = *load.scenario;
  scenario.calendar.months = 40;
  scenario.params.trend_shocks = true;
  const std::vector<Observation> figures = {figure("manufacturing_va_ytd_yoy", "", "2022-06", 0.124),
                                            figure("manufacturing_va_ytd_yoy", "", "2022-09", 0.11),
                                            figure("industry_va_ytd_yoy", "", "2022-12", 0.08)};
  RollingOptions options;
  options.origins = {YearMonth{2022, 6}};
  options.horizon = 6;
  options.filter.members = 40;
  const RollingReport report = rolling_backtest(scenario, figures, options);
  ASSERT_EQ(report.rows.size(), 2u);
  ParticleFilterOptions full_options = options.filter;
  full_options.origin = 17;
  const ParticleFilterResult full = run_particle_filter(scenario, available_at(figures, "2022-06"), full_options);
  ASSERT_EQ(report.origins.size(), 1u);
  EXPECT_EQ(report.origins[0].last_ess, full.months.back().ess);
  EXPECT_EQ(report.origins[0].lineages, full.months.back().lineages);
  EXPECT_LE(report.origins[0].lineages, 40);
  for (const RollingRow& row : report.rows) {
    const std::vector<double> values = figure_forecasts(
        figure_members(*full.store, scenario.params.sectors.names, row.observation, full.excluded()),
        full.excluded(), full.store->members(), full_options, scenario.ensemble.seed, row.observation,
        figure_stream_key(row.observation));
    EXPECT_EQ(row.members, static_cast<int>(values.size()));
    EXPECT_EQ(row.crps, crps_ensemble(values, row.observation.value)) << row.observation.month;
  }
}

// A forecast of a published figure is the member's value plus the filter's
// measurement error: Normal with sd sqrt(rounding² + revision_sd²) for an
// aggregate, Student-t (ν = 3, scale sqrt(rounding² + sector_sd²)) for a
// sector figure. 40,000 draws: the sample sd within 2% of the Normal's, the
// t's quartile of |error| (0.7649 scale, its closed form) within 3%, and
// the draws keyed by member (the same with an excluded member left out).
TEST(RollingBacktest, FigureForecastsAddTheFiltersMeasurementError) {
  ParticleFilterOptions filter;
  filter.origin = 17;
  filter.revision_sd = 0.02;
  filter.sector_sd = 0.05;
  filter.sector_dof = 3.0;
  const std::int64_t n = 40000;
  const std::vector<double> zeros(n, 0.0);
  const Observation manufacturing = figure("manufacturing_va_ytd_yoy", "", "2023-06", 0.083),
                    chemicals = figure("va_ytd_yoy", "chemicals", "2023-06", 0.05);
  const std::uint64_t key = figure_stream_key(manufacturing);
  const std::vector<double> aggregate = figure_forecasts(zeros, {}, n, filter, 7, manufacturing, key);
  double sum = 0.0, squares = 0.0;
  for (double e : aggregate) {
    sum += e;
    squares += e * e;
  }
  const double mean = sum / n, sd = std::sqrt(squares / n - mean * mean);
  const double expected_sd = std::sqrt(kRoundingSd * kRoundingSd + 0.02 * 0.02);
  EXPECT_NEAR(sd, expected_sd, 0.02 * expected_sd);
  EXPECT_NEAR(mean, 0.0, 4.0 * expected_sd / std::sqrt(static_cast<double>(n)));
  std::vector<double> sector = figure_forecasts(zeros, {}, n, filter, 7, chemicals, key);
  for (double& e : sector) e = std::fabs(e);
  std::nth_element(sector.begin(), sector.begin() + n / 2, sector.end());
  const double scale = std::sqrt(kRoundingSd * kRoundingSd + 0.05 * 0.05);
  EXPECT_NEAR(sector[n / 2], 0.7649 * scale, 0.03 * 0.7649 * scale);  // t_3 quantile at 0.75
  // Member 1 left out: member 2's forecast keeps its own error.
  const std::vector<double> without = figure_forecasts(std::vector<double>(n - 1, 0.0), {1}, n, filter, 7, manufacturing, key);
  EXPECT_EQ(without[1], aggregate[2]);
  EXPECT_EQ(without[0], aggregate[0]);
  // One value per kept member, or a caller's error (not a read past the end).
  EXPECT_THROW(figure_forecasts(std::vector<double>(n - 2, 0.0), {1}, n, filter, 7, manufacturing, key),
               std::invalid_argument);
  // A duplicated excluded index: the counts agree, the members do not.
  EXPECT_THROW(figure_forecasts(std::vector<double>(n - 2, 0.0), {1, 1}, n, filter, 7, manufacturing, key),
               std::invalid_argument);
  // The key is the figure's identity, not its value or place: another
  // period or series gives another key; another origin other errors.
  EXPECT_EQ(figure_stream_key(figure("manufacturing_va_ytd_yoy", "", "2023-06", 0.09)), key);
  EXPECT_NE(figure_stream_key(figure("manufacturing_va_ytd_yoy", "", "2023-05", 0.083)), key);
  EXPECT_NE(figure_stream_key(figure("industry_va_ytd_yoy", "", "2023-06", 0.083)), key);
  EXPECT_NE(figure_stream_key(figure("va_ytd_yoy", "chemicals", "2023-06", 0.083)), key);
  EXPECT_NE(figure_forecasts(zeros, {}, n, filter, 7, manufacturing, key + 1)[0], aggregate[0]);
  filter.origin = 18;
  EXPECT_NE(figure_forecasts(zeros, {}, n, filter, 7, manufacturing, key)[0], aggregate[0]);
}

}  // namespace
}  // namespace mfgsim
