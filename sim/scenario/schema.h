// The scenario schema as data: every key a scenario file may hold, with its
// type, unit, default, valid range and documentation. Model parameters come
// from the tables of models/parameters.h (never listed twice); the structural
// keys (name, calendar, data, ensemble, ...) are added here. The same data
// drives the schema phase of the reader (check_schema) and the Markdown
// reference (schema_markdown, scenarios/SCHEMA.md).
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

enum class SchemaType {
  string,            // any scalar
  name,              // [A-Za-z0-9_.-]+
  year_month,        // YYYY-MM
  integer,           // whole number (range in SchemaKey::range)
  number,            // finite number (range in SchemaKey::range)
  boolean,           // true | false
  schedule,          // a lever: number, steps or ramp
  choice,            // one of SchemaKey::choices
  file,              // a path, relative to the file where it is written
  file_list,         // a path or a list of paths (`extends`)
  section,           // a map with the keys in SchemaKey::children
  sector_overrides,  // sector name -> {column: number}
  demonstrations,    // list of maps with the keys in SchemaKey::children
  uncertain,         // parameter path -> distribution
  outputs,           // `all` or a list of series names
  calibration_parameters,  // parameter path (or name with `paths:`) -> {low, high}
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
  std::vector<SchemaKey> children;  // section keys / keys of a list item

  const SchemaKey* child(std::string_view name) const;
};

// The root of the schema (a section whose children are the top-level keys).
const SchemaKey& scenario_schema();

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
// Reports every problem found into `diagnostics`.
void check_schema(const YamlNode& root, Diagnostics& diagnostics);

}  // namespace mfgsim
