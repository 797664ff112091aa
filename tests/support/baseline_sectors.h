// The sectors of the shipped data/sectors.csv, for tests whose scenarios
// override a parameter in every one of them.
#pragma once

#include <string>

namespace mfgsim::test_support {

// A `sector_overrides:` block giving each shipped sector `value` (YAML
// flow mapping, e.g. "{firms: 5000}"), one line a sector.
inline std::string overrides_for_every_sector(const std::string& value) {
  std::string text = "sector_overrides:\n";
  for (const char* sector : {"coal_mining", "utilities", "coking_petroleum", "chemicals", "metallurgy",
                             "building_materials", "equipment", "env_protection_equipment", "transport_nev",
                             "other_manufacturing"})
    text += std::string("  ") + sector + ": " + value + "\n";
  return text;
}

}  // namespace mfgsim::test_support
