// Running the built mfgsim binary in tests: a temporary folder per test, the
// command's exit code, stdout and stderr. Header-only, for the CLI tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace mfgsim::testing {

inline const std::string kSource = MFGSIM_SOURCE_DIR;
inline const std::string kBinary = MFGSIM_BINARY;

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A fresh directory named after the test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "mfgsim_t_";
    if (info) name += std::string(info->test_suite_name()) + "_" + info->name() + "_";
    name += std::to_string(::getpid()) + "_" + std::to_string(counter++);
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct Result {
  int code = -1;
  std::string out, err;
};

// Runs `prefix mfgsim args` in `cwd` through the shell (args are shell text).
inline Result run_mfgsim(const std::string& args, const std::string& cwd = kSource, const std::string& prefix = "") {
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

inline std::string describe(const Result& r) {
  return "exit " + std::to_string(r.code) + "\n--- stdout:\n" + r.out.substr(0, 4000) + "\n--- stderr:\n" +
         r.err.substr(0, 4000);
}

}  // namespace mfgsim::testing
