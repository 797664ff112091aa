// Batches beyond one process (issue 5), end to end through the CLI: a batch
// sharded into 3 and merged equals the unsharded run byte for byte; a batch
// killed midway leaves the previous result intact and --resume finishes it
// with the same bytes; merge refuses incomplete or foreign shards; records
// reject damage. (MPI: tests/mpi/.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/batch/batch.h"
#include "sim/batch/batch_job.h"
#include "sim/batch/batch_record.h"
#include "sim/io/hashing.h"
#include "tests/cli/cli_support.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;
using cli_harness::describe;
using cli_harness::kBinary;
using cli_harness::kSource;
using cli_harness::read_file;
using cli_harness::Result;
using cli_harness::run_mfgsim;
using cli_harness::TempDir;
using cli_harness::write_failing_members_batch;

// A batch of two scenario files and a sweep of `samples` samples, written
// into `dir` (scenario paths absolute, so the batch runs from anywhere).
std::string write_batch(const TempDir& dir, int samples, const std::string& extra = "") {
  const std::string path = dir / "cluster.yaml";
  std::ofstream(path) << "name: cluster\n"
                         "scenarios: ["
                      << kSource << "/scenarios/baseline.yaml, " << kSource
                      << "/scenarios/credit_expansion.yaml]\n"
                         "sweeps:\n"
                         "  - name: s\n"
                         "    base: "
                      << kSource
                      << "/scenarios/baseline.yaml\n"
                         "    method: sobol\n"
                         "    samples: "
                      << samples
                      << "\n"
                         "    parameters:\n"
                         "      lending.long_term_growth: {low: 0.0, high: 0.15}\n"
                         "      intelligent_manufacturing.innovation_p: {low: 0.005, high: 0.04}\n"
                         "members: 6\nseed: 7\nstochastic: true\n"
                      << extra;
  return path;
}

Result batch(const TempDir& dir, const std::string& args) {
  return run_mfgsim("batch cluster.yaml --progress off " + args, dir.path().string());
}

nlohmann::json manifest_without_execution(const fs::path& dir) {
  nlohmann::json j = nlohmann::json::parse(read_file(dir / "manifest.json"));
  j.erase("execution");
  return j;
}

// The result files of two folders are the same bytes, manifest.json but for
// its "execution" block.
void expect_same_result(const fs::path& a, const fs::path& b, bool members = false) {
  std::vector<std::string> files = {"summary.csv", "scenarios.csv", "results.nc"};
  if (members) files.push_back("members.csv");
  if (fs::exists(a / "draws.csv") || fs::exists(b / "draws.csv")) files.push_back("draws.csv");
  if (fs::exists(a / "failures.csv") || fs::exists(b / "failures.csv")) files.push_back("failures.csv");
  for (const std::string& f : files) {
    ASSERT_TRUE(fs::exists(a / f)) << a / f;
    ASSERT_TRUE(fs::exists(b / f)) << b / f;
    const std::string x = read_file(a / f), y = read_file(b / f);
    if (f != "failures.csv") {  // failures.csv: a header when none failed
      EXPECT_GT(x.size(), 100u) << f;
    }
    EXPECT_TRUE(x == y) << f << " differs between " << a << " and " << b;
  }
  EXPECT_EQ(manifest_without_execution(a), manifest_without_execution(b));
}

std::size_t records_in(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) n += e.path().extension() == ".rec" ? 1 : 0;
  return n;
}

