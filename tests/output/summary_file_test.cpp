// sim/output/summary_file.h: what write_summary_rows (sim/output/run_outputs.h)
// writes reads back bit for bit; malformed files are reported at their place.
#include "sim/output/summary_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "sim/output/run_outputs.h"

namespace mfgsim {
namespace {

// One sector, two months from 2023-12; va and industry_va selected. Values
// chosen so that a non-shortest or rounded form would not read back equal.
TEST(SummaryFile, RoundTripWithTheWriterIsExact) {
  const Calendar calendar{{2023, 12}, 2};
  SummaryTable table;
  table.sector.resize(kSectorSeriesCount * 2);
  table.aggregate.resize(kAggregateSeriesCount * 2);
  CellSummary& va0 = table.sector[0];
  va0 = {true, 0.1, {1.0 / 3.0, 1e-300, -2.5e17, 0.30000000000000004, 6.02214076e23}, 0.0125};
  table.sector[1] = {true, -0.0, {1, 2, 3, 4, 5}};  // one member: no standard error (NaN)
  table.aggregate[1] = {true, 123456.789, {0.5, 0.5, 0.5, 0.5, 0.5}, 0.0};  // industry_va, 2024-01; 2023-12 undefined
  std::ostringstream out;
  write_summary_header(out);
  write_summary_rows(out, "base", calendar, table, {"steel"}, OutputSelection{{"va", "industry_va"}});
  EXPECT_TRUE(out.str().starts_with(
      "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\nbase,2023-12,steel,va,1e8 month-1,0.1,0.0125,"))
      << out.str();
  Diagnostics d;
  const auto records = parse_summary_csv(out.str(), "summary.csv", d);
  ASSERT_TRUE(records.has_value()) << d.format();
  ASSERT_EQ(records->size(), 4u);
  const SummaryRecord& first = (*records)[0];
  EXPECT_EQ(first.scenario + "|" + first.month + "|" + first.sector + "|" + first.variable + "|" + first.unit,
            "base|2023-12|steel|va|1e8 month-1");
  EXPECT_EQ(first.mean, 0.1);
  EXPECT_EQ(first.mean_se, 0.0125);
  for (int k = 0; k < 5; ++k) EXPECT_EQ(first.quantiles[k], va0.quantiles[k]) << k;
  EXPECT_EQ((*records)[1].month, "2024-01");
  EXPECT_TRUE(std::signbit((*records)[1].mean));  // -0 stays -0
  EXPECT_TRUE(std::isnan((*records)[1].mean_se));  // an empty mean_se: one member
  const SummaryRecord& undefined = (*records)[2];
  EXPECT_EQ(undefined.variable + "|" + undefined.sector, "industry_va|");
  EXPECT_FALSE(undefined.defined);
  EXPECT_TRUE((*records)[3].defined);
  EXPECT_EQ((*records)[3].mean, 123456.789);
}

TEST(SummaryFile, MalformedFilesReportedAtTheirPlace) {
  const std::string header = "scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n";
  Diagnostics bad_header;
  EXPECT_FALSE(parse_summary_csv("scenario,month,sector,variable,unit,avg,mean_se,p05,p25,p50,p75,p95\n", "s.csv", bad_header));
  EXPECT_EQ(bad_header.format(), "s.csv:1:37: error: expected column 'mean', got 'avg'\n");
  Diagnostics no_unit;  // a summary.csv from before the unit column
  EXPECT_FALSE(parse_summary_csv("scenario,month,sector,variable,mean,p05,p25,p50,p75,p95\n", "s.csv", no_unit));
  EXPECT_EQ(no_unit.format(),
            "s.csv:1:1: error: expected the header scenario,month,sector,variable,unit,mean,mean_se,p05,p25,p50,p75,p95\n");
  Diagnostics short_row;
  EXPECT_FALSE(parse_summary_csv(header + "b,2023-01,,va,1,1,2\n", "s.csv", short_row));
  EXPECT_EQ(short_row.format(), "s.csv:2:1: error: expected 12 fields, got 7\n");
  Diagnostics not_number;
  EXPECT_FALSE(parse_summary_csv(header + "\nb,2023-01,,va,1,1,0.5,2,x,4,5,6\n", "s.csv", not_number));
  EXPECT_EQ(not_number.format(), "s.csv:3:25: error: expected a number, got 'x'\n");
  Diagnostics empty;
  EXPECT_FALSE(parse_summary_csv("", "s.csv", empty));
  EXPECT_EQ(empty.items().size(), 1u);
  Diagnostics unreadable;
  EXPECT_FALSE(read_summary_csv("/nonexistent/summary.csv", unreadable));
  EXPECT_EQ(unreadable.items().at(0).where.file, "/nonexistent/summary.csv");
}

}  // namespace
}  // namespace mfgsim
