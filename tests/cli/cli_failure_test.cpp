// Clean failure of the command line (the built binary, as a user runs it):
// every way a run can fail ends with a clear message on stderr, a non-zero
// exit code, no output folder and no `.<name>.tmp-*` staging sibling.
//
// - an output folder that cannot be created: its parent is a regular file,
//   or it is under /proc (neither is writable even as root);
// - a full output folder: the child runs under a file-size limit (`ulimit
//   -f`), which fails writes with EFBIG as a full disk fails them with
//   ENOSPC, with no mount privileges needed;
// - a data file named in a scenario that does not exist;
// - SIGINT and SIGTERM during a long `run` and a long `batch`;
// - members stopped by a numerical guard (sim/engine/guards.h): reported in
//   failures.csv with a warning, or a failed run when no member is left.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The folder holds exactly `names` (no output folder, no hidden staging sibling).
void expect_only(const TempDir& dir, const std::vector<std::string>& names) {
  EXPECT_EQ(entries_of(dir.path()), names) << "left behind: " << joined(entries_of(dir.path()));
}

// A failed or interrupted batch into `out` leaves at most its checkpoint:
// finished scenarios' whole records (and the lock), kept for --resume and
// announced on stderr; no partial record, no staging folder, no output.
void expect_only_checkpoint(const TempDir& dir, std::vector<std::string> names, const std::string& err) {
  std::vector<std::string> left = entries_of(dir.path());
  if (std::find(left.begin(), left.end(), ".out.checkpoint") != left.end()) {
    names.push_back(".out.checkpoint");
    std::sort(names.begin(), names.end());
    EXPECT_NE(err.find("scenarios finished and are kept in " + (dir / ".out.checkpoint") +
                       ": the same command with --resume continues from them"),
              std::string::npos)
        << err;
    for (const std::string& name : entries_of(dir.path() / ".out.checkpoint"))
      EXPECT_TRUE(name == "lock" || name == "inputs.json" || (name.size() == 12 && name.ends_with(".rec"))) << name;
  }
  EXPECT_EQ(left, names) << "left behind: " << joined(left);
}

// ---- unwritable and full output folders -----------------------------------------

TEST(CliCleanFailure, OutputFolderUnderARegularFile) {
  TempDir dir;
  std::ofstream(dir / "file") << "not a folder\n";
  const std::string out = dir / "file/out";
  // Usage errors found before any work (exit 2; they were exit 1 after the
  // whole run, when the results were written: found by a new user's trial).
  const Result run = mfgsim("run scenarios/baseline.yaml --deterministic --log-level warn --out " + shell_quote(out));
  EXPECT_EQ(run.code, 2) << describe(run);
  EXPECT_EQ(run.err, "mfgsim: error: --out " + out + ": " + (dir / "file") + " is a file, not a folder\n")
      << describe(run);
  const Result batch = mfgsim("batch scenarios/batches/lending_grid.yaml --progress off --log-level warn --out " +
                              shell_quote(out));
  EXPECT_EQ(batch.code, 2) << describe(batch);
  EXPECT_EQ(batch.err, run.err) << describe(batch);
  // An output folder that is a file.
  const Result onto_file =
      mfgsim("run scenarios/baseline.yaml --members 200 --log-level warn --out " + shell_quote(dir / "file"));
  EXPECT_EQ(onto_file.code, 2) << describe(onto_file);
  EXPECT_EQ(onto_file.err, "mfgsim: error: --out " + (dir / "file") +
                               ": is a file, not a folder; writing there would replace it: name a new or empty "
                               "folder\n");
  // plot's folder.
  TempDir results;
  ASSERT_EQ(mfgsim("run scenarios/baseline.yaml --deterministic --log-level warn --out " + shell_quote(results / "res")).code, 0);
  const Result plot = mfgsim("plot " + shell_quote(results / "res") + " --log-level warn --out " + shell_quote(dir / "file"));
  EXPECT_EQ(plot.code, 2) << describe(plot);
  EXPECT_NE(plot.err.find(": is a file, not a folder"), std::string::npos) << describe(plot);
  expect_only(dir, {"file"});
  EXPECT_EQ(read_file(dir / "file"), "not a folder\n");
}

