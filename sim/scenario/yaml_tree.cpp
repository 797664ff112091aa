#include "sim/scenario/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/io/csv.h"
#include "sim/core/text.h"
#include "sim/core/range.h"

namespace mfgsim {

const YamlEntry* YamlNode::find_entry(std::string_view key) const {
  if (kind != Kind::map) return nullptr;
  for (const YamlEntry& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

const YamlNode* YamlNode::find(std::string_view key) const {
  const YamlEntry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

std::string YamlNode::describe() const {
  switch (kind) {
    case Kind::null: return "nothing (null)";
    case Kind::sequence: return "a list";
    case Kind::map: return "a map";
    case Kind::scalar: return quoted ? "\"" + text + "\"" : "'" + text + "'";
  }
  return "";
}

namespace {

SourceLocation location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

// Builds a YamlNode tree from yaml-cpp's parser events.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string file, std::string_view text, Diagnostics& diagnostics)
      : file_(std::move(file)), text_(text), diagnostics_(diagnostics) {}

  std::optional<YamlNode> root;
  int documents = 0;

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents;
    if (documents != 2) return;
    // yaml-cpp 0.7 takes a `,` outside brackets for the start of an empty
    // document, again and again without moving on: say what it is.
    if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < text_.size() && text_[mark.pos] == ',')
      diagnostics_.error(location(file_, mark), "unexpected `,` (commas separate items only inside `[...]` or `{...}`)");
    else
      diagnostics_.error(location(file_, mark), "a scenario file holds one YAML document (found a second one)");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode node;
    node.where = location(file_, mark);
    finish(std::move(node), anchor, 1);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode node;
    std::size_t size = 1;
    auto it = anchors_.find(anchor);
    if (it != anchors_.end() && copy_allowed(it->second.size, location(file_, mark))) {
      node = it->second.node;
      size = it->second.size;
    }
    node.where = location(file_, mark);
    finish(std::move(node), 0, size);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode node;
    node.kind = YamlNode::Kind::scalar;
    node.text = value;
    node.quoted = tag != "?";
    node.where = location(file_, mark);
    finish(std::move(node), anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(YamlNode::Kind::sequence, mark, anchor, style);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(YamlNode::Kind::map, mark, anchor, style);
  }
  void OnMapEnd() override { close(); }

  // Where the innermost flow collection (`{...}` or `[...]`) of `kind` still
  // open was started, if any: the bracket a syntax error left unclosed.
  std::optional<SourceLocation> open_flow(YamlNode::Kind kind) const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->flow && it->node.kind == kind) return it->node.where;
    return std::nullopt;
  }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    bool flow = false;  // `{...}` or `[...]`
    bool have_key = false;
    bool skip_value = false;  // the key was bad: drop its value
    std::string key;
    SourceLocation key_where;
    std::size_t size = 1;  // nodes in the tree so far, this one included
  };
  struct Anchored {
    YamlNode node;
    std::size_t size = 1;  // nodes in `node`'s tree
  };

  // Aliases copy their anchored node: a few hundred bytes of nested aliases
  // (`b: &b [*a, *a, ...]`, `c: &c [*b, *b, ...]`) would make billions of
  // nodes. Copies of more than kMaxCopiedNodes nodes in all are an error.
  static constexpr std::size_t kMaxCopiedNodes = 100'000;
  bool copy_allowed(std::size_t size, const SourceLocation& where) {
    if (copied_ + size <= kMaxCopiedNodes) {
      copied_ += size;
      return true;
    }
    if (!copies_exceeded_)
      diagnostics_.error(where, "anchors and aliases (`&name`, `*name`) copy more than " +
                              std::to_string(kMaxCopiedNodes) + " values in this document");
    copies_exceeded_ = true;
    return false;
  }

