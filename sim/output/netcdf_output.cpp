#include "sim/output/netcdf_output.h"

#include <netcdf.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

namespace mfgsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::atomic<bool> g_left_open{false};

nc_type nc_type_of(ResultsType type) {
  switch (type) {
    case ResultsType::f64: return NC_DOUBLE;
    case ResultsType::i32: return NC_INT;
    case ResultsType::u64: return NC_UINT64;
    case ResultsType::i8: return NC_BYTE;
    case ResultsType::string: return NC_STRING;
  }
  return NC_DOUBLE;
}

}  // namespace

// ---- writer ----------------------------------------------------------------

bool netcdf_file_left_open() { return g_left_open; }

void netcdf_initialize() { nc_initialize(); }  // idempotent

struct NetcdfBatchWriter::Impl {
  std::string path;
  int ncid = -1;
  std::vector<int> var_ids;  // per spec variable

  // Also when the constructor throws (a write error while defining).
  ~Impl() {
    if (ncid >= 0 && nc_close(ncid) != NC_NOERR) g_left_open = true;
  }

  void check(int status, const std::string& what) const {
    if (status != NC_NOERR) throw std::runtime_error(path + ": NetCDF error (" + what + "): " + nc_strerror(status));
  }
  void text(int var, const std::string& name, const std::string& value) const {
    check(nc_put_att_text(ncid, var, name.c_str(), value.size(), value.c_str()), "attribute " + name);
  }
  int define(const ResultsSpec& spec, const ResultsVariable& v, const std::map<std::string, int>& dim_ids) const {
    std::vector<int> dims;
    std::vector<std::size_t> chunks;
    for (const std::string& d : v.dims) {
      dims.push_back(dim_ids.at(d));
      chunks.push_back(d == "scenario" ? 1 : spec.dimension(d));
    }
    const nc_type type = nc_type_of(v.type);
    int var = -1;
    check(nc_def_var(ncid, v.name.c_str(), type, static_cast<int>(dims.size()), dims.data(), &var), "define " + v.name);
    if (v.series) {
      check(nc_def_var_chunking(ncid, var, NC_CHUNKED, chunks.data()), "chunking " + v.name);
      check(nc_def_var_deflate(ncid, var, 1, 1, 1), "deflate " + v.name);
      // Chunks are written once, a scenario at a time: a cache of two chunks
      // (fully written chunks evicted first) keeps memory independent of
      // the number of scenarios.
      std::size_t bytes = 0;
      check(nc_inq_type(ncid, type, nullptr, &bytes), "type size " + v.name);
      for (std::size_t c : chunks) bytes *= c;
      check(nc_set_var_chunk_cache(ncid, var, 2 * bytes, 7, 1.0f), "chunk cache " + v.name);
    }
    if (v.fill_nan) check(nc_def_var_fill(ncid, var, 0, &kNaN), "fill value " + v.name);
    for (const auto& [name, value] : v.attributes) text(var, name, value);
    return var;
  }
  void put_fixed(const ResultsVariable& v, int var) const {
    switch (v.type) {
      case ResultsType::f64: check(nc_put_var_double(ncid, var, v.numbers.data()), "write " + v.name); break;
      case ResultsType::i32: {
        std::vector<int> values(v.counts.begin(), v.counts.end());
        if (!values.empty()) check(nc_put_var_int(ncid, var, values.data()), "write " + v.name);
        break;
      }
      case ResultsType::string: {
        std::vector<const char*> pointers;
        for (const std::string& s : v.strings) pointers.push_back(s.c_str());
        if (pointers.empty()) return;
        const std::size_t start = 0, count = pointers.size();
        check(nc_put_vara_string(ncid, var, &start, &count, pointers.data()), "write " + v.name);
        break;
      }
      default: throw std::logic_error("results.nc: no fixed values of the type of " + v.name);
    }
  }
};

