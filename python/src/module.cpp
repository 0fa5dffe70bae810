// momentum._momentum: the `momentum` tool's command layer (src/cli/run.hpp) run in-process, so
// that Python and the command line cannot disagree. The Python side (python/momentum/) turns
// keyword arguments into the tool's argv (always with --json); this side runs the tool with
// std::cout captured, the GIL released and SIGINT turned into a request to stop, lends it numpy
// arrays and sparse matrices under reserved --matrix and --linear names
// (src/cli/memory_matrix.hpp), and takes the JSON document the command would print
// (json_output.hpp: set_json_sink) as the nlohmann::json itself, converted straight into
// Python objects: the same values json.loads would give, without the text in between.
#include "json_output.hpp"
#include "memory_matrix.hpp"
#include "progress.hpp"
#include "run.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace py = pybind11;
using momentum::cli::MemoryMatrix;
using momentum::cli::Tool;

namespace {

/// Parsed Tools, reused. CLI11 clears an app's results before parsing again, but leaves the
/// variable of an option that is now absent as the previous parse set it. So a Tool is reused
/// only for the same subcommand with the same options in the same order (its key): each
/// variable the previous parse set is set again. A Tool whose command failed is dropped (its
/// options may hold half a parse).
class ToolCache {
 public:
  Tool& get(const std::vector<std::string>& argv, std::string& key) {
    key.clear();
    for (const std::string& a : argv) {
      key.append(a, 0, a.find('='));
      key += '\n';
    }
    const auto it = tools_.find(key);
    if (it != tools_.end()) return *it->second;
    if (tools_.size() >= 64) tools_.clear();
    return *tools_.emplace(key, std::make_unique<Tool>()).first->second;
  }
  void drop(const std::string& key) { tools_.erase(key); }
  std::size_t size() const { return tools_.size(); }

 private:
  std::map<std::string, std::unique_ptr<Tool>> tools_;
};

ToolCache& tools() {
  static ToolCache cache;
  return cache;
}

/// One call at a time: the tool's globals (std::cout, the registry of in-memory matrices).
std::mutex& tool_mutex() {
  static std::mutex m;
  return m;
}

/// Nanoseconds of the last call: the tool's parse, its run, the conversion of its document to
/// Python objects, and the whole of run() below (bench/python_overhead.py).
std::tuple<long long, long long, long long, long long>& last_timings() {
  static std::tuple<long long, long long, long long, long long> t;
  return t;
}

/// The addresses of the buffers the last call lent the tool (for the no-copy check).
std::map<std::string, std::uintptr_t>& lent_addresses() {
  static std::map<std::string, std::uintptr_t> a;
  return a;
}

extern "C" void on_sigint(int) {
  momentum::cli::interrupt_requested.store(true, std::memory_order_relaxed);
}

/// Points std::cout at a buffer and SIGINT at interrupt_requested for its lifetime.
class Capture {
 public:
  Capture(std::streambuf* buffer, bool handle_sigint) : old_(std::cout.rdbuf(buffer)) {
    momentum::cli::interrupt_requested.store(false);
    if (handle_sigint) {
      struct sigaction sa {};
      sa.sa_handler = on_sigint;
      sigemptyset(&sa.sa_mask);
      handled_ = sigaction(SIGINT, &sa, &old_action_) == 0;
    }
  }
  ~Capture() {
    std::cout.rdbuf(old_);
    std::cout.clear();
    if (handled_) sigaction(SIGINT, &old_action_, nullptr);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

 private:
  std::streambuf* old_;
  struct sigaction old_action_ {};
  bool handled_ = false;
};

/// A float64 numpy array in C or Fortran order (1-D: a column), viewed without a copy.
MemoryMatrix dense_view(const std::string& name, const py::array& a) {
  if (!a.dtype().is(py::dtype::of<double>()))
    throw py::type_error(name + ": the array must be float64 here (the package converts others)");
  const bool c = (a.flags() & py::array::c_style) != 0, f = (a.flags() & py::array::f_style) != 0;
  if (!c && !f) throw py::value_error(name + ": the array must be contiguous");
  if (a.ndim() != 1 && a.ndim() != 2)
    throw py::value_error(name + ": expected a 1-D or 2-D array, got " + std::to_string(a.ndim()) +
                          " dimensions");
  MemoryMatrix m;
  m.rows = static_cast<Eigen::Index>(a.shape(0));
  m.cols = a.ndim() == 2 ? static_cast<Eigen::Index>(a.shape(1)) : 1;
  m.data = static_cast<const double*>(a.data());
  m.row_major = a.ndim() == 2 && c;
  return m;
}

/// A sparse matrix from its COO arrays (duplicates summed, as scipy does).
MemoryMatrix sparse_matrix(const std::string& name, py::tuple coo) {
  if (coo.size() != 5) throw py::value_error(name + ": expected (rows, cols, row, col, data)");
  const auto rows = coo[0].cast<std::int64_t>(), cols = coo[1].cast<std::int64_t>();
  const auto r = coo[2].cast<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>();
  const auto c = coo[3].cast<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>();
  const auto v = coo[4].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
  if (r.size() != c.size() || r.size() != v.size())
    throw py::value_error(name + ": row, col and data differ in length");
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(static_cast<std::size_t>(v.size()));
  for (py::ssize_t k = 0; k < v.size(); ++k) {
    const std::int64_t i = r.data()[k], j = c.data()[k];
    if (i < 0 || i >= rows || j < 0 || j >= cols)
      throw py::value_error(name + ": index (" + std::to_string(i) + ", " + std::to_string(j) +
                            ") outside the shape");
    t.emplace_back(static_cast<int>(i), static_cast<int>(j), v.data()[k]);
  }
  auto s = std::make_shared<Eigen::SparseMatrix<double>>(static_cast<Eigen::Index>(rows),
                                                         static_cast<Eigen::Index>(cols));
  s->setFromTriplets(t.begin(), t.end());
  MemoryMatrix m;
  m.rows = s->rows();
  m.cols = s->cols();
  m.sparse = std::move(s);
  return m;
}

/// The document a command printed with --json, taken by the JSON sink (json_output.hpp) when
/// it is the first thing on standard output; later output stays text.
struct TakenDocument {
  std::stringbuf* out = nullptr;
  std::optional<momentum::cli::Json> document;
};

bool take_document(momentum::cli::Json& j, void* context) {
  auto& taken = *static_cast<TakenDocument*>(context);
  if (taken.document || taken.out->pubseekoff(0, std::ios_base::cur, std::ios_base::out) != 0)
    return false;
  taken.document.emplace(std::move(j));
  return true;
}

/// Points the JSON sink at `taken` for its lifetime (also when the tool throws).
class SinkScope {
 public:
  explicit SinkScope(TakenDocument* taken)
      : previous_(momentum::cli::set_json_sink(take_document, taken)) {}
  ~SinkScope() { momentum::cli::set_json_sink(previous_.first, previous_.second); }
  SinkScope(const SinkScope&) = delete;
  SinkScope& operator=(const SinkScope&) = delete;