TEST(BatchShards, ThreeShardsMergeToTheUnshardedResult) {
  TempDir dir;
  write_batch(dir, 10);  // 12 scenarios: shards of 4
  const Result full = batch(dir, "--out full --keep-members");
  ASSERT_EQ(full.code, 0) << describe(full);
  for (int k = 1; k <= 3; ++k) {
    const Result shard = batch(dir, "--keep-members --shard " + std::to_string(k) + "/3 --out s" + std::to_string(k));
    ASSERT_EQ(shard.code, 0) << describe(shard);
  }
  // Round robin: shard 2 holds scenarios 1, 4, 7, 10 and nothing else.
  for (std::size_t index = 0; index < 12; ++index)
    EXPECT_EQ(fs::exists(record_path(dir.path() / "s2" / "records", index)), index % 3 == 1) << index;
  const auto shard = nlohmann::json::parse(read_file(dir.path() / "s2" / "shard.json"));
  EXPECT_EQ(shard.at("shard"), 2);
  EXPECT_EQ(shard.at("shards"), 3);
  EXPECT_FALSE(fs::exists(dir.path() / ".s2.checkpoint"));

  const Result merged = run_mfgsim("merge s3 s1 s2 --out merged --progress off", dir.path().string());
  ASSERT_EQ(merged.code, 0) << describe(merged);
  expect_same_result(dir.path() / "full", dir.path() / "merged", true);
  const auto manifest = nlohmann::json::parse(read_file(dir.path() / "merged" / "manifest.json"));
  EXPECT_EQ(manifest.at("execution").at("merged_shards"), 3);
}

// Members stopped by a numerical guard travel in the records: the merged
// failures.csv and failed_members counts equal the unsharded run's.
TEST(BatchShards, FailedMembersSurviveShardingAndMerging) {
  TempDir dir;
  write_failing_members_batch(dir, "cluster", 12, 3, "[manufacturing_va]");
  const Result full = batch(dir, "--out full");
  ASSERT_EQ(full.code, 0) << describe(full);
  EXPECT_NE(full.err.find("member(s) failed"), std::string::npos) << describe(full);
  const std::string failures = read_file(dir.path() / "full" / "failures.csv");
  EXPECT_NE(failures.find("saving,"), std::string::npos) << failures;
  for (int k = 1; k <= 2; ++k)
    ASSERT_EQ(batch(dir, "--shard " + std::to_string(k) + "/2 --out s" + std::to_string(k)).code, 0);
  const Result merged = run_mfgsim("merge s1 s2 --out merged --progress off", dir.path().string());
  ASSERT_EQ(merged.code, 0) << describe(merged);
  EXPECT_NE(merged.err.find("member(s) failed"), std::string::npos) << describe(merged);
  expect_same_result(dir.path() / "full", dir.path() / "merged");
  EXPECT_GT(nlohmann::json::parse(read_file(dir.path() / "merged" / "manifest.json")).at("failed_members"), 0);
}

TEST(BatchShards, MergeRefusesIncompleteForeignOrChangedShards) {
  TempDir dir;
  const std::string path = write_batch(dir, 4);
  for (int k = 1; k <= 3; ++k)
    ASSERT_EQ(batch(dir, "--shard " + std::to_string(k) + "/3 --out s" + std::to_string(k)).code, 0);
  ASSERT_EQ(batch(dir, "--shard 3/3 --seed 9 --out other").code, 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"merge s1 s2", "shards missing: 3 of 3"},
      {"merge s1 s2 s2 s3", "argument 's2' given twice"},
      {"merge s1 s2 other", "fingerprints differ"},
      {"merge s1 s2 nowhere", "nowhere: not a shard folder (no shard.json"},
  };
  for (const auto& [args, message] : cases) {
    const Result r = run_mfgsim(args + " --out merged --progress off", dir.path().string());
    EXPECT_EQ(r.code, 2) << args << "\n" << describe(r);
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << describe(r);
    EXPECT_FALSE(fs::exists(dir.path() / "merged")) << args;
  }
  // The batch file edited after the shards ran: its numbers may differ.
  std::ofstream(path, std::ios::app) << "# edited\n";
  const Result r = run_mfgsim("merge s1 s2 s3 --out merged --progress off", dir.path().string());
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find("input files changed since the shards ran: cluster.yaml (sha256 "), std::string::npos)
      << describe(r);
  EXPECT_FALSE(fs::exists(dir.path() / "merged"));
}

