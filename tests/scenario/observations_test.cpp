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
  // Nothing in the file is silently dropped: a column the reader does not
  // read, both month columns, a row longer or shorter than the header.
  Diagnostics unknown;
  EXPECT_FALSE(parse_observations("series,sector,measure,month,value,sorce\n", "o.csv", unknown));
  EXPECT_EQ(unknown.format(),
            "o.csv:1:35: error: unknown column 'sorce' (expected series, sector, measure, month or period_end, value; "
            "optional id, published, source, note)\n");
  Diagnostics both;
  EXPECT_FALSE(parse_observations("series,sector,measure,month,value,period_end\n", "o.csv", both));
  EXPECT_EQ(both.format(), "o.csv:1:35: error: both 'month' and 'period_end': give one\n");
  Diagnostics fields;
  EXPECT_FALSE(parse_observations(header + "va,,level,2023-06,1,extra,more\nva,,level,2023-07\n", "o.csv", fields));
  EXPECT_EQ(fields.format(),
            "o.csv:2:21: error: expected 5 fields, as the header has, got 7 (a comma in an unquoted field?)\n"
            "o.csv:3:1: error: expected 5 fields, as the header has, got 4\n");
}

// Several files as one list: a figure given again with the same value is
// kept once, as first given; with another value an error at the second file's
// line naming the first (a sector figure by its sector, an aggregate without
// an empty field); an industry's figure is not the sector's.
TEST(Observations, MergeFiguresKeepsTheFirstAndRefusesAConflict) {
  Diagnostics d;
  const auto a = parse_observations(
      "series,sector,measure,period_end,value\nva,coal_mining,ytd_yoy,2023-06,0.05\n"
      "manufacturing_va,,ytd_yoy,2023-06,0.083\n", "a.csv", d);
  const auto b = parse_observations(
      "series,sector,measure,period_end,value\nmanufacturing_va,,ytd_yoy,2023-06,0.083\n"
      "va,coal_mining,ytd_yoy,2023-06,0.051\nmanufacturing_va,,ytd_yoy,2023-03,0.133\n", "b.csv", d);
  ASSERT_TRUE(a && b) << d.format();
  const std::vector<Observation> merged = merge_figures({*a, *b}, d);
  ASSERT_EQ(d.items().size(), 1u) << d.format();
  EXPECT_NE(d.format().find("b.csv:3:1: error: va_ytd_yoy coal_mining 2023-06 is 0.051 here but 0.05 at a.csv:2"),
            std::string::npos) << d.format();
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].where.file, "a.csv");
  EXPECT_EQ(merged[1].where.file, "a.csv");
  EXPECT_EQ(merged[2].month, "2023-03");
  Diagnostics clean;
  const std::vector<Observation> same = merge_figures({*a, *a}, clean);
  EXPECT_TRUE(clean.ok());
  EXPECT_EQ(same.size(), 2u);
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

// industry_figures.csv: a publication date per figure, and industries that
// are not one model sector kept apart (never compared, never silently lost).
TEST(Observations, PublicationDatesAndIndustriesThatAreNotModelSectors) {
  Diagnostics d;
  const auto obs = parse_observations(
      "series,sector,measure,period_end,value,published,source,note\n"
      "manufacturing_va,,ytd_yoy,2023-03,0.133,2023-04-20,a,n\n"
      "va_industry,food,ytd_yoy,2023-06,0.06,2023-07-19,b,\n"
      "mining_va,,ytd_yoy,2023-06,0.03,2023-07-19,b,\n"
      "va,coal_mining,ytd_yoy,2023-06,0.021,,c,\n",
      "f.csv", d);
  ASSERT_TRUE(obs.has_value()) << d.format();
  ASSERT_EQ(obs->size(), 4u);
  EXPECT_EQ((*obs)[0].published, "2023-04-20");
  EXPECT_TRUE((*obs)[0].modelled());
  EXPECT_EQ((*obs)[1].industry, "va_industry/food");
  EXPECT_EQ((*obs)[1].variable, "");
  EXPECT_FALSE((*obs)[1].modelled());
  EXPECT_EQ((*obs)[2].industry, "mining_va");
  EXPECT_EQ((*obs)[3].published, "");
  EXPECT_EQ((*obs)[3].variable, "va_ytd_yoy");

  Diagnostics bad;
  EXPECT_FALSE(parse_observations("series,sector,measure,period_end,value,published\n"
                                  "manufacturing_va,,ytd_yoy,2023-06,0.08,2023-06-30\n"
                                  "manufacturing_va,,ytd_yoy,2023-03,0.13,2023-02-30\n"
                                  "va_industry,,ytd_yoy,2023-03,0.1,\n",
                                  "f.csv", bad));
  EXPECT_EQ(bad.format(),
            "f.csv:2:40: error: published 2023-06-30 before the period 2023-06 ended\n"
            "f.csv:3:40: error: expected a date YYYY-MM-DD, got '2023-02-30'\n"
            "f.csv:4:13: error: 'va_industry' needs the industry's name in `sector`\n");
}