TEST(CliCleanFailure, OutputFolderUnderProc) {
  const Result r = mfgsim("run scenarios/baseline.yaml --deterministic --log-level warn --out /proc/mfgsim_test_out");
  EXPECT_EQ(r.code, 1) << describe(r);
  EXPECT_EQ(r.err.rfind("mfgsim: error: cannot create output folder /proc/mfgsim_test_out: cannot write to /proc: ", 0),
            0u)
      << describe(r);
  EXPECT_FALSE(fs::exists("/proc/mfgsim_test_out"));
  EXPECT_TRUE(r.out.empty()) << describe(r);
}

// A file-size limit of 64 blocks (32 or 64 KiB, by the shell) is below
// summary.csv's size: the write fails with EFBIG, as on a full disk.
TEST(CliCleanFailure, FullOutputFolderRun) {
  TempDir dir;
  const std::string out = dir / "out";
  const Result r = mfgsim_after("ulimit -f 64 && ", "run scenarios/baseline.yaml --deterministic --log-level warn --out " +
                                                       shell_quote(out));
  EXPECT_EQ(r.code, 1) << describe(r);
  EXPECT_EQ(r.err, "mfgsim: error: cannot write " + out + "/summary.csv: File too large\n") << describe(r);
  expect_only(dir, {});
  // The same with room to spare succeeds (the limit, not the run, failed it).
  const Result ok = mfgsim_after("ulimit -f 100000 && ",
                                 "run scenarios/baseline.yaml --deterministic --log-level warn --out " + shell_quote(out));
  EXPECT_EQ(ok.code, 0) << describe(ok);
  expect_only(dir, {"out"});
}

// A batch fails in results.nc (NetCDF/HDF5) or in summary.csv, by the limit;
// either way a clean exit 1 (no crash in HDF5's exit handler) and nothing left.
TEST(CliCleanFailure, FullOutputFolderBatch) {
  TempDir dir;
  const std::string out = dir / "out";
  const std::string args = "batch scenarios/batches/lending_grid.yaml --progress off --log-level warn --out " + shell_quote(out);
  const Result netcdf = mfgsim_after("ulimit -f 64 && ", args);
  EXPECT_EQ(netcdf.code, 1) << describe(netcdf);
  EXPECT_EQ(netcdf.err.rfind("mfgsim: error: " + dir.path().string() + "/.out.tmp-", 0), 0u) << describe(netcdf);
  EXPECT_NE(netcdf.err.find("/results.nc: NetCDF error (end of definitions): NetCDF: HDF error\n"), std::string::npos)
      << describe(netcdf);
  expect_only(dir, {});
  // A finished scenario's checkpoint record (sim/batch/batch_record.h) is the
  // first file past the limit here.
  const Result record = mfgsim_after("ulimit -f 400 && ", args);
  EXPECT_EQ(record.code, 1) << describe(record);
  // (Scenarios run two at a time: whichever's record comes first.)
  EXPECT_EQ(record.err.rfind("mfgsim: run failed: ", 0), 0u) << describe(record);
  EXPECT_NE(record.err.find(": cannot write " + dir.path().string() + "/.out.checkpoint/0000000"), std::string::npos)
      << describe(record);
  EXPECT_NE(record.err.find(".rec.tmp-"), std::string::npos) << describe(record);
  EXPECT_TRUE(record.err.ends_with(": File too large\n")) << describe(record);
  expect_only(dir, {});
}

// ---- a missing data file -----------------------------------------------------------

TEST(CliCleanFailure, MissingDataFile) {
  TempDir dir;
  const std::string scenario = dir / "s.yaml";
  std::ofstream(scenario) << "name: s\nextends: " << kSource << "/scenarios/baseline.yaml\n"
                          << "data:\n  io: no_such_io.csv\n";
  std::ofstream(dir / "b.yaml") << "name: b\nscenarios: [s.yaml]\n";
  const std::string expected =
      scenario + ":4:7: error: cannot read input-output table `" + (dir / "no_such_io.csv") + "`\n";
  const Result run = mfgsim("run " + shell_quote(scenario) + " --log-level warn --out " + shell_quote(dir / "out"));
  EXPECT_EQ(run.code, 2) << describe(run);
  EXPECT_EQ(run.err, expected) << describe(run);
  const Result batch =
      mfgsim("batch " + shell_quote(dir / "b.yaml") + " --log-level warn --out " + shell_quote(dir / "out"));
  EXPECT_EQ(batch.code, 2) << describe(batch);
  EXPECT_EQ(batch.err, expected) << describe(batch);
  expect_only(dir, {"b.yaml", "s.yaml"});
}

