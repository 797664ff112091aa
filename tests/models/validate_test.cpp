// The model's checks across the data tables (models/validate.cpp): first
// validate_model called directly on hand-built parameters (each issue with
// its sector, column and the numbers of the check worked out by hand), then
// as the reader reports them, at the cell of the data file concerned
// (file:line:col), unless the scenario itself wrote the value: the shipped
// tables, copied into a temporary folder with one line changed, under a
// minimal scenario.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "models/parameters.h"
#include "models/validate.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

// ---------------------------------------------------------------------------
// validate_model on hand-built parameters: two sectors, both industry,
// sector 1 manufacturing and the equipment sector.
ModelParams two_sectors() {
  ModelParams p = default_model_params();
  SectorTable& st = p.sectors;
  st.names = {"mining", "machinery"};
  st.industry = {1, 1};
  st.manufacturing = {0, 1};
  st.V0 = {100.0, 40.0};
  st.v = {0.5, 0.25};  // X0 = 200, 160
  st.iota = {0.05, 0.1};
  st.loan_weight = {1.0, 3.0};
  st.capital_goods_share = {0.2, 0.7};
  p.A = (Eigen::MatrixXd(2, 2) << 0.1, 0.2, 0.15, 0.3).finished();  // column sums 0.25 < 0.5, 0.5 < 0.75
  p.global.investment_pass = 0.5;
  p.global.new_loans_base = 20.0;
  p.equipment_sector = 1;
  return p;
}

// Iref = Σ_j (ι_j V0_j + λ ω_j / Σω N0) = 5 + 4 + 0.5 x 20 = 19;
// fbar = X0 - A X0 - b Iref.
double fbar(const ModelParams& p, int i) {
  const double X0[2] = {p.sectors.V0[0] / p.sectors.v[0], p.sectors.V0[1] / p.sectors.v[1]};
  const double omega = p.sectors.loan_weight[0] + p.sectors.loan_weight[1];
  double Iref = 0.0;
  for (int j = 0; j < 2; ++j)
    Iref += p.sectors.iota[j] * p.sectors.V0[j] +
            p.global.investment_pass * p.sectors.loan_weight[j] / omega * p.global.new_loans_base;
  return X0[i] - (p.A(i, 0) * X0[0] + p.A(i, 1) * X0[1]) - p.sectors.capital_goods_share[i] * Iref;
}

const Calendar kCalendar{};

// What a test expects of the one issue validate_model finds: the fields
// given (an empty one is not checked).
struct ExpectedIssue {
  std::optional<int> sector = std::nullopt;
  std::optional<std::string> column = std::nullopt;
  std::optional<bool> io_column = std::nullopt;
  std::optional<std::string> global_path = std::nullopt;
  std::optional<std::string> message = std::nullopt;
};

// validate_model finds exactly one issue in p, with the fields of `expected`.
void expect_one_issue(const ModelParams& p, const ExpectedIssue& expected) {
  const std::vector<ModelIssue> issues = validate_model(p, kCalendar);
  ASSERT_EQ(issues.size(), 1u);
  const ModelIssue& issue = issues[0];
  if (expected.sector) {
    EXPECT_EQ(issue.sector, *expected.sector);
  }
  if (expected.column) {
    EXPECT_EQ(issue.column, *expected.column);
  }
  if (expected.io_column) {
    EXPECT_EQ(issue.io_column, *expected.io_column);
  }
  if (expected.global_path) {
    EXPECT_EQ(issue.global_path, *expected.global_path);
  }
  if (expected.message) {
    EXPECT_EQ(issue.message, *expected.message);
  }
}

TEST(ValidateModel, ConsistentParametersHaveNoIssue) {
  const ModelParams p = two_sectors();
  // By hand: fbar_0 = 200 - (20 + 32) - 0.2 x 19 = 144.2; fbar_1 = 160 - (30 + 48) - 0.7 x 19 = 68.7.
  EXPECT_NEAR(fbar(p, 0), 144.2, 1e-12);
  EXPECT_NEAR(fbar(p, 1), 68.7, 1e-12);
  const std::vector<ModelIssue> issues = validate_model(p, kCalendar);
  for (const ModelIssue& issue : issues) ADD_FAILURE() << issue.message;
}

TEST(ValidateModel, InputCoefficientsMustSumBelowOneMinusV) {
  ModelParams p = two_sectors();
  p.A(0, 1) = 0.5;  // column 1: 0.5 + 0.3 = 0.8, not below 1 - 0.25
  expect_one_issue(p, {.sector = 1,
                       .column = "v",
                       .io_column = true,
                       .message = "input coefficients into sector 'machinery' (its column of the input-output table) "
                                  "sum to 0.8, which must be below 1 - v = 0.75"});
}

TEST(ValidateModel, TableOfTheWrongSizeStopsTheChecks) {
  ModelParams p = two_sectors();
  p.A = Eigen::MatrixXd::Zero(3, 3);
  expect_one_issue(p, {.message = "input-output table is 3 x 3 but there are 2 sectors"});
}

