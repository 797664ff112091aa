// Stopping long work cleanly on Ctrl-C (SIGINT) or SIGTERM. The CLI installs
// handlers that only record the signal (async-signal-safe: a lock-free
// atomic store); long loops poll it between units of work (an ensemble
// between blocks, a batch between scenarios) and throw Interrupted, so that
// stack unwinding closes files and removes temporary output (OutputDir).
// A second signal, or one that arrives before the handlers are installed,
// ends the process at once (the default action).
#pragma once

#include <stdexcept>
#include <string>

namespace mfgsim {

struct Interrupted : std::runtime_error {
  explicit Interrupted(int signal);
  int signal;  // SIGINT or SIGTERM (the one that arrived first)
};

// Installs the SIGINT and SIGTERM handlers (sigaction). A signal the process
// inherited as ignored (e.g. SIGINT of a background job, nohup) stays ignored.
void install_interrupt_handlers();

// The signal received since start (or since clear_interrupt), 0 if none.
int interrupt_signal();
inline bool interrupt_requested() { return interrupt_signal() != 0; }

// Throws Interrupted if a signal was received: call between units of work,
// never from a signal handler.
void throw_if_interrupted();

// Records `signal` as if it had arrived (tests; a caller's own stop button).
void request_interrupt(int signal);
void clear_interrupt();

// "SIGINT", "SIGTERM", else "signal N".
std::string signal_name(int signal);

}  // namespace mfgsim