NetcdfBatchWriter::NetcdfBatchWriter(const std::string& path, const NetcdfBatchLayout& layout)
    : ResultsSink(layout), impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.path = path;
  const ResultsSpec& s = spec();
  d.check(nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &d.ncid), "create");
  for (const auto& [name, value] : s.attributes) d.text(NC_GLOBAL, name, value);
  std::map<std::string, int> dim_ids;
  for (const auto& [name, length] : s.dimensions)
    d.check(nc_def_dim(d.ncid, name.c_str(), length, &dim_ids[name]), "dimension " + name);
  for (const ResultsVariable& v : s.variables) d.var_ids.push_back(d.define(s, v, dim_ids));
  d.check(nc_enddef(d.ncid), "end of definitions");
  for (std::size_t k = 0; k < s.variables.size(); ++k)
    if (s.variables[k].role == ResultsRole::fixed) d.put_fixed(s.variables[k], d.var_ids[k]);
}

NetcdfBatchWriter::~NetcdfBatchWriter() = default;

void NetcdfBatchWriter::close() {
  if (impl_->ncid < 0) return;
  const int status = nc_close(impl_->ncid);
  impl_->ncid = -1;
  if (status != NC_NOERR) g_left_open = true;
  impl_->check(status, "close");
}

void NetcdfBatchWriter::put_numbers(std::size_t v, std::size_t scenario, const double* values, std::size_t last) {
  const ResultsVariable& var = spec().variables[v];
  std::vector<std::size_t> start(var.dims.size(), 0), count;
  start[0] = scenario;
  count.push_back(1);
  for (std::size_t k = 1; k < var.dims.size(); ++k) count.push_back(spec().dimension(var.dims[k]));
  count.back() = last;
  if (last == 0) return;
  impl_->check(nc_put_vara_double(impl_->ncid, impl_->var_ids[v], start.data(), count.data(), values),
               "write " + var.name);
}

void NetcdfBatchWriter::put_count(std::size_t v, std::size_t scenario, std::uint64_t value) {
  const ResultsVariable& var = spec().variables[v];
  const int id = impl_->var_ids[v];
  int status = NC_NOERR;
  switch (var.type) {
    case ResultsType::i32: {
      const int x = static_cast<int>(value);
      status = nc_put_var1_int(impl_->ncid, id, &scenario, &x);
      break;
    }
    case ResultsType::u64: {
      const unsigned long long x = value;
      status = nc_put_var1_ulonglong(impl_->ncid, id, &scenario, &x);
      break;
    }
    case ResultsType::i8: {
      const signed char x = static_cast<signed char>(value);
      status = nc_put_var1_schar(impl_->ncid, id, &scenario, &x);
      break;
    }
    default: throw std::logic_error("results.nc: " + var.name + " holds no counts");
  }
  impl_->check(status, "write " + var.name);
}

void NetcdfBatchWriter::put_string(std::size_t v, std::size_t scenario, const std::string& value) {
  const std::size_t one = 1;
  const char* text = value.c_str();
  impl_->check(nc_put_vara_string(impl_->ncid, impl_->var_ids[v], &scenario, &one, &text),
               "write " + spec().variables[v].name);
}

// ---- reader ----------------------------------------------------------------

NetcdfReader::NetcdfReader(const std::string& path) : path_(path) {
  const int status = nc_open(path.c_str(), NC_NOWRITE, &ncid_);
  if (status != NC_NOERR) {
    ncid_ = -1;
    throw std::runtime_error("cannot open " + path + ": " + nc_strerror(status));
  }
}

NetcdfReader::~NetcdfReader() {
  if (ncid_ >= 0) nc_close(ncid_);
}

bool NetcdfReader::has_dimension(const std::string& name) const {
  int dim = -1;
  return nc_inq_dimid(ncid_, name.c_str(), &dim) == NC_NOERR;
}

std::size_t NetcdfReader::dimension(const std::string& name) const {
  int dim = -1;
  std::size_t length = 0;
  if (nc_inq_dimid(ncid_, name.c_str(), &dim) != NC_NOERR || nc_inq_dimlen(ncid_, dim, &length) != NC_NOERR)
    throw std::runtime_error(path_ + ": no dimension `" + name + "`");
  return length;
}

