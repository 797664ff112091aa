// The harness of the command-line tests: runs the built mfgsim binary
// (MFGSIM_BINARY) from the repository root, capturing stdout, stderr and
// the exit code, in fresh temporary folders.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace cli_harness {

namespace fs = std::filesystem;

inline const std::string kSource = MFGSIM_SOURCE_DIR;
inline const std::string kBinary = MFGSIM_BINARY;

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The lines of a text, without their line ends.
inline std::vector<std::string> text_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The fields of one CSV line; quotes group a field and are dropped.
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A fresh directory, removed afterwards; unique per test, process and use.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "mfgsim_cli_";
    if (info) name += std::string(info->test_suite_name()) + "_" + info->name() + "_";
    name += std::to_string(::getpid()) + "_" + std::to_string(counter++);
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    path_ = fs::temp_directory_path() / name;
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

struct Result {
  int code = -1;
  std::string out, err;
};

// Runs `prefix mfgsim args` in the folder `cwd` through the shell: `args`
// and `prefix` are shell text (`prefix`, e.g. "ulimit -f 64; " or an
// mpirun command line, goes before the binary).
inline Result run_mfgsim(const std::string& args, const std::string& cwd, const std::string& prefix = "") {
  TempDir capture;
  const std::string out = capture / "stdout", err = capture / "stderr";
  const std::string command = "cd " + shell_quote(cwd) + " && " + prefix + shell_quote(kBinary) + " " + args + " >" +
                              shell_quote(out) + " 2>" + shell_quote(err) + " </dev/null";
  const int status = std::system(command.c_str());
  Result r;
  r.code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

// Runs `mfgsim <args>` with the repository root as working directory (so
// messages name files as `scenarios/...`).
inline Result mfgsim(const std::string& args) { return run_mfgsim(args, kSource); }

// The same after the shell commands `prefix` (e.g. "ulimit -f 64; ").
inline Result mfgsim_after(const std::string& prefix, const std::string& args) {
  return run_mfgsim(args, kSource, prefix);
}

inline std::string describe(const Result& r) {
  return "exit " + std::to_string(r.code) + "\n--- stdout:\n" + r.out.substr(0, 4000) + "\n--- stderr:\n" +
         r.err.substr(0, 4000);
}

inline std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Writes into `dir` saving.yaml, the baseline with recycling_target 1 and
// metallurgy's recycling_saving uncertain on [0, 8] (large enough in about
// half the members to push a price below 0: a numerical guard stops them),
// and the batch `<name>.yaml` of saving.yaml and the baseline, `members`
// stochastic members from `seed`, keeping `outputs` (a YAML list).
inline void write_failing_members_batch(const TempDir& dir, const std::string& name, int members, int seed,
                                        const std::string& outputs) {
  std::ofstream(dir / "saving.yaml") << "name: saving\nextends: " << kSource
                                     << "/scenarios/baseline.yaml\nlow_carbon: {recycling_target: 1.0}\n"
                                        "uncertain:\n  sector_overrides.metallurgy.recycling_saving: "
                                        "{dist: uniform, low: 0, high: 8}\n";
  std::ofstream(dir / (name + ".yaml")) << "name: " << name << "\nscenarios: [saving.yaml, " << kSource
                                        << "/scenarios/baseline.yaml]\nmembers: " << members << "\nseed: " << seed
                                        << "\nstochastic: true\noutputs: " << outputs << "\n";
}

// Every file under `dir` (hidden ones included) and its bytes.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    files[e.path().lexically_relative(dir).string()] = e.is_regular_file() ? read_file(e.path()) : "<folder>";
  return files;
}

// A user's working folder: s.yaml (the baseline, extended), notes.txt and obs.csv.
struct Workspace {
  TempDir dir;
  Workspace() {
    std::ofstream(dir / "s.yaml") << "name: s\nextends: " << kSource << "/scenarios/baseline.yaml\n";
    std::ofstream(dir / "notes.txt") << "my notes\n";
    fs::copy_file(kSource + "/data/observed.csv", dir / "obs.csv");
  }
  Result run(const std::string& args) const { return run_mfgsim(args, dir.path().string()); }
};

// Runs `mfgsim args` in `dir` and expects a refusal: exit 2, `message` on
// stderr, and `dir` as it was (nothing created, changed or removed, hidden
// temporary and checkpoint folders included). Returns the result.
inline Result expect_refused_in(const fs::path& dir, const std::string& args, const std::string& message) {
  const auto before = snapshot(dir);
  const Result r = run_mfgsim(args, dir.string());
  EXPECT_EQ(r.code, 2) << args << "\n" << describe(r);
  EXPECT_NE(r.err.find(message), std::string::npos) << args << "\nwant: " << message << "\n" << describe(r);
  EXPECT_EQ(snapshot(dir), before) << args << ": something was created, changed or removed";
  return r;
}

// `text` with every run of blanks and line breaks as one space (--help wraps its lines).
inline std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool blank = c == ' ' || c == '\n';
    if (!blank) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

inline std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace cli_harness
