// Progress of a long run (a batch's scenarios, a sensitivity analysis's
// model runs): a bar with items done, rate and time left, redrawn in place
// on stderr when stderr is a terminal; periodic log lines otherwise (logs,
// CI). Thread-safe: workers call advance() as items finish.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace mfgsim {

class Progress {
 public:
  enum class Mode { automatic, bar, log, off };
  // `what` names the items ("scenarios", "model runs"). automatic: a bar if
  // stderr is a terminal and the log level lets info through, log lines
  // otherwise.
  Progress(std::string label, std::int64_t total, std::string what, Mode mode = Mode::automatic);
  ~Progress();  // finishes the bar if finish() was not called
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::int64_t items = 1);
  // Ends the bar (final state, newline) or logs the final line.
  void finish();

  // "1:05", "12:00:03" (h:mm:ss beyond an hour); "--:--" for NaN/negative.
  static std::string format_duration(double seconds);
  // The bar's text for a state (no ANSI codes), `width` characters of bar.
  static std::string bar_text(const std::string& label, std::int64_t done, std::int64_t total, const std::string& what,
                              double elapsed_seconds, int width);

 private:
  void draw(bool final);

  std::string label_, what_;
  std::int64_t total_, done_ = 0;
  Mode mode_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex mutex_;
};

}  // namespace mfgsim