// validate_merge reports every problem with the shard folders before any
// work, each as the CLI prints it; nothing is written. A shard.json not
// written by mfgsim is an I/O failure (std::runtime_error).
TEST(BatchShards, ValidateMergeReportsEveryProblemAndWritesNothing) {
  TempDir dir;
  write_batch(dir, 4);
  for (int k = 1; k <= 3; ++k)
    ASSERT_EQ(batch(dir, "--shard " + std::to_string(k) + "/3 --out s" + std::to_string(k)).code, 0);
  ASSERT_EQ(batch(dir, "--shard 3/3 --seed 9 --out other").code, 0);
  const fs::path s1 = dir.path() / "s1", s2 = dir.path() / "s2", s3 = dir.path() / "s3";
  auto problems = [&](std::vector<fs::path> shards) {
    MergeOptions options;
    options.shards = std::move(shards);
    options.out = dir.path() / "merged";
    options.batch_path = (dir.path() / "cluster.yaml").string();
    return validate_merge(options);
  };
  EXPECT_TRUE(problems({s3, s1, s2}).ok()) << problems({s3, s1, s2}).format();

  Diagnostics d = problems({s1, s2});
  ASSERT_EQ(d.items().size(), 1u) << d.format();
  EXPECT_EQ(d.items()[0].format(),
            "mfgsim: error: shards missing: 3 of 3 (merge needs every shard of the batch)");
  d = problems({s1, s2, s2, dir.path() / "other", dir.path() / "nowhere"});
  ASSERT_EQ(d.items().size(), 3u) << d.format();
  EXPECT_EQ(d.items()[0].format(),
            "mfgsim: error: " + (s2 / "shard.json").string() + ": shard 2 given twice (also " + s2.string() + ")");
  EXPECT_EQ(d.items()[1].format(), "mfgsim: error: " + (dir.path() / "other" / "shard.json").string() +
                                       ": a shard of another batch or other options than " + s1.string() +
                                       " (fingerprints differ)");
  EXPECT_EQ(d.items()[2].format(), "mfgsim: error: " + (dir.path() / "nowhere").string() +
                                       ": not a shard folder (no shard.json; made by mfgsim batch --shard K/N)");
  // A record lost from a shard folder.
  fs::remove_all(s2 / "records");
  d = problems({s1, s2, s3});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.items()[0].format().find(s2.string() + ": scenario 1 ("), std::string::npos) << d.format();
  EXPECT_NE(d.items()[0].format().find(") has no record"), std::string::npos) << d.format();
  EXPECT_FALSE(fs::exists(dir.path() / "merged"));
  MergeOptions invalid;
  invalid.shards = {s1, s2, s3};
  invalid.out = dir.path() / "merged";
  invalid.batch_path = (dir.path() / "cluster.yaml").string();
  EXPECT_THROW(merge_shards(invalid), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir.path() / "merged"));
  // Not written by mfgsim: an I/O failure, not a diagnostic.
  std::ofstream(s1 / "shard.json") << R"({"program": "other"})";
  EXPECT_THROW(problems({s1, s3}), std::runtime_error);
}

