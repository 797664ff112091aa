// results.nc: a small batch written by BatchOutputs reads back with the
// NetCDF C API: dimensions, coordinates, CF attributes, summaries equal to
// summary.csv, member values equal to the runs' and NaN fill.
#include <gtest/gtest.h>
#include <netcdf.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "sim/batch/batch_outputs.h"
#include "sim/output/summary_file.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;
const std::string kSource = MFGSIM_SOURCE_DIR;

std::string text_attribute(int ncid, int var, const char* name) {
  std::size_t length = 0;
  if (nc_inq_attlen(ncid, var, name, &length) != NC_NOERR) return "";
  std::string out(length, '\0');
  nc_get_att_text(ncid, var, name, out.data());
  return out;
}

class NetcdfFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mfgsim_netcdf_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // Two scenario files with 4 and 2 members (no batch override) and a
    // two-sample sweep.
    std::ofstream(dir_ / "base.yaml") << "name: base\nextends: " << kSource << "/scenarios/baseline.yaml\n"
                                      << "lending: {long_term_growth: 0.03}\nensemble: {members: 4}\n";
    std::ofstream(dir_ / "small.yaml") << "name: small\nextends: base.yaml\nensemble: {members: 2}\n";
    const BatchLoad load = load_batch_text(
        "name: nc\nscenarios: [base.yaml, small.yaml]\n"
        "sweeps:\n  - {name: g, base: base.yaml, method: grid, parameters: {lending.long_term_growth: {low: 0, high: 0.1, points: 2}}}\n"
        "seed: 5\noutputs: [manufacturing_va_ytd_yoy, manufacturing_va, va]\n",
        (dir_ / "b.yaml").string(), dir_.string());
    ASSERT_TRUE(load.batch) << load.diagnostics.format();
    batch_ = *load.batch;
    BatchOutputs outputs(batch_, dir_, false, "test");
    run_batch(batch_, BatchRunOptions{}, [&](std::size_t index, EnsembleResult& r) {
      kept_.push_back(r.kept);
      outputs.add(index, r);
    });
    outputs.close();
    ASSERT_EQ(nc_open((dir_ / "results.nc").c_str(), NC_NOWRITE, &ncid_), NC_NOERR);
  }
  void TearDown() override {
    if (ncid_ >= 0) nc_close(ncid_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::size_t dimension(const char* name) {
    int dim = -1;
    std::size_t length = 0;
    EXPECT_EQ(nc_inq_dimid(ncid_, name, &dim), NC_NOERR) << name;
    nc_inq_dimlen(ncid_, dim, &length);
    return length;
  }
  int variable(const char* name) {
    int var = -1;
    EXPECT_EQ(nc_inq_varid(ncid_, name, &var), NC_NOERR) << name;
    return var;
  }
  double value(const char* name, std::vector<std::size_t> index) {
    double x = 0.0;
    EXPECT_EQ(nc_get_var1_double(ncid_, variable(name), index.data(), &x), NC_NOERR) << name;
    return x;
  }
  fs::path dir_;
  Batch batch_;
  std::vector<std::vector<double>> kept_;
  int ncid_ = -1;
};

TEST_F(NetcdfFile, DimensionsCoordinatesAndAttributes) {
  EXPECT_EQ(dimension("scenario"), 4u);
  EXPECT_EQ(dimension("time"), 120u);
  EXPECT_EQ(dimension("sector"), 10u);
  EXPECT_EQ(dimension("quantile_level"), 5u);
  EXPECT_EQ(dimension("member"), 4u);  // the largest member count
  EXPECT_EQ(dimension("parameter"), 1u);
  EXPECT_EQ(text_attribute(ncid_, NC_GLOBAL, "Conventions"), "CF-1.8");
  EXPECT_EQ(text_attribute(ncid_, NC_GLOBAL, "source"), std::string("mfgsim ") + MFGSIM_VERSION);
  // Time: days since 1970-01-01 of each month's first day.
  const int time = variable("time");
  EXPECT_EQ(text_attribute(ncid_, time, "units"), "days since 1970-01-01");
  EXPECT_EQ(text_attribute(ncid_, time, "standard_name"), "time");
  EXPECT_EQ(text_attribute(ncid_, time, "bounds"), "time_bnds");
  EXPECT_EQ(value("time", {0}), 18628.0);  // 2021-01-01
  EXPECT_EQ(value("time", {12}), 18993.0);  // 2022-01-01
  EXPECT_EQ(value("time_bnds", {0, 1}), 18659.0);  // 2021-02-01
  EXPECT_EQ(days_since_epoch({1970, 1}), 0);
  EXPECT_EQ(days_since_epoch({2000, 3}), 11017);
  // String coordinates.
  char* names[4] = {};
  ASSERT_EQ(nc_get_var_string(ncid_, variable("scenario"), names), NC_NOERR);
  EXPECT_STREQ(names[0], "base");
  EXPECT_STREQ(names[3], "g_1");
  nc_free_string(4, names);
  char* sector = nullptr;
  const std::size_t first = 0;
  ASSERT_EQ(nc_get_var1_string(ncid_, variable("sector"), &first, &sector), NC_NOERR);
  EXPECT_STREQ(sector, "coal_mining");
  nc_free_string(1, &sector);
  EXPECT_EQ(value("quantile_level", {2}), 0.5);
  // Series: units, long name, NaN fill; only the selected series.
  const int growth = variable("manufacturing_va_ytd_yoy");
  EXPECT_EQ(text_attribute(ncid_, growth, "units"), "1");
  // UDUNITS-2 units (python/tests check that UDUNITS parses every one) and the unit for people.
  EXPECT_EQ(text_attribute(ncid_, variable("va_by_sector"), "units"), "1e8 month-1");
  EXPECT_EQ(text_attribute(ncid_, variable("va_by_sector"), "unit_label"), "100 million yuan/month (2020 prices)");
  EXPECT_NE(text_attribute(ncid_, growth, "long_name").find("year-to-date growth"), std::string::npos);
  double fill = 0.0;
  int no_fill = 1;
  ASSERT_EQ(nc_inq_var_fill(ncid_, growth, &no_fill, &fill), NC_NOERR);
  EXPECT_EQ(no_fill, 0);
  EXPECT_TRUE(std::isnan(fill));
  int var = -1;
  EXPECT_NE(nc_inq_varid(ncid_, "co2", &var), NC_NOERR);
  int dims[4];
  int ndims = 0;
  nc_inq_varndims(ncid_, variable("va_by_sector"), &ndims);
  EXPECT_EQ(ndims, 4);
  nc_inq_vardimid(ncid_, variable("va_by_sector"), dims);
  char dim_name[NC_MAX_NAME + 1];
  const char* expected[4] = {"scenario", "time", "sector", "quantile_level"};
  for (int k = 0; k < 4; ++k) {
    nc_inq_dimname(ncid_, dims[k], dim_name);
    EXPECT_STREQ(dim_name, expected[k]);
  }
  // Per scenario: members and swept values (NaN where a scenario file's value
  // is not a single number; here the base's own 0.03).
  EXPECT_EQ(value("member_count", {1}), 2.0);
  EXPECT_EQ(value("parameter_value", {0, 0}), 0.03);
  EXPECT_EQ(value("parameter_value", {3, 0}), 0.1);
}

TEST_F(NetcdfFile, SummariesEqualSummaryCsv) {
  Diagnostics diagnostics;
  const auto records = read_summary_csv((dir_ / "summary.csv").string(), diagnostics);
  ASSERT_TRUE(records) << diagnostics.format();
  std::map<std::string, std::size_t> scenario = {{"base", 0}, {"small", 1}, {"g_0", 2}, {"g_1", 3}};
  std::map<std::string, std::size_t> sector;
  for (std::size_t i = 0; i < batch_.entries[0].scenario.params.sectors.names.size(); ++i)
    sector[batch_.entries[0].scenario.params.sectors.names[i]] = i;
  std::size_t checked = 0, undefined = 0;
  for (std::size_t k = 0; k < records->size(); k += 7) {  // every 7th row: all variables, months, sectors
    const SummaryRecord& r = (*records)[k];
    const std::size_t s = scenario.at(r.scenario);
    const std::size_t t = static_cast<std::size_t>(months_between({2021, 1}, *parse_year_month(r.month)));
    const std::string name = r.sector.empty() ? r.variable : r.variable + "_by_sector";
    std::vector<std::size_t> at = {s, t};
    if (!r.sector.empty()) at.push_back(sector.at(r.sector));
    std::vector<std::size_t> q = at;
    q.push_back(2);
    if (!r.defined) {
      EXPECT_TRUE(std::isnan(value(name.c_str(), q))) << name << " " << r.month;
      ++undefined;
      continue;
    }
    EXPECT_EQ(value(name.c_str(), q), r.quantiles[2]) << name << " " << r.scenario << " " << r.month;
    q.back() = 4;
    EXPECT_EQ(value(name.c_str(), q), r.quantiles[4]) << name;
    EXPECT_EQ(value((name + "_mean").c_str(), at), r.mean) << name;
    const double se = value((name + "_mean_se").c_str(), at);
    EXPECT_TRUE(se == r.mean_se || (std::isnan(se) && std::isnan(r.mean_se))) << name;
    ++checked;
  }
  EXPECT_GT(checked, 300u);
  EXPECT_GT(undefined, 5u);
}

TEST_F(NetcdfFile, MemberValuesEqualTheRuns) {
  // manufacturing_va is the 8th headline series: kept[(7 * T + t) * M + m].
  const int var = variable("manufacturing_va_members");
  for (std::size_t s = 0; s < 4; ++s) {
    const std::size_t M = s == 1 ? 2 : 4;
    for (std::size_t t : {0, 59, 119})
      for (std::size_t m = 0; m < 4; ++m) {
        const std::size_t index[3] = {s, t, m};
        double x = 0.0;
        ASSERT_EQ(nc_get_var1_double(ncid_, var, index, &x), NC_NOERR);
        if (m >= M) EXPECT_TRUE(std::isnan(x)) << "beyond the scenario's members";
        else EXPECT_EQ(x, kept_[s][(7 * 120 + t) * M + m]) << s << " " << t << " " << m;
      }
  }
  // Growth is undefined in the first year.
  const std::size_t early[3] = {0, 3, 0};
  double x = 0.0;
  nc_get_var1_double(ncid_, variable("manufacturing_va_ytd_yoy_members"), early, &x);
  EXPECT_TRUE(std::isnan(x));
}

TEST_F(NetcdfFile, ScenariosCsvListsSweepValues) {
  std::ifstream in(dir_ / "scenarios.csv");
  std::string header, base, small, g1;
  std::getline(in, header);
  std::getline(in, base);
  std::getline(in, small);
  std::getline(in, g1);
  std::getline(in, g1);
  EXPECT_EQ(header, "index,scenario,source,sweep,sample,members,seed,stochastic,failed_members,lending.long_term_growth");
  EXPECT_EQ(base, "0,base,base.yaml,,,4,5,true,0,0.03");
  EXPECT_EQ(g1, "3,g_1,base.yaml,g,1,4,5,true,0,0.1");
}

}  // namespace
}  // namespace mfgsim
