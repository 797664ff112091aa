// results.nc: a batch's (or a run's) summaries and kept member values as
// NetCDF-4, written with the NetCDF C library, CF-1.8 style. Its dimensions,
// variables and attributes are sim/output/results_layout.h's. Series are
// chunked one scenario per chunk and deflated (level 1, with shuffle).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/calendar.h"
#include "sim/output/results_layout.h"

namespace mfgsim {

// Writes results.nc. The NetCDF library is not thread-safe: use one writer
// from one thread at a time. Throws std::runtime_error (path and NetCDF's
// message) on any library error.
// The values go in scenario by scenario through ResultsSink's methods.
class NetcdfBatchWriter : public ResultsSink {
 public:
  NetcdfBatchWriter(const std::string& path, const NetcdfBatchLayout& layout);
  ~NetcdfBatchWriter() override;

  void close();  // also done by the destructor (which does not throw)

 protected:
  void put_numbers(std::size_t v, std::size_t scenario, const double* values, std::size_t last) override;
  void put_count(std::size_t v, std::size_t scenario, std::uint64_t value) override;
  void put_string(std::size_t v, std::size_t scenario, const std::string& value) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reading a NetCDF file back (compare, tests): a thin read-only wrapper
// over the C API. Throws std::runtime_error naming the file and the
// variable on any error.
class NetcdfReader {
 public:
  explicit NetcdfReader(const std::string& path);
  ~NetcdfReader();
  NetcdfReader(const NetcdfReader&) = delete;
  NetcdfReader& operator=(const NetcdfReader&) = delete;

  bool has_dimension(const std::string& name) const;
  std::size_t dimension(const std::string& name) const;
  bool has_variable(const std::string& name) const;
  std::vector<std::string> variable_names() const;  // every variable, in the file's order
  std::vector<std::string> variable_dimensions(const std::string& variable) const;
  std::vector<std::string> strings(const std::string& variable) const;  // a 1-d string variable
  // A hyperslab as doubles (any numeric type is converted).
  std::vector<double> doubles(const std::string& variable, const std::vector<std::size_t>& start,
                              const std::vector<std::size_t>& count) const;
  std::vector<double> doubles(const std::string& variable) const;  // the whole variable
  // A text attribute ("" when absent); variable "" for a global attribute.
  std::string text_attribute(const std::string& variable, const std::string& name) const;

 private:
  int variable_id(const std::string& name) const;
  std::string path_;
  int ncid_ = -1;
};

// Initialises the NetCDF library now, on the calling thread. HDF5's
// automatic error printing is per thread (Debian's HDF5 is thread-safe) and
// NetCDF turns it off only on the thread that initialises it; a program
// that reads NetCDF files on one thread (Python's netCDF4 under xarray) while
// mfgsim writes on another calls this on the reading thread first, or HDF5
// prints the attribute probes NetCDF makes when it opens a file.
void netcdf_initialize();

// True once a file failed to close (a write error, e.g. a full disk, while
// HDF5 flushed it). HDF5 keeps such a file half open, and its exit handler
// then crashes on it: the process should end with std::_Exit once its own
// cleanup (the staging folder) is done.
bool netcdf_file_left_open();

}  // namespace mfgsim
