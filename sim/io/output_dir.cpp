#include "sim/io/output_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sim/io/hashing.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <system_error>

namespace mfgsim {

namespace fs = std::filesystem;

namespace {
// ".<name><tag><pid>": hidden, beside the target, unique to this process.
std::string hidden_sibling(const fs::path& target, const char* tag, pid_t pid = ::getpid()) {
  std::string name(".");
  name += target.filename().string();
  name += tag;
  name += std::to_string(pid);
  return name;
}

// Removes the staging folders that killed runs (SIGKILL, power loss) left
// beside the target: those whose process no longer exists.
void remove_abandoned(const fs::path& target) {
  std::error_code ec;
  const std::string prefix = hidden_sibling(target, ".tmp-", 0);
  const std::string stem = prefix.substr(0, prefix.size() - 1);  // ".<name>.tmp-"
  for (const auto& entry : fs::directory_iterator(target.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(stem)) continue;
    const std::string digits = name.substr(stem.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    fs::remove_all(entry.path(), ec);
  }
}

// fsync of a file or folder; the errno on failure, 0 on success.
int sync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = 0;
  while (::fsync(fd) != 0) {
    if (errno == EINTR) continue;
    // Folders of some file systems do not support fsync; that loses no data.
    if (!(directory && (errno == EINVAL || errno == EROFS))) error = errno;
    break;
  }
  if (::close(fd) != 0 && error == 0 && errno != EINTR) error = errno;
  return error;
}

// The path with `.`, `..` and symbolic links resolved as far as it exists.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) out = fs::absolute(path).lexically_normal();
  if (out.filename().empty() && out.has_parent_path() && out != out.root_path()) out = out.parent_path();
  return out;
}

// True when `outer` is `inner` or one of its folders.
bool is_or_lies_above(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

bool is_empty_folder(const fs::path& folder) {
  std::error_code ec;
  return fs::directory_iterator(folder, ec) == fs::directory_iterator() && !ec;
}
}  // namespace

bool result_marker_matches(const fs::path& folder, std::string_view marker, std::string_view command) {
  std::ifstream in(folder / std::string(marker));
  if (!in) return false;
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || j.value("program", std::string()) != "mfgsim") return false;
  return command.empty() || j.value("command", std::string()) == command;
}

std::vector<fs::path> result_folder_inputs(const fs::path& folder) {
  std::vector<fs::path> inputs{folder};
  for (const char* name : {"manifest.json", "shard.json", "summary.csv", "members.csv", "failures.csv", "scenarios.csv",
                           "results.nc"})
    inputs.push_back(folder / name);
  return inputs;
}

bool is_mfgsim_result(const fs::path& folder) {
  return result_marker_matches(folder, "manifest.json", {}) || result_marker_matches(folder, "shard.json", {});
}

