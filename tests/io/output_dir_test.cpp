// sim/io/output_dir.h: a result folder appears whole on commit() and not at
// all otherwise; an earlier result is replaced only by a committed one;
// single files are written all-or-nothing.
#include "sim/io/output_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

// A fresh, empty folder for one test, removed at its end.
struct Sandbox {
  fs::path root;
  explicit Sandbox(const std::string& name)
      : root(fs::temp_directory_path() / ("mfgsim_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~Sandbox() { fs::remove_all(root); }
  // Names in the folder, sorted, hidden ones included.
  std::string listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names) out += n + ";";
    return out;
  }
};

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_into(const OutputDir& dir, const std::string& name, const std::string& text) {
  std::ofstream out(dir.staging() / name);
  out << text;
  dir.close(out, name);
}

TEST(OutputDir, CommitMovesTheStagedFilesIntoPlace) {
  Sandbox box("outdir_commit");
  {
    OutputDir dir(box.root / "result");
    EXPECT_EQ(dir.staging(), box.root / (".result.tmp-" + std::to_string(::getpid())));
    EXPECT_EQ(dir.target(), box.root / "result");
    write_into(dir, "a.csv", "1,2\n");
    fs::create_directories(dir.staging() / "sub");
    std::ofstream(dir.staging() / "sub" / "b.txt") << "b";
    EXPECT_FALSE(fs::exists(box.root / "result"));  // nothing visible before commit
    dir.commit();
  }
  EXPECT_EQ(box.listing(), "result;");
  EXPECT_EQ(read(box.root / "result" / "a.csv"), "1,2\n");
  EXPECT_EQ(read(box.root / "result" / "sub" / "b.txt"), "b");
}

TEST(OutputDir, NoCommitLeavesNothingAndKeepsTheEarlierResult) {
  Sandbox box("outdir_abandon");
  { OutputDir dir(box.root / "result"); write_into(dir, "a.csv", "partial"); }
  EXPECT_EQ(box.listing(), "");
  fs::create_directories(box.root / "result");
  std::ofstream(box.root / "result" / "old.csv") << "old";
  { OutputDir dir(box.root / "result"); write_into(dir, "a.csv", "partial"); }
  EXPECT_EQ(box.listing(), "result;");
  EXPECT_EQ(read(box.root / "result" / "old.csv"), "old");
  {
    OutputDir dir(box.root / "result");
    write_into(dir, "new.csv", "new");
    dir.commit();
  }
  EXPECT_EQ(box.listing(), "result;");  // the previous result is gone, not kept beside
  EXPECT_FALSE(fs::exists(box.root / "result" / "old.csv"));
  EXPECT_EQ(read(box.root / "result" / "new.csv"), "new");
}

TEST(OutputDir, RefusesATargetThatIsAFile) {
  Sandbox box("outdir_file");
  std::ofstream(box.root / "taken") << "x";
  EXPECT_THROW(OutputDir(box.root / "taken"), std::runtime_error);
  EXPECT_EQ(box.listing(), "taken;");
}

TEST(OutputDir, WriteFileAtomicallyReplacesOrLeavesAsItWas) {
  Sandbox box("outdir_atomic");
  const fs::path path = box.root / "m.json";
  write_file_atomically(path, "first");
  EXPECT_EQ(read(path), "first");
  std::string seen;
  write_file_atomically(path, "second", [&](const fs::path& written) { seen = read(written); });
  EXPECT_EQ(seen, "second");
  EXPECT_EQ(read(path), "second");
  EXPECT_THROW(write_file_atomically(path, "third", [](const fs::path&) { throw std::runtime_error("veto"); }),
               std::runtime_error);
  EXPECT_EQ(read(path), "second");
  EXPECT_EQ(box.listing(), "m.json;");
}

}  // namespace
}  // namespace mfgsim
