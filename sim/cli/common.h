// What the commands of sim/cli/ share: exit codes, the usage error, the
// declaration and parsing of options (CommandOptions, with the common options
// --help and --log-level and the shared ones such as --out and --threads),
// and printing the library's diagnostics, notices and progress.
#pragma once

#include <boost/program_options.hpp>
#include <nlohmann/json_fwd.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sim/cli/progress_bar.h"
#include "sim/core/diagnostics.h"
#include "sim/core/progress.h"
#include "sim/core/range.h"

namespace mfgsim {
struct Scenario;
struct ParticleFilterOptions;
struct Observation;
}

namespace mfgsim::cli {

namespace po = boost::program_options;

// Exit codes (STYLE.md): 0 ok, 1 a run that failed, 2 bad usage or invalid input.
constexpr int kExitOk = 0, kExitRunFailed = 1, kExitUsage = 2;

// Bad usage: main prints "mfgsim: error: <what>" and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A value checked as it is parsed: `check` returns the value, or nothing
// and the problem ("must be a whole number in [0, 1024] (got '-1')"), which
// becomes the UsageError "--<option> <problem>". So a bad number stops the
// command before any work, with the option named.
template <class T>
class CheckedValue final : public po::typed_value<T> {
 public:
  using Check = std::function<std::optional<T>(std::string_view text, std::string* problem)>;
  CheckedValue(std::string option, Check check)
      : po::typed_value<T>(nullptr), option_(std::move(option)), check_(std::move(check)) {}
  void xparse(boost::any& store, const std::vector<std::string>& tokens) const override {
    // As Boost's own values do (check_first_occurrence): a second value is
    // an error, never silently the one used.
    if (!store.empty()) throw UsageError("option '--" + option_ + "' cannot be specified more than once");
    std::string problem;
    const std::optional<T> value = check_(tokens.empty() ? std::string_view() : std::string_view(tokens.back()), &problem);
    if (!value) throw UsageError("--" + option_ + " " + problem);
    store = *value;
  }

 private:
  std::string option_;
  Check check_;
};

// A command's options, declared once: the same declarations document them
// (--help) and parse them. The options every command shares (--help,
// --log-level) are added by parse(); the ones several commands share
// (--out, --threads, --members, --seed, --summary-memory, --progress) have
// their own methods, so that their names, value types, ranges, defaults and
// checks are written once, and only the help text is the command's. Every
// number is declared with its range (integer(), number()), which the help
// shows and the parser enforces; an empty value (--out '') is an error.
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
  // --name N: a whole number in `range`, read as T (which must hold
  // range.hi); anything else (a sign, a fraction, text, an overflow) is a
  // UsageError naming the option. The help ends with the range.
  template <class T>
  CommandOptions& integer(const char* name, const IntegerRange& range, const char* help) {
    return add(name, integer_value<T>(name, range), with_range(help, format_range(range)).c_str());
  }
  template <class T>
  CommandOptions& integer(const char* name, const IntegerRange& range, T fallback, const char* help) {
    return add(name, integer_value<T>(name, range)->default_value(fallback), with_range(help, format_range(range)).c_str());
  }
  // --name X: a finite decimal number in `range` (no inf, nan or hex).
  CommandOptions& number(const char* name, const ParamRange& range, const char* help);
  // --name: a switch, false unless given.
  CommandOptions& flag(const char* name, const char* help);

  // The options several commands share, with their value types, defaults
  // and checks; the help is the command's.
  // -o/--out DIR or FILE (out_option).
  CommandOptions& out(const char* help);
  // -j/--threads N in kThreadsRange, default 0 (all cores); read as int.
  CommandOptions& threads(const char* help);
  // -n/--members N in kMembersRange, no default; read as std::int64_t.
  CommandOptions& members(const char* help);
  // -s/--seed S in kSeedRange, no default; read as std::uint64_t.
  CommandOptions& seed(const char* help);
  // --summary-memory MiB in kSummaryMemoryMiBRange with the command's default; read as std::uint64_t.
  CommandOptions& summary_memory(std::uint64_t fallback_mib, const char* help);
  // --progress auto|bar|log|off, default auto (progress_option).
  CommandOptions& progress(const char* help);
  // The option declared last must be given: parse() throws UsageError(`missing`) otherwise.
  CommandOptions& required(const char* missing);

  // Parses the arguments, adding the common options (--help, --log-level).
  // Options must be written in full (no unique-prefix guessing: --memb is
  // not --members). --help: prints the options then `about` and returns
  // nothing (the command exits 0). Otherwise sets the log level, checks the
  // required options (in the order declared) and that no text value is
  // empty, and returns the values. Throws po::error or UsageError for bad
  // options.
  std::optional<po::variables_map> parse(const std::vector<std::string>& args, std::string_view about);

 private:
  template <class T>
  static po::typed_value<T>* value() {
    if constexpr (std::is_same_v<T, std::vector<std::string>>) return po::value<T>()->multitoken();
    else return po::value<T>();
  }
  template <class T>
  static CheckedValue<T>* integer_value(const char* name, const IntegerRange& range) {
    return new CheckedValue<T>(long_name(name), [range](std::string_view text, std::string* problem) -> std::optional<T> {
      const std::optional<std::uint64_t> x = parse_in_range(text, range, problem);
      return x ? std::optional<T>(static_cast<T>(*x)) : std::nullopt;
    });
  }
  static std::string long_name(const char* name);  // "threads" of "threads,j"
  static std::string with_range(const char* help, const std::string& range);
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

// True when option `name` was typed (not just defaulted).
bool given(const po::variables_map& vm, const char* name);
// UsageError "<option> applies to <where> only" when `option` was typed but
// the chosen mode (`applies` false) ignores it: nothing typed is silently ignored.
void reject_ignored(const po::variables_map& vm, const char* option, bool applies, const std::string& where);
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

// UsageError unless the particle filter can run `scenario` (a stochastic
// ensemble, not firm mode); `command` names who asks ("forecast").
void require_particle_filter(const Scenario& scenario, const std::string& command);

// The particle filter's measurement and resampling options (forecast and
// backtest --origins): --obs-sd-points, --sector-sd-points, --sector-dof,
// --ytd-month-sd-points, --resample-threshold, --jitter-discount (sim/ensemble/particle_filter.h), and reading the
// ones given into `filter` (points are converted to ratios).
void filter_options(CommandOptions& options);
void read_filter_options(const po::variables_map& vm, ParticleFilterOptions& filter);
// The filter's measurement and resampling settings into a manifest:
// obs_sd {rounding, revision, ytd_month}, sector_obs {sd, student_t_dof},
// resample_threshold and liu_west_discount (ratios), resample_move {steps, lag_months}.
void record_filter_options(nlohmann::json& manifest, const ParticleFilterOptions& filter);
// The figures of every --observed CSV (forecast, backtest --origins) as one
// list (merge_figures: a figure given again kept as first given, given again
// with another value an error); nullopt after printing the errors.
std::optional<std::vector<Observation>> read_figure_files(const std::vector<std::string>& paths);
// Every option filter_options declares (the results form of backtest refuses them).
inline constexpr const char* kFilterOptionNames[] = {"obs-sd-points",      "sector-sd-points", "sector-dof",
                                                     "ytd-month-sd-points", "resample-threshold", "jitter-discount",
                                                     "move-steps",          "move-lag"};

}  // namespace mfgsim::cli
