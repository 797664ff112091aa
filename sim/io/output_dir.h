// An output folder written all-or-nothing: files go to a temporary sibling
// folder `.<name>.tmp-<pid>`, which commit() flushes to disk and renames
// into place (replacing an earlier result only then). Destroyed without
// commit() (a failed run, an exception, Ctrl-C: sim/core/interrupt.h), it removes
// the temporary folder, so a failed run leaves no partial output.
//
// Output targets never destroy inputs (validate_output_target, below): every
// command that writes checks its --out against the files it reads before any
// work, and OutputDir itself refuses to replace a folder that is not an
// earlier mfgsim result.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/diagnostics.h"

namespace mfgsim {

// Where a command writes, for validate_output_target.
struct OutputTarget {
  enum class Kind {
    // A result folder replaced as a whole (OutputDir::commit): it must be
    // missing, empty, or an earlier result of the same command, recognised
    // by `marker` written by mfgsim (result_marker_matches).
    folder,
    // A folder the command adds its files to, replacing only those
    // (OutputDir::commit_files; mfgsim plot): any folder, other files stay.
    files,
    // One file (compare, calibrate, backtest, report): not a folder, and an
    // existing file only when an earlier output of the command: its first
    // kFileMarkerBytes bytes hold `marker` (a header line or comment the
    // command writes at the top).
    file,
  };
  OutputTarget(std::filesystem::path path_, Kind kind_, std::string marker_ = "manifest.json", std::string command_ = {})
      : path(std::move(path_)), kind(kind_), marker(std::move(marker_)), command(std::move(command_)) {}

  std::filesystem::path path;  // as the user gave it (or the default)
  Kind kind = Kind::folder;
  // folder: the file marking an earlier result: "manifest.json", whose
  // "command" must be `command` (run, batch, sensitivity), or "shard.json"
  // (batch --shard; `command` empty). file: the text an earlier output of
  // `command` holds near its top.
  std::string marker = "manifest.json";
  std::string command;
};

// Checks an output target before any work; one "mfgsim: error: --out ..."
// diagnostic per problem, naming the path and why. Refused: an empty path;
// a target that is, or contains (lies above), the working folder or any of
// `inputs` (files and folders the command reads); a target under an
// existing file (a parent that is not a folder); for Kind::folder and
// Kind::files, an existing file; for Kind::folder, an existing non-empty
// folder that is not an earlier result of the same command; for
// Kind::file, an existing folder, or an existing file without `marker` in its
// first kFileMarkerBytes bytes (a file mfgsim did not write, which the output
// would destroy). Paths are compared after resolving `.`,
// `..` and symbolic links.
Diagnostics validate_output_target(const OutputTarget& target, const std::vector<std::filesystem::path>& inputs);
inline constexpr std::size_t kFileMarkerBytes = 1024;

// The file OutputDir::commit_files() keeps in a folder it adds to (mfgsim
// plot): JSON {"program": "mfgsim", "files": {name: SHA-256}}.
inline constexpr const char* kFilesRecord = "mfgsim_files.json";

// Records `file`, just written by a file output (compare, backtest, report),
// with its SHA-256 in the kFilesRecord of its folder when that folder is an
// earlier mfgsim result, where those commands write by default: a rerun into
// the result (foreign_entries) and the command itself (validate_output_target)
// then replace it only while unchanged. Elsewhere it does nothing.
void record_written_file(const std::filesystem::path& file);

// The text near the top of each file output (Kind::file) that marks an
// earlier output of its command; each writer's header line or comment holds it.
inline constexpr const char* kCompareMarker = "series,month,scenario,sweep,baseline,";
inline constexpr const char* kBacktestMarker = "scenario,variable,sector,month,observed,median,";
inline constexpr const char* kBacktestScoresMarker = "scenario,figures,mae_points,";
inline constexpr const char* kReportMarker = "<meta charset=\"utf-8\">\n<title>mfgsim report";
inline constexpr const char* kCalibrateMarker = "# Calibrated by `mfgsim calibrate` from ";

// The entries of `folder`, an earlier mfgsim result, that replacing it would
// delete although no mfgsim command wrote them there (relative paths, at most
// `limit`): anything but the files result folders hold (manifest.json,
// summary.csv, results.nc, ..., a shard's records/), the outputs other
// commands write into a result by default while unchanged (plot's plots/ as
// its mfgsim_files.json records them; report.html, compare.csv, backtest.csv
// and backtest_scores.csv by their markers and, unchanged, as the folder's
// mfgsim_files.json records them: record_written_file), and nested results (discover/)
// that pass the same check. Empty when the folder may be replaced.
std::vector<std::string> foreign_entries(const std::filesystem::path& folder, std::size_t limit = 5);

// A results folder a command reads (compare, backtest, plot) as inputs: the
// folder and the files mfgsim writes into one (manifest.json, shard.json,
// summary.csv, members.csv, failures.csv, scenarios.csv, results.nc).
std::vector<std::filesystem::path> result_folder_inputs(const std::filesystem::path& folder);

// True when `folder` holds `marker` (a JSON object) with "program": "mfgsim"
// and, unless `command` is empty, "command": `command`.
bool result_marker_matches(const std::filesystem::path& folder, std::string_view marker, std::string_view command);

// True when `folder` is an earlier mfgsim result of any command: its
// manifest.json or shard.json was written by mfgsim.
bool is_mfgsim_result(const std::filesystem::path& folder);

class OutputDir {
 public:
  // Throws std::runtime_error (with the path and the reason) if the parent
  // folder cannot be created or written, or if the target is a non-empty
  // folder that is not an earlier mfgsim result (is_mfgsim_result): the
  // last line of defence behind validate_output_target.
  explicit OutputDir(const std::filesystem::path& target);
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Where to write files before commit().
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }

  // Closes `out`, a file written as staging()/name, and throws
  // std::runtime_error naming target()/name and the reason when any write
  // to it failed (a full disk, a file-size limit): ofstream reports those
  // only in its state, and the last buffer is written at close.
  void close(std::ofstream& out, const std::string& name) const;

  // Flushes every file of the staging folder to disk (fsync: a write error
  // the kernel deferred is reported here, and a crash after the rename
  // cannot leave empty files behind), then renames it into place. Throws
  // std::runtime_error naming the file and the reason; the staging folder
  // is removed then.
  void commit();

  // Instead of commit(): moves each staged file into the target folder
  // (created if missing), replacing only files of the same names; other
  // files of the folder stay. An existing file of a staged name is replaced
  // only when the folder's kFilesRecord lists it with its SHA-256 as it is
  // now (mfgsim wrote it and nobody changed it since); otherwise throws
  // std::runtime_error naming each such file before anything is moved.
  // Adds the files moved, with their SHA-256, to the record. Not atomic
  // across files. For an OutputDir made with `adds_files` true.
  void commit_files();

  // `adds_files`: the target is a folder commit_files() adds to, so it may
  // hold anything (no is_mfgsim_result check).
  OutputDir(const std::filesystem::path& target, bool adds_files);

 private:
  std::filesystem::path target_, staging_;
  bool committed_ = false;
  bool adds_files_ = false;
};

// One file written all-or-nothing: `text` goes to a hidden sibling
// `.<name>.tmp-<pid>`, which `check` (if given) may inspect and veto by
// throwing, then is renamed over `path`. Throws std::runtime_error naming
// `path` when the write fails; the temporary file is removed on any failure
// and an earlier `path` is left as it was.
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path& written)>& check = {});

}  // namespace mfgsim