// scripts/slurm_array.sh against a stand-in `sbatch` that runs each job at
// once (array tasks one after another): the script's commands make the
// batch's result.
TEST(BatchShards, SlurmArrayScriptMakesTheUnshardedResult) {
  TempDir dir;
  write_batch(dir, 4, "outputs: [manufacturing_va_ytd_yoy]\n");
  ASSERT_EQ(batch(dir, "--out direct").code, 0);
  fs::create_directories(dir.path() / "bin");
  const std::string fake = dir / "bin/sbatch";
  std::ofstream(fake) << "#!/bin/bash\n"
                         "array= wrap=\n"
                         "for a in \"$@\"; do case $a in --array=*) array=${a#--array=};; --wrap=*) wrap=${a#--wrap=};; esac; done\n"
                         "echo \"$@\" >> sbatch.calls\n"
                         "if [[ -n $array ]]; then\n"
                         "  for ((k=${array%-*}; k<=${array#*-}; k++)); do SLURM_ARRAY_TASK_ID=$k sh -c \"$wrap\" >/dev/null 2>&1 || exit 1; done\n"
                         "else sh -c \"$wrap\" >/dev/null 2>&1 || exit 1; fi\n"
                         "echo $RANDOM\n";
  fs::permissions(fake, fs::perms::owner_all);
  const std::string command = "cd " + cli_harness::shell_quote(dir.path().string()) + " && PATH=" +
                              cli_harness::shell_quote((dir.path() / "bin").string()) + ":$PATH MFGSIM=" +
                              cli_harness::shell_quote(kBinary) + " bash " + cli_harness::shell_quote(kSource) +
                              "/scripts/slurm_array.sh cluster.yaml 3 arr >script.out 2>script.err";
  const int status = std::system(command.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(dir.path() / "script.out");
  r.err = read_file(dir.path() / "script.err");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("submitted shards as job array"), std::string::npos) << describe(r);
  const std::string calls = read_file(dir.path() / "sbatch.calls");
  EXPECT_NE(calls.find("--array=1-3"), std::string::npos) << calls;
  EXPECT_NE(calls.find("--dependency=afterok:"), std::string::npos) << calls;
  expect_same_result(dir.path() / "direct", dir.path() / "arr");
  EXPECT_TRUE(fs::exists(dir.path() / "arr.shards" / "2" / "shard.json"));
}

// Starts `mfgsim batch` in `dir` (stdout, stderr to /dev/null); returns its pid.
pid_t start_batch(const TempDir& dir, const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.path().c_str()) != 0) ::_exit(127);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> argv = {const_cast<char*>(kBinary.c_str()), const_cast<char*>("batch"),
                               const_cast<char*>("cluster.yaml"), const_cast<char*>("--progress"),
                               const_cast<char*>("off")};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kBinary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// Kills `pid` with SIGKILL once `checkpoint` holds at least `records`