namespace {
std::map<std::string, std::string> read_files_record(const fs::path& folder);

// Whether `path`, `relative` in a folder with that record, is a file mfgsim
// wrote there and nobody changed since.
bool as_recorded(const std::map<std::string, std::string>& record, const std::string& relative, const fs::path& path) {
  const auto it = record.find(relative);
  std::error_code ec;
  return it != record.end() && fs::is_regular_file(path, ec) && sha256_file_hex(path.string()) == it->second;
}

// Whether the first kFileMarkerBytes bytes of `file` hold `marker`.
bool top_holds(const fs::path& file, std::string_view marker) {
  std::string top(kFileMarkerBytes, '\0');
  std::ifstream in(file, std::ios::binary);
  in.read(top.data(), static_cast<std::streamsize>(top.size()));
  top.resize(static_cast<std::size_t>(in.gcount()));
  return top.find(marker) != std::string::npos;
}

void collect_foreign(const fs::path& folder, const fs::path& prefix, std::size_t limit, std::vector<std::string>& out) {
  // The files result folders hold (run, batch, merge, forecast, sensitivity,
  // discover, backtest --origins, batch --shard).
  static const std::set<std::string> result_files{
      "manifest.json", "shard.json", "summary.csv", "members.csv", "failures.csv", "scenarios.csv", "results.nc",
      "draws.csv", "ess.csv", "sensitivity.csv", "samples.csv", "sensitivity.dat", "sensitivity.gp",
      "sensitivity.png", "sensitivity.svg", "trajectory.csv", "trajectory.dat", "trajectory.gp", "trajectory.png",
      "trajectory.svg", "box.csv", "features.csv", "backtest_figures.csv", "backtest_scores.csv",
      "crps_by_origin.dat", "crps_by_origin.gp", "crps_by_origin.png", "crps_by_origin.svg"};
  // The file outputs other commands write into a result folder by default.
  static const std::map<std::string, const char*> default_outputs{{"compare.csv", kCompareMarker},
                                                                  {"backtest.csv", kBacktestMarker},
                                                                  {"backtest_scores.csv", kBacktestScoresMarker},
                                                                  {"report.html", kReportMarker}};
  std::error_code ec;
  // What file outputs (compare, backtest, report) recorded writing here
  // (record_written_file); an unreadable record counts as the user's file.
  std::map<std::string, std::string> record;
  bool record_ok = true;
  try {
    record = read_files_record(folder);
  } catch (const std::exception&) {
    record_ok = false;
  }
  std::vector<fs::path> entries;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  for (const fs::path& path : entries) {
    if (out.size() >= limit) return;
    const std::string name = path.filename().string();
    const fs::path shown = prefix / name;
    const fs::file_status status = fs::symlink_status(path, ec);
    if (fs::is_regular_file(status)) {
      // A file output, only as written (edited since: the user's now).
      const auto output = default_outputs.find(name);
      if (output != default_outputs.end() && top_holds(path, output->second) && as_recorded(record, name, path))
        continue;
      if (result_files.count(name) || (name == kFilesRecord && record_ok)) continue;
    } else if (fs::is_directory(status)) {
      if (name == "records") {  // a shard's records: NNNNNNNN.rec
        for (const fs::directory_entry& record : fs::directory_iterator(path, ec)) {
          const std::string file = record.path().filename().string();
          if (!(record.is_regular_file() && file.size() == 12 && file.ends_with(".rec") &&
                file.find_first_not_of("0123456789") == 8) && out.size() < limit)
            out.push_back((shown / file).string());
        }
        continue;
      }
      if (is_mfgsim_result(path)) {
        collect_foreign(path, shown, limit, out);
        continue;
      }
      if (fs::exists(path / kFilesRecord)) {  // plot's folder: only what it wrote, unchanged
        try {
          const std::map<std::string, std::string> record = read_files_record(path);
          for (const fs::directory_entry& file : fs::recursive_directory_iterator(path, ec)) {
            if (file.is_directory() || file.path().filename() == kFilesRecord) continue;
            const std::string relative = file.path().lexically_relative(path).generic_string();
            if (!as_recorded(record, relative, file.path()) && out.size() < limit)
              out.push_back((shown / relative).string());
          }
        } catch (const std::exception&) {
          out.push_back((shown / kFilesRecord).string());
        }
        continue;
      }
    }
    out.push_back(shown.string() + (fs::is_directory(status) ? "/" : ""));
  }
}
}  // namespace

std::vector<std::string> foreign_entries(const fs::path& folder, std::size_t limit) {
  std::vector<std::string> out;
  collect_foreign(folder, {}, limit, out);
  return out;
}

