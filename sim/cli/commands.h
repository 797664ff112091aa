// The command table: every command of mfgsim, once. The top-level help
// (mfgsim --help), the dispatch and the list in "unknown command" all come
// from it. A command is a file sim/cli/<name>.cpp that defines its Command
// (name, synopsis, summary beside its options and help) and its run
// function; commands.cpp lists the commands in the order of the help.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/cli/common.h"

namespace mfgsim::cli {

struct Command {
  std::string_view name;      // as typed: mfgsim NAME ...
  std::string_view synopsis;  // name and arguments, for mfgsim --help: "run SCENARIO"
  std::string_view summary;   // one line, for mfgsim --help
  // mfgsim NAME --help: `usage` (its first line), the options `declare`
  // adds (nullptr: none), the common options, then `about`.
  std::string_view usage;
  void (*declare)(CommandOptions& options);
  std::string_view about;
  int (*run)(const po::variables_map& options);  // the parsed options; returns the exit code
};

// In the order of the help text.
const std::vector<Command>& commands();
// The command called `name`; nullptr when there is none.
const Command* find_command(std::string_view name);
// Parses `args` (the arguments after the command's name) with the command's
// options and runs it; --help prints its help instead. Returns the exit
// code; throws UsageError or po::error for bad options.
int run_command_line(const Command& command, const std::vector<std::string>& args);
// mfgsim --help.
std::string top_help();
// "run, batch, ..." for messages.
std::string command_names();

// The commands, one file each (sim/cli/<name>.cpp).
extern const Command run_command, batch_command, merge_command, compare_command, sensitivity_command,
    validate_command, schema_command, plot_command, calibrate_command, backtest_command, report_command,
    discover_command, forecast_command;

}  // namespace mfgsim::cli