// records; returns the records then. Fails the test if the batch ended first.
std::size_t kill_after(pid_t pid, const fs::path& checkpoint, std::size_t records) {
  std::size_t seen = 0;
  for (int k = 0; k < 6000 && (seen = records_in(checkpoint)) < records; ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the batch ended before it was killed: make it longer";
  return records_in(checkpoint);
}

TEST(BatchResume, KilledMidwayKeepsThePreviousResultAndResumesToTheSameBytes) {
  TempDir dir;
  write_batch(dir, 40, "outputs: [manufacturing_va_ytd_yoy, co2]\n");  // less to write: a quicker test
  ASSERT_EQ(batch(dir, "--out reference").code, 0);
  // A previous, complete result in `out` (another seed, so it differs).
  const Result previous = batch(dir, "--out out --seed 99");
  ASSERT_EQ(previous.code, 0) << describe(previous);
  const std::string previous_summary = read_file(dir.path() / "out" / "summary.csv");

  const pid_t pid = start_batch(dir, {"--out", "out", "--threads", "1"});
  const std::size_t done = kill_after(pid, dir.path() / ".out.checkpoint", 3);
  ASSERT_GE(done, 3u);
  ASSERT_LT(done, 42u);
  // Killed at any point: the previous result is untouched.
  EXPECT_TRUE(read_file(dir.path() / "out" / "summary.csv") == previous_summary);
  EXPECT_EQ(nlohmann::json::parse(read_file(dir.path() / "out" / "manifest.json")).at("scenarios").at(0).at("seed"), 99);

  const Result resumed = batch(dir, "--out out --resume");
  ASSERT_EQ(resumed.code, 0) << describe(resumed);
  EXPECT_NE(resumed.err.find(std::to_string(done) + " of 42 scenarios already done"), std::string::npos)
      << describe(resumed);
  expect_same_result(dir.path() / "reference", dir.path() / "out");
  const auto manifest = nlohmann::json::parse(read_file(dir.path() / "out" / "manifest.json"));
  EXPECT_EQ(manifest.at("execution").at("resumed_scenarios"), done);
  // Done: no checkpoint, no staging folder of the killed run left behind.
  for (const auto& e : fs::directory_iterator(dir.path()))
    EXPECT_FALSE(e.path().filename().string().starts_with(".out")) << e.path();
}

// Records of other options are never reused, and --resume with other options
// is refused (exit 2, the checkpoint kept) rather than silently starting
// afresh (found by a new user's trial); without --resume the batch starts
// afresh and says it discards the checkpoint.
TEST(BatchResume, RecordsOfOtherOptionsAreNotReused) {
  TempDir dir;
  write_batch(dir, 40, "outputs: [manufacturing_va_ytd_yoy, co2]\n");  // less to write: a quicker test
  const pid_t pid = start_batch(dir, {"--out", "out", "--threads", "1"});
  const std::size_t done = kill_after(pid, dir.path() / ".out.checkpoint", 3);
  ASSERT_GE(done, 3u);
  const Result other = batch(dir, "--out out --resume --members 5");
  EXPECT_EQ(other.code, 2) << describe(other);
  EXPECT_NE(other.err.find("--resume: none of the " + std::to_string(done) + " scenario(s) recorded in the checkpoint"),
            std::string::npos)
      << describe(other);
  EXPECT_EQ(records_in(dir.path() / ".out.checkpoint"), done);
  // Other members: other numbers; every scenario runs again.
  const Result afresh = batch(dir, "--out out --members 5");
  ASSERT_EQ(afresh.code, 0) << describe(afresh);
  EXPECT_NE(afresh.err.find("discarding the checkpoint"), std::string::npos) << describe(afresh);
  EXPECT_EQ(nlohmann::json::parse(read_file(dir.path() / "out" / "manifest.json")).at("execution").at("resumed_scenarios"),
            0);
}

TEST(BatchResume, ASecondBatchIntoTheSameFolderIsRefused) {
  TempDir dir;
  write_batch(dir, 2);
  const fs::path checkpoint = dir.path() / ".out.checkpoint";
  fs::create_directories(checkpoint);
  const int fd = ::open((checkpoint / "lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const Result r = batch(dir, "--out out");
  ::close(fd);
  EXPECT_EQ(r.code, 1) << describe(r);
  // Named as the user gave it (it named the folder holding it).
  EXPECT_NE(r.err.find("another mfgsim batch is writing out (it holds "), std::string::npos) << describe(r);
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
  // Once the lock is free, the same command runs.
  EXPECT_EQ(batch(dir, "--out out").code, 0);
}

// ---- inputs: every file read is in the fingerprint (issue 12, item 2) ----------

// A batch like write_batch's whose scenarios read data tables in `dir`
// (sectors.csv, io.csv: copies of the shipped ones).
void write_local_data_batch(const TempDir& dir, int samples) {
  fs::copy_file(kSource + "/data/sectors.csv", dir / "sectors.csv");
  fs::copy_file(kSource + "/data/io_coefficients.csv", dir / "io.csv");
  std::ofstream(dir / "local.yaml") << "name: local\nextends: " << kSource
                                    << "/scenarios/baseline.yaml\ndata: {sectors: sectors.csv, io: io.csv}\n";
  std::ofstream(dir / "cluster.yaml") << "name: cluster\nscenarios: [local.yaml]\nsweeps:\n  - name: s\n"
                                         "    base: local.yaml\n    method: lhs\n    samples: "
                                      << samples
                                      << "\n    parameters:\n      lending.long_term_growth: {low: 0.0, high: 0.15}\n"
                                         "members: 6\nseed: 7\nstochastic: true\noutputs: [manufacturing_va_ytd_yoy]\n";
}

// Scales column `column` of the first data row of the CSV file `path` by 1.3.
void edit_first_row(const fs::path& path, const std::string& column) {
  std::istringstream in(read_file(path));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    rows.emplace_back();
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) rows.back().push_back(f);
  }
  const auto k = static_cast<std::size_t>(
      std::find(rows[0].begin(), rows[0].end(), column) - rows[0].begin());
  ASSERT_LT(k, rows[0].size()) << column;
  rows[1][k] = std::to_string(std::stod(rows[1][k]) * 1.3);
  std::ofstream out(path);
  for (const auto& row : rows) {
    for (std::size_t j = 0; j < row.size(); ++j) out << (j ? "," : "") << row[j];
    out << "\n";
  }
}

TEST(BatchInputs, ManifestsHashEveryDataTable) {
  TempDir dir;
  write_local_data_batch(dir, 2);
  ASSERT_EQ(batch(dir, "--out out").code, 0);
  ASSERT_EQ(run_mfgsim("run local.yaml --members 4 --out run", dir.path().string()).code, 0);
  for (const char* folder : {"out", "run"}) {
    const auto manifest = nlohmann::json::parse(read_file(dir.path() / folder / "manifest.json"));
    ASSERT_EQ(manifest.at("data_files").size(), 2u) << folder << ": " << manifest.dump();
    for (const nlohmann::json& f : manifest.at("data_files"))
      EXPECT_EQ(f.at("sha256"), sha256_file_hex((dir.path() / f.at("path").get<std::string>()).string())) << folder;
  }
}

TEST(BatchInputs, MergeRefusesShardsThatReadOtherDataTables) {
  TempDir dir;
  write_local_data_batch(dir, 3);
  ASSERT_EQ(batch(dir, "--shard 1/2 --out s1").code, 0);
  edit_first_row(dir.path() / "sectors.csv", "V0");
  ASSERT_EQ(batch(dir, "--shard 2/2 --out s2").code, 0);
  const Result r = cli_harness::expect_refused_in(dir.path(), "merge s1 s2 --out merged --progress off",
                                                  "s2/shard.json: this shard read other input files than s1: "
                                                  "sectors.csv (sha256 ");
  EXPECT_NE(r.err.find("in s1, "), std::string::npos) << describe(r);
}

TEST(BatchInputs, MergeRefusesDataChangedSinceTheShardsRan) {
  TempDir dir;
  write_local_data_batch(dir, 3);
  ASSERT_EQ(batch(dir, "--shard 1/2 --out s1").code, 0);
  ASSERT_EQ(batch(dir, "--shard 2/2 --out s2").code, 0);
  edit_first_row(dir.path() / "io.csv", "metallurgy");
  cli_harness::expect_refused_in(dir.path(), "merge s1 s2 --out merged --progress off",
                                 "input files changed since the shards ran: io.csv (sha256 ");
}

TEST(BatchInputs, ResumeRefusesDataChangedSinceTheCheckpoint) {
  TempDir dir;
  write_local_data_batch(dir, 40);
  const pid_t pid = start_batch(dir, {"--out", "out", "--threads", "1"});
  ASSERT_GE(kill_after(pid, dir.path() / ".out.checkpoint", 3), 3u);
  edit_first_row(dir.path() / "sectors.csv", "K0");
  cli_harness::expect_refused_in(dir.path(), "batch cluster.yaml --progress off --out out --resume",
                                 "--resume: input files changed since the checkpoint " + (dir / ".out.checkpoint") +
                                     " was written: sectors.csv (sha256 ");
}

// ---- streams keyed by the seed (issue 13, item 5) ------------------------------

// summary.csv's rows of `scenario` (header included), its first column dropped.
std::vector<std::string> summary_rows(const fs::path& csv, const std::string& scenario) {
  std::istringstream in(read_file(csv));
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);) {
    const auto comma = line.find(',');
    if (rows.empty() || line.substr(0, comma) == scenario) rows.push_back(line.substr(comma + 1));
  }
  return rows;
}