Diagnostics validate_output_target(const OutputTarget& target, const std::vector<fs::path>& inputs) {
  Diagnostics problems;
  const SourceLocation command_line{"mfgsim"};
  const std::string named = "--out " + target.path.string() + ": ";
  if (target.path.empty()) {
    problems.error(command_line, "--out must name a " + std::string(target.kind == OutputTarget::Kind::file ? "file" : "folder") +
                                     " (got an empty path)");
    return problems;
  }
  const fs::path out = resolved(target.path);
  std::error_code ec;
  const fs::path working = resolved(fs::current_path(ec));
  if (!ec && is_or_lies_above(out, working))
    problems.error(command_line, named + (out == working ? "is" : "lies above") + " the working folder " +
                                     working.string() + "; writing there would replace it");
  for (const fs::path& input : inputs) {
    if (input.empty()) continue;
    const fs::path in = resolved(input);
    if (is_or_lies_above(out, in)) {
      problems.error(command_line, named + (out == in ? "is" : "contains") + " " + input.string() +
                                       ", an input of this command; writing there would replace it");
      break;  // one is enough: the target is wrong
    }
  }
  if (!problems.ok()) return problems;
  // A file where a folder must be, found now rather than when the results
  // are written after the work: the target's parents, and for a folder the
  // target itself.
  for (fs::path up = out.parent_path(); !up.empty(); up = up.parent_path()) {
    if (fs::exists(up, ec) && !fs::is_directory(up, ec)) {
      problems.error(command_line, named + up.string() + " is a file, not a folder");
      return problems;
    }
    if (up == up.root_path()) break;
  }
  const bool exists = fs::exists(out, ec), folder = fs::is_directory(out, ec);
  if (!exists) return problems;
  switch (target.kind) {
    case OutputTarget::Kind::folder:
    case OutputTarget::Kind::files:
      if (!folder) {
        problems.error(command_line, named + "is a file, not a folder; writing there would replace it: name a new or "
                                             "empty folder");
        break;
      }
      if (target.kind == OutputTarget::Kind::files) break;
      if (!is_empty_folder(out) && !result_marker_matches(out, target.marker, target.command)) {
        problems.error(command_line,
                       named + "is a folder that is not an earlier result of mfgsim " +
                           (target.command.empty() ? std::string("batch --shard") : target.command) + " (no " +
                           target.marker + " written by it); writing there would delete its files: name a new or "
                           "empty folder");
      } else if (const std::vector<std::string> foreign = foreign_entries(out); !foreign.empty()) {
        std::string list;
        for (const std::string& entry : foreign) list += (list.empty() ? "" : ", ") + entry;
        problems.error(command_line, named + "is an earlier result, but it also holds " + list +
                                         (foreign.size() == 5 ? ", ..." : "") +
                                         ", which mfgsim did not write there (or which changed since); replacing the "
                                         "result would delete them: move them away or name a new or empty folder");
      }
      break;
    case OutputTarget::Kind::file: {
      if (folder) {
        problems.error(command_line, named + "is a folder; the output is a file");
        break;
      }
      if (target.marker.empty() || !top_holds(out, target.marker)) {
        problems.error(command_line, named + "is a file that is not an earlier output of mfgsim " + target.command +
                                         " (its top does not hold `" + target.marker +
                                         "`); writing there would replace it: name a new file");
        break;
      }
      // Written into a result folder, whose record holds what it was.
      std::map<std::string, std::string> record;
      try {
        record = read_files_record(out.parent_path());
      } catch (const std::exception&) {
      }
      const std::string name = out.filename().string();
      if (record.count(name) && !as_recorded(record, name, out))
        problems.error(command_line, named + "has changed since mfgsim " + target.command +
                                         " wrote it (its SHA-256 is not the one " + kFilesRecord +
                                         " records); writing there would replace the changes: move it away or name "
                                         "a new file");
      break;
    }
  }
  return problems;
}

OutputDir::OutputDir(const fs::path& target) : OutputDir(target, false) {}

