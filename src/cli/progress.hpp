#pragma once
/// \file progress.hpp
/// A progress indicator on stderr for runs longer than a second: silent for quick runs, then
/// the current stage (and its fraction done, when known) refreshed twice a second, on one
/// line on a terminal and as plain lines (at most one a second) otherwise.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace momentum::cli {

class Progress {
 public:
  /// Starts the clock; `enabled` false makes every call a no-op (--quiet).
  explicit Progress(bool enabled);
  /// Stops the display and clears its line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Names the current stage ("reading Q.mtx", "largest eigenvalue (Lanczos)").
  void stage(const std::string& name);
  /// Fraction of the stage done, in [0, 1]; negative when unknown.
  void update(double fraction) { fraction_.store(fraction, std::memory_order_relaxed); }

 private:
  void run();
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<double> fraction_{-1};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::string stage_;
  bool stop_ = false;
  bool shown_ = false;
  std::thread thread_;
};

}  // namespace momentum::cli
