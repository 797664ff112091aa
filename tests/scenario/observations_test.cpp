// sim/scenario/observations.h: targets and observed figures map (series,
// measure) to the summary.csv variable; errors at their line and column.
#include "sim/scenario/observations.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

TEST(Observations, MeasuresMapToSummaryVariables) {
  Diagnostics d;
  const auto obs = parse_observations(
      "id,series,sector,measure,month,value,source\n"
      "t1,industry_va,,ytd_yoy,2023-06,0.083,NBS\n"
      "t2,va,steel,ytd_yoy,2023-03,-0.012,x\n"
      "\n"
      ",long_term_loans,,yoy,2023-06,0.1,\n"
      ",co2,,level,2022-12,5e6,\n",
      "targets.csv", d);
  ASSERT_TRUE(obs.has_value()) << d.format();
  ASSERT_EQ(obs->size(), 4u);
  const std::string variables[] = {"industry_va_ytd_yoy", "va_ytd_yoy", "long_term_loans_yoy", "co2"};
  const int lines[] = {2, 3, 5, 6};
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ((*obs)[k].variable, variables[k]);
    EXPECT_EQ((*obs)[k].where.line, lines[k]);
  }
  EXPECT_EQ((*obs)[0].id + "|" + (*obs)[0].month + "|" + (*obs)[0].source, "t1|2023-06|NBS");
  EXPECT_EQ((*obs)[0].value, 0.083);
  EXPECT_EQ((*obs)[1].sector, "steel");
  EXPECT_EQ((*obs)[3].value, 5e6);
}

// The optional `published` column (data/industry_figures.csv's vintage):
// kept as written; a value that is not a date YYYY-MM-DD is an error at its cell.
TEST(Observations, PublishedDatesAreReadAndChecked) {
  Diagnostics d;
  const auto obs = parse_observations(
      "series,sector,measure,period_end,value,published\n"
      "manufacturing_va,,ytd_yoy,2023-06,0.083,2023-07-24\n",
      "f.csv", d);
  ASSERT_TRUE(obs.has_value()) << d.format();
  EXPECT_EQ((*obs)[0].published, "2023-07-24");
  for (const char* bad : {"2023-7-24", "2023-07-32", "24.07.2023", "2023-13-01"}) {
    Diagnostics e;
    EXPECT_FALSE(parse_observations(std::string("series,sector,measure,period_end,value,published\n"
                                                "manufacturing_va,,ytd_yoy,2023-06,0.083,") +
                                        bad + "\n",
                                    "f.csv", e));
    EXPECT_NE(e.format().find("f.csv:2:41: error: expected a date YYYY-MM-DD, got '" + std::string(bad) + "'"),
              std::string::npos)
        << e.format();
  }
}

TEST(Observations, PeriodEndAndColumnsInAnyOrder) {
  Diagnostics d;
  const auto obs = parse_observations("value,period_end,measure,sector,series\n1.5,2023-12,level,,energy\n", "o.csv", d);
  ASSERT_TRUE(obs.has_value()) << d.format();
  ASSERT_EQ(obs->size(), 1u);
  EXPECT_EQ((*obs)[0].variable, "energy");
  EXPECT_EQ((*obs)[0].month, "2023-12");
  EXPECT_EQ((*obs)[0].value, 1.5);
  EXPECT_EQ((*obs)[0].id, "");
}

// Every error of every row at its field (STYLE.md: report every problem).
TEST(Observations, EveryErrorAtItsField) {
  const std::string header = "series,sector,measure,month,value\n";
  Diagnostics measure;
  EXPECT_FALSE(parse_observations(header + "va,,monthly,2023-06,1\nmystery,,level,2023-13,abc\n", "o.csv", measure));
  EXPECT_EQ(measure.format(),
            "o.csv:2:5: error: unknown measure 'monthly' (expected ytd_yoy, yoy or level)\n"
            "o.csv:3:1: error: 'mystery' with measure 'level' is not a reported series ('mystery')\n"
            "o.csv:3:16: error: expected a month YYYY-MM, got '2023-13'\n"
            "o.csv:3:24: error: expected a number, got 'abc'\n");
  Diagnostics row;
  EXPECT_FALSE(parse_observations(header + "mystery,,level,2023-13,abc\n", "o.csv", row));
  EXPECT_EQ(row.format(),
            "o.csv:2:1: error: 'mystery' with measure 'level' is not a reported series ('mystery')\n"
            "o.csv:2:16: error: expected a month YYYY-MM, got '2023-13'\n"
            "o.csv:2:24: error: expected a number, got 'abc'\n");
  Diagnostics columns;
  EXPECT_FALSE(parse_observations("series,value\n", "o.csv", columns));
  EXPECT_EQ(columns.format(),
            "o.csv:1:1: error: missing column 'sector'\n"
            "o.csv:1:1: error: missing column 'measure'\n"
            "o.csv:1:1: error: missing column 'month' (or 'period_end')\n");
}

TEST(Observations, TheShippedTargetsRead) {
  Diagnostics d;
  const auto targets = read_observations(MFGSIM_SOURCE_DIR "/data/targets.csv", d);
  ASSERT_TRUE(targets.has_value()) << d.format();
  EXPECT_FALSE(targets->empty());
  for (const Observation& t : *targets) EXPECT_FALSE(t.id.empty()) << t.where.line;
  Diagnostics missing;
  EXPECT_FALSE(read_observations("/nonexistent/targets.csv", missing));
  EXPECT_EQ(missing.format(), "/nonexistent/targets.csv: error: cannot read the file\n");
}

}  // namespace
}  // namespace mfgsim