  // A sequence or map starts: a frame collects its children until close().
  void open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor, YAML::EmitterStyle::value style) {
    Frame frame;
    frame.node.kind = kind;
    frame.node.where = location(file_, mark);
    frame.anchor = anchor;
    frame.flow = style == YAML::EmitterStyle::Flow;
    stack_.push_back(std::move(frame));
  }
  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(frame.node), frame.anchor, frame.size);
  }

  // `size`: nodes in `node`'s tree.
  void finish(YamlNode node, YAML::anchor_t anchor, std::size_t size) {
    if (anchor != 0 && copy_allowed(size, node.where)) anchors_[anchor] = Anchored{node, size};
    if (!stack_.empty()) stack_.back().size += size;
    if (stack_.empty()) {
      if (documents <= 1) root = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == YamlNode::Kind::sequence) {
      top.node.items.push_back(std::move(node));
      return;
    }
    if (!top.have_key) {
      top.have_key = true;
      top.skip_value = false;
      top.key_where = node.where;
      if (node.kind != YamlNode::Kind::scalar) {
        diagnostics_.error(node.where, "a key must be a plain name, not " + node.describe());
        top.skip_value = true;
        return;
      }
      top.key = node.text;
      if (const YamlEntry* first = top.node.find_entry(top.key)) {
        diagnostics_.error(node.where, "duplicate key `" + top.key + "` (first written at line " +
                                           std::to_string(first->key_where.line) + ")");
        top.skip_value = true;
      }
      return;
    }
    top.have_key = false;
    if (top.skip_value) return;
    // An empty value (`key:`) is reported by yaml-cpp at the next token;
    // point at the key instead.
    if (node.kind == YamlNode::Kind::null && node.where.line != top.key_where.line)
      node.where = top.key_where;
    top.node.entries.push_back(YamlEntry{top.key, top.key_where, std::move(node)});
  }

  std::string file_;
  std::string_view text_;
  Diagnostics& diagnostics_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::size_t copied_ = 0;  // nodes copied into anchors_ and out of it by aliases
  bool copies_exceeded_ = false;
};


std::string identity_of(const std::string& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? std::filesystem::absolute(path).lexically_normal().string() : canonical.string();
}

class ExtendsResolver {
 public:
  ExtendsResolver(ResolvedYaml& out, Diagnostics& diagnostics, const MergeRules& rules)
      : out_(out), diagnostics_(diagnostics), rules_(rules) {}

  // Resolves a parsed tree written in `file` whose relative paths resolve
  // against `dir`; `identity` names the file for cycle detection.
  std::optional<YamlNode> resolve(YamlNode root, const std::string& file, const std::string& dir,
                                  const std::string& identity) {
    out_.dirs[file] = dir;
    chain_.push_back({file, identity});
    std::optional<YamlNode> merged;
    bool ok = true;
    if (root.is_map()) {
      auto it = std::find_if(root.entries.begin(), root.entries.end(),
                             [](const YamlEntry& e) { return e.key == "extends"; });
      if (it != root.entries.end()) {
        YamlNode extends = std::move(it->value);
        root.entries.erase(it);
        out_.extending.insert(file);
        std::vector<const YamlNode*> bases;
        if (extends.is_scalar()) {
          bases.push_back(&extends);
        } else if (extends.is_sequence()) {
          for (const YamlNode& item : extends.items) {
            if (item.is_scalar()) {
              bases.push_back(&item);
            } else {
              diagnostics_.error(item.where, "extends: expected a file name, got " + item.describe());
              ok = false;
            }
          }
        } else {
          diagnostics_.error(extends.where,
                             "extends: expected a file name or a list of file names, got " + extends.describe());
          ok = false;
        }
        for (const YamlNode* base : bases) {
          std::optional<YamlNode> tree = resolve_base(*base, dir);
          if (!tree) {
            ok = false;
            continue;
          }
          if (!merged) merged = std::move(*tree);
          else merge_yaml(*merged, *tree, rules_);
        }
      }
    }
    chain_.pop_back();
    if (!ok) return std::nullopt;
    add_file(file);
    if (!merged) return root;
    merge_yaml(*merged, root, rules_, /*keep_replaced=*/true);
    return merged;
  }

 private:
  struct Link {
    std::string file, identity;
  };

