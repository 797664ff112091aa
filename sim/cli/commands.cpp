#include "sim/cli/commands.h"

namespace mfgsim::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"run", "run SCENARIO", "run a scenario's ensemble and write summaries", run_command},
      {"batch", "batch FILE", "run a batch of scenarios and parameter sweeps (summary.csv, results.nc)", batch_command},
      {"merge", "merge DIR...", "join the shard folders of mfgsim batch --shard K/N into one result", merge_command},
      {"compare", "compare DIR", "a batch's scenarios against a baseline: paired differences, P(better), ranks",
       compare_command},
      {"sensitivity", "sensitivity SCENARIO", "Morris or Sobol sensitivity of an output to uncertain parameters",
       sensitivity_command},
      {"validate", "validate FILE...", "check scenario files without running them", validate_command},
      {"schema", "schema", "print the documented scenario schema (Markdown)", schema_command},
      {"plot", "plot DIR", "fan charts of a results folder (PNG and SVG, with gnuplot)", plot_command},
      {"calibrate", "calibrate SCENARIO", "fit the scenario's `calibration:` parameters to published targets",
       calibrate_command},
      {"backtest", "backtest DIR", "score a results folder against observed figures (MAE, RMSE, coverage, CRPS)",
       backtest_command},
  };
  return table;
}

const Command* find_command(std::string_view name) {
  for (const Command& command : commands())
    if (command.name == name) return &command;
  return nullptr;
}

namespace {
// "  NAME ARGS   summary": summaries from column 21, or two spaces after a longer synopsis.
std::string help_line(std::string_view synopsis, std::string_view summary) {
  std::string line = "  ";
  line += synopsis;
  line.append(synopsis.size() < 19 ? 19 - synopsis.size() : 2, ' ');
  line += summary;
  return line + '\n';
}
}  // namespace

std::string top_help() {
  std::string text =
      "mfgsim: monthly projections of regional manufacturing under low-carbon,\n"
      "intelligent-manufacturing and long-term-lending levers.\n\n"
      "Usage: mfgsim COMMAND [options]\n\n"
      "Commands:\n";
  for (const Command& command : commands()) text += help_line(command.synopsis, command.summary);
  text += "\nOptions:\n";
  text += help_line("--help", "this text (also: mfgsim COMMAND --help)");
  text += help_line("--version", "the program version");
  text += help_line("--log-level LEVEL", "trace, debug, info, warn, error, off (default info)");
  return text;
}

std::string command_names() {
  std::string names;
  for (const Command& command : commands()) names += (names.empty() ? "" : ", ") + std::string(command.name);
  return names;
}

}  // namespace mfgsim::cli
