// mfgsim._mfgsim: the library's embedding calls (sim/batch/embed.h) for the
// Python package python/mfgsim, which turns what they return into xarray
// Datasets. Includes only embed.h (no Eigen, no yaml-cpp), so this file
// compiles fast.
//
// Threads and signals: every call that computes runs on a thread of its own
// with the GIL released; the calling thread wakes every 50 ms, takes the GIL
// and runs Python's signal handlers (PyErr_CheckSignals). When one raises
// (Ctrl-C: KeyboardInterrupt), the library is asked to stop
// (request_interrupt: it stops at its next block of members or scenario and
// removes its temporary output), and once it has, the Python exception is
// raised. The stop request is process-wide: it stops every run of this
// process, as Ctrl-C does on the command line. Called from another thread
// than Python's main thread, PyErr_CheckSignals runs no handler: such a run
// is not stopped by Ctrl-C.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/batch/embed.h"
#include "sim/core/interrupt.h"
#include "sim/ensemble/run_error.h"

namespace py = pybind11;
using namespace mfgsim;

namespace {

// Runs work() off the calling thread, without the GIL, interruptible by
// Python's signal handlers (see the top of the file).
template <class Work>
auto run_interruptible(Work work) -> decltype(work()) {
  using Result = decltype(work());
  std::optional<Result> result;
  std::exception_ptr failure;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  clear_interrupt();
  std::thread worker([&] {
    try {
      result.emplace(work());
    } catch (...) {
      failure = std::current_exception();
    }
    const std::lock_guard<std::mutex> lock(mutex);
    done = true;
    finished.notify_all();
  });
  bool interrupted = false;
  for (;;) {
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mutex);
      if (finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) break;
    }
    // The Python error stays set until it is raised below.
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = true;
      request_interrupt(SIGINT);
    }
  }
  worker.join();
  clear_interrupt();
  if (interrupted) throw py::error_already_set();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

py::list diagnostics_list(const Diagnostics& diagnostics) {
  py::list out;
  for (const Diagnostic& d : diagnostics.items())
    out.append(py::make_tuple(d.where.file, d.where.line, d.where.column, d.message, d.format()));
  return out;
}

// The input's warnings, each as the CLI prints it ("file:line:col: warning: ...").
py::list warnings_list(const Diagnostics& diagnostics) {
  py::list out;
  for (const Diagnostic& d : diagnostics.warnings()) out.append(d.format());
  return out;
}

const char* type_name(ResultsType type) {
  switch (type) {
    case ResultsType::f64: return "float64";
    case ResultsType::i32: return "int32";
    case ResultsType::u64: return "uint64";
    case ResultsType::i8: return "int8";
    case ResultsType::string: return "str";
  }
  return "";
}

template <class T>
py::array counts_array(const std::vector<std::uint64_t>& counts) {
  py::array_t<T> out(static_cast<py::ssize_t>(counts.size()));
  T* data = out.mutable_data();
  for (std::size_t k = 0; k < counts.size(); ++k) data[k] = static_cast<T>(counts[k]);
  return out;
}

// The results as plain data: {"attrs": [(name, value)], "dims": [(name,
// length)], "variables": [{"name", "dims", "attrs", "fill_nan", "type",
// "data"}]}; data flat (a numpy array, or a list of str), row-major.
py::dict results_dict(const ResultsMemory& results) {
  const ResultsSpec& spec = results.spec();
  py::dict out;
  out["attrs"] = spec.attributes;
  out["dims"] = spec.dimensions;
  py::list variables;
  for (std::size_t v = 0; v < results.variable_count(); ++v) {
    const ResultsVariable& var = results.variable(v);
    py::dict item;
    item["name"] = var.name;
    item["dims"] = var.dims;
    item["attrs"] = var.attributes;
    item["fill_nan"] = var.fill_nan;
    item["type"] = type_name(var.type);
    switch (var.type) {
      case ResultsType::f64: {
        py::array_t<double> data(static_cast<py::ssize_t>(var.numbers.size()));
        std::memcpy(data.mutable_data(), var.numbers.data(), var.numbers.size() * sizeof(double));
        item["data"] = std::move(data);
        break;
      }
      case ResultsType::i32: item["data"] = counts_array<std::int32_t>(var.counts); break;
      case ResultsType::u64: item["data"] = counts_array<std::uint64_t>(var.counts); break;
      case ResultsType::i8: item["data"] = counts_array<std::int8_t>(var.counts); break;
      case ResultsType::string: item["data"] = var.strings; break;
    }
    variables.append(std::move(item));
  }
  out["variables"] = std::move(variables);
  return out;
}

}  // namespace

