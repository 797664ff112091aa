// An output folder written all-or-nothing: files go to a temporary sibling
// folder `.<name>.tmp-<pid>`, which commit() flushes to disk and renames
// into place (replacing an earlier result only then). Destroyed without
// commit() (a failed run, an exception, Ctrl-C: sim/core/interrupt.h), it removes
// the temporary folder, so a failed run leaves no partial output.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace mfgsim {

class OutputDir {
 public:
  // Throws std::runtime_error (with the path and the reason) if the parent
  // folder cannot be created or written.
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

 private:
  std::filesystem::path target_, staging_;
  bool committed_ = false;
};

// One file written all-or-nothing: `text` goes to a hidden sibling
// `.<name>.tmp-<pid>`, which `check` (if given) may inspect and veto by
// throwing, then is renamed over `path`. Throws std::runtime_error naming
// `path` when the write fails; the temporary file is removed on any failure
// and an earlier `path` is left as it was.
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::function<void(const std::filesystem::path& written)>& check = {});

}  // namespace mfgsim