OutputDir::OutputDir(const fs::path& target, bool adds_files)
    : target_(fs::absolute(target).lexically_normal()), adds_files_(adds_files) {
  if (target_.filename().empty()) target_ = target_.parent_path();
  std::error_code ec;
  fs::create_directories(target_.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create output folder " + target_.string() + ": cannot create " +
                                   target_.parent_path().string() + ": " + ec.message());
  if (fs::exists(target_, ec) && !fs::is_directory(target_, ec))
    throw std::runtime_error("cannot create output folder " + target_.string() + ": a file of that name exists");
  if (!adds_files_ && fs::is_directory(target_, ec) && !is_empty_folder(target_) && !is_mfgsim_result(target_))
    throw std::runtime_error("will not replace " + target_.string() +
                             ": a non-empty folder that is not an earlier mfgsim result (no manifest.json or "
                             "shard.json written by mfgsim)");
  remove_abandoned(target_);
  staging_ = target_.parent_path() / hidden_sibling(target_, ".tmp-");
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec) || ec)
    throw std::runtime_error("cannot create output folder " + target_.string() + ": cannot write to " +
                             target_.parent_path().string() + ": " +
                             (ec ? ec.message() : std::string("folder exists")));
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutputDir::close(std::ofstream& out, const std::string& name) const {
  errno = 0;
  out.close();
  if (!out) {
    const int error = errno;
    throw std::runtime_error("cannot write " + (target_ / name).string() + ": " +
                             (error ? std::strerror(error) : std::string("write failed")));
  }
}

void OutputDir::commit() {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(staging_, ec)) {
    const bool directory = entry.is_directory();
    if (const int error = sync_path(entry.path(), directory))
      throw std::runtime_error("cannot write " + (target_ / entry.path().lexically_relative(staging_)).string() +
                               ": " + std::strerror(error));
  }
  if (ec) throw std::runtime_error("cannot read back " + staging_.string() + ": " + ec.message());
  if (const int error = sync_path(staging_, true))
    throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(error));
  if (fs::is_directory(target_, ec) && !is_empty_folder(target_) && !is_mfgsim_result(target_))
    throw std::runtime_error("will not replace " + target_.string() +
                             ": a non-empty folder that is not an earlier mfgsim result (no manifest.json or "
                             "shard.json written by mfgsim)");
  // One atomic exchange when a result is already there: at no moment is the
  // target missing or half-written, whenever the process is killed.
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
    committed_ = true;
    fs::remove_all(staging_, ec);  // now the previous result
    return;
  }
  const int error = errno;
  if (error != ENOENT && error != EINVAL && error != ENOSYS)
    throw std::runtime_error("cannot replace " + target_.string() + ": " + std::strerror(error));
  if (error == ENOENT) {  // no previous result
    fs::rename(staging_, target_, ec);
    if (ec) throw std::runtime_error("cannot move results into " + target_.string() + ": " + ec.message());
    committed_ = true;
    return;
  }
  // A file system without RENAME_EXCHANGE: two renames.
  const fs::path previous = target_.parent_path() / hidden_sibling(target_, ".old-");
  fs::remove_all(previous, ec);
  fs::rename(target_, previous, ec);
  if (ec) throw std::runtime_error("cannot replace " + target_.string() + ": " + ec.message());
  fs::rename(staging_, target_, ec);
  if (ec) {
    fs::rename(previous, target_);
    throw std::runtime_error("cannot move results into " + target_.string() + ": " + ec.message());
  }
  committed_ = true;
  fs::remove_all(previous, ec);
}

namespace {
// The record of the files commit_files() wrote into a folder: name -> SHA-256
// as written. Throws when the record exists but mfgsim did not write it.
std::map<std::string, std::string> read_files_record(const fs::path& folder) {
  std::map<std::string, std::string> files;
  const fs::path path = folder / kFilesRecord;
  std::error_code ec;
  if (!fs::exists(path, ec)) return files;
  std::ifstream in(path);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || j.value("program", std::string()) != "mfgsim" || !j.contains("files") ||
      !j["files"].is_object())
    throw std::runtime_error("will not replace " + path.string() +
                             ": not a record of files written by mfgsim (no \"program\": \"mfgsim\" and \"files\"); "
                             "name another --out folder");
  for (const auto& [name, digest] : j["files"].items())
    if (digest.is_string()) files[name] = digest.get<std::string>();
  return files;
}

