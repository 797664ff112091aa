#include "sim/output_dir.h"

#include <unistd.h>

#include <stdexcept>
#include <system_error>

namespace mfgsim {

namespace fs = std::filesystem;

namespace {
// ".<name><tag><pid>": hidden, beside the target, unique to this process.
std::string hidden_sibling(const fs::path& target, const char* tag) {
  std::string name(".");
  name += target.filename().string();
  name += tag;
  name += std::to_string(::getpid());
  return name;
}
}  // namespace

OutputDir::OutputDir(const fs::path& target) : target_(fs::absolute(target).lexically_normal()) {
  if (target_.filename().empty()) target_ = target_.parent_path();
  std::error_code ec;
  fs::create_directories(target_.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create " + target_.parent_path().string() + ": " + ec.message());
  staging_ = target_.parent_path() / hidden_sibling(target_, ".tmp-");
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec) || ec)
    throw std::runtime_error("cannot write to " + target_.parent_path().string() + ": " +
                             (ec ? ec.message() : std::string("folder exists")));
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutputDir::commit() {
  std::error_code ec;
  fs::path previous;
  if (fs::exists(target_)) {
    previous = target_.parent_path() / hidden_sibling(target_, ".old-");
    fs::remove_all(previous, ec);
    fs::rename(target_, previous, ec);
    if (ec) throw std::runtime_error("cannot replace " + target_.string() + ": " + ec.message());
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    if (!previous.empty()) fs::rename(previous, target_);
    throw std::runtime_error("cannot move results into " + target_.string() + ": " + ec.message());
  }
  committed_ = true;
  if (!previous.empty()) fs::remove_all(previous, ec);
}

}  // namespace mfgsim
