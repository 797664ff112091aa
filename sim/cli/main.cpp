// mfgsim: the command line. The only place that prints, exits, or uses
// Boost.Program_options; everything else is the library. One file per
// command (sim/cli/<name>.cpp), listed once in sim/cli/commands.cpp; this
// file turns arguments into a command and exceptions into exit codes.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "sim/batch/mpi_batch.h"
#include "sim/cli/commands.h"
#include "sim/cli/common.h"
#include "sim/core/interrupt.h"
#include "sim/ensemble/ensemble.h"
#include "sim/output/netcdf_output.h"

using namespace mfgsim;
using namespace mfgsim::cli;

namespace {

// Exit status of a run stopped by a signal: 128 + its number (130 SIGINT, 143 SIGTERM), as a shell reports it.
int exit_interrupted(int signal) {
  std::cerr << "mfgsim: interrupted (" << signal_name(signal) << "): stopped, no output written\n";
  return 128 + signal;
}

int dispatch(std::vector<std::string> args) {
  try {
    // `mfgsim --log-level L COMMAND ...` is the same as `mfgsim COMMAND ... --log-level L`.
    if (args.size() >= 2 && args[0] == "--log-level") {
      const std::string level = args[1];
      args.erase(args.begin(), args.begin() + 2);
      if (args.empty()) throw UsageError("--log-level needs a command after it (see mfgsim --help)");
      args.push_back("--log-level");
      args.push_back(level);
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      // `mfgsim help forecast`: that command's help; anything else after it is refused.
      if (args.size() == 2 && find_command(args[1]) != nullptr) return run_command_line(*find_command(args[1]), {"--help"});
      if (args.size() > 1) throw UsageError("--help takes no arguments here (got '" + args[1] + "'); for a command's "
                                            "help: mfgsim COMMAND --help");
      std::cout << top_help();
      return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "--version") {
      if (args.size() > 1) throw UsageError("--version takes no arguments (got '" + args[1] + "')");
      std::cout << "mfgsim " << MFGSIM_VERSION << '\n';
      return kExitOk;
    }
    const Command* command = find_command(args[0]);
    if (command == nullptr)
      throw UsageError("unknown command '" + args[0] + "' (commands: " + command_names() + "; see mfgsim --help)");
    args.erase(args.begin());
    return run_command_line(*command, args);
  } catch (const Interrupted& e) {
    // Unwinding has closed the files and removed the staging folders.
    return exit_interrupted(e.signal);
  } catch (const UsageError& e) {
    std::cerr << "mfgsim: error: " << e.what() << '\n';
    return kExitUsage;
  } catch (const po::error& e) {
    std::cerr << "mfgsim: error: " << e.what() << " (see --help)\n";
    return kExitUsage;
  } catch (const RunError& e) {
    if (const int signal = interrupt_signal()) return exit_interrupted(signal);
    std::cerr << "mfgsim: run failed: " << e.what() << '\n';
    return kExitRunFailed;
  } catch (const std::exception& e) {
    // A write cut short by the signal reports the signal, not the write.
    if (const int signal = interrupt_signal()) return exit_interrupted(signal);
    std::cerr << "mfgsim: error: " << e.what() << '\n';
    return kExitRunFailed;
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("mfgsim");
  logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
  spdlog::set_default_logger(logger);
  // Ctrl-C and SIGTERM stop the work between blocks and scenarios
  // (Interrupted above); a file-size limit (ulimit -f) fails the write with
  // EFBIG, reported like a full disk, instead of killing the process.
  install_interrupt_handlers();
  ::signal(SIGXFSZ, SIG_IGN);
  // Only a batch started by an MPI launcher joins an MPI job.
  const bool mpi = argc > 1 && std::string(argv[1]) == "batch" && mpi_start(&argc, &argv);
  if (mpi && mpi_world().size > 1)
    logger->set_pattern(fmt::format("[%H:%M:%S.%e] [rank {}] [%^%l%$] %v", mpi_world().rank));
  int code = dispatch(std::vector<std::string>(argv + 1, argv + argc));
  // What a command printed (a table, the schema) that could not be written
  // (a full disk, a closed pipe, > /dev/full) is a failed command, not exit 0.
  if (!std::cout.flush() && code == kExitOk) {
    std::cerr << "mfgsim: error: cannot write the standard output: " << std::strerror(errno != 0 ? errno : EIO)
              << '\n';
    code = kExitRunFailed;
  }
  if (mpi) {
    // A failed rank would leave the others waiting for it: MPI_Abort ends them all.
    if (code != kExitOk && mpi_world().size > 1) {
      mpi_abort(code);
      std::exit(code);
    }
    mpi_finish();
  }
  if (netcdf_file_left_open()) {
    // Skip HDF5's exit handler, which crashes on a file a write error left half closed.
    std::cout.flush();
    std::cerr.flush();
    spdlog::default_logger()->flush();
    std::_Exit(code);
  }
  return code;
}
