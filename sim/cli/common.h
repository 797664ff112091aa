// What the commands of sim/cli/ share: exit codes, the usage error, option
// parsing with the common options (--help, --log-level), and printing the
// library's diagnostics, notices and progress.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cli/progress_bar.h"
#include "sim/core/diagnostics.h"
#include "sim/core/progress.h"

namespace mfgsim::cli {

namespace po = boost::program_options;

// Exit codes (STYLE.md): 0 ok, 1 a run that failed, 2 bad usage or invalid input.
constexpr int kExitOk = 0, kExitRunFailed = 1, kExitUsage = 2;

// Bad usage: main prints "mfgsim: error: <what>" and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses a command's arguments, adding the common options (--help,
// --log-level) to `opts`. --help: prints `opts` then `about` and returns
// nothing (the command exits 0). Otherwise sets the log level and returns
// the values. Throws po::error or UsageError for bad options.
std::optional<po::variables_map> parse_command(const std::vector<std::string>& args, po::options_description& opts,
                                               const po::positional_options_description& positional,
                                               std::string_view about);
// One positional option `name` taking `count` values (-1: all the rest).
po::positional_options_description positional(const char* name, int count = 1);

// --threads, checked: >= 0 (0: all cores).
int threads_option(const po::variables_map& vm);
// --members, checked: in [1, 10000000].
std::int64_t members_option(const po::variables_map& vm);
// --out if given, else `fallback`.
std::filesystem::path out_option(const po::variables_map& vm, const std::filesystem::path& fallback);
// --progress: auto, bar, log or off.
ProgressBar::Mode progress_option(const po::variables_map& vm);

// Prints the diagnostics (file:line:col: error: ...) on stderr; true when there are none.
bool report(const Diagnostics& diagnostics);
// Prints the library's notices: info and warning as log lines, reports as
// "mfgsim: <text>" on stderr.
void print_notice(const Notice& notice);
// A long ensemble's progress as a log line "<scenario>: <done>/<total> members done".
void log_members_done(const ProgressUpdate& update);

}  // namespace mfgsim::cli