  std::optional<YamlNode> resolve_base(const YamlNode& entry, const std::string& dir) {
    const std::string path = resolve_relative(entry.text, dir);
    const std::string identity = identity_of(path);
    for (std::size_t k = 0; k < chain_.size(); ++k) {
      if (chain_[k].identity != identity) continue;
      std::string text;
      for (std::size_t j = k; j < chain_.size(); ++j) text += chain_[j].file + " -> ";
      text += path;
      diagnostics_.error(entry.where, "extends cycle: " + text);
      return std::nullopt;
    }
    // `extends` names scenario files; a data table read as YAML would
    // replace the other bases with a scalar.
    const std::string extension = std::filesystem::path(path).extension().string();
    if (!entry.text.empty() && extension != ".yaml" && extension != ".yml") {
      diagnostics_.error(entry.where, "extends: `" + entry.text +
                                          "` is not a scenario file (extends names YAML scenario files, "
                                          "*.yaml or *.yml; data tables go under `data:`)");
      return std::nullopt;
    }
    std::string text;
    if (entry.text.empty() || !read_text_file(path, &text)) {
      diagnostics_.error(entry.where, "extends: cannot read `" + path + "`");
      return std::nullopt;
    }
    Diagnostics local;
    std::optional<YamlNode> root = parse_yaml(text, path, local);
    diagnostics_.append(local);
    if (!root) return std::nullopt;
    if (!root->is_map()) {
      diagnostics_.error(entry.where, "extends: `" + entry.text + "` is not a scenario (a map of keys), it holds " +
                                          root->describe());
      return std::nullopt;
    }
    return resolve(std::move(*root), path, directory_of(path), identity);
  }

  void add_file(const std::string& file) {
    if (std::find(out_.files.begin(), out_.files.end(), file) == out_.files.end()) out_.files.push_back(file);
  }

  ResolvedYaml& out_;
  Diagnostics& diagnostics_;
  const MergeRules& rules_;
  std::vector<Link> chain_;
};

// A tab in the indentation of `line` (1-based) of `text`: its 1-based column,
// 0 if none. Blank and comment-only lines do not count.
int indenting_tab(const std::string& text, int line) {
  std::size_t begin = 0;
  for (int l = 1; l < line; ++l) {
    begin = text.find('\n', begin);
    if (begin == std::string::npos) return 0;
    ++begin;
  }
  int tab = 0;
  for (std::size_t k = begin; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '\t') {
      if (!tab) tab = static_cast<int>(k - begin) + 1;
    } else if (c != ' ') {
      return c == '\n' || c == '\r' || c == '#' ? 0 : tab;
    }
  }
  return 0;
}

ResolvedYaml resolve_text(const std::string& text, const std::string& name, const std::string& dir,
                          const std::string& identity, Diagnostics& diagnostics, const MergeRules& rules) {
  ResolvedYaml out;
  Diagnostics local;
  std::optional<YamlNode> root = parse_yaml(text, name, local);
  diagnostics.append(local);
  if (!root) return out;
  Diagnostics resolve_diagnostics;
  ExtendsResolver resolver(out, resolve_diagnostics, rules);
  std::optional<YamlNode> merged = resolver.resolve(std::move(*root), name, dir, identity);
  diagnostics.append(resolve_diagnostics);
  if (resolve_diagnostics.ok()) out.root = std::move(merged);
  return out;
}

}  // namespace

std::optional<YamlNode> parse_yaml(const std::string& text, const std::string& file, Diagnostics& diagnostics) {
  // Refused at load time, where it is (yaml-cpp would pass it on to the run).
  if (const std::optional<TextPosition> bad = first_invalid_utf8(text)) {
    diagnostics.error({file, bad->line, bad->column}, "invalid UTF-8 (a YAML file must be UTF-8 text)");
    return std::nullopt;
  }
  Diagnostics local;
  TreeBuilder builder(file, text, local);
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    // Stop at the second document (an error): yaml-cpp 0.7 may never run out
    // of them (a stray `,` is an endless series of empty documents).
    while (builder.documents < 2 && parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    SourceLocation where = location(file, e.mark);
    if (where.line == 0) where = {file, 1, 1};
    std::string message = e.msg;
    // yaml-cpp reports an unclosed bracket where it gave up; name the bracket.
    const bool map_flow = e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW;
    if (map_flow || e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
      if (auto open = builder.open_flow(map_flow ? YamlNode::Kind::map : YamlNode::Kind::sequence))
        message += std::string(" (the `") + (map_flow ? "{" : "[") + "` at line " + std::to_string(open->line) +
                   ", column " + std::to_string(open->column) + " is never closed)";
    }
    // A tab indenting the line of the error (or the line before) is the
    // likely cause, though yaml-cpp does not say so: point at the tab.
    for (int line : {where.line, where.line - 1}) {
      if (line < 1) continue;
      if (int column = indenting_tab(text, line)) {
        message = "a tab indents this line; YAML indents with spaces only (parser: " + message + " at line " +
                  std::to_string(where.line) + ", column " + std::to_string(where.column) + ")";
        where = {file, line, column};
        break;
      }
    }
    local.error(where, message);
  }
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  if (!builder.root) {
    YamlNode empty;
    empty.where = {file, 1, 1};
    return empty;
  }
  return std::move(builder.root);
}