// Consumers that compare the model with figures (calibrate, plot, report)
// keep the modelled ones and say how many they left out.
TEST(Observations, ModelledOnlyWarnsOnceAboutTheRest) {
  Diagnostics d;
  const auto obs = parse_observations("series,sector,measure,period_end,value\n"
                                      "va_industry,food,ytd_yoy,2023-06,0.06\n"
                                      "manufacturing_va,,ytd_yoy,2023-06,0.083\n"
                                      "mining_va,,ytd_yoy,2023-06,0.021\n",
                                      "f.csv", d);
  ASSERT_TRUE(obs.has_value()) << d.format();
  const std::vector<Observation> kept = modelled_only(*obs, "drawn", d);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].variable, "manufacturing_va_ytd_yoy");
  EXPECT_EQ(d.format_warnings(),
            "f.csv:2:1: warning: 2 figure(s) of industries that are not one model sector (va_industry/food ...; lines "
            "2, 4) are not drawn\n");
  Diagnostics none;
  EXPECT_EQ(modelled_only(kept, "drawn", none).size(), 1u);
  EXPECT_TRUE(none.warnings().empty());
}

// The vintage rule: periods ending by the origin, published by the end of
// the month after it.
TEST(Observations, AvailableAtAnOriginKeepsTheVintage) {
  Diagnostics d;
  const auto obs = parse_observations(
      "series,sector,measure,period_end,value,published\n"
      "manufacturing_va,,ytd_yoy,2023-03,0.133,2023-04-20\n"   // kept
      "manufacturing_va,,ytd_yoy,2023-06,0.083,2023-07-31\n"   // kept: the last day
      "industry_va,,ytd_yoy,2023-06,0.039,2023-08-01\n"        // published too late
      "industry_va,,ytd_yoy,2023-07,0.04,2023-07-31\n"         // period after the origin (a bad date would be refused)
      "va,coal_mining,ytd_yoy,2023-06,0.021,\n",               // no date: the period decides
      "f.csv", d);
  ASSERT_FALSE(obs.has_value());  // 2023-07's figure published on 2023-07-31 is before its period ended
  Diagnostics ok;
  const auto good = parse_observations(
      "series,sector,measure,period_end,value,published\n"
      "manufacturing_va,,ytd_yoy,2023-03,0.133,2023-04-20\n"
      "manufacturing_va,,ytd_yoy,2023-06,0.083,2023-07-31\n"
      "industry_va,,ytd_yoy,2023-06,0.039,2023-08-01\n"
      "industry_va,,ytd_yoy,2023-07,0.04,2023-08-15\n"
      "va,coal_mining,ytd_yoy,2023-06,0.021,\n",
      "f.csv", ok);
  ASSERT_TRUE(good.has_value()) << ok.format();
  std::vector<Observation> left_out;
  const std::vector<Observation> known = available_at(*good, "2023-06", &left_out);
  ASSERT_EQ(known.size(), 3u);
  EXPECT_EQ(known[0].where.line, 2);
  EXPECT_EQ(known[1].where.line, 3);
  EXPECT_EQ(known[2].where.line, 6);
  ASSERT_EQ(left_out.size(), 2u);
  EXPECT_EQ(left_out[0].where.line, 4);
  EXPECT_EQ(left_out[1].where.line, 5);
  EXPECT_EQ(available_at(*good, "2023-05").size(), 1u);
  EXPECT_THROW(available_at(*good, "2023-6"), std::invalid_argument);
}

// The shipped history reads, and at the shipped origin every figure is available.
TEST(Observations, TheShippedIndustryFiguresReadAndAreAllAvailableAtTheOrigin) {
  Diagnostics d;
  const auto figures = read_observations(MFGSIM_SOURCE_DIR "/data/industry_figures.csv", d);
  ASSERT_TRUE(figures.has_value()) << d.format();
  EXPECT_EQ(figures->size(), 104u);  // one row per figure (the reader refuses duplicates)
  EXPECT_EQ(available_at(*figures, "2023-06").size(), figures->size());
  int industries = 0;
  for (const Observation& f : *figures) industries += !f.modelled();
  EXPECT_EQ(industries, 45);  // 37 va_industry rows and 8 mining_va rows (data/README.md)
}

}  // namespace
}  // namespace mfgsim