TEST(BatchStreams, ARunAloneEqualsItsRowsInAnyBatch) {
  TempDir dir;
  const std::string baseline = kSource + "/scenarios/baseline.yaml";
  ASSERT_EQ(run_mfgsim("run " + baseline + " --members 20 --seed 5 --out alone", dir.path().string()).code, 0);
  // Two batches of other names and company, the same seed and members.
  std::ofstream(dir / "one.yaml") << "name: one\nscenarios: [" << baseline << "]\nmembers: 20\nseed: 5\n";
  std::ofstream(dir / "two.yaml") << "name: two\nscenarios: [" << kSource << "/scenarios/credit_expansion.yaml, "
                                  << baseline << "]\nmembers: 20\nseed: 5\n";
  for (const char* name : {"one", "two"})
    ASSERT_EQ(run_mfgsim(std::string("batch ") + name + ".yaml --progress off --out " + name, dir.path().string()).code,
              0);
  const auto alone = summary_rows(dir.path() / "alone/summary.csv", "baseline");
  ASSERT_GT(alone.size(), 20000u);  // every month, sector and series
  EXPECT_TRUE(alone == summary_rows(dir.path() / "one/summary.csv", "baseline"));
  EXPECT_TRUE(alone == summary_rows(dir.path() / "two/summary.csv", "baseline"));
}

