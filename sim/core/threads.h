// Starting worker threads without risking std::terminate: a std::thread
// destroyed while still joinable ends the program at once, skipping the
// unwinding that removes temporary output folders. When the system refuses a
// thread (std::system_error, e.g. EAGAIN at a process's thread limit), the
// ones already started are stopped and joined, and an ordinary exception
// reports it.
#pragma once

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace mfgsim {

// Starts `count` threads running `body`, appended to `pool`. If one cannot
// be started: calls `stop()` (which must make the running bodies return
// soon), joins and clears `pool`, and throws std::runtime_error naming the
// number of threads asked for.
template <class Body, class Stop>
void start_threads(std::vector<std::thread>& pool, int count, const Body& body, const Stop& stop) {
  try {
    for (int k = 0; k < count; ++k) pool.emplace_back(body);
  } catch (const std::exception& e) {
    const std::size_t started = pool.size();
    stop();
    for (std::thread& thread : pool) thread.join();
    pool.clear();
    throw std::runtime_error("cannot start " + std::to_string(count) + " worker threads (the system refused after " +
                             std::to_string(started) + ": " + e.what() + "); use fewer --threads");
  }
}

}  // namespace mfgsim