void write_files_record(const fs::path& folder, const std::map<std::string, std::string>& record) {
  const nlohmann::json j{{"program", "mfgsim"},
                         {"about", "files mfgsim wrote into this folder and their SHA-256 as written: mfgsim "
                                   "replaces only these, and only while unchanged"},
                         {"files", record}};
  write_file_atomically(folder / kFilesRecord, j.dump(2) + "\n");
}
}  // namespace

void record_written_file(const fs::path& file) {
  const fs::path folder = fs::absolute(file).lexically_normal().parent_path();
  if (!is_mfgsim_result(folder)) return;
  std::map<std::string, std::string> record;
  try {
    record = read_files_record(folder);
  } catch (const std::exception&) {
    return;  // not mfgsim's record: left alone (a rerun then treats the file as the user's)
  }
  record[file.filename().string()] = sha256_file_hex(file.string());
  write_files_record(folder, record);
}

void OutputDir::commit_files() {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(staging_, ec)) {
    if (entry.is_directory()) continue;
    if (const int error = sync_path(entry.path(), false))
      throw std::runtime_error("cannot write " + (target_ / entry.path().lexically_relative(staging_)).string() +
                               ": " + std::strerror(error));
    files.push_back(entry.path().lexically_relative(staging_));
  }
  if (ec) throw std::runtime_error("cannot read back " + staging_.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  // Only files this folder's record says mfgsim wrote, unchanged since, are
  // replaced: a user's own file of the same name (or one they edited) is not.
  std::map<std::string, std::string> record = read_files_record(target_);
  std::vector<std::string> refused;
  for (const fs::path& file : files) {
    const fs::path there = target_ / file;
    if (file == fs::path(kFilesRecord)) throw std::logic_error("commit_files: a staged file named like the record");
    if (!fs::exists(there, ec) && !fs::is_symlink(there, ec)) continue;
    if (!record.count(file.generic_string()))
      refused.push_back(there.string() + " (not written by mfgsim: " + kFilesRecord + " does not list it)");
    else if (!as_recorded(record, file.generic_string(), there))
      refused.push_back(there.string() + " (changed since mfgsim wrote it: its SHA-256 is not the one " +
                        kFilesRecord + " records)");
  }
  if (!refused.empty()) {
    std::string message = "will not replace " + std::to_string(refused.size()) + " file" +
                          (refused.size() == 1 ? "" : "s") + " mfgsim did not write as they are:";
    for (std::size_t i = 0; i < refused.size() && i < 5; ++i) message += "\n  " + refused[i];
    if (refused.size() > 5) message += "\n  and " + std::to_string(refused.size() - 5) + " more";
    message += "\nmove them away or name another --out folder; nothing was written";
    throw std::runtime_error(message);
  }
  for (const fs::path& file : files) record[file.generic_string()] = sha256_file_hex((staging_ / file).string());
  for (const fs::path& file : files) {
    fs::create_directories((target_ / file).parent_path(), ec);
    if (!ec) fs::rename(staging_ / file, target_ / file, ec);
    if (ec) throw std::runtime_error("cannot move " + file.string() + " into " + target_.string() + ": " + ec.message());
  }
  write_files_record(target_, record);
  if (const int error = sync_path(target_, true))
    throw std::runtime_error("cannot write " + target_.string() + ": " + std::strerror(error));
  committed_ = true;
  fs::remove_all(staging_, ec);
}

void write_file_atomically(const fs::path& path, const std::string& text,
                           const std::function<void(const fs::path&)>& check) {
  const fs::path temporary = (path.parent_path().empty() ? fs::path(".") : path.parent_path()) / hidden_sibling(path, ".tmp-");
  try {
    {
      std::ofstream out(temporary, std::ios::binary);
      out << text;
      if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
    }
    if (check) check(temporary);
    fs::rename(temporary, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(temporary, ec);
    throw;
  }
}

}  // namespace mfgsim
