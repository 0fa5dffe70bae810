#pragma once
/// \file petsc_support.hpp
/// What momentum-mpi needs around PETSc and MPI: PETSc error codes as exceptions, owning
/// handles of PETSc objects, and errors that stay collective (when one rank refuses the input,
/// every rank stops with the same message, the one of the lowest failing rank).

#include <mpi.h>
#include <petscsys.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace momentum::mpi {

/// Throws std::runtime_error "<call>: <PETSc's message>" when `code` is not 0.
void check(PetscErrorCode code, const char* call);

/// Makes PETSc return error codes silently (no traceback on stderr) and remember the message
/// of the first error, which check() then reports.
void install_error_handler();

/// Calls a PETSc or SLEPc function and throws on its error code.
#define MOMENTUM_PETSC(...) ::momentum::mpi::check((__VA_ARGS__), #__VA_ARGS__)

int comm_rank(MPI_Comm comm);
int comm_size(MPI_Comm comm);
/// Ranks sharing this rank's node (MPI_COMM_TYPE_SHARED): they share its memory.
int ranks_on_node(MPI_Comm comm);

/// Owns a PETSc object (Mat, Vec, EPS, ...): destroys it at scope exit.
template <class H, PetscErrorCode (*Destroy)(H*)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(H h) : h_(h) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ~Handle() { reset(); }
  void reset() {
    if (h_) (void)Destroy(&h_);
    h_ = nullptr;
  }
  H get() const { return h_; }
  H* out() {
    reset();
    return &h_;
  }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  H h_ = nullptr;
};

/// A failure every rank knows about (raised by raise_collective): each rank can stop cleanly,
/// rank 0 prints it. Any other exception may be one rank's alone, and aborts the job.
struct CollectiveUsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
struct CollectiveFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Kinds of failure, as the tool's exit statuses: 2 the input, 3 a numerical or I/O failure.
enum class FailureKind : int { none = 0, usage = 2, failure = 3 };

/// A failure caught on one rank, to be made collective by raise_collective.
struct LocalFailure {
  FailureKind kind = FailureKind::none;
  std::string message;
};

/// Runs f, turning its exception (UsageError or std::invalid_argument: usage; anything else:
/// failure) into a LocalFailure. f must not call collective operations that other ranks might
/// not reach.
LocalFailure catch_local(const std::function<void()>& f);

/// Collective: when a rank failed, every rank throws the failure of the lowest failing rank
/// (CollectiveUsageError for usage, CollectiveFailure otherwise). Returns normally when none did.
void raise_collective(MPI_Comm comm, const LocalFailure& f);

/// catch_local then raise_collective.
inline void collectively(MPI_Comm comm, const std::function<void()>& f) {
  raise_collective(comm, catch_local(f));
}

}  // namespace momentum::mpi
