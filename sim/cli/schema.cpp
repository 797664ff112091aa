// mfgsim schema: the documented scenario schema (Markdown) on stdout.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

int schema_command(const std::vector<std::string>& args) {
  po::options_description opts("mfgsim schema [options]");
  const auto vm = parse_command(args, opts, {},
                                "\nPrints the scenario schema as Markdown (the text of scenarios/SCHEMA.md).\n");
  if (!vm) return kExitOk;
  std::cout << schema_markdown();
  return kExitOk;
}

}  // namespace mfgsim::cli
