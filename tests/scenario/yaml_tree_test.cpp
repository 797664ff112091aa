#include "sim/scenario/yaml_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("mfgsim_yaml_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  // Writes every (name, text) in order; returns the last one's path.
  std::string write_all(std::initializer_list<std::pair<const char*, const char*>> files) const {
    std::string last;
    for (const auto& [name, text] : files) last = write(name, text);
    return last;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

std::optional<YamlNode> parse(const std::string& text, Diagnostics& d) { return parse_yaml(text, "t.yaml", d); }

// The one diagnostic of a read that failed; the test fails unless the read
// failed with exactly one.
Diagnostic only_error(bool read, const Diagnostics& d) {
  EXPECT_FALSE(read);
  EXPECT_EQ(d.items().size(), 1u) << d.format();
  return d.items().empty() ? Diagnostic{} : d.items()[0];
}
Diagnostic parse_error(const std::string& text) {
  Diagnostics d;
  const bool read = parse(text, d).has_value();
  return only_error(read, d);
}
Diagnostic file_error(const std::string& path) {
  Diagnostics d;
  const bool read = static_cast<bool>(read_yaml_file(path, d).root);
  return only_error(read, d);
}
// A file that must read without diagnostics (the test fails naming them).
ResolvedYaml read_ok(const std::string& path) {
  Diagnostics d;
  ResolvedYaml r = read_yaml_file(path, d);
  EXPECT_TRUE(d.ok()) << d.format();
  return r;
}
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(YamlTree, LocationsAreOneBased) {
  Diagnostics d;
  auto root = parse("name: x\nlending:\n  maturity: 5\n  list: [1, 'two', \"3\"]\n", d);
  ASSERT_TRUE(root) << d.format();
  ASSERT_TRUE(root->is_map());
  const YamlEntry* name = root->find_entry("name");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->key_where.line, 1);
  EXPECT_EQ(name->key_where.column, 1);
  EXPECT_EQ(name->value.where.column, 7);
  const YamlNode* maturity = root->find("lending")->find("maturity");
  ASSERT_TRUE(maturity);
  EXPECT_EQ(maturity->text, "5");
  EXPECT_EQ(maturity->where.file, "t.yaml");
  EXPECT_EQ(maturity->where.line, 3);
  EXPECT_EQ(maturity->where.column, 13);
  const YamlNode* list = root->find("lending")->find("list");
  ASSERT_TRUE(list && list->is_sequence());
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_FALSE(list->items[0].quoted);
  EXPECT_TRUE(list->items[1].quoted);
  EXPECT_TRUE(list->items[2].quoted);
  EXPECT_EQ(list->items[2].where.column, 20);
}

TEST(YamlTree, EmptyValueIsNullAtItsKey) {
  Diagnostics d;
  auto root = parse("lending:\nname: x\nother: ~\n", d);
  ASSERT_TRUE(root) << d.format();
  const YamlEntry* lending = root->find_entry("lending");
  ASSERT_TRUE(lending);
  EXPECT_TRUE(lending->value.is_null());
  EXPECT_EQ(lending->value.where.line, 1);
  EXPECT_TRUE(root->find("other")->is_null());
  EXPECT_EQ(root->find("other")->where.column, 8);
}

TEST(YamlTree, DuplicateKeysAreErrors) {
  Diagnostics d;
  auto root = parse("name: x\nlending:\n  maturity: 5\n  maturity: 6\nname: y\n", d);
  EXPECT_FALSE(root);
  ASSERT_EQ(d.items().size(), 2u) << d.format();
  EXPECT_EQ(d.items()[0].format(), "t.yaml:4:3: error: duplicate key `maturity` (first written at line 3)");
  EXPECT_EQ(d.items()[1].format(), "t.yaml:5:1: error: duplicate key `name` (first written at line 1)");
}

TEST(YamlTree, SyntaxErrorsHaveLocations) {
  const Diagnostic e = parse_error("a: [1, 2\nb: 3\n");
  EXPECT_EQ(e.where.line, 2);
  EXPECT_EQ(e.where.column, 2);
  EXPECT_TRUE(contains(e.message, "end of sequence flow not found")) << e.message;
  EXPECT_EQ(parse_error("a: 1\n  b: 3\n").format().substr(0, 17), "t.yaml:2:4: error");
}

TEST(YamlTree, OneDocumentOnly) {
  EXPECT_TRUE(contains(parse_error("a: 1\n---\nb: 2\n").message, "one YAML document"));
}

TEST(YamlTree, EmptyDocumentIsNull) {
  Diagnostics d;
  auto root = parse("# nothing\n", d);
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->is_null());
  EXPECT_EQ(root->where.line, 1);
}

TEST(YamlTree, NonScalarKeysAreErrors) {
  EXPECT_TRUE(contains(parse_error("? [a, b]\n: 1\n").message, "a key must be a plain name"));
}

TEST(YamlTree, AliasesAreCopies) {
  Diagnostics d;
  auto root = parse("a: &x {p: 1, q: [1, 2]}\nb: *x\n", d);
  ASSERT_TRUE(root) << d.format();
  const YamlNode* b = root->find("b");
  ASSERT_TRUE(b && b->is_map());
  EXPECT_EQ(b->find("p")->text, "1");
  EXPECT_EQ(b->where.line, 2);
}

