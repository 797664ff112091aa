// The schema phase of the readers: one walk over a document, every key
// checked against the schema data of schema.cpp (types, ranges, required and
// unknown keys with a suggestion). Scenario and batch files go through it.
#include "sim/scenario/schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "sim/core/calendar.h"
#include "sim/engine/series.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

namespace {

std::vector<std::string> child_names(const SchemaKey& k) {
  std::vector<std::string> names;
  for (const SchemaKey& c : k.children) names.push_back(c.key);
  return names;
}

std::vector<std::string> sector_columns() {
  std::vector<std::string> names;
  for (const SectorFieldInfo& f : sector_fields()) names.push_back(f.column);
  return names;
}

std::optional<double> parse_bound(const YamlNode& node) {
  if (!node.is_scalar() || node.quoted) return std::nullopt;
  const std::string& t = node.text;
  if (t == "inf" || t == ".inf" || t == "+inf" || t == "+.inf" || t == ".Inf" || t == "+.Inf") return kInf;
  if (t == "-inf" || t == "-.inf" || t == "-.Inf") return -kInf;
  return parse_number(t);
}

std::string join(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (k) out += separator;
    out += names[k];
  }
  return out;
}

class Checker {
 public:
  explicit Checker(Diagnostics& d) : d_(d) {}

  void lever(const YamlNode& v, const std::string& path, const ParamRange& range) { schedule(v, path, range); }

  void section(const SchemaKey& schema, const YamlNode& node, const SourceLocation& named_at,
               const std::string& path) {
    if (node.is_null()) {
      missing(schema, node, named_at, path);
      return;
    }
    if (!node.is_map()) {
      d_.error(node.where, (path.empty() ? schema.shape : "`" + path + "`") + " must be a map of keys, got " +
                               node.describe());
      return;
    }
    const std::vector<std::string> names = child_names(schema);
    for (const YamlEntry& e : node.entries) {
      const SchemaKey* child = schema.child(e.key);
      if (!child) {
        // At the root, the schema's key names the document ("the batch"; "" for a scenario).
        unknown_key(e, path.empty() ? schema.key : "`" + path + "`", names);
        continue;
      }
      value(*child, e.value, e.key_where, join_path(path, e.key));
    }
    missing(schema, node, named_at, path);
  }

