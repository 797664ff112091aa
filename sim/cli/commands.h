// The command table: every command of mfgsim, once. The top-level help
// (mfgsim --help), the dispatch and the list in "unknown command" all come
// from it. A new command is a file sim/cli/<name>.cpp with its run function
// and one row in commands.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mfgsim::cli {

struct Command {
  std::string_view name;      // as typed: mfgsim NAME ...
  std::string_view synopsis;  // name and arguments, for the help: "run SCENARIO"
  std::string_view summary;   // one line
  int (*run)(const std::vector<std::string>& args);  // the arguments after NAME; returns the exit code
};

// In the order of the help text.
const std::vector<Command>& commands();
// The command called `name`; nullptr when there is none.
const Command* find_command(std::string_view name);
// mfgsim --help.
std::string top_help();
// "run, batch, ..." for messages.
std::string command_names();

// The commands' run functions, one file each (sim/cli/<name>.cpp).
int run_command(const std::vector<std::string>& args);
int batch_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int sensitivity_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int schema_command(const std::vector<std::string>& args);
int plot_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);
int backtest_command(const std::vector<std::string>& args);

}  // namespace mfgsim::cli