TEST(YamlTree, ToJsonKeepsTypes) {
  Diagnostics d;
  auto root = parse("n: 120\nx: -0.5\ne: 1e-3\nb: true\ns: '5'\nm: 2021-01\nz: ~\nl: [1, a]\n", d);
  ASSERT_TRUE(root);
  nlohmann::json j = yaml_to_json(*root);
  EXPECT_TRUE(j["n"].is_number_integer());
  EXPECT_EQ(j["n"], 120);
  EXPECT_DOUBLE_EQ(j["x"].get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(j["e"].get<double>(), 1e-3);
  EXPECT_EQ(j["b"], true);
  EXPECT_EQ(j["s"], "5");
  EXPECT_EQ(j["m"], "2021-01");
  EXPECT_TRUE(j["z"].is_null());
  EXPECT_EQ(j["l"], nlohmann::json::parse("[1, \"a\"]"));
}

TEST(YamlTree, MergeIsDeepForMapsAndWholeForLists) {
  Diagnostics d;
  auto base = parse("a: {x: 1, y: 2, inner: {p: 1, q: 2}}\nlist: [1, 2, 3]\ns: 1\nkeep: k\n", d);
  auto over = parse("a: {y: 20, inner: {q: 30}, z: 4}\nlist: [9]\ns: {m: 1}\nnew: n\n", d);
  ASSERT_TRUE(base && over);
  merge_yaml(*base, *over);
  nlohmann::json j = yaml_to_json(*base);
  EXPECT_EQ(j, nlohmann::json::parse(R"({"a": {"x": 1, "y": 20, "inner": {"p": 1, "q": 30}, "z": 4},
                                         "list": [9], "s": {"m": 1}, "keep": "k", "new": "n"})"));
  // Key order: first appearance.
  ASSERT_EQ(base->entries.size(), 5u);
  EXPECT_EQ(base->entries[0].key, "a");
  EXPECT_EQ(base->entries[4].key, "new");
}

TEST(YamlTree, MergeRulesReplaceWholeRemoveNullsAndKeepTheReplaced) {
  Diagnostics d;
  auto base = parse("r: {from: a, to: b, start: 1, end: 2}\nu: {x: {p: 1, q: 2}, y: {p: 3}}\nm: {k: 1}\n", d);
  auto over = parse("r: {from: c, to: d, start: 5, end: 6, before: start}\nu: {x: {p: 9}, y: null, w: null}\n"
                    "m: {k: 2}\n", d);
  ASSERT_TRUE(base && over);
  const MergeRules rules{[](const std::string& path) { return path == "r" || path.rfind("u.", 0) == 0; },
                         [](const std::string& path) { return path == "u"; }};
  merge_yaml(*base, *over, rules, /*keep_replaced=*/true);
  // `r` and `u.x` replaced whole; `u.y` removed; `u.w` (nothing to remove) stays null.
  EXPECT_EQ(yaml_to_json(*base), nlohmann::json::parse(R"({"r": {"from": "c", "to": "d", "start": 5, "end": 6,
                                                         "before": "start"}, "u": {"x": {"p": 9}, "w": null},
                                                         "m": {"k": 2}})"));
  // The replaced values are kept: the whole ramp, and a scalar inside a merged map.
  ASSERT_TRUE(base->find("r")->replaced);
  EXPECT_EQ(yaml_to_json(*base->find("r")->replaced), nlohmann::json::parse(R"({"from": "a", "to": "b", "start": 1,
                                                                                "end": 2})"));
  ASSERT_TRUE(base->find("m")->find("k")->replaced);
  EXPECT_EQ(base->find("m")->find("k")->replaced->text, "1");
  EXPECT_FALSE(base->find("u")->find("w")->replaced);
}

TEST(YamlTree, ExtendsMergesBasesInOrderThenOwnKeys) {
  TempDir dir;
  const std::string top =
      dir.write_all({{"root.yaml", "lending: {maturity: 1, green_tilt: 1}\nlist: [root]\nfrom_root: r\n"},
                     {"a.yaml", "extends: root.yaml\nlending: {maturity: 2}\nonly_a: a\n"},
                     {"b.yaml", "lending: {maturity: 3, investment_pass: 0.3}\nlist: [b1, b2]\n"},
                     {"top.yaml", "extends: [a.yaml, b.yaml]\nname: top\nlending: {investment_pass: 0.9}\n"}});
  const ResolvedYaml r = read_ok(top);
  ASSERT_TRUE(r.root);
  nlohmann::json j = yaml_to_json(*r.root);
  EXPECT_FALSE(j.contains("extends"));
  EXPECT_EQ(j["lending"]["maturity"], 3);          // b (later base) wins over a
  EXPECT_EQ(j["lending"]["green_tilt"], 1);        // from root, through a
  EXPECT_EQ(j["lending"]["investment_pass"], 0.9);  // own key wins last
  EXPECT_EQ(j["list"], nlohmann::json::parse(R"(["b1", "b2"])"));
  EXPECT_EQ(j["from_root"], "r");
  EXPECT_EQ(j["only_a"], "a");
  EXPECT_EQ(j["name"], "top");
  ASSERT_EQ(r.files.size(), 4u);
  EXPECT_EQ(fs::path(r.files[0]).filename(), "root.yaml");
  EXPECT_EQ(fs::path(r.files[1]).filename(), "a.yaml");
  EXPECT_EQ(fs::path(r.files[2]).filename(), "b.yaml");
  EXPECT_EQ(r.files[3], top);
  // Every value remembers the file that wrote it.
  const YamlNode* maturity = r.root->find("lending")->find("maturity");
  EXPECT_EQ(fs::path(maturity->where.file).filename(), "b.yaml");
  EXPECT_EQ(maturity->where.line, 1);
  EXPECT_EQ(maturity->where.column, 21);
}

