#include "sim/cli/progress_bar.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace mfgsim::cli {

namespace {
constexpr double kBarSeconds = 0.1;  // between redraws of the bar
constexpr double kLogSeconds = 5.0;  // between log lines
}  // namespace

ProgressBar::ProgressBar(Mode mode) : mode_(mode) {
  if (mode_ == Mode::automatic)
    mode_ = ::isatty(STDERR_FILENO) && spdlog::should_log(spdlog::level::info) ? Mode::bar : Mode::log;
}

ProgressCallback ProgressBar::callback() {
  if (mode_ == Mode::off) return {};
  return [this](const ProgressUpdate& update) { show(update); };
}

std::string ProgressBar::format_duration(double seconds) {
  if (!(seconds >= 0.0) || !std::isfinite(seconds)) return "--:--";
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

std::string ProgressBar::bar_text(const ProgressUpdate& u, int width) {
  const double fraction = u.total > 0 ? static_cast<double>(u.done) / static_cast<double>(u.total) : 1.0;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '.');
  const double elapsed = u.elapsed_seconds;
  const double rate = elapsed > 0.0 ? static_cast<double>(u.done) / elapsed : 0.0;
  const double left = u.done > 0 ? elapsed * static_cast<double>(u.total - u.done) / static_cast<double>(u.done) : NAN;
  return fmt::format("{} [{}] {}/{} {} {:3.0f}% {:.1f}/s, {} elapsed, {} left", u.label, bar, u.done, u.total, u.what,
                     100.0 * fraction, rate, format_duration(elapsed), format_duration(left));
}

void ProgressBar::show(const ProgressUpdate& u) {
  const bool first = u.done == 0 && !u.finished && u.elapsed_seconds < kBarSeconds;
  if (!u.finished && !(mode_ == Mode::bar && first)) {
    // Between the first and the last update: at most one redraw per interval.
    const double interval = mode_ == Mode::bar ? kBarSeconds : kLogSeconds;
    if (u.elapsed_seconds - last_draw_ < interval || u.done >= u.total) return;
    last_draw_ = u.elapsed_seconds;
  }
  const double elapsed = u.elapsed_seconds;
  if (mode_ == Mode::bar) {
    // \r and clear to the end of the line: the bar is redrawn in place.
    std::fprintf(stderr, "\r%s\x1b[K%s", bar_text(u, 30).c_str(), u.finished ? "\n" : "");
    std::fflush(stderr);
    return;
  }
  const double rate = elapsed > 0.0 ? static_cast<double>(u.done) / elapsed : 0.0;
  if (u.finished) {
    spdlog::info("{}: {}/{} {} done in {} ({:.1f}/s)", u.label, u.done, u.total, u.what, format_duration(elapsed), rate);
  } else {
    const double left = u.done > 0 ? elapsed * static_cast<double>(u.total - u.done) / static_cast<double>(u.done) : NAN;
    spdlog::info("{}: {}/{} {} done, {:.1f}/s, {} left", u.label, u.done, u.total, u.what, rate, format_duration(left));
  }
}

}  // namespace mfgsim::cli
