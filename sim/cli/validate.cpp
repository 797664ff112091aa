// mfgsim validate FILE...: scenario files checked, not run.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.arguments("files", "scenario files", "validate needs at least one scenario file", /*multitoken=*/false);
}

static int execute(const po::variables_map& vm) {
  bool ok = true;
  for (const std::string& file : vm["files"].as<std::vector<std::string>>()) {
    const ScenarioLoad load = load_scenario(file);
    if (report(load.diagnostics)) std::cout << file << ": ok\n";
    else ok = false;
  }
  return ok ? kExitOk : kExitUsage;
}

const Command validate_command{
    "validate", "validate FILE...", "check scenario files without running them",
    "mfgsim validate FILE... [options]", declare_options,
    "\nChecks syntax, schema and model constraints; prints every problem as\n"
    "file:line:col: error: message. Exit 0 if all files are valid, 2 otherwise.\n",
    execute};

}  // namespace mfgsim::cli