TEST(BatchStreams, ScenariosWithOneSeedDrawCommonRandomNumbers) {
  TempDir dir;
  // The baseline under two other names: names no longer key the streams.
  for (const char* name : {"first", "second"})
    std::ofstream(dir / (std::string(name) + ".yaml"))
        << "name: " << name << "\nextends: " << kSource << "/scenarios/baseline.yaml\n";
  for (const char* name : {"first", "second"})
    ASSERT_EQ(run_mfgsim(std::string("run ") + name + ".yaml --members 12 --seed 9 --out " + name,
                         dir.path().string())
                  .code,
              0);
  const auto first = summary_rows(dir.path() / "first/summary.csv", "first");
  ASSERT_GT(first.size(), 20000u);
  EXPECT_TRUE(first == summary_rows(dir.path() / "second/summary.csv", "second"));
  // Another seed, other numbers.
  ASSERT_EQ(run_mfgsim("run first.yaml --members 12 --seed 10 --out other", dir.path().string()).code, 0);
  EXPECT_FALSE(first == summary_rows(dir.path() / "other/summary.csv", "first"));
}

// ---- records ------------------------------------------------------------------

class BatchRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    write_batch(dir_, 2);
    BatchLoad load = load_batch(dir_ / "cluster.yaml");
    ASSERT_TRUE(load.batch) << load.diagnostics.format();
    batch_ = std::move(*load.batch);
    options_.keep_members = true;
    fingerprint_ = batch_fingerprint(batch_, options_);
    const BatchEntry& e = batch_.entries[1];
    result_ = run_ensemble(e.scenario, batch_request(e, options_, 1));
    bytes_ = encode_record(fingerprint_, 1, e.scenario.name, result_);
  }
  TempDir dir_;
  Batch batch_;
  BatchRunOptions options_;
  std::string fingerprint_, bytes_;
  EnsembleResult result_;
};

