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
  std::ofstream(box.root / "result" / "manifest.json") << R"({"program": "mfgsim", "command": "run"})";
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


// ---- validate_output_target: output targets never destroy inputs ----------

// Runs `body` with the working folder `dir`, restoring it afterwards.
template <class F>
void in_folder(const fs::path& dir, F body) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  body();
  fs::current_path(before);
}

std::string problems_of(const OutputTarget& target, const std::vector<fs::path>& inputs) {
  return validate_output_target(target, inputs).format();
}

TEST(ValidateOutputTarget, RefusesTheWorkingFolderAndAbove) {
  Sandbox box("outcheck_cwd");
  fs::create_directories(box.root / "w");
  in_folder(box.root / "w", [&] {
    using K = OutputTarget::Kind;
    EXPECT_NE(problems_of({".", K::folder, "manifest.json", "run"}, {}).find("mfgsim: error: --out .: is the working folder"),
              std::string::npos);
    EXPECT_NE(problems_of({"..", K::folder, "manifest.json", "run"}, {}).find("--out ..: lies above the working folder"),
              std::string::npos);
    EXPECT_NE(problems_of({"./", K::files}, {}).find("is the working folder"), std::string::npos);
    EXPECT_EQ(problems_of({"out/r", K::folder, "manifest.json", "run"}, {}), "");
  });
  EXPECT_EQ(box.listing(), "w;");
}

TEST(ValidateOutputTarget, RefusesAnInputAndEveryFolderAboveIt) {
  Sandbox box("outcheck_inputs");
  fs::create_directories(box.root / "a" / "b");
  std::ofstream(box.root / "a" / "b" / "s.yaml") << "name: s\n";
  const std::vector<fs::path> inputs{box.root / "a" / "b" / "s.yaml"};
  using K = OutputTarget::Kind;
  const std::string is = problems_of({box.root / "a" / "b" / "s.yaml", K::file}, inputs);
  EXPECT_NE(is.find(": is " + inputs[0].string() + ", an input of this command"), std::string::npos) << is;
  // The input's folder, its parent (`..` spelled out too), and the root.
  for (const fs::path& above : {box.root / "a" / "b", box.root / "a", box.root / "a" / "b" / "..", fs::path("/")}) {
    const std::string text = problems_of({above, K::folder, "manifest.json", "run"}, inputs);
    EXPECT_NE(text.find("an input of this command"), std::string::npos) << above << ": " << text;
  }
  // A symbolic link to the input's folder is the folder.
  fs::create_directory_symlink(box.root / "a" / "b", box.root / "link");
  EXPECT_NE(problems_of({box.root / "link" / "s.yaml", K::file}, inputs).find("is "), std::string::npos);
  // Beside or below an input is fine.
  EXPECT_EQ(problems_of({box.root / "a" / "b" / "out", K::folder, "manifest.json", "run"}, inputs), "");
  EXPECT_EQ(problems_of({box.root / "a" / "b" / "s_calibrated.yaml", K::file}, inputs), "");
  EXPECT_NE(problems_of({"", K::file}, inputs).find("--out must name a file (got an empty path)"), std::string::npos);
}

