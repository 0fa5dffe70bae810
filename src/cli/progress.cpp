#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace momentum::cli {

// isatty is a system call: asked only when the indicator runs (a quick call from Python takes
// microseconds).
Progress::Progress(bool enabled)
    : enabled_(enabled), tty_(enabled && isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (shown_ && tty_) std::fputs("\r\033[K", stderr);
  if (shown_) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "momentum: done in %.1f s\n", seconds);
  }
}

void Progress::stage(const std::string& name) {
  check_interrupt();
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  stage_ = name;
  fraction_.store(-1, std::memory_order_relaxed);
}

void Progress::run() {
  using namespace std::chrono_literals;
  std::unique_lock<std::mutex> lock(mutex_);
  if (cv_.wait_until(lock, start_ + 1s, [this] { return stop_; })) return;
  std::string last;
  auto last_print = std::chrono::steady_clock::time_point{};
  while (!stop_) {
    const double f = fraction_.load(std::memory_order_relaxed);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    char line[512];
    if (f >= 0)
      std::snprintf(line, sizeof line, "momentum: %s %3.0f%% (%.0f s)", stage_.c_str(), 100 * f,
                    seconds);
    else
      std::snprintf(line, sizeof line, "momentum: %s ... (%.0f s)", stage_.c_str(), seconds);
    const auto now = std::chrono::steady_clock::now();
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s", line);
      std::fflush(stderr);
      shown_ = true;
    } else if (now - last_print >= 1s && stage_ != last) {
      // Plain lines in logs: one per stage, at most one a second.
      std::fprintf(stderr, "%s\n", line);
      last = stage_;
      last_print = now;
      shown_ = true;
    }
    cv_.wait_for(lock, 500ms, [this] { return stop_; });
  }
}

}  // namespace momentum::cli