 private:
  std::pair<momentum::cli::JsonSink, void*> previous_;
};

/// A Python str of UTF-8 text. The tool's JSON text replaces invalid bytes (file names, mistyped
/// options) with U+FFFD (json_text); such a string takes that same route here.
py::object text(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), nullptr);
  if (o == nullptr) {
    PyErr_Clear();
    const std::string valid =
        momentum::cli::Json::parse(momentum::cli::json_text(momentum::cli::Json(s))).get<std::string>();
    o = PyUnicode_DecodeUTF8(valid.data(), static_cast<py::ssize_t>(valid.size()), nullptr);
    if (o == nullptr) throw py::error_already_set();
  }
  return py::reinterpret_steal<py::object>(o);
}

/// j as the Python objects json.loads gives for its JSON text: dict (in the document's key
/// order), list, str, int, float, bool, None (also for a non-finite float, which the text
/// writes as null).
py::object to_python(const momentum::cli::Json& j) {
  using value_t = momentum::cli::Json::value_t;
  switch (j.type()) {
    case value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it)
        if (PyDict_SetItem(d.ptr(), text(it.key()).ptr(), to_python(it.value()).ptr()) != 0)
          throw py::error_already_set();
      return std::move(d);
    }
    case value_t::array: {
      py::list l(j.size());
      std::size_t k = 0;
      for (const auto& v : j) l[k++] = to_python(v);
      return std::move(l);
    }
    case value_t::string: return text(j.get_ref<const std::string&>());
    case value_t::boolean: return py::bool_(j.get<bool>());
    case value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case value_t::number_float: {
      const double x = j.get<double>();
      if (!std::isfinite(x)) return py::none();
      return py::float_(x);
    }
    case value_t::null: return py::none();
    default: break;
  }
  // Anything else (binary values: none today) as its text would read.
  return py::module_::import("json").attr("loads")(momentum::cli::json_text(j));
}