PYBIND11_MODULE(_mfgsim, m) {
  m.doc() = "mfgsim's library calls; use the package mfgsim (python/mfgsim/__init__.py).";
  initialize_embedding();  // on the importing thread, where xarray opens files
  py::register_exception<RunError>(m, "RunError", PyExc_RuntimeError);
  // An interruption the module did not raise itself (request_interrupt from
  // elsewhere, SIGTERM): Python's KeyboardInterrupt, as for Ctrl-C.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });

  m.def(
      "run",
      [](const std::string& path, const std::string& text, const std::string& name, const std::string& base_dir,
         std::optional<std::int64_t> members, std::optional<std::uint64_t> seed,
         std::optional<std::vector<std::string>> outputs, bool deterministic, int threads, bool member_values,
         std::uint64_t summary_memory) {
        RunOptions options;
        options.members = members;
        options.seed = seed;
        options.outputs = outputs;
        options.deterministic = deterministic;
        options.threads = threads;
        options.keep_members = member_values;
        options.summary_memory_mib = summary_memory;
        EmbeddedRun run = run_interruptible(
            [&] { return run_to_memory({path, text, name, base_dir}, options, ""); });
        py::dict out;
        out["diagnostics"] = diagnostics_list(run.diagnostics);
        out["warnings"] = warnings_list(run.diagnostics);
        out["option_error"] = run.option_error;
        out["warning"] = run.warning;
        out["results"] = run.results ? py::object(results_dict(*run.results)) : py::none();
        return out;
      },
      py::arg("path"), py::arg("text"), py::arg("name"), py::arg("base_dir"), py::arg("members"), py::arg("seed"),
      py::arg("outputs"), py::arg("deterministic"), py::arg("threads"), py::arg("member_values"),
      py::arg("summary_memory"),
      "Runs a scenario (a file `path`, else YAML/JSON `text` named `name`, paths relative to `base_dir`) into "
      "memory: {diagnostics, option_error, warning, results}.");

  m.def(
      "batch",
      [](const std::string& path, const std::string& out, std::optional<std::int64_t> members,
         std::optional<std::uint64_t> seed, int threads, bool keep_members, std::uint64_t summary_memory,
         bool resume) {
        EmbeddedBatchOptions options;
        options.out = out;
        options.members = members;
        options.seed = seed;
        options.threads = threads;
        options.keep_members = keep_members;
        options.summary_memory_mib = summary_memory;
        options.resume = resume;
        EmbeddedBatch batch = run_interruptible([&] { return run_batch_to_folder(path, options, ""); });
        py::dict result;
        result["diagnostics"] = diagnostics_list(batch.diagnostics);
        result["warnings"] = warnings_list(batch.diagnostics);
        result["option_error"] = batch.option_error;
        result["ran"] = batch.ran;
        return result;
      },
      py::arg("path"), py::arg("out"), py::arg("members"), py::arg("seed"), py::arg("threads"),
      py::arg("keep_members"), py::arg("summary_memory"), py::arg("resume"),
      "Runs a batch file into the result folder `out`: {diagnostics, warnings, option_error, ran}.");

  m.def(
      "validate",
      [](const std::string& path) {
        const Diagnostics diagnostics = validate_scenario_file(path);
        py::dict out;
        out["diagnostics"] = diagnostics_list(diagnostics);
        out["warnings"] = warnings_list(diagnostics);
        return out;
      },
      py::arg("path"),
      "A scenario or batch file's problems: {diagnostics: [(file, line, column, message, formatted)], warnings: "
      "[formatted]}.");
  m.def("schema", &scenario_schema_markdown, "The scenario schema (scenarios/SCHEMA.md), Markdown.");
  m.attr("version") = MFGSIM_VERSION;
}
