#include "sim/cli/commands.h"

namespace mfgsim::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {run_command,         batch_command,    merge_command, compare_command,
                                             sensitivity_command, validate_command, schema_command, plot_command,
                                             calibrate_command,   forecast_command,     backtest_command, report_command,
                                             discover_command};
  return table;
}

const Command* find_command(std::string_view name) {
  for (const Command& command : commands())
    if (command.name == name) return &command;
  return nullptr;
}

int run_command_line(const Command& command, const std::vector<std::string>& args) {
  CommandOptions options{std::string(command.usage)};
  if (command.declare != nullptr) command.declare(options);
  const auto parsed = options.parse(args, command.about);
  return parsed ? command.run(*parsed) : kExitOk;
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