TEST(YamlTree, ExtendsPathsAreRelativeToTheirFile) {
  TempDir dir;
  dir.write("common/base.yaml", "data: {sectors: ../data/s.csv}\n");
  dir.write("scenarios/mid.yaml", "extends: ../common/base.yaml\n");
  std::string top = dir.write("scenarios/deep/top.yaml", "extends: ../mid.yaml\nname: t\n");
  const ResolvedYaml r = read_ok(top);
  ASSERT_TRUE(r.root);
  const YamlNode* sectors = r.root->find("data")->find("sectors");
  ASSERT_TRUE(sectors);
  EXPECT_EQ(fs::path(sectors->where.file).filename(), "base.yaml");
  EXPECT_EQ(r.resolve_path(sectors->text, sectors->where.file), (fs::path(dir.path()) / "data/s.csv").string());
}

TEST(YamlTree, ExtendsFromTextUsesBaseDir) {
  TempDir dir;
  dir.write("base.yaml", "x: 1\ny: 2\n");
  Diagnostics d;
  ResolvedYaml r = read_yaml_text("extends: base.yaml\ny: 3\n", "inline.yaml", dir.path(), d);
  ASSERT_TRUE(r.root) << d.format();
  EXPECT_EQ(yaml_to_json(*r.root), nlohmann::json::parse(R"({"x": 1, "y": 3})"));
  EXPECT_EQ(r.resolve_path("d.csv", "inline.yaml"), (fs::path(dir.path()) / "d.csv").string());
}

TEST(YamlTree, ExtendsCycleNamesTheChain) {
  TempDir dir;
  dir.write("a.yaml", "extends: b.yaml\n");
  dir.write("b.yaml", "x: 1\nextends: [c.yaml, a.yaml]\n");
  dir.write("c.yaml", "y: 1\n");
  std::string a = (fs::path(dir.path()) / "a.yaml").string();
  std::string b = (fs::path(dir.path()) / "b.yaml").string();
  EXPECT_EQ(file_error(a).format(), b + ":2:19: error: extends cycle: " + a + " -> " + b + " -> " + a);
}

TEST(YamlTree, SelfExtendIsACycle) {
  TempDir dir;
  std::string a = dir.write("a.yaml", "extends: a.yaml\n");
  EXPECT_EQ(file_error(a).format(), a + ":1:10: error: extends cycle: " + a + " -> " + a);
}

TEST(YamlTree, DiamondIsNotACycle) {
  TempDir dir;
  const std::string a = dir.write_all({{"d.yaml", "v: d\n"},
                                       {"b.yaml", "extends: d.yaml\nb: 1\n"},
                                       {"c.yaml", "extends: d.yaml\nc: 1\n"},
                                       {"a.yaml", "extends: [b.yaml, c.yaml]\n"}});
  EXPECT_EQ(read_ok(a).files.size(), 4u);
}

TEST(YamlTree, MissingBaseIsAnErrorAtItsEntry) {
  TempDir dir;
  std::string a = dir.write("a.yaml", "name: a\nextends:\n  - nothere.yaml\n");
  const Diagnostic e = file_error(a);
  EXPECT_EQ(e.where.line, 3);
  EXPECT_EQ(e.where.column, 5);
  EXPECT_TRUE(contains(e.message, "extends: cannot read")) << e.message;
  EXPECT_TRUE(contains(e.message, "nothere.yaml")) << e.message;
}

TEST(YamlTree, BadExtendsValue) {
  Diagnostics d;
  EXPECT_FALSE(read_yaml_text("extends: {a: 1}\n", "x.yaml", "", d).root);
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].format(),
            "x.yaml:1:10: error: extends: expected a file name or a list of file names, got a map");
}

TEST(YamlTree, SyntaxErrorInBaseNamesTheBase) {
  TempDir dir;
  std::string base = dir.write("base.yaml", "a: [1\n");
  std::string top = dir.write("top.yaml", "extends: base.yaml\n");
  EXPECT_EQ(file_error(top).where.file, base);
}

TEST(YamlTree, MissingFile) {
  EXPECT_EQ(file_error("/nonexistent/x.yaml").format(),
            "/nonexistent/x.yaml: error: cannot read scenario file `/nonexistent/x.yaml`");
}

}  // namespace
}  // namespace mfgsim