bool NetcdfReader::has_variable(const std::string& name) const {
  int var = -1;
  return nc_inq_varid(ncid_, name.c_str(), &var) == NC_NOERR;
}

std::vector<std::string> NetcdfReader::variable_names() const {
  int count = 0;
  if (nc_inq_nvars(ncid_, &count) != NC_NOERR) throw std::runtime_error(path_ + ": cannot list its variables");
  std::vector<std::string> names;
  char name[NC_MAX_NAME + 1];
  for (int v = 0; v < count; ++v)
    if (nc_inq_varname(ncid_, v, name) == NC_NOERR) names.emplace_back(name);
  return names;
}

int NetcdfReader::variable_id(const std::string& name) const {
  int var = -1;
  if (nc_inq_varid(ncid_, name.c_str(), &var) != NC_NOERR)
    throw std::runtime_error(path_ + ": no variable `" + name + "` (was the file written by mfgsim batch?)");
  return var;
}

std::vector<std::string> NetcdfReader::variable_dimensions(const std::string& variable) const {
  const int var = variable_id(variable);
  int ndims = 0;
  nc_inq_varndims(ncid_, var, &ndims);
  std::vector<int> dims(static_cast<std::size_t>(ndims));
  nc_inq_vardimid(ncid_, var, dims.data());
  std::vector<std::string> names;
  for (int dim : dims) {
    char name[NC_MAX_NAME + 1] = {};
    nc_inq_dimname(ncid_, dim, name);
    names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> NetcdfReader::strings(const std::string& variable) const {
  const int var = variable_id(variable);
  const std::vector<std::string> dims = variable_dimensions(variable);
  nc_type type = 0;
  nc_inq_vartype(ncid_, var, &type);
  if (dims.size() != 1 || type != NC_STRING) throw std::runtime_error(path_ + ": `" + variable + "` is not a 1-d string variable");
  const std::size_t n = dimension(dims[0]);
  std::vector<char*> pointers(n, nullptr);
  if (n == 0) return {};
  const int status = nc_get_var_string(ncid_, var, pointers.data());
  if (status != NC_NOERR) throw std::runtime_error(path_ + ": cannot read `" + variable + "`: " + nc_strerror(status));
  std::vector<std::string> out;
  for (char* p : pointers) out.emplace_back(p ? p : "");
  nc_free_string(n, pointers.data());
  return out;
}

std::vector<double> NetcdfReader::doubles(const std::string& variable, const std::vector<std::size_t>& start,
                                          const std::vector<std::size_t>& count) const {
  const int var = variable_id(variable);
  std::size_t n = 1;
  for (std::size_t c : count) n *= c;
  std::vector<double> out(n);
  const int status = nc_get_vara_double(ncid_, var, start.data(), count.data(), out.data());
  if (status != NC_NOERR) throw std::runtime_error(path_ + ": cannot read `" + variable + "`: " + nc_strerror(status));
  return out;
}

std::vector<double> NetcdfReader::doubles(const std::string& variable) const {
  std::vector<std::size_t> count;
  for (const std::string& dim : variable_dimensions(variable)) count.push_back(dimension(dim));
  return doubles(variable, std::vector<std::size_t>(count.size(), 0), count);
}

std::string NetcdfReader::text_attribute(const std::string& variable, const std::string& name) const {
  const int var = variable.empty() ? NC_GLOBAL : variable_id(variable);
  std::size_t length = 0;
  nc_type type = 0;
  if (nc_inq_att(ncid_, var, name.c_str(), &type, &length) != NC_NOERR || type != NC_CHAR) return "";
  std::string out(length, '\0');
  if (nc_get_att_text(ncid_, var, name.c_str(), out.data()) != NC_NOERR) return "";
  return out;
}

}  // namespace mfgsim