// ---- signals -------------------------------------------------------------------------

// mfgsim started from the repository root with SIGINT and SIGTERM at their
// default action (a test runner may have them ignored, which the child would
// inherit and mfgsim would respect), stdout and stderr into files.
class Child {
 public:
  Child(const std::vector<std::string>& args, const TempDir& capture)
      : out_(capture / "stdout"), err_(capture / "stderr") {
    std::vector<std::string> argv_text = {kBinary};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {  // only async-signal-safe calls until exec
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigaction(SIGINT, &dfl, nullptr);
      ::sigaction(SIGTERM, &dfl, nullptr);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 || ::chdir(kSource.c_str()) != 0) ::_exit(126);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  // The exit code, 128 + N when killed by signal N, -1 if still running after `seconds` (then killed).
  int wait(double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -2;
  }
  std::string err() const { return read_file(err_); }

 private:
  std::string out_, err_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// True once `dir` holds the staging folder `.<name>.tmp-<pid>` (the run is
// under way: its output is being written there).
bool wait_for_staging(const TempDir& dir, const std::string& name, pid_t pid, double seconds) {
  const std::string staging = "." + name + ".tmp-" + std::to_string(pid);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (fs::exists(dir.path() / staging)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

struct SignalCase {
  const char* command;  // run or batch
  int signal;
};

class CliSignal : public ::testing::TestWithParam<SignalCase> {};

TEST_P(CliSignal, StopsCleanly) {
  const SignalCase c = GetParam();
  TempDir dir, capture;
  std::vector<std::string> args;
  if (std::string(c.command) == "run") {
    // About a minute of work on one thread: far longer than the test waits.
    args = {"run", "scenarios/baseline.yaml", "--members", "1000000", "--threads", "1", "--outputs", "va"};
  } else {
    // 2000 scenarios of 50 members: minutes of work.
    std::ofstream(dir / "long.yaml") << "name: long\nmembers: 50\nstochastic: true\nsweeps:\n  - name: s\n"
                                     << "    base: " << kSource << "/scenarios/baseline.yaml\n"
                                     << "    method: sobol\n    samples: 2000\n    parameters:\n"
                                     << "      lending.investment_pass: {low: 0.3, high: 0.8}\n";
    args = {"batch", dir / "long.yaml", "--threads", "2", "--progress", "off"};
  }
  const std::string out = dir / "out";
  args.insert(args.end(), {"--log-level", "warn", "--out", out});
  Child child(args, capture);
  ASSERT_TRUE(wait_for_staging(dir, "out", child.pid(), 120)) << "no staging folder appeared\n" << child.err();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // well inside the work
  ASSERT_EQ(::kill(child.pid(), c.signal), 0);
  const int code = child.wait(60);
  ASSERT_NE(code, -1) << "still running 60 s after the signal";
  EXPECT_EQ(code, 128 + c.signal) << child.err();
  const std::string name = c.signal == SIGINT ? "SIGINT" : "SIGTERM";
  EXPECT_TRUE(child.err().ends_with("mfgsim: interrupted (" + name + "): stopped, no output written\n"))
      << child.err();
  if (std::string(c.command) == "run") {
    EXPECT_EQ(child.err(), "mfgsim: interrupted (" + name + "): stopped, no output written\n");
    expect_only(dir, {});
  } else {
    expect_only_checkpoint(dir, {"long.yaml"}, child.err());
  }
}

std::string signal_case_name(const ::testing::TestParamInfo<SignalCase>& info) {
  return std::string(info.param.command) + (info.param.signal == SIGINT ? "_SIGINT" : "_SIGTERM");
}

INSTANTIATE_TEST_SUITE_P(CliCleanFailure, CliSignal,
                         ::testing::Values(SignalCase{"run", SIGINT}, SignalCase{"run", SIGTERM},
                                           SignalCase{"batch", SIGINT}, SignalCase{"batch", SIGTERM}),
                         signal_case_name);

// ---- members stopped by a numerical guard ------------------------------------------

// Valid scenarios (see tests/guards_test.cpp): a recycling saving that turns
// metallurgy's price negative, for the one deterministic member or for the
// members that draw a large one.
void write_failing_scenarios(const TempDir& dir) {
  std::ofstream(dir / "negative_price.yaml") << "name: negative_price\nextends: " << kSource
                                             << "/scenarios/baseline.yaml\nlow_carbon: {recycling_target: 1.0}\n"
                                                "sector_overrides:\n  metallurgy: {recycling_saving: 8}\n";
  std::ofstream(dir / "uncertain_saving.yaml")
      << "name: uncertain_saving\nextends: " << kSource << "/scenarios/baseline.yaml\n"
      << "low_carbon: {recycling_target: 1.0}\nuncertain:\n"
         "  sector_overrides.metallurgy.recycling_saving: {dist: uniform, low: 0, high: 8}\n";
}

// The failing scenarios set recycling_target 1 over the whole run, inside the
// baseline's calibrated window: run prints that warning first. The rest of stderr.
std::string after_window_warning(const std::string& err) {
  const std::size_t end = err.find('\n');
  EXPECT_NE(err.substr(0, end).find(": warning: low_carbon.recycling_target changes 2021-01..2023-06, inside the "
                                    "calibrated window"),
            std::string::npos)
      << err;
  return end == std::string::npos ? std::string() : err.substr(end + 1);
}

TEST(CliGuards, RunWithNoMemberLeftFails) {
  TempDir dir;
  write_failing_scenarios(dir);
  const Result det = mfgsim("run " + shell_quote(dir / "negative_price.yaml") + " --deterministic --log-level warn --out " +
                            shell_quote(dir / "out"));
  EXPECT_EQ(det.code, 1) << describe(det);
  EXPECT_EQ(after_window_warning(det.err).rfind("mfgsim: run failed: negative_price: member 0: price of metallurgy is -",
                                                0),
            0u)
      << describe(det);
  EXPECT_NE(det.err.find(", must be finite and > 0 (P = 1 + π τ EF e 1e-4 - μ (r - r0) with "), std::string::npos)
      << describe(det);
  EXPECT_NE(det.err.find(", recycling_saving = 8, "), std::string::npos) << describe(det);
  const Result all = mfgsim("run " + shell_quote(dir / "negative_price.yaml") + " --members 3 --log-level warn --out " +
                            shell_quote(dir / "out"));
  EXPECT_EQ(all.code, 1) << describe(all);
  EXPECT_EQ(after_window_warning(all.err).rfind(
                "mfgsim: run failed: negative_price: every member failed (3); the first: member 0: price of "
                "metallurgy is -",
                0),
            0u)
      << describe(all);
  expect_only(dir, {"negative_price.yaml", "uncertain_saving.yaml"});
}

TEST(CliGuards, RunReportsFailedMembers) {
  TempDir dir;
  write_failing_scenarios(dir);
  const std::string out = dir / "out";
  const Result r = mfgsim("run " + shell_quote(dir / "uncertain_saving.yaml") + " --members 40 --log-level warn --out " +
                          shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::vector<std::string> rows = lines_of(read_file(out + "/failures.csv"));
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0], "scenario,member,month,sector,variable,value,message");
  const std::size_t failed = rows.size() - 1;
  EXPECT_GT(failed, 5u);
  EXPECT_LT(failed, 35u);
  for (std::size_t k = 1; k < rows.size(); ++k) {
    EXPECT_EQ(rows[k].rfind("uncertain_saving,", 0), 0u) << rows[k];
    EXPECT_NE(rows[k].find(",metallurgy,price,-"), std::string::npos) << rows[k];
    EXPECT_NE(rows[k].find(", sector_overrides.metallurgy.recycling_saving = "), std::string::npos) << rows[k];
  }
  // The warning names the count and the first failure (failures.csv's first row).
  const std::string first = rows[1].substr(rows[1].find(",\"member ") + 2);
  EXPECT_EQ(after_window_warning(r.err), "mfgsim: warning: uncertain_saving: " + std::to_string(failed) +
                       " of 40 members failed and are left out of the summaries (" + out +
                       "/failures.csv); the first: " + first.substr(0, first.size() - 1) + "\n");
  const nlohmann::json manifest = nlohmann::json::parse(read_file(out + "/manifest.json"));
  EXPECT_EQ(manifest.value("failed_members", -1), static_cast<int>(failed));
  EXPECT_TRUE(fs::exists(out + "/summary.csv"));
  expect_only(dir, {"negative_price.yaml", "out", "uncertain_saving.yaml"});
}

TEST(CliGuards, BatchReportsFailedMembersPerScenario) {
  TempDir dir;
  write_failing_scenarios(dir);
  std::ofstream(dir / "b.yaml") << "name: b\nmembers: 40\nstochastic: true\nscenarios:\n  - " << kSource
                                << "/scenarios/baseline.yaml\n  - uncertain_saving.yaml\n";
  const std::string out = dir / "out";
  const Result r = mfgsim("batch " + shell_quote(dir / "b.yaml") + " --progress off --log-level warn --out " + shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::vector<std::string> failures = lines_of(read_file(out + "/failures.csv"));
  ASSERT_GE(failures.size(), 2u);
  const std::size_t failed = failures.size() - 1;
  for (std::size_t k = 1; k < failures.size(); ++k) EXPECT_EQ(failures[k].rfind("uncertain_saving,", 0), 0u);
  const std::vector<std::string> scenarios = lines_of(read_file(out + "/scenarios.csv"));
  ASSERT_EQ(scenarios.size(), 3u);
  EXPECT_EQ(scenarios[0], "index,scenario,source,sweep,sample,members,seed,stochastic,failed_members");
  EXPECT_TRUE(scenarios[1].ends_with(",40,20230901,true,0")) << scenarios[1];
  EXPECT_TRUE(scenarios[2].ends_with(",40,20230901,true," + std::to_string(failed))) << scenarios[2];
  EXPECT_EQ(r.err.rfind("mfgsim: warning: b: " + std::to_string(failed) +
                            " member(s) failed and are left out of their scenario's summaries (failures.csv; "
                            "scenarios.csv counts them per scenario); the first: uncertain_saving: member ",
                        0),
            0u)
      << describe(r);
  const nlohmann::json manifest = nlohmann::json::parse(read_file(out + "/manifest.json"));
  EXPECT_EQ(manifest.value("failed_members", -1), static_cast<int>(failed));
}

// A sweep sample's failures also name the sample's swept values.
TEST(CliGuards, BatchSweepFailuresNameTheSample) {
  TempDir dir;
  write_failing_scenarios(dir);
  std::ofstream(dir / "sweep.yaml") << "name: sweep\nmembers: 1\nstochastic: false\nsweeps:\n  - name: s\n"
                                       "    base: negative_price.yaml\n    method: grid\n    parameters:\n"
                                       "      sector_overrides.metallurgy.recycling_saving: {low: 0, high: 8, points: 3}\n";
  const std::string out = dir / "out";
  // Samples 1 and 2 fail whole: the batch has no numbers for them, so it
  // fails unless told to write the rest.
  const std::string args = "batch " + shell_quote(dir / "sweep.yaml") + " --progress off --log-level warn --out " + shell_quote(out);
  const Result failed = mfgsim(args);
  ASSERT_EQ(failed.code, 1) << describe(failed);
  EXPECT_NE(failed.err.find("every member of scenario(s) s_1, s_2 failed"), std::string::npos) << describe(failed);
  EXPECT_FALSE(fs::exists(out));
  const Result r = mfgsim(args + " --allow-failed-scenarios");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("warning: sweep: every member of scenario(s) s_1, s_2 failed: they have no numbers"),
            std::string::npos)
      << describe(r);
  const std::vector<std::string> failures = lines_of(read_file(out + "/failures.csv"));
  // Saving 0 runs through; 4 and 8 push the price below 0.
  ASSERT_EQ(failures.size(), 3u) << read_file(out + "/failures.csv");
  EXPECT_EQ(failures[1].rfind("s_1,0,", 0), 0u) << failures[1];
  EXPECT_TRUE(failures[1].ends_with("; sample 1 of sweep s: sector_overrides.metallurgy.recycling_saving = 4\"")) << failures[1];
  EXPECT_EQ(failures[2].rfind("s_2,0,", 0), 0u) << failures[2];
  EXPECT_TRUE(failures[2].ends_with("; sample 2 of sweep s: sector_overrides.metallurgy.recycling_saving = 8\"")) << failures[2];
  const std::vector<std::string> scenarios = lines_of(read_file(out + "/scenarios.csv"));
  ASSERT_EQ(scenarios.size(), 4u);
  EXPECT_TRUE(scenarios[1].ends_with(",1,20230901,false,0,0")) << scenarios[1];
  EXPECT_TRUE(scenarios[2].ends_with(",1,20230901,false,1,4")) << scenarios[2];
  EXPECT_TRUE(scenarios[3].ends_with(",1,20230901,false,1,8")) << scenarios[3];
}

}  // namespace
