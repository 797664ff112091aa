// A YAML document as a plain tree whose every node remembers where it was
// written (file, 1-based line and column), read with yaml-cpp's event
// parser, and the `extends:` mechanism of scenario files.
//
// Scalars keep their text: the schema decides what a scalar means (number,
// month, name). A scalar written in quotes is always a string.
//
// `extends:` merge rules (scenarios/SCHEMA.md repeats them):
//   - `extends: base.yaml` or `extends: [a.yaml, b.yaml]`, paths relative to
//     the directory of the file that contains the `extends` key (absolute
//     paths are taken as they are); a base must be a YAML file (`.yaml` or
//     `.yml`) holding a map of keys;
//   - every base is itself resolved first (recursively), then the bases are
//     merged in list order (later wins), and the extending file's own keys
//     are merged last (they win over every base);
//   - maps are merged key by key, recursively, except at the paths the
//     caller's MergeRules name, whose value is replaced whole; sequences and
//     scalars (and null) are replaced whole by the later value; keys keep the
//     order in which they first appear; in the maps MergeRules::null_removes
//     names, a null entry removes the inherited entry of that key (and stays,
//     for the schema to report, when there is none);
//   - a value of the extending file's own keys that replaces an inherited
//     one keeps it in YamlNode::replaced (the scenario reader keeps a
//     schedule's inherited values before the first month the file gives);
//   - every node keeps the location of the file that wrote it, so messages
//     and relative data paths refer to the file where a value was written;
//   - a file that extends itself, directly or through its bases, is an error
//     naming the chain (`a.yaml -> b.yaml -> a.yaml`); a missing base is an
//     error at its `extends` entry.
// The resolved tree holds no `extends` key.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.h"

namespace mfgsim {

struct YamlEntry;

struct YamlNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string text;              // scalar: the text as written (without quotes)
  bool quoted = false;           // scalar: written in quotes (a string, never a number)
  std::vector<YamlNode> items;   // sequence
  std::vector<YamlEntry> entries;  // map, in file order (keys unique)
  SourceLocation where;          // the value's position
  // After `extends`: the inherited value this one replaced (null when it
  // replaced none, or was merged by a base's own chain only).
  std::shared_ptr<const YamlNode> replaced;

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }
  // Map lookup; nullptr when absent or when this is not a map.
  const YamlNode* find(std::string_view key) const;
  const YamlEntry* find_entry(std::string_view key) const;
  // "a map", "a list", "null", "'text'": for "expected X, got Y" messages.
  std::string describe() const;
};

struct YamlEntry {
  std::string key;
  SourceLocation key_where;  // the key's position
  YamlNode value;
};

// Parses one YAML document. Syntax errors, duplicate keys, non-scalar keys
// and several documents are reported in `diagnostics` (nullopt then). An
// empty document is a null node at file:1:1. Anchors and aliases are
// expanded (an alias is a copy of its anchored node).
std::optional<YamlNode> parse_yaml(const std::string& text, const std::string& file,
                                   Diagnostics& diagnostics);

// What `extends` replaces whole instead of merging key by key. Paths are
// map keys from the root joined by `.` (`lending.long_term_growth`,
// `uncertain.lending.green_tilt`). Unset: every map merges key by key.
struct MergeRules {
  std::function<bool(const std::string& path)> replace_whole;
  std::function<bool(const std::string& path)> null_removes;  // maps whose null entries remove
};

struct ResolvedYaml {
  std::optional<YamlNode> root;     // merged tree without `extends`; nullopt on error
  std::vector<std::string> files;   // files read, bases first, the named file last (each once)
  std::set<std::string> extending;  // the files among `files` that have an `extends` key
  std::map<std::string, std::string> dirs;  // file (as in locations) -> directory its paths resolve against
  // Resolves a relative path written in `file` (absolute paths unchanged).
  std::string resolve_path(const std::string& path, const std::string& file) const;
};

// Reads `path` and resolves its `extends` chain (see the merge rules above).
// A file that cannot be read is an error at `referenced_from` (or at the path
// itself when that is empty).
ResolvedYaml read_yaml_file(const std::string& path, Diagnostics& diagnostics, const MergeRules& rules = {});
// The same for text held in memory: `name` is its file name in messages and
// its `extends` paths resolve against `base_dir`.
ResolvedYaml read_yaml_text(const std::string& text, const std::string& name,
                            const std::string& base_dir, Diagnostics& diagnostics, const MergeRules& rules = {});

// Merges `overlay` onto `base` (maps deep, except where `rules` say; everything
// else replaced whole). With `keep_replaced`, a replaced value is kept in the
// new value's YamlNode::replaced (an extending file's own keys over its bases).
void merge_yaml(YamlNode& base, const YamlNode& overlay, const MergeRules& rules = {}, bool keep_replaced = false);

// `path` relative to directory `dir` (absolute paths unchanged), lexically
// normalised; `dir` empty means the current directory.
std::string resolve_relative(const std::string& path, const std::string& dir);
// The directory part of a file path ("" for a bare file name).
std::string directory_of(const std::string& file);

// A YAML boolean: an unquoted true | True | TRUE | false | False | FALSE
// (YAML 1.2's core schema; yes/no/on/off are strings); nullopt otherwise.
// The schema (booleans of scenario and batch files) and yaml_to_json read
// booleans with this one rule.
std::optional<bool> parse_boolean(const YamlNode& node);

// The tree as JSON: plain scalars that read as YAML numbers become numbers,
// true/false booleans, null/~/empty null; quoted scalars and everything else
// strings.
nlohmann::json yaml_to_json(const YamlNode& node);

}  // namespace mfgsim
