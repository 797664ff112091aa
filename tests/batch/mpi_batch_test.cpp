// `mpirun -n P mfgsim batch` (issue 5): the files equal a single-process
// run's byte for byte (manifest.json but for its "execution" block), for 2
// and 3 ranks, and MPI composes with --shard. Oversubscribed, so it runs on
// a 2-core CI machine; as root, Open MPI needs --allow-run-as-root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_support.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;
using cli_harness::describe;
using cli_harness::kSource;
using cli_harness::read_file;
using cli_harness::Result;
using cli_harness::run_mfgsim;
using cli_harness::shell_quote;
using cli_harness::TempDir;
using cli_harness::write_failing_members_batch;

std::string mpirun(int ranks) {
  std::string command = shell_quote(MFGSIM_MPIEXEC) + " -n " + std::to_string(ranks) + " --oversubscribe ";
  if (::geteuid() == 0) command += "--allow-run-as-root ";
  return command;
}

class MpiBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "mpi.yaml") << "name: mpi\n"
                                        "scenarios: [" << kSource << "/scenarios/baseline.yaml, " << kSource
                                     << "/scenarios/low_carbon_push.yaml]\n"
                                        "sweeps:\n"
                                        "  - name: g\n"
                                        "    base: " << kSource << "/scenarios/baseline.yaml\n"
                                        "    method: grid\n"
                                        "    parameters:\n"
                                        "      lending.long_term_growth: {low: 0.0, high: 0.12, points: 3}\n"
                                        "      low_carbon.retrofit_push.end: {low: 0.05, high: 0.4, points: 3}\n"
                                        "members: 5\nseed: 11\nstochastic: true\n";
    const Result single = batch("", "--out single --keep-members");
    ASSERT_EQ(single.code, 0) << describe(single);
  }
  Result batch(const std::string& prefix, const std::string& args) {
    return run_mfgsim("batch mpi.yaml --progress off " + args, dir_.path().string(), prefix);
  }
  void expect_same(const std::string& name) {
    for (const char* f : {"summary.csv", "scenarios.csv", "results.nc", "members.csv", "draws.csv"}) {
      const std::string a = read_file(dir_.path() / "single" / f), b = read_file(dir_.path() / name / f);
      EXPECT_GT(a.size(), 100u) << f;
      EXPECT_TRUE(a == b) << f << " differs between single and " << name;
    }
    auto manifest = [&](const std::string& d) {
      nlohmann::json j = nlohmann::json::parse(read_file(dir_.path() / d / "manifest.json"));
      j.erase("execution");
      return j;
    };
    EXPECT_EQ(manifest("single"), manifest(name));
  }
  TempDir dir_;
};

TEST_F(MpiBatch, TwoRanksWriteTheSingleProcessFiles) {
  const Result r = batch(mpirun(2), "--out two --keep-members");
  ASSERT_EQ(r.code, 0) << describe(r);
  expect_same("two");
  const auto manifest = nlohmann::json::parse(read_file(dir_.path() / "two" / "manifest.json"));
  EXPECT_EQ(manifest.at("execution").at("processes"), 2);
  EXPECT_NE(r.err.find("[rank 0]"), std::string::npos) << describe(r);
}

TEST_F(MpiBatch, ThreeRanksOfOneThreadWriteTheSingleProcessFiles) {
  const Result r = batch(mpirun(3), "--out three --keep-members --threads 1");
  ASSERT_EQ(r.code, 0) << describe(r);
  expect_same("three");
}

TEST_F(MpiBatch, ComposesWithShards) {
  ASSERT_EQ(batch(mpirun(2), "--keep-members --shard 1/2 --out s1").code, 0);
  ASSERT_EQ(batch("", "--keep-members --shard 2/2 --out s2").code, 0);
  const Result merged = run_mfgsim("merge s1 s2 --out merged --progress off", dir_.path().string());
  ASSERT_EQ(merged.code, 0) << describe(merged);
  expect_same("merged");
}

// A large ensemble is split over the ranks in parts; rank 0 assembles the
// parts' values (and failed members) into the unsplit run's summaries.
TEST_F(MpiBatch, LargeEnsemblesSplitOverRanksGiveTheSameFiles) {
  write_failing_members_batch(dir_, "big", 1100, 5, "[manufacturing_va_ytd_yoy, co2]");
  const Result single = run_mfgsim("batch big.yaml --out big1 --progress off", dir_.path().string());
  ASSERT_EQ(single.code, 0) << describe(single);
  const Result split = run_mfgsim("batch big.yaml --out big2 --progress off", dir_.path().string(), mpirun(2));
  ASSERT_EQ(split.code, 0) << describe(split);
  EXPECT_NE(split.err.find("saving: 1100 members in 4 parts over the ranks"), std::string::npos) << describe(split);
  for (const char* f : {"summary.csv", "scenarios.csv", "results.nc", "failures.csv"}) {
    const std::string a = read_file(dir_.path() / "big1" / f), b = read_file(dir_.path() / "big2" / f);
    EXPECT_GT(a.size(), 100u) << f;
    EXPECT_TRUE(a == b) << f << " differs";
  }
}

TEST_F(MpiBatch, ABadBatchFileStopsEveryRank) {
  std::ofstream(dir_ / "bad.yaml") << "name: bad\nscenarios: [nowhere.yaml]\n";
  const Result r = run_mfgsim("batch bad.yaml --out bad --progress off", dir_.path().string(), mpirun(2));
  EXPECT_NE(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("nowhere.yaml"), std::string::npos) << describe(r);
  EXPECT_FALSE(fs::exists(dir_.path() / "bad"));
}

}  // namespace
}  // namespace mfgsim