TEST(ValidateModel, CapitalGoodsSharesSumAtMostOne) {
  ModelParams p = two_sectors();
  p.sectors.capital_goods_share = {0.4, 0.7};
  expect_one_issue(p, {.sector = -1,
                       .column = "capital_goods_share",
                       .message = "capital_goods_share sums to 1.1 over the sectors; it must be at most 1"});
  // Exactly 1 (to rounding) is allowed.
  p.sectors.capital_goods_share = {0.3, 0.7};
  EXPECT_TRUE(validate_model(p, kCalendar).empty());
}

TEST(ValidateModel, ManufacturingNestsInIndustryAndExists) {
  ModelParams p = two_sectors();
  p.sectors.industry[1] = 0;
  expect_one_issue(p, {.sector = 1, .column = "industry"});
  p = two_sectors();
  p.sectors.manufacturing = {0, 0};
  expect_one_issue(p, {.column = "manufacturing"});
}

TEST(ValidateModel, SomeSectorMustBorrow) {
  ModelParams p = two_sectors();
  p.sectors.loan_weight = {0, 0};
  expect_one_issue(p, {.column = "loan_weight", .message = "no sector borrows: at least one sector needs loan_weight > 0"});
}

TEST(ValidateModel, NegativeReferenceFinalDemandNamesTheSectorAndValue) {
  // Raising ι_0 to 1.5: Iref = 150 + 4 + 10 = 164, fbar_1 = 160 - 78 - 0.7 x 164 = -32.8
  // while fbar_0 = 148 - 0.2 x 164 = 115.2 stays positive.
  ModelParams p = two_sectors();
  p.sectors.iota[0] = 1.5;
  EXPECT_NEAR(fbar(p, 1), -32.8, 1e-12);
  EXPECT_GT(fbar(p, 0), 0.0);
  expect_one_issue(p, {.sector = 1,
                       .column = "V0",
                       .message = "reference final demand of sector 'machinery' is negative (" + fmt::format("{:.6g}", fbar(p, 1)) +
                                  " per month): its intermediate and investment demand exceed its month-0 output"});
}

TEST(ValidateModel, EquipmentSectorMustNameASector) {
  for (int bad : {-1, 2}) {
    ModelParams p = two_sectors();
    p.equipment_sector = bad;
    SCOPED_TRACE("equipment_sector " + std::to_string(bad));
    expect_one_issue(p, {.global_path = "low_carbon.equipment_sector"});
  }
}

// ---------------------------------------------------------------------------
// As the reader reports them.

namespace fs = std::filesystem;

const std::string kSource = MFGSIM_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  return fields;
}

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t k = 0; k < fields.size(); ++k) out += (k ? "," : "") + fields[k];
  return out;
}

// 1-based character column of field k of a CSV line without quotes.
int column_of(const std::string& line, std::size_t k) {
  int column = 1;
  for (std::size_t i = 0; i < k; ++i) column = static_cast<int>(line.find(',', column - 1)) + 2;
  return column;
}

std::size_t index_in(const std::vector<std::string>& fields, const std::string& name) {
  for (std::size_t k = 0; k < fields.size(); ++k)
    if (fields[k] == name) return k;
  ADD_FAILURE() << "no field " << name;
  return 0;
}

// The shipped sector and input-output tables in a fresh folder, editable
// line by line, and a minimal scenario naming them.
class DataChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfgsim_validate_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    sectors_ = lines_of(kSource + "/data/sectors.csv");
    io_ = lines_of(kSource + "/data/io_coefficients.csv");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string sectors_path() const { return (dir_ / "sectors.csv").string(); }
  std::string io_path() const { return (dir_ / "io.csv").string(); }
  // Sets field `column` of the sector row `sector` (or the io row of `sector`) to `value`.
  void set_sector(const std::string& sector, const std::string& column, const std::string& value) {
    set(sectors_, sector, index_in(split(sectors_[0]), column), value);
  }
  void set_io(const std::string& supplier, const std::string& user, const std::string& value) {
    set(io_, supplier, index_in(split(io_[0]), user), value);
  }
  static void set(std::vector<std::string>& lines, const std::string& row, std::size_t k, const std::string& value) {
    for (std::string& line : lines) {
      std::vector<std::string> fields = split(line);
      if (fields[0] != row) continue;
      fields[k] = value;
      line = joined(fields);
      return;
    }
    ADD_FAILURE() << "no row " << row;
  }
  int line_of(const std::string& sector) const {
    for (std::size_t k = 0; k < sectors_.size(); ++k)
      if (split(sectors_[k])[0] == sector) return static_cast<int>(k) + 1;
    return 0;
  }
  // Column of `column`'s value in `sector`'s row of the sector table.
  int sector_column(const std::string& sector, const std::string& column) const {
    return column_of(sectors_[line_of(sector) - 1], index_in(split(sectors_[0]), column));
  }
  int header_column(const std::string& column) const {
    return column_of(sectors_[0], index_in(split(sectors_[0]), column));
  }
  // Sets field `column` of every sector row to `value`.
  void set_every_sector(const std::string& column, const std::string& value) {
    for (const std::string& line : sectors_)
      if (line != sectors_[0]) set_sector(split(line)[0], column, value);
  }
  // The one error expected, at the header of the sector table's column `column`.
  std::vector<std::string> header_error(const std::string& column, const std::string& message) const {
    return {sectors_path() + ":1:" + std::to_string(header_column(column)) + ": error: " + message};
  }
  // Writes the tables and loads a scenario with `extra` YAML; returns its diagnostics.
  std::vector<std::string> errors(const std::string& extra = "") {
    auto write = [](const fs::path& path, const std::vector<std::string>& lines) {
      std::ofstream out(path);
      for (const std::string& line : lines) out << line << '\n';
    };
    write(dir_ / "sectors.csv", sectors_);
    write(dir_ / "io.csv", io_);
    const std::string yaml = "name: t\ndata:\n  sectors: " + sectors_path() + "\n  io: " + io_path() + "\n" + extra;
    const ScenarioLoad load = load_scenario_text(yaml, "t.yaml", dir_.string());
    std::vector<std::string> out;
    for (const Diagnostic& d : load.diagnostics.items()) out.push_back(d.format());
    EXPECT_EQ(load.scenario.has_value(), out.empty());
    return out;
  }

  fs::path dir_;
  std::vector<std::string> sectors_, io_;
};

