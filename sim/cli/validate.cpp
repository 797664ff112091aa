// mfgsim validate FILE...: scenario files checked, not run.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

int validate_command(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim validate FILE... [options]");
  opts.add_options()("files", po::value<std::vector<std::string>>(), "scenario files");
  const auto vm = parse_command(args, opts, positional("files", -1),
                                "\nChecks syntax, schema and model constraints; prints every problem as\n"
                                "file:line:col: error: message. Exit 0 if all files are valid, 2 otherwise.\n");
  if (!vm) return kExitOk;
  if (!vm->count("files")) throw UsageError("validate needs at least one scenario file");
  bool ok = true;
  for (const std::string& file : (*vm)["files"].as<std::vector<std::string>>()) {
    const ScenarioLoad load = load_scenario(file);
    if (report(load.diagnostics)) std::cout << file << ": ok\n";
    else ok = false;
  }
  return ok ? kExitOk : kExitUsage;
}

}  // namespace mfgsim::cli
