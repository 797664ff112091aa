// Interrupts (sim/core/interrupt.h): the flag stops an ensemble and a batch with
// Interrupted (not a RunError: the CLI reports it as an interruption), the
// handlers record the first signal, a second one kills, and a signal the
// process inherited as ignored stays ignored. Handlers are tried in forked
// children so that the test process keeps its own.
#include "sim/core/interrupt.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/batch/batch.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

const std::string kScenarioDir = std::string(MFGSIM_SOURCE_DIR) + "/scenarios";

// Clears the flag however the test ends.
struct InterruptGuard {
  ~InterruptGuard() { clear_interrupt(); }
};

TEST(Interrupt, EnsembleStopsWithInterrupted) {
  const ScenarioLoad load = load_scenario(kScenarioDir + "/baseline.yaml");
  ASSERT_TRUE(load.scenario) << load.diagnostics.format();
  EnsembleRequest request;
  request.members = 64;
  request.threads = 2;
  InterruptGuard guard;
  request_interrupt(SIGTERM);
  try {
    run_ensemble(*load.scenario, request);
    FAIL() << "no Interrupted";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.signal, SIGTERM);
    EXPECT_STREQ(e.what(), "interrupted by SIGTERM");
  }
  clear_interrupt();
  EXPECT_EQ(run_ensemble(*load.scenario, request).store->members(), 64);
}

TEST(Interrupt, BatchStopsWithInterruptedNotRunError) {
  const BatchLoad load = load_batch_text("name: b\nmembers: 4\nscenarios: [baseline.yaml, credit_expansion.yaml]\n",
                                         "b.yaml", kScenarioDir);
  ASSERT_TRUE(load.batch) << load.diagnostics.format();
  InterruptGuard guard;
  request_interrupt(SIGINT);
  int delivered = 0;
  try {
    run_batch(*load.batch, BatchRunOptions{}, [&](std::size_t, EnsembleResult&) { ++delivered; });
    FAIL() << "no Interrupted";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.signal, SIGINT);
  }
  EXPECT_EQ(delivered, 0);
}

// Runs `child` in a forked process; its wait status.
template <class Child>
int in_child(Child child) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(child());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(Interrupt, FirstSignalIsRecordedSecondKills) {
  const int status = in_child([] {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGINT, &dfl, nullptr);
    install_interrupt_handlers();
    ::raise(SIGINT);
    if (interrupt_signal() != SIGINT) return 3;
    ::raise(SIGINT);  // the default action now
    return 4;
  });
  EXPECT_TRUE(WIFSIGNALED(status)) << "exit " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), SIGINT);
  }
}

TEST(Interrupt, IgnoredSignalStaysIgnored) {
  const int status = in_child([] {
    ::signal(SIGINT, SIG_IGN);  // e.g. a background job of a shell
    install_interrupt_handlers();
    ::raise(SIGINT);
    return interrupt_signal() == 0 ? 0 : 5;
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace mfgsim
