// The command line's view of progress (sim/core/progress.h): a bar with
// items done, rate and time left, redrawn in place on stderr when stderr is
// a terminal; periodic log lines otherwise (logs, CI).
#pragma once

#include <cstdint>
#include <string>

#include "sim/core/progress.h"

namespace mfgsim::cli {

class ProgressBar {
 public:
  enum class Mode { automatic, bar, log, off };
  // automatic: a bar if stderr is a terminal and the log level lets info
  // through, log lines otherwise.
  explicit ProgressBar(Mode mode);

  // The callback to hand to the library (empty for Mode::off). It refers to
  // this object, which must outlive the run.
  ProgressCallback callback();

  // "1:05", "12:00:03" (h:mm:ss beyond an hour); "--:--" for NaN/negative.
  static std::string format_duration(double seconds);
  // The bar's text for a state (no ANSI codes), `width` characters of bar.
  static std::string bar_text(const ProgressUpdate& update, int width);

 private:
  void show(const ProgressUpdate& update);

  Mode mode_;
  double last_draw_ = 0.0;  // elapsed seconds at the last redraw
};

}  // namespace mfgsim::cli