/// Runs the tool on argv (without the program's name). Returns (status, document, stdout,
/// stderr, interrupted): document is the JSON object the command printed with --json, as
/// Python objects (stdout then holds what else it printed, usually nothing), or None (a command
/// that prints its JSON as text, such as simulate's streamed rows, and every error: stdout
/// holds the text).
py::tuple run(const std::vector<std::string>& args, const py::dict& dense, const py::dict& sparse,
              bool handle_sigint) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, MemoryMatrix>> lent;
  for (const auto& [k, v] : dense) {
    const std::string name = k.cast<std::string>();
    lent.emplace_back(name, dense_view(name, v.cast<py::array>()));
  }
  for (const auto& [k, v] : sparse) {
    const std::string name = k.cast<std::string>();
    lent.emplace_back(name, sparse_matrix(name, v.cast<py::tuple>()));
  }
  std::vector<std::string> argv;
  argv.reserve(args.size() + 1);
  argv.emplace_back("momentum");
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<const char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (const std::string& a : argv) cargv.push_back(a.c_str());
  cargv.push_back(nullptr);

  int status = 0;
  bool interrupted = false;
  std::stringbuf out_buffer;
  std::ostringstream err;
  TakenDocument taken;
  taken.out = &out_buffer;
  {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(tool_mutex());
    momentum::cli::clear_memory_matrices();
    lent_addresses().clear();
    for (const auto& [name, m] : lent) {
      lent_addresses()[name] = reinterpret_cast<std::uintptr_t>(m.data);
      momentum::cli::register_memory_matrix(name, m);
    }
    std::string key;
    Tool& tool = tools().get(argv, key);
    {
      Capture capture(&out_buffer, handle_sigint);
      const SinkScope sink(&taken);
      std::ostream out(&out_buffer);
      using clock = std::chrono::steady_clock;
      const auto t0 = clock::now();
      const std::optional<int> parsed =
          tool.parse(static_cast<int>(argv.size()), cargv.data(), out, err);
      const auto t1 = clock::now();
      status = parsed ? *parsed : tool.run(err);
      const auto t2 = clock::now();
      last_timings() = {std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count(),
                        std::chrono::duration_cast<std::chrono::nanoseconds>(t2 - t1).count(), 0,
                        0};
      interrupted = momentum::cli::interrupt_requested.exchange(false);
    }
    momentum::cli::clear_memory_matrices();
    if (status != 0 && status != 1) tools().drop(key);
  }
  const auto t3 = std::chrono::steady_clock::now();
  py::object document = py::none();
  std::string out_text = out_buffer.str();
  if (taken.document) {
    if (out_text.empty()) {
      document = to_python(*taken.document);
    } else {
      // More output followed the document: all of it as the text the command line prints.
      out_text = momentum::cli::json_text(*taken.document, 2) + '\n' + out_text;
    }
  }
  const auto t4 = std::chrono::steady_clock::now();
  py::tuple result = py::make_tuple(status, std::move(document), py::bytes(out_text),
                                    py::bytes(err.str()), interrupted);
  std::get<2>(last_timings()) =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t4 - t3).count();
  std::get<3>(last_timings()) = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::steady_clock::now() - start)
                                    .count();
  return result;
}

/// The options of a subcommand: {long name: (type name, flag, repeatable)}, read from the
/// tool's own CLI11 app (so that options added to the tool reach Python unchanged).
py::dict options(const std::string& subcommand) {
  const std::lock_guard<std::mutex> lock(tool_mutex());
  Tool tool;
  std::ostringstream sink;
  const std::vector<const char*> argv = {"momentum", subcommand.c_str(), nullptr};
  (void)tool.parse(2, argv.data(), sink, sink);
  const CLI::App* app = tool.chosen();
  if (app == nullptr || app->get_name() != subcommand)
    throw py::value_error("no subcommand '" + subcommand + "'");
  py::dict d;
  for (const CLI::Option* o : app->get_options())
    for (const std::string& name : o->get_lnames())
      d[py::str(name)] = py::make_tuple(o->get_type_name(), o->get_expected_max() == 0,
                                        o->get_items_expected_max() > 1);
  return d;
}

}  // namespace

PYBIND11_MODULE(_momentum, m) {
  m.doc() = "The momentum tool's command layer, in-process (see the package momentum).";
  m.def("run", &run, py::arg("args"), py::arg("dense") = py::dict(), py::arg("sparse") = py::dict(),
        py::arg("handle_sigint") = false,
        "Runs `momentum ARGS...` in-process: (status, the JSON document as Python objects or "
        "None, stdout bytes, stderr bytes, interrupted).");
  m.def("options", &options, py::arg("subcommand"),
        "{long name: (type name, is a flag, repeatable)} of a subcommand's options.");
  m.def("_lent_addresses", [] {
    const std::lock_guard<std::mutex> lock(tool_mutex());
    return lent_addresses();
  }, "The data address of each array the last call lent the tool (the no-copy check).");
  m.def("_last_timings", [] { return last_timings(); },
        "(parse, run, conversion to Python, whole call) nanoseconds of the last call "
        "(bench/python_overhead.py).");
  m.def("_cached_tools", [] { return tools().size(); }, "How many parsed Tools are kept for reuse.");
}