 private:
  static std::string join_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
  }

  // `in`: where the key was written ("`lending`", "the batch"; "" at a scenario's root).
  void unknown_key(const YamlEntry& e, const std::string& in, const std::vector<std::string>& names) {
    d_.error(e.key_where, "unknown key `" + e.key + "`" + (in.empty() ? "" : " in " + in) + did_you_mean(e.key, names));
  }

  void missing(const SchemaKey& schema, const YamlNode& node, const SourceLocation& named_at,
               const std::string& path) {
    for (const SchemaKey& c : schema.children)
      if (c.required && !node.find(c.key))
        d_.error(named_at, "missing required key `" + join_path(path, c.key) + "`");
  }

  void value(const SchemaKey& k, const YamlNode& v, const SourceLocation& key_where, const std::string& path) {
    switch (k.type) {
      case SchemaType::string:
      case SchemaType::file:
        if (!v.is_scalar() || (k.type == SchemaType::file && v.text.empty()))
          d_.error(v.where, path + ": expected " + (k.type == SchemaType::file ? "a file path" : "a string") +
                                ", got " + v.describe());
        return;
      case SchemaType::file_list:
        if (v.is_scalar()) return;
        if (v.is_sequence()) {
          for (const YamlNode& item : v.items)
            if (!item.is_scalar()) d_.error(item.where, path + ": expected a file path, got " + item.describe());
          return;
        }
        d_.error(v.where, path + ": expected a file path or a list of file paths, got " + v.describe());
        return;
      case SchemaType::file_sequence:
        if (!v.is_sequence()) {
          d_.error(v.where, path + ": expected a list of file paths, got " + v.describe());
          return;
        }
        for (const YamlNode& item : v.items)
          if (!item.is_scalar() || item.text.empty())
            d_.error(item.where, path + ": expected a file path, got " + item.describe());
        return;
      case SchemaType::name: {
        bool ok = v.is_scalar() && !v.text.empty();
        if (ok)
          for (char c : v.text)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') ok = false;
        if (!ok)
          d_.error(v.where, path + ": expected a name of letters, digits, `_`, `.` and `-`, got " + v.describe());
        return;
      }
      case SchemaType::year_month:
        month(v, path);
        return;
      case SchemaType::integer: return integer(v, path, k.range);
      case SchemaType::number:
        number(v, path, k.range);
        return;
      case SchemaType::boolean:
        if (!parse_boolean(v))
          d_.error(v.where, path + ": expected true or false, got " + v.describe());
        return;
      case SchemaType::schedule: return schedule(v, path, k.range);
      case SchemaType::choice:
        if (!v.is_scalar() || std::find(k.choices.begin(), k.choices.end(), v.text) == k.choices.end())
          d_.error(v.where, path + ": expected one of " + join(k.choices, ", ") + ", got " + v.describe() +
                                (v.is_scalar() ? did_you_mean(v.text, k.choices) : ""));
        return;
      case SchemaType::section:
        if (k.nullable && v.is_null()) return;
        section(k, v, key_where, path);
        return;
      case SchemaType::sector_overrides: return sector_overrides(v, path);
      case SchemaType::map_list: return map_list(k, v, path);
      case SchemaType::uncertain: return uncertain(v, path);
      case SchemaType::outputs: return outputs(v, path);
      case SchemaType::parameter_ranges: return parameter_ranges(k, v, path);
      case SchemaType::parameter_paths: return parameter_paths(v, path);
      case SchemaType::weights: return weights(v, path);
    }
  }

  // The shape of a map (list item or entry) written out: `{a, b, c}`.
  static std::string braces(const SchemaKey& k) {
    return k.shape.empty() ? "`{" + join(child_names(k), ", ") + "}`" : k.shape;
  }

  void parameter_ranges(const SchemaKey& k, const YamlNode& v, const std::string& path) {
    if (!v.is_map() || v.entries.empty()) {
      d_.error(v.where, path + ": expected a map of parameter path -> `{low: x, high: y}` (at least one), got " +
                            v.describe());
      return;
    }
    std::vector<std::string> needed;
    for (const SchemaKey& c : k.children)
      if (c.required) needed.push_back(c.key);
    for (const YamlEntry& e : v.entries) {
      const std::string p = path + "." + e.key;
      if (!keys(e.value, p, child_names(k), needed, braces(k).c_str())) continue;
      for (const YamlEntry& r : e.value.entries)
        if (const SchemaKey* c = k.child(r.key)) value(*c, r.value, r.key_where, p + "." + r.key);
      const YamlNode* low = e.value.find("low");
      const YamlNode* high = e.value.find("high");
      const auto number_of = [](const YamlNode* n) {
        return n && n->is_scalar() && !n->quoted ? parse_number(n->text) : std::nullopt;
      };
      const std::optional<double> lo = number_of(low), hi = number_of(high);
      if (lo && hi && !(*lo < *hi))
        d_.error(high->where, p + ": low must be < high (got low " + low->text + ", high " + high->text + ")");
    }
  }

  void parameter_paths(const YamlNode& v, const std::string& path) {
    if (!v.is_sequence() || v.items.empty()) {
      d_.error(v.where, path + ": expected a list of parameter paths (at least one), got " + v.describe());
      return;
    }
    for (const YamlNode& item : v.items)
      if (!item.is_scalar() || item.text.empty())
        d_.error(item.where, path + ": expected a parameter path, got " + item.describe());
  }

  void weights(const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected a map of target id -> weight, got " + v.describe());
      return;
    }
    for (const YamlEntry& e : v.entries) number(e.value, path + "." + e.key, {0, kInf});
  }

  std::optional<YearMonth> month(const YamlNode& v, const std::string& path) {
    std::optional<YearMonth> ym;
    if (v.is_scalar()) ym = parse_year_month(v.text);
    if (!ym) d_.error(v.where, path + ": expected a month YYYY-MM, got " + v.describe());
    return ym;
  }

  std::optional<double> number(const YamlNode& v, const std::string& path, const ParamRange& range,
                               bool whole = false) {
    std::optional<double> x;
    if (v.is_scalar() && !v.quoted) x = parse_number(v.text);
    if (!x) {
      // A number in quotes: in a Python dict most likely a YAML 1.1 reader's
      // (PyYAML reads 1e-10, without a dot, as text); say how to mend it.
      const bool quoted_number = v.is_scalar() && v.quoted && parse_number(v.text);
      d_.error(v.where, path + ": expected a number, got " + v.describe() +
                            (quoted_number ? " (text, not a number; a YAML 1.1 reader such as PyYAML reads an "
                                             "exponent without a dot, e.g. 1e-10, as text: write 1.0e-10, or pass "
                                             "the file's path)"
                                           : ""));
      return std::nullopt;
    }
    if (whole && std::floor(*x) != *x) {
      d_.error(v.where, path + " must be a whole number (got " + v.text + ")");
      return std::nullopt;
    }
    if (!range.contains(*x)) {
      d_.error(v.where, path + " must be " + range_requirement(range) + " (got " + v.text + ")");
      return std::nullopt;
    }
    return x;
  }

  // Whole numbers are read exactly, from -2^63 to 2^64 - 1 (a seed takes
  // every 64-bit value, kSeedRange); beyond them they are out of range.
  void integer(const YamlNode& v, const std::string& path, const ParamRange& range) {
    std::optional<double> x;
    if (v.is_scalar() && !v.quoted) {
      if (const std::optional<long long> signed_value = parse_integer(v.text)) x = static_cast<double>(*signed_value);
      else if (const std::optional<std::uint64_t> unsigned_value = parse_unsigned(v.text))
        x = static_cast<double>(*unsigned_value);
      else if (parse_number(v.text) && v.text.find_first_not_of("+-0123456789") == std::string::npos) {
        d_.error(v.where, path + " must be " + range_requirement(range) +
                              " and at most 18446744073709551615 = 2^64 - 1 (got " + v.text + ")");
        return;
      }
    }
    if (!x) {
      d_.error(v.where, path + ": expected a whole number, got " + v.describe());
      return;
    }
    if (!range.contains(*x))
      d_.error(v.where, path + " must be " + range_requirement(range) + " (got " + v.text + ")");
  }

  // Checks the keys of a map against `allowed`; reports unknown ones and
  // missing `needed` ones (at the map). Returns false when not a map.
  bool keys(const YamlNode& v, const std::string& path, const std::vector<std::string>& allowed,
            const std::vector<std::string>& needed, const char* what) {
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected " + what + ", got " + v.describe());
      return false;
    }
    for (const YamlEntry& e : v.entries)
      if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end())
        unknown_key(e, "`" + path + "`", allowed);
    for (const std::string& n : needed)
      if (!v.find(n)) d_.error(v.where, path + ": missing required key `" + n + "`");
    return true;
  }

  void schedule(const YamlNode& v, const std::string& path, const ParamRange& range) {
    const char* forms = "a number, a list of `{from: YYYY-MM, value: x}` steps or a "
                        "`{from: YYYY-MM, to: YYYY-MM, start: x, end: y}` ramp";
    if (v.is_scalar()) {
      std::optional<double> x;
      if (!v.quoted) x = parse_number(v.text);
      if (!x) {
        d_.error(v.where, path + ": expected " + std::string(forms) + ", got " + v.describe());
        return;
      }
      number(v, path, range);
      return;
    }
    if (v.is_sequence()) {
      if (v.items.empty()) {
        d_.error(v.where, path + ": a step schedule needs at least one `{from: YYYY-MM, value: x}` entry");
        return;
      }
      std::optional<YearMonth> previous;
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        const YamlNode& item = v.items[i];
        std::string item_path = path + "[" + std::to_string(i) + "]";
        if (!keys(item, item_path, {"from", "value"}, {"from", "value"}, "a `{from: YYYY-MM, value: x}` step")) {
          previous.reset();
          continue;
        }
        if (const YamlNode* value = item.find("value")) number(*value, item_path + ".value", range);
        const YamlNode* from = item.find("from");
        std::optional<YearMonth> ym = from ? month(*from, item_path + ".from") : std::nullopt;
        if (ym && previous && months_between(*previous, *ym) <= 0)
          d_.error(from->where, item_path + ".from: months must be strictly increasing (" +
                                    format_year_month(*ym) + " is not after " + format_year_month(*previous) + ")");
        if (ym) previous = ym;
      }
      return;
    }
    if (v.is_map()) {
      if (v.find("value")) {
        d_.error(v.where, path + ": steps are written as a list: `[{from: YYYY-MM, value: x}, ...]`");
        return;
      }
      if (!keys(v, path, {"from", "to", "start", "end", "before"}, {"from", "to", "start", "end"}, "a ramp")) return;
      if (const YamlNode* before = v.find("before"); before && !(before->is_scalar() && before->text == "start"))
        d_.error(before->where, path + ".before: expected `start` (the ramp holds its start value before `from`, "
                                       "also in a file that extends another), got " + before->describe());
      for (const char* key : {"start", "end"})
        if (const YamlNode* x = v.find(key)) number(*x, path + "." + key, range);
      const YamlNode* from = v.find("from");
      const YamlNode* to = v.find("to");
      std::optional<YearMonth> from_ym = from ? month(*from, path + ".from") : std::nullopt;
      std::optional<YearMonth> to_ym = to ? month(*to, path + ".to") : std::nullopt;
      if (from_ym && to_ym && months_between(*from_ym, *to_ym) <= 0)
        d_.error(to->where, path + ".to must be after " + path + ".from (got " + format_year_month(*to_ym) +
                                ", from " + format_year_month(*from_ym) + ")");
      return;
    }
    d_.error(v.where, path + ": expected " + std::string(forms) + ", got " + v.describe());
  }

  void sector_overrides(const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected a map of sector name -> {column: value}, got " + v.describe());
      return;
    }
    const std::vector<std::string> columns = sector_columns();
    for (const YamlEntry& sector : v.entries) {
      std::string sector_path = path + "." + sector.key;
      if (sector.value.is_null()) continue;
      if (!sector.value.is_map()) {
        d_.error(sector.value.where, sector_path + ": expected a map of column -> value, got " + sector.value.describe());
        continue;
      }
      for (const YamlEntry& e : sector.value.entries) {
        const SectorFieldInfo* field = find_sector_field(e.key);
        if (!field) {
          d_.error(e.key_where, "unknown column `" + e.key + "` in `" + sector_path + "`" +
                                    (e.key == "name" ? std::string(" (a sector's name cannot be overridden)")
                                                     : did_you_mean(e.key, columns)));
          continue;
        }
        number(e.value, sector_path + "." + e.key, field->range, field->integer);
      }
    }
  }

  void map_list(const SchemaKey& k, const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_sequence()) {
      d_.error(v.where, path + ": expected a list of " + braces(k) + ", got " + v.describe());
      return;
    }
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      const YamlNode& item = v.items[i];
      std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!item.is_map()) {
        d_.error(item.where, item_path + ": expected a map " + braces(k) + ", got " + item.describe());
        continue;
      }
      section(k, item, item.where, item_path);
      any_of(k, item, item_path);
    }
  }

  // "give `national`, `provincial` or both"
  void any_of(const SchemaKey& k, const YamlNode& v, const std::string& path) {
    if (k.any_of.empty()) return;
    for (const std::string& key : k.any_of)
      if (v.find(key)) return;
    std::string keys;
    for (std::size_t i = 0; i < k.any_of.size(); ++i)
      keys += std::string(i == 0 ? "" : i + 1 == k.any_of.size() ? " or " : ", ") + "`" + k.any_of[i] + "`";
    d_.error(v.where, path + ": give " + (k.any_of.size() == 2 ? "`" + k.any_of[0] + "`, `" + k.any_of[1] + "` or both"
                                                               : "at least one of " + keys));
  }

  void uncertain(const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected a map of parameter path -> distribution, got " + v.describe());
      return;
    }
    std::vector<std::string> dist_names;
    for (const auto& d : distribution_schemas()) dist_names.push_back(d.name);
    for (const YamlEntry& e : v.entries) {
      std::string p = path + "." + e.key;
      const YamlNode& spec = e.value;
      if (spec.is_null()) {
        // Null entries that removed an inherited draw are gone after `extends`.
        d_.error(spec.where.line ? spec.where : e.key_where,
                 p + ": null removes an inherited draw, but no file this one extends draws `" + e.key + "`");
        continue;
      }
      if (!spec.is_map()) {
        d_.error(spec.where, p + ": expected a distribution `{dist: normal, mean: x, sd: y}`, got " + spec.describe());
        continue;
      }
      const YamlNode* dist = spec.find("dist");
      if (!dist) {
        d_.error(spec.where, p + ": missing required key `dist` (one of " + join(dist_names, ", ") + ")");
        continue;
      }
      const DistributionSchema* schema = nullptr;
      for (const auto& d : distribution_schemas())
        if (dist->is_scalar() && dist->text == d.name) schema = &d;
      if (!schema) {
        d_.error(dist->where, p + ".dist: expected one of " + join(dist_names, ", ") + ", got " + dist->describe() +
                                  (dist->is_scalar() ? did_you_mean(dist->text, dist_names) : ""));
        continue;
      }
      std::vector<std::string> allowed = schema->params;
      allowed.push_back("dist");
      allowed.push_back("bounds");
      keys(spec, p, allowed, schema->params, "a distribution");
      std::map<std::string, double> x;
      bool ok = true;
      for (const std::string& name : schema->params) {
        const YamlNode* node = spec.find(name);
        if (!node) {
          ok = false;
          continue;
        }
        auto value = number(*node, p + "." + name, ParamRange{});
        if (value) x[name] = *value;
        else ok = false;
      }
      double support_lo = -kInf, support_hi = kInf;
      if (ok) {
        std::string name = schema->name;
        if (name == "normal" && !(x["sd"] > 0))
          d_.error(spec.find("sd")->where, p + ".sd must be > 0 (got " + spec.find("sd")->text + ")");
        if (name == "lognormal") {
          support_lo = 0;
          if (!(x["sigma"] > 0))
            d_.error(spec.find("sigma")->where, p + ".sigma must be > 0 (got " + spec.find("sigma")->text + ")");
        }
        if (name == "uniform" || name == "triangular") {
          support_lo = x["low"];
          support_hi = x["high"];
          if (!(x["low"] < x["high"]))
            d_.error(spec.find("high")->where, p + ": low must be < high (got low " + spec.find("low")->text +
                                                   ", high " + spec.find("high")->text + ")");
          else if (name == "triangular" && !(x["low"] <= x["mode"] && x["mode"] <= x["high"]))
            d_.error(spec.find("mode")->where, p + ".mode must be in [low, high] = [" + spec.find("low")->text +
                                                   ", " + spec.find("high")->text + "] (got " +
                                                   spec.find("mode")->text + ")");
        }
      }
      if (const YamlNode* bounds = spec.find("bounds")) {
        std::optional<double> lo, hi;
        if (bounds->is_sequence() && bounds->items.size() == 2) {
          lo = parse_bound(bounds->items[0]);
          hi = parse_bound(bounds->items[1]);
        }
        if (!lo || !hi) {
          d_.error(bounds->where, p + ".bounds: expected `[lo, hi]` (two numbers; `-inf`, `inf` allowed), got " +
                                      bounds->describe());
        } else if (!(*lo < *hi)) {
          d_.error(bounds->where, p + ".bounds: lo must be < hi (got [" + format_number(*lo) + ", " +
                                      format_number(*hi) + "])");
        } else if (ok && !(std::max(*lo, support_lo) < std::min(*hi, support_hi))) {
          d_.error(bounds->where, p + ".bounds [" + format_number(*lo) + ", " + format_number(*hi) +
                                      "] do not intersect the distribution's support " +
                                      format_range({support_lo, support_hi, false, false}));
        }
      }
    }
  }

  void outputs(const YamlNode& v, const std::string& path) {
    const std::vector<std::string> names = all_series_names();
    if (v.is_scalar() && v.text == "all") return;
    if (v.is_sequence()) {
      if (v.items.empty())
        d_.error(v.where, path + ": an empty list would report nothing; write `all` or name at least one series");
      for (auto item = v.items.begin(); item != v.items.end(); ++item) {
        if (!item->is_scalar()) {
          d_.error(item->where, path + ": expected a series name, got " + item->describe());
        } else if (!is_known_series(item->text)) {
          d_.error(item->where, "unknown output series `" + item->text + "`" + did_you_mean(item->text, names));
        } else if (auto first = std::find_if(v.items.begin(), item,
                                             [&](const YamlNode& earlier) { return earlier.text == item->text; });
                   first != item) {
          // As `--outputs va,va` is refused: a repeat is a slip, and reporting
          // the series once would silently drop what the user wrote.
          d_.error(item->where, path + ": `" + item->text + "` is listed twice (first at line " +
                                    std::to_string(first->where.line) + ", column " +
                                    std::to_string(first->where.column) + "); list each series once");
        }
      }
      return;
    }
    d_.error(v.where, path + ": expected `all` or a list of series names, got " + v.describe());
  }

  Diagnostics& d_;
};

}  // namespace

void check_schema(const SchemaKey& schema, const YamlNode& root, Diagnostics& diagnostics) {
  Checker checker(diagnostics);
  SourceLocation named_at = root.where;
  if (named_at.line == 0) named_at = {root.where.file, 1, 1};
  checker.section(schema, root, named_at, "");
}

void check_schema(const YamlNode& root, Diagnostics& diagnostics) { check_schema(scenario_schema(), root, diagnostics); }

void check_schedule(const YamlNode& value, const std::string& path, const ParamRange& range, Diagnostics& diagnostics) {
  Checker(diagnostics).lever(value, path, range);
}

}  // namespace mfgsim
