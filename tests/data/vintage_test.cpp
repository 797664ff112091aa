// The shipped data keep their vintage: every figure in data/ is for a period
// ending by the shipped forecast's origin (2023-06), those with a publication
// date were published by 2023-07-31, and every row names its source; the
// later figures forecasts are judged on are all after the origin.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "sim/io/csv.h"
#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

const std::string kOrigin = "2023-06", kVintage = "2023-07-31";

// Rows of a CSV as header name -> field.
std::vector<std::map<std::string, std::string>> rows_of(const fs::path& path) {
  mfgsim::Diagnostics diagnostics;
  const std::vector<mfgsim::CsvRow> rows = mfgsim::split_csv(read_file(path), path.string(), diagnostics);
  EXPECT_TRUE(diagnostics.ok()) << diagnostics.format();
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < rows[0].fields.size() && c < rows[r].fields.size(); ++c)
      row[rows[0].fields[c].text] = rows[r].fields[c].text;
    out.push_back(std::move(row));
  }
  return out;
}

TEST(DataVintage, NothingAfterTheOriginInData) {
  int figures = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/data")) {
    if (entry.path().extension() != ".csv") continue;
    for (const auto& row : rows_of(entry.path())) {
      for (const char* period : {"period_end", "month"})
        if (row.count(period) != 0) {
          ++figures;
          EXPECT_LE(row.at(period), kOrigin) << entry.path() << ": " << row.at(period);
        }
      if (row.count("published")) {
        EXPECT_LE(row.at("published"), kVintage) << entry.path();
      }
      if (row.count("period_end") || row.count("month")) {
        EXPECT_FALSE(row.at("source").empty()) << entry.path();
      }
    }
  }
  EXPECT_GT(figures, 100);  // observed.csv, targets and the industry figures
}

TEST(DataVintage, LaterFiguresAreAllAfterTheOrigin) {
  const auto rows = rows_of(kSource + "/tests/data/later_figures.csv");
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) {
    EXPECT_GT(row.at("period_end"), kOrigin);
    EXPECT_FALSE(row.at("source").empty());
  }
}

}  // namespace
