#include "sim/core/interrupt.h"

#include <signal.h>

#include <atomic>
#include <cstring>

namespace mfgsim {

namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler may only touch a lock-free atomic");

extern "C" void on_signal(int signal) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signal);
  // Back to the default action: the next SIGINT or SIGTERM ends the process
  // at once (sigaction is async-signal-safe).
  struct sigaction fallback;
  std::memset(&fallback, 0, sizeof fallback);
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  for (int s : {SIGINT, SIGTERM}) {
    struct sigaction current;
    if (sigaction(s, nullptr, &current) == 0 && current.sa_handler == on_signal) sigaction(s, &fallback, nullptr);
  }
}

}  // namespace

Interrupted::Interrupted(int s) : std::runtime_error("interrupted by " + signal_name(s)), signal(s) {}

void install_interrupt_handlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  // Interrupted system calls resume: a write in progress is not turned into an I/O error.
  action.sa_flags = SA_RESTART;
  for (int s : {SIGINT, SIGTERM}) {
    struct sigaction previous;
    if (sigaction(s, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
    sigaction(s, &action, nullptr);
  }
}

int interrupt_signal() { return g_signal.load(std::memory_order_relaxed); }

void throw_if_interrupted() {
  if (const int s = interrupt_signal()) throw Interrupted(s);
}

void request_interrupt(int signal) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signal);
}

void clear_interrupt() { g_signal.store(0); }

std::string signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "signal " + std::to_string(signal);
}

}  // namespace mfgsim
