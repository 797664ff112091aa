#include "sim/core/progress.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace mfgsim {

namespace {
constexpr auto kBarInterval = std::chrono::milliseconds(100);
constexpr auto kLogInterval = std::chrono::seconds(5);
}  // namespace

Progress::Progress(std::string label, std::int64_t total, std::string what, Mode mode)
    : label_(std::move(label)), what_(std::move(what)), total_(total), mode_(mode) {
  if (mode_ == Mode::automatic)
    mode_ = ::isatty(STDERR_FILENO) && spdlog::should_log(spdlog::level::info) ? Mode::bar : Mode::log;
  start_ = last_draw_ = std::chrono::steady_clock::now();
  if (mode_ == Mode::bar) draw(false);
}

Progress::~Progress() { finish(); }

std::string Progress::format_duration(double seconds) {
  if (!(seconds >= 0.0) || !std::isfinite(seconds)) return "--:--";
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

std::string Progress::bar_text(const std::string& label, std::int64_t done, std::int64_t total, const std::string& what,
                               double elapsed, int width) {
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '.');
  const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;
  const double left = done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : NAN;
  return fmt::format("{} [{}] {}/{} {} {:3.0f}% {:.1f}/s, {} elapsed, {} left", label, bar, done, total, what,
                     100.0 * fraction, rate, format_duration(elapsed), format_duration(left));
}

void Progress::advance(std::int64_t items) {
  std::lock_guard lock(mutex_);
  done_ += items;
  if (mode_ == Mode::off || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = mode_ == Mode::bar ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(kBarInterval)
                                           : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kLogInterval);
  if (now - last_draw_ >= interval && done_ < total_) {
    last_draw_ = now;
    draw(false);
  }
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (mode_ == Mode::bar) draw(true);
  else if (mode_ == Mode::log) draw(true);
}

void Progress::draw(bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (mode_ == Mode::bar) {
    const std::string text = bar_text(label_, done_, total_, what_, elapsed, 30);
    // \r and clear to the end of the line: the bar is redrawn in place.
    std::fprintf(stderr, "\r%s\x1b[K%s", text.c_str(), final ? "\n" : "");
    std::fflush(stderr);
  } else if (mode_ == Mode::log) {
    const double rate = elapsed > 0.0 ? static_cast<double>(done_) / elapsed : 0.0;
    if (final) {
      spdlog::info("{}: {}/{} {} done in {} ({:.1f}/s)", label_, done_, total_, what_, format_duration(elapsed), rate);
    } else {
      const double left = done_ > 0 ? elapsed * static_cast<double>(total_ - done_) / static_cast<double>(done_) : NAN;
      spdlog::info("{}: {}/{} {} done, {:.1f}/s, {} left", label_, done_, total_, what_, rate, format_duration(left));
    }
  }
}

}  // namespace mfgsim
