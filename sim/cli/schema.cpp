// mfgsim schema: the documented scenario schema (Markdown) on stdout.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

static int execute(const po::variables_map&) {
  std::cout << schema_markdown();
  return kExitOk;
}

const Command schema_command{
    "schema", "schema", "print the documented scenario schema (Markdown)",
    "mfgsim schema [options]", nullptr,
    "\nPrints the scenario schema as Markdown (the text of scenarios/SCHEMA.md).\n",
    execute};

}  // namespace mfgsim::cli