std::string ResolvedYaml::resolve_path(const std::string& path, const std::string& file) const {
  auto it = dirs.find(file);
  return resolve_relative(path, it != dirs.end() ? it->second : directory_of(file));
}

ResolvedYaml read_yaml_file(const std::string& path, Diagnostics& diagnostics, const MergeRules& rules) {
  std::string text;
  if (!read_text_file(path, &text)) {
    diagnostics.error({path, 0, 0}, "cannot read scenario file `" + path + "`");
    return {};
  }
  return resolve_text(text, path, directory_of(path), identity_of(path), diagnostics, rules);
}

ResolvedYaml read_yaml_text(const std::string& text, const std::string& name, const std::string& base_dir,
                            Diagnostics& diagnostics, const MergeRules& rules) {
  return resolve_text(text, name, base_dir, identity_of(resolve_relative(name, base_dir)), diagnostics, rules);
}

namespace {

void merge_at(YamlNode& base, const YamlNode& overlay, const MergeRules& rules, bool keep_replaced,
              const std::string& path) {
  const bool whole = !path.empty() && rules.replace_whole && rules.replace_whole(path);
  if (whole || !base.is_map() || !overlay.is_map()) {
    std::shared_ptr<const YamlNode> replaced;
    if (keep_replaced) replaced = std::make_shared<const YamlNode>(std::move(base));
    base = overlay;
    if (keep_replaced) base.replaced = std::move(replaced);
    return;
  }
  const bool null_removes = rules.null_removes && rules.null_removes(path);
  for (const YamlEntry& entry : overlay.entries) {
    auto it = std::find_if(base.entries.begin(), base.entries.end(),
                           [&](const YamlEntry& e) { return e.key == entry.key; });
    if (null_removes && entry.value.is_null() && it != base.entries.end()) {
      base.entries.erase(it);
    } else if (it == base.entries.end()) {
      base.entries.push_back(entry);
    } else {
      it->key_where = entry.key_where;
      merge_at(it->value, entry.value, rules, keep_replaced, path.empty() ? entry.key : path + "." + entry.key);
    }
  }
  base.where = overlay.where;
}

}  // namespace

void merge_yaml(YamlNode& base, const YamlNode& overlay, const MergeRules& rules, bool keep_replaced) {
  merge_at(base, overlay, rules, keep_replaced, "");
}

std::string resolve_relative(const std::string& path, const std::string& dir) {
  std::filesystem::path p(path);
  if (p.is_absolute() || dir.empty()) return p.lexically_normal().string();
  return (std::filesystem::path(dir) / p).lexically_normal().string();
}

std::string directory_of(const std::string& file) {
  return std::filesystem::path(file).parent_path().string();
}

std::optional<bool> parse_boolean(const YamlNode& node) {
  if (!node.is_scalar() || node.quoted) return std::nullopt;
  const std::string& t = node.text;
  if (t == "true" || t == "True" || t == "TRUE") return true;
  if (t == "false" || t == "False" || t == "FALSE") return false;
  return std::nullopt;
}

nlohmann::json yaml_to_json(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null:
      return nullptr;
    case YamlNode::Kind::sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const YamlNode& item : node.items) out.push_back(yaml_to_json(item));
      return out;
    }
    case YamlNode::Kind::map: {
      nlohmann::json out = nlohmann::json::object();
      for (const YamlEntry& e : node.entries) out[e.key] = yaml_to_json(e.value);
      return out;
    }
    case YamlNode::Kind::scalar: {
      if (node.quoted) return node.text;
      if (const auto b = parse_boolean(node)) return *b;
      const std::string& t = node.text;
      if (auto i = parse_integer(t)) return *i;
      if (auto x = parse_number(t)) return *x;
      return t;
    }
  }
  return nullptr;
}

}  // namespace mfgsim
