#pragma once
/// \file progress.hpp
/// A progress indicator on stderr for runs longer than a second: silent for quick runs, then
/// the current stage (and its fraction done, when known) refreshed twice a second, on one
/// line on a terminal and as plain lines (at most one a second) otherwise.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace momentum::cli {

/// Set (from a signal handler: the Python package's for SIGINT) to stop the running command at
/// its next Progress::stage() or update(), which throw Interrupted (exit status 3 "failed:
/// interrupted"). Lock-free, hence safe to store from a signal handler.
inline std::atomic<bool> interrupt_requested{false};

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

/// \throws Interrupted when interrupt_requested is set.
inline void check_interrupt() {
  if (interrupt_requested.load(std::memory_order_relaxed)) throw Interrupted();
}

class Progress {
 public:
  /// Starts the clock; `enabled` false makes every call a no-op (--quiet).
  explicit Progress(bool enabled);
  /// Stops the display and clears its line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Names the current stage ("reading Q.mtx", "largest eigenvalue (Lanczos)").
  /// \throws Interrupted (check_interrupt), also when disabled.
  void stage(const std::string& name);
  /// Fraction of the stage done, in [0, 1]; negative when unknown.
  /// \throws Interrupted (check_interrupt), also when disabled.
  void update(double fraction) {
    check_interrupt();
    fraction_.store(fraction, std::memory_order_relaxed);
  }

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