TEST(ValidateOutputTarget, AFolderIsReplacedOnlyWhenEmptyOrAnEarlierResultOfTheSameCommand) {
  Sandbox box("outcheck_kind");
  using K = OutputTarget::Kind;
  const fs::path d = box.root / "d";
  fs::create_directories(d);
  EXPECT_EQ(problems_of({d, K::folder, "manifest.json", "run"}, {}), "") << "empty";
  std::ofstream(d / "notes.txt") << "mine";
  const std::string refused = problems_of({d, K::folder, "manifest.json", "run"}, {});
  EXPECT_NE(refused.find("is a folder that is not an earlier result of mfgsim run (no manifest.json written by it)"),
            std::string::npos)
      << refused;
  EXPECT_EQ(problems_of({d, K::files}, {}), "") << "plot adds its files to any folder";
  EXPECT_NE(problems_of({d, K::file}, {}).find("is a folder; the output is a file"), std::string::npos);
  std::ofstream(d / "manifest.json") << "{\"program\": \"other\", \"command\": \"run\"}";
  EXPECT_NE(problems_of({d, K::folder, "manifest.json", "run"}, {}), "");
  std::ofstream(d / "manifest.json") << "{\"program\": \"mfgsim\", \"command\": \"run\"}";
  // An earlier run, but with a file mfgsim did not write: replacing it would delete that.
  EXPECT_NE(problems_of({d, K::folder, "manifest.json", "run"}, {}).find("is an earlier result, but it also holds notes.txt,"),
            std::string::npos);
  fs::remove(d / "notes.txt");
  EXPECT_EQ(problems_of({d, K::folder, "manifest.json", "run"}, {}), "");
  EXPECT_NE(problems_of({d, K::folder, "manifest.json", "batch"}, {}), "") << "a run is not a batch result";
  EXPECT_NE(problems_of({d, K::folder, "shard.json", ""}, {}), "");
  std::ofstream(d / "shard.json") << "{\"program\": \"mfgsim\", \"shard\": 1}";
  EXPECT_EQ(problems_of({d, K::folder, "shard.json", ""}, {}), "");
  EXPECT_EQ(box.listing(), "d;");
}

TEST(OutputDir, RefusesToReplaceAFolderThatIsNotAnMfgsimResult) {
  Sandbox box("outdir_foreign");
  fs::create_directories(box.root / "mine");
  std::ofstream(box.root / "mine" / "notes.txt") << "keep";
  EXPECT_THROW(OutputDir(box.root / "mine"), std::runtime_error);
  EXPECT_EQ(box.listing(), "mine;");
  EXPECT_EQ(read(box.root / "mine" / "notes.txt"), "keep");
  // Also when the folder appears while the run works.
  {
    OutputDir dir(box.root / "later");
    write_into(dir, "a.csv", "1");
    fs::create_directories(box.root / "later");
    std::ofstream(box.root / "later" / "notes.txt") << "keep";
    EXPECT_THROW(dir.commit(), std::runtime_error);
  }
  EXPECT_EQ(read(box.root / "later" / "notes.txt"), "keep");
  EXPECT_EQ(box.listing(), "later;mine;");
}

// commit_files adds to a folder, replaces only what its record says it wrote
// (unchanged since), and refuses anything else before moving a file.
TEST(OutputDir, CommitFilesReplacesOnlyTheFilesWritten) {
  Sandbox box("outdir_files");
  const fs::path plots = box.root / "plots";
  fs::create_directories(plots);
  std::ofstream(plots / "mine.txt") << "mine";
  std::ofstream(plots / "va.png") << "old";
  {
    OutputDir dir(plots, /*adds_files=*/true);
    write_into(dir, "va.png", "new");
    write_into(dir, "co2.png", "co2");
    try {
      dir.commit_files();
      ADD_FAILURE() << "replaced a file mfgsim did not write";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find((plots / "va.png").string() + " (not written by mfgsim"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(read(plots / "va.png"), "old");
  EXPECT_FALSE(fs::exists(plots / "co2.png"));
  EXPECT_FALSE(fs::exists(plots / kFilesRecord));
  EXPECT_EQ(box.listing(), "plots;");  // the staging folder is gone
  fs::remove(plots / "va.png");
  for (const char* text : {"first", "second"}) {
    OutputDir dir(plots, /*adds_files=*/true);
    write_into(dir, "va.png", text);
    write_into(dir, "co2.png", text);
    dir.commit_files();
  }
  EXPECT_EQ(read(plots / "mine.txt"), "mine");
  EXPECT_EQ(read(plots / "va.png"), "second");
  EXPECT_EQ(read(plots / "co2.png"), "second");
  // SHA-256 of "second" (sha256sum).
  EXPECT_NE(read(plots / kFilesRecord).find("\"va.png\": \"16367aacb67a4a017c8da8ab95682ccb390863780f7114dda0a0e0c55644c7c4\""),
            std::string::npos)
      << read(plots / kFilesRecord);
  EXPECT_EQ(box.listing(), "plots;");
}

}  // namespace
}  // namespace mfgsim
