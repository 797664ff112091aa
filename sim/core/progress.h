// Progress and notices of long runs, as values handed to callbacks: the
// library never prints. The command line (sim/cli/progress_bar.h) draws a
// bar or writes log lines from the updates; tests may count them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace mfgsim {

// One state of a long run: `done` of `total` items finished.
struct ProgressUpdate {
  std::string_view label;  // what runs: a batch's or a scenario's name
  std::string_view what;   // the items: "scenarios", "runs", "members"
  std::int64_t done = 0, total = 0;
  double elapsed_seconds = 0.0;  // since the run started
  bool finished = false;         // the last update of this run (also when it stops short)
};
using ProgressCallback = std::function<void(const ProgressUpdate&)>;

// A message for the user about a run that goes on (a resumed checkpoint,
// members left out, a long ensemble's progress). The command line prints
// it; the library only describes it.
struct Notice {
  enum class Level {
    info,     // a log line (shown at --log-level info)
    warning,  // a log line (shown at --log-level warn)
    report,   // always shown: "mfgsim: <text>" on stderr
  };
  Level level = Level::info;
  std::string text;
};
using NoticeCallback = std::function<void(const Notice&)>;
// Hands a notice to `to`, if set.
void notify(const NoticeCallback& to, Notice::Level level, std::string text);

// Counts finished items and hands every change to a callback (none: it only
// counts): an update with done = 0 at construction, one per advance(), and a
// final one from finish() or the destructor. Thread-safe: workers call
// advance() as items finish; the callback is never called concurrently.
class ProgressCounter {
 public:
  ProgressCounter(ProgressCallback callback, std::string label, std::int64_t total, std::string what);
  ~ProgressCounter();  // finish() if not called
  ProgressCounter(const ProgressCounter&) = delete;
  ProgressCounter& operator=(const ProgressCounter&) = delete;

  void advance(std::int64_t items = 1);
  void finish();

 private:
  void send(bool final);  // with mutex_ held

  ProgressCallback callback_;
  std::string label_, what_;
  std::int64_t total_, done_ = 0;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

}  // namespace mfgsim
