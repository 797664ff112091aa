// mfgsim validate FILE...: scenario and batch files checked, not run.
#include <iostream>

#include "sim/batch/batch.h"
#include "sim/batch/embed.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/io/csv.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_tree.h"

namespace mfgsim::cli {

static void declare_options(CommandOptions& options) {
  options.arguments("files", "scenario or batch files", "validate needs at least one scenario or batch file",
                    /*multitoken=*/false);
}

static int execute(const po::variables_map& vm) {
  bool ok = true;
  for (const std::string& file : vm["files"].as<std::vector<std::string>>()) {
    if (is_batch_file(file)) {
      const BatchLoad load = load_batch(file);
      if (report(load.diagnostics))
        std::cout << file << ": ok (a batch of " << load.batch->entries.size() << " scenarios)\n";
      else
        ok = false;
      continue;
    }
    const ScenarioLoad load = load_scenario(file);
    if (report(load.diagnostics)) std::cout << file << ": ok\n";
    else ok = false;
  }
  return ok ? kExitOk : kExitUsage;
}

const Command validate_command{
    "validate", "validate FILE...", "check scenario and batch files without running them",
    "mfgsim validate FILE... [options]", declare_options,
    "\nChecks syntax, schema and model constraints of scenario files, and of batch files\n"
    "(a file with `scenarios:` or `sweeps:`) with every scenario and sweep sample they\n"
    "make; prints every problem as file:line:col: error: message (and warnings as\n"
    "file:line:col: warning: message). Exit 0 if all files are valid, 2 otherwise.\n",
    execute};

}  // namespace mfgsim::cli
