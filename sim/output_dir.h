// An output folder written all-or-nothing: files go to a temporary sibling
// folder, which commit() renames into place (replacing an earlier result
// only then). Destroyed without commit(), it removes the temporary folder,
// so a failed run leaves no partial output.
#pragma once

#include <filesystem>
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
  void commit();

 private:
  std::filesystem::path target_, staging_;
  bool committed_ = false;
};

}  // namespace mfgsim