TEST_F(DataChecks, ShippedTablesPass) { EXPECT_EQ(errors(), std::vector<std::string>{}); }

TEST_F(DataChecks, IoColumnSumIsReportedAtItsColumn) {
  // coking_petroleum: v = 0.2, so its inputs must sum below 0.8; 0.45 -> 0.85 makes 1.01.
  set_io("coal_mining", "coking_petroleum", "0.85");
  const int column = column_of(io_[0], index_in(split(io_[0]), "coking_petroleum"));
  EXPECT_EQ(errors(), std::vector<std::string>{io_path() + ":1:" + std::to_string(column) +
                                               ": error: input coefficients into sector 'coking_petroleum' (its "
                                               "column of the input-output table) sum to 1.01, which must be below "
                                               "1 - v = 0.8 (v is at " + sectors_path() + ":" +
                                               std::to_string(line_of("coking_petroleum")) + ":" +
                                               std::to_string(sector_column("coking_petroleum", "v")) + ")"});
}

TEST_F(DataChecks, IoColumnSumWithAnOverriddenVIsReportedAtTheOverride) {
  // The shipped column sums to 0.61 < 1 - 0.2; with v = 0.4 it is not below 0.6.
  EXPECT_EQ(errors("sector_overrides:\n  coking_petroleum: {v: 0.4}\n"),
            std::vector<std::string>{"t.yaml:6:25: error: input coefficients into sector 'coking_petroleum' (its "
                                     "column of the input-output table) sum to 0.61, which must be below 1 - v = 0.6 "
                                     "(the column is at " + io_path() + ":1:" +
                                     std::to_string(column_of(io_[0], index_in(split(io_[0]), "coking_petroleum"))) +
                                     ")"});
}

TEST_F(DataChecks, CapitalGoodsSharesSumIsReportedAtTheColumnHeader) {
  set_sector("equipment", "capital_goods_share", "0.95");  // 0.04 + 0.05 + 0.95 + 0.005 + 0.02 + 0.02 = 1.085
  EXPECT_EQ(errors(), header_error("capital_goods_share", "capital_goods_share sums to 1.085 over the sectors; it must be at most 1"));
}

TEST_F(DataChecks, NoBorrowerIsReportedAtTheColumnHeader) {
  set_every_sector("loan_weight", "0");
  EXPECT_EQ(errors(), header_error("loan_weight", "no sector borrows: at least one sector needs loan_weight > 0"));
}

TEST_F(DataChecks, ManufacturingOutsideIndustryIsReportedAtItsValue) {
  set_sector("equipment", "industry", "0");
  EXPECT_EQ(errors(), std::vector<std::string>{sectors_path() + ":" + std::to_string(line_of("equipment")) + ":" +
                                               std::to_string(sector_column("equipment", "industry")) +
                                               ": error: sector 'equipment' counts in manufacturing but not in "
                                               "industry: manufacturing is part of all industry, so industry must be 1 "
                                               "where manufacturing is 1"});
}

TEST_F(DataChecks, NoManufacturingSectorIsReportedAtTheColumnHeader) {
  set_every_sector("manufacturing", "0");
  EXPECT_EQ(errors(), header_error("manufacturing", "no sector has manufacturing = 1: the manufacturing aggregates (value "
                                                    "added, adoption, long-term loan share) need at least one"));
}

TEST_F(DataChecks, NegativeFinalDemandIsReportedAtTheSectorsValue) {
  set_sector("coal_mining", "V0", "20");
  const std::vector<std::string> e = errors();
  ASSERT_EQ(e.size(), 1u);
  const std::string at = sectors_path() + ":" + std::to_string(line_of("coal_mining")) + ":" +
                         std::to_string(sector_column("coal_mining", "V0")) + ": error: ";
  EXPECT_EQ(e[0].rfind(at + "reference final demand of sector 'coal_mining' is negative (", 0), 0u) << e[0];
}

}  // namespace
}  // namespace mfgsim
