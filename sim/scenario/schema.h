// The schemas of scenario and batch files as data: every key a file may
// hold, with its type, unit, default, valid range and documentation. Model
// parameters come from the tables of models/parameters.h (never listed
// twice); the structural keys (name, calendar, data, ensemble, ...) are added
// here. The same data drives the schema phase of both readers (check_schema:
// one Checker, so booleans, numbers, names and months follow the same rules
// in both files) and the Markdown reference (schema_markdown,
// scenarios/SCHEMA.md). The batch file's `members`, `seed`, `stochastic` and
// `outputs` are copies of the scenario's keys, so they cannot disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/parameters.h"
#include "sim/core/diagnostics.h"
#include "sim/core/range.h"
#include "sim/core/text.h"
#include "sim/scenario/yaml_tree.h"

namespace mfgsim {

// Every rule below holds wherever the type is used (scenario or batch):
// a quoted scalar is a string, never a number or a boolean.
enum class SchemaType {
  string,            // any scalar
  name,              // [A-Za-z0-9_.-]+
  year_month,        // YYYY-MM
  integer,           // plain whole number, no exponent or point (range in SchemaKey::range)
  number,            // finite number (range in SchemaKey::range)
  boolean,           // true | True | TRUE | false | False | FALSE, unquoted
  schedule,          // a lever: number, steps or ramp
  choice,            // one of SchemaKey::choices
  file,              // a path, relative to the file where it is written
  file_list,         // a path or a list of paths (`extends`)
  file_sequence,     // a list of paths (a batch's `scenarios`)
  section,           // a map with the keys in SchemaKey::children
  sector_overrides,  // sector name -> {column: number}
  map_list,          // list of maps with the keys in SchemaKey::children (null: none)
  uncertain,         // parameter path -> distribution
  outputs,           // `all` or a list of series names
  // parameter path (or any name) -> map with the keys in SchemaKey::children,
  // at least one entry; `low` < `high` when both are given
  parameter_ranges,
  parameter_paths,   // a list of parameter paths (at least one)
  weights,           // target id -> number >= 0
};

struct SchemaKey {
  std::string key;   // as written in its map
  std::string path;  // dotted path from the document root ("" for the root)
  SchemaType type = SchemaType::string;
  bool required = false;
  std::string symbol;  // MODEL.md symbol of a model parameter ("" otherwise)
  std::string unit;
  std::string default_text;  // "" when there is no default
  bool has_range = false;
  ParamRange range;
  std::vector<std::string> choices;
  std::string doc;
  // How the value (map_list, parameter_ranges: one entry) is written, for
  // messages ("expected a list of `{month, sector}`"); the root: "a scenario".
  std::string shape;
  // A map (list item) needs at least one of these keys (none: no rule).
  std::vector<std::string> any_of;
  bool nullable = false;  // a section: null is accepted (drops an inherited block)
  std::vector<SchemaKey> children;  // section keys / keys of a list item or range entry

  const SchemaKey* child(std::string_view name) const;
};

// The root of the scenario schema (a section whose children are the
// top-level keys).
const SchemaKey& scenario_schema();
// The root of the batch file schema (sim/batch/batch.h reads batch files:
// after this schema, its reader only resolves files, checks the cross-key
// rules and generates the sweeps' samples).
const SchemaKey& batch_schema();

// One distribution of the `uncertain:` block and its parameters in the order
// UncertainParam stores them (a, b, c).
struct DistributionSchema {
  const char* name;
  std::vector<std::string> params;
  const char* doc;
};
const std::vector<DistributionSchema>& distribution_schemas();

// NLopt algorithms `calibration.method` (and `mfgsim calibrate --method`)
// accepts: derivative-free ones that honour bounds.
const std::vector<std::string>& calibration_methods();

// Schema phase: types, ranges, required and unknown keys, month formats.
// Reports every problem found into `diagnostics`. The first form checks a
// scenario (scenario_schema()).
void check_schema(const YamlNode& root, Diagnostics& diagnostics);
void check_schema(const SchemaKey& schema, const YamlNode& root, Diagnostics& diagnostics);

// The schema phase of one lever's value (a schedule at `path`): an inherited
// schedule that an extending file's dated schedule keeps before its first
// month is checked with this (the schema phase sees only the merged tree).
void check_schedule(const YamlNode& value, const std::string& path, const ParamRange& range, Diagnostics& diagnostics);

// The value of a node the schema accepted as a boolean (parse_boolean of
// yaml_tree.h: the one reading of true | True | TRUE in every file).
bool schema_boolean(const YamlNode& node);

}  // namespace mfgsim
