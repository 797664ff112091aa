// sim/core/threads.h: a thread that cannot be started stops and joins the
// ones already running and becomes an ordinary exception (never
// std::terminate, which would skip the removal of temporary folders). The
// refusal is simulated by a body whose copy (made for each new thread)
// throws from the third thread on.
#include "sim/core/threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

namespace mfgsim {
namespace {

struct Body {
  std::atomic<int>* copies;
  std::atomic<bool>* stop;
  std::atomic<int>* finished;
  Body(std::atomic<int>* c, std::atomic<bool>* s, std::atomic<int>* f) : copies(c), stop(s), finished(f) {}
  Body(const Body& other) : copies(other.copies), stop(other.stop), finished(other.finished) {
    if (++*copies > 2) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
  }
  Body(Body&&) noexcept = default;  // moves inside std::thread are not new threads
  void operator()() const {
    while (!*stop) std::this_thread::yield();  // runs until told to stop
    ++*finished;
  }
};

TEST(Threads, ARefusedThreadStopsAndJoinsTheStartedOnes) {
  std::atomic<int> copies{0}, finished{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  const Body body(&copies, &stop, &finished);
  try {
    start_threads(pool, 5, body, [&] { stop = true; });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).find("cannot start 5 worker threads (the system refused after 2: "), 0u)
        << e.what();
  }
  EXPECT_TRUE(pool.empty());
  EXPECT_EQ(finished, 2);  // both started threads ran to their end and were joined
}

TEST(Threads, AllStartedWhenTheSystemAllows) {
  std::atomic<int> ran{0};
  std::vector<std::thread> pool;
  start_threads(pool, 4, [&] { ++ran; }, [] {});
  ASSERT_EQ(pool.size(), 4u);
  for (std::thread& t : pool) t.join();
  EXPECT_EQ(ran, 4);
}

}  // namespace
}  // namespace mfgsim
