#include "petsc_support.hpp"

#include <new>
#include <stdexcept>
#include <vector>

namespace momentum::mpi {

namespace {
/// The message of the first error since the last check() (PETSc calls the handler once per
/// stack frame: the first call has the specific message).
std::string& last_message() {
  static std::string m;
  return m;
}

PetscErrorCode remember(MPI_Comm, int, const char* function, const char*, PetscErrorCode code,
                        PetscErrorType type, const char* message, void*) {
  if (type == PETSC_ERROR_INITIAL && message)
    last_message() = std::string(message) + (function ? std::string(" [") + function + "]" : "");
  return code;
}
}  // namespace

void install_error_handler() { PetscPushErrorHandler(remember, nullptr); }

void check(PetscErrorCode code, const char* call) {
  if (code == 0) return;
  const char* text = nullptr;
  PetscErrorMessage(code, &text, nullptr);
  std::string name(call);
  if (const auto paren = name.find('('); paren != std::string::npos) name.resize(paren);
  std::string detail = last_message();
  last_message().clear();
  throw std::runtime_error(name + ": PETSc error " + std::to_string(int(code)) +
                           (text ? std::string(" (") + text + ")" : std::string()) +
                           (detail.empty() ? std::string() : ": " + detail));
}

int comm_rank(MPI_Comm comm) {
  int r = 0;
  MPI_Comm_rank(comm, &r);
  return r;
}

int comm_size(MPI_Comm comm) {
  int s = 1;
  MPI_Comm_size(comm, &s);
  return s;
}

int ranks_on_node(MPI_Comm comm) {
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, comm_rank(comm), MPI_INFO_NULL, &node);
  const int s = comm_size(node);
  MPI_Comm_free(&node);
  return s;
}

LocalFailure catch_local(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {  // cli::UsageError and the library's own checks
    return {FailureKind::usage, e.what()};
  } catch (const std::bad_alloc&) {
    return {FailureKind::failure, "out of memory"};
  } catch (const std::exception& e) {
    return {FailureKind::failure, e.what()};
  }
  return {};
}

void raise_collective(MPI_Comm comm, const LocalFailure& f) {
  const int rank = comm_rank(comm), size = comm_size(comm);
  const int mine = f.kind == FailureKind::none ? size : rank;
  int first = size;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
  if (first == size) return;
  int header[2] = {static_cast<int>(f.kind), static_cast<int>(f.message.size())};
  MPI_Bcast(header, 2, MPI_INT, first, comm);
  std::vector<char> text(static_cast<std::size_t>(header[1]));
  if (rank == first) text.assign(f.message.begin(), f.message.end());
  MPI_Bcast(text.data(), header[1], MPI_CHAR, first, comm);
  const std::string message(text.begin(), text.end());
  if (header[0] == static_cast<int>(FailureKind::usage)) throw CollectiveUsageError(message);
  throw CollectiveFailure(message);
}

}  // namespace momentum::mpi
