// What the commands of sim/cli/ share: exit codes, the usage error, the
// declaration and parsing of options (CommandOptions, with the common options
// --help and --log-level and the shared ones such as --out and --threads),
// and printing the library's diagnostics, notices and progress.
#pragma once

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
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

// A command's options, declared once: the same declarations document them
// (--help) and parse them. The options every command shares (--help,
// --log-level) are added by parse(); the ones several commands share
// (--out, --threads, --members, --summary-memory, --progress) have their own
// methods, so that their names, value types, defaults and checks are written
// once, and only the help text is the command's.
class CommandOptions {
 public:
  // `usage`: the first line of --help, e.g. "mfgsim run SCENARIO [options]".
  explicit CommandOptions(const std::string& usage) : options_(usage) {}

  // The positional argument `name` (also --name VALUE), which must be given
  // (UsageError(`missing`) otherwise): one value; or arguments(): every
  // argument left, a list (`multitoken`: --name V1 V2 ...).
  CommandOptions& argument(const char* name, const char* help, const char* missing);
  CommandOptions& arguments(const char* name, const char* help, const char* missing, bool multitoken = true);
  // --name VALUE, read as T (vm["name"].as<T>()); a std::vector<...> takes
  // --name V1 V2 .... With `fallback`: its default, shown in the help.
  template <class T>
  CommandOptions& option(const char* name, const char* help) {
    return add(name, value<T>(), help);
  }
  template <class T>
  CommandOptions& option(const char* name, const T& fallback, const char* help) {
    return add(name, value<T>()->default_value(fallback), help);
  }
  // --name: a switch, false unless given.
  CommandOptions& flag(const char* name, const char* help);

  // The options several commands share, with their value types, defaults
  // and checks; the help is the command's.
  // -o/--out DIR or FILE (out_option).
  CommandOptions& out(const char* help);
  // -j/--threads N, default 0 (threads_option).
  CommandOptions& threads(const char* help);
  // -n/--members N, no default (members_option).
  CommandOptions& members(const char* help);
  // --summary-memory MiB with the command's default.
  CommandOptions& summary_memory(std::uint64_t fallback_mib, const char* help);
  // --progress auto|bar|log|off, default auto (progress_option).
  CommandOptions& progress(const char* help);
  // The option declared last must be given: parse() throws UsageError(`missing`) otherwise.
  CommandOptions& required(const char* missing);

  // Parses the arguments, adding the common options (--help, --log-level).
  // --help: prints the options then `about` and returns nothing (the command
  // exits 0). Otherwise sets the log level, checks the required options (in
  // the order declared) and returns the values. Throws po::error or
  // UsageError for bad options.
  std::optional<po::variables_map> parse(const std::vector<std::string>& args, std::string_view about);

 private:
  template <class T>
  static po::typed_value<T>* value() {
    if constexpr (std::is_same_v<T, std::vector<std::string>>) return po::value<T>()->multitoken();
    else return po::value<T>();
  }
  CommandOptions& add(const char* name, const po::value_semantic* value, const char* help);

  po::options_description options_;
  po::positional_options_description positional_;
  std::string last_;                                           // the name of the option declared last
  std::vector<std::pair<std::string, std::string>> required_;  // name, message when missing
};

// Sets `target` to the value of option `name` when it was given.
template <class T>
void assign_if_given(const po::variables_map& vm, const char* name, T& target) {
  if (vm.count(name)) target = vm[name].as<T>();
}
template <class T>
void assign_if_given(const po::variables_map& vm, const char* name, std::optional<T>& target) {
  if (vm.count(name)) target = vm[name].as<T>();
}

// --threads, checked: >= 0 (0: all cores).
int threads_option(const po::variables_map& vm);
// --members, checked: in [1, 10000000].
std::int64_t members_option(const po::variables_map& vm);
// --out if given, else `fallback`.
std::filesystem::path out_option(const po::variables_map& vm, const std::filesystem::path& fallback);
// --progress: auto, bar, log or off.
ProgressBar::Mode progress_option(const po::variables_map& vm);

// Wall-clock seconds since `start`, for the closing log line of a command.
double seconds_since(std::chrono::steady_clock::time_point start);

// Prints the diagnostics on stderr, warnings (file:line:col: warning: ...)
// first, then errors (file:line:col: error: ...); true when there are no errors.
bool report(const Diagnostics& diagnostics);
// Prints the library's notices: info and warning as log lines, reports as
// "mfgsim: <text>" on stderr.
void print_notice(const Notice& notice);
// A long ensemble's progress as a log line "<scenario>: <done>/<total> members done".
void log_members_done(const ProgressUpdate& update);

}  // namespace mfgsim::cli
