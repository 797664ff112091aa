#include "sim/core/progress.h"

namespace mfgsim {

void notify(const NoticeCallback& to, Notice::Level level, std::string text) {
  if (to) to(Notice{level, std::move(text)});
}

ProgressCounter::ProgressCounter(ProgressCallback callback, std::string label, std::int64_t total, std::string what)
    : callback_(std::move(callback)),
      label_(std::move(label)),
      what_(std::move(what)),
      total_(total),
      start_(std::chrono::steady_clock::now()) {
  std::lock_guard lock(mutex_);
  send(false);
}

ProgressCounter::~ProgressCounter() { finish(); }

void ProgressCounter::advance(std::int64_t items) {
  std::lock_guard lock(mutex_);
  done_ += items;
  if (!finished_) send(false);
}

void ProgressCounter::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  send(true);
}

void ProgressCounter::send(bool final) {
  if (!callback_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  callback_(ProgressUpdate{label_, what_, done_, total_, elapsed, final});
}

}  // namespace mfgsim