TEST_F(BatchRecords, DecodeGivesBackEveryValue) {
  const EnsembleResult back = decode_record(bytes_, fingerprint_, batch_, 1, "r");
  ASSERT_TRUE(back.summary && back.store);
  // Bitwise (undefined months are NaN, which == would call unequal).
  ASSERT_EQ(back.kept.size(), result_.kept.size());
  EXPECT_EQ(std::memcmp(back.kept.data(), result_.kept.data(), back.kept.size() * sizeof(double)), 0);
  ASSERT_EQ(back.store->size(), result_.store->size());
  EXPECT_EQ(std::memcmp(back.store->data(), result_.store->data(), back.store->size() * sizeof(double)), 0);
  ASSERT_EQ(back.summary->aggregate.size(), result_.summary->aggregate.size());
  for (std::size_t k = 0; k < back.summary->aggregate.size(); ++k) {
    EXPECT_EQ(back.summary->aggregate[k].defined, result_.summary->aggregate[k].defined);
    const CellSummary &a = back.summary->aggregate[k], &b = result_.summary->aggregate[k];
    EXPECT_EQ(std::memcmp(&a.mean, &b.mean, sizeof a.mean), 0) << k;
    EXPECT_EQ(std::memcmp(a.quantiles.data(), b.quantiles.data(), sizeof a.quantiles), 0) << k;
  }
  EXPECT_EQ(encode_record(fingerprint_, 1, batch_.entries[1].scenario.name, back), bytes_);
}

TEST_F(BatchRecords, DamagedOrForeignRecordsAreRejected) {
  auto message = [&](const std::string& bytes, const std::string& fingerprint, std::size_t index) -> std::string {
    try {
      decode_record(bytes, fingerprint, batch_, index, "rec");
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  std::string flipped = bytes_;
  flipped[flipped.size() / 2] ^= 0x10;
  EXPECT_EQ(message(flipped, fingerprint_, 1), "rec: damaged record (digest mismatch)");
  EXPECT_EQ(message(bytes_.substr(0, bytes_.size() - 1), fingerprint_, 1), "rec: damaged record (digest mismatch)");
  EXPECT_EQ(message("MFGS", fingerprint_, 1), "rec: not an mfgsim scenario record");
  EXPECT_NE(message(bytes_, std::string(64, '0'), 1).find("a record of another batch"), std::string::npos);
  EXPECT_NE(message(bytes_, fingerprint_, 0).find("record of scenario 1"), std::string::npos);
  // Other options, another fingerprint.
  BatchRunOptions other = options_;
  other.summary_bytes /= 2;
  EXPECT_NE(batch_fingerprint(batch_, other), fingerprint_);
  other = options_;
  other.threads = 7;  // threads do not change results
  EXPECT_EQ(batch_fingerprint(batch_, other), fingerprint_);
}

// --resume's check reads the records' headers only: it counts whole records
// of this fingerprint, as scan_records does, but leaves a damaged body to it.
TEST_F(BatchRecords, CountRecordsOfReadsTheHeadersOnly) {
  const fs::path dir = dir_.path() / "ckpt";
  fs::create_directories(dir);
  EXPECT_EQ(count_records_of(dir, fingerprint_, batch_), 0u);
  write_record_file(dir, 1, bytes_);
  EXPECT_EQ(count_records_of(dir, fingerprint_, batch_), 1u);
  EXPECT_EQ(count_records_of(dir, std::string(64, '0'), batch_), 0u);  // other options
  std::vector<bool> usable(batch_.entries.size(), false);
  usable[1] = true;
  EXPECT_EQ(scan_records(dir, fingerprint_, batch_, false), usable);
  std::string flipped = bytes_;
  flipped[flipped.size() / 2] ^= 0x10;  // the body, well past the header
  write_record_file(dir, 1, flipped);
  EXPECT_EQ(count_records_of(dir, fingerprint_, batch_), 1u);
  usable[1] = false;
  EXPECT_EQ(scan_records(dir, fingerprint_, batch_, false), usable);
  write_record_file(dir, 0, bytes_);  // scenario 1's record in scenario 0's place
  EXPECT_EQ(count_records_of(dir, fingerprint_, batch_), 1u);
}

}  // namespace
}  // namespace mfgsim
