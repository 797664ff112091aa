#include "sim/scenario/data_tables.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "models/parameters.h"

namespace mfgsim {
namespace {

const std::string kSource = MFGSIM_SOURCE_DIR;

// A file's text with line ends normalised to "\n" (tests edit lines).
std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  std::erase(text, '\r');
  return text;
}

// The shipped sector table with one line replaced (1-based line, whole line).
std::string shipped_with(int line_number, const std::string& replacement) {
  std::istringstream in(read(kSource + "/data/sectors.csv"));
  std::string out, line;
  for (int n = 1; std::getline(in, line); ++n) out += (n == line_number ? replacement : line) + "\n";
  return out;
}

std::string shipped_line(int line_number) {
  std::istringstream in(read(kSource + "/data/sectors.csv"));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (n == line_number) return line;
  return "";
}

// 1-based character column of the k-th field (0-based) of a CSV line.
int field_column(const std::string& line, int k) {
  int column = 1;
  for (int i = 0; i < k; ++i) column = static_cast<int>(line.find(',', column - 1)) + 2;
  return column;
}

std::vector<std::string> errors(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d.items()) out.push_back(x.format());
  return out;
}

TEST(DataTables, ShippedSectorTable) {
  Diagnostics d;
  auto table = read_sector_table(kSource + "/data/sectors.csv", d);
  ASSERT_TRUE(table) << d.format();
  const SectorTable& t = table->table;
  ASSERT_EQ(t.size(), 10);
  EXPECT_EQ(t.names[0], "coal_mining");
  EXPECT_EQ(t.names[9], "other_manufacturing");
  EXPECT_EQ(table->row_lines[0], 2);
  EXPECT_EQ(table->row_lines[9], 11);
  EXPECT_DOUBLE_EQ(t.V0[0], 627);
  EXPECT_DOUBLE_EQ(t.firms[9], 1550);
  EXPECT_DOUBLE_EQ(t.shock_beta[1], 0.6);
  for (const SectorFieldInfo& f : sector_fields()) EXPECT_EQ((t.*f.field).size(), 10u) << f.column;
}

TEST(DataTables, ColumnsInAnyOrder) {
  // Reverse the column order of the shipped file: the same table.
  std::istringstream in(read(kSource + "/data/sectors.csv"));
  std::string line, reversed;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream ls(line);
    std::string f;
    while (std::getline(ls, f, ',')) fields.push_back(f);
    for (std::size_t k = fields.size(); k-- > 0;) reversed += fields[k] + (k ? "," : "\n");
  }
  Diagnostics d1, d2;
  auto a = parse_sector_table(read(kSource + "/data/sectors.csv"), "a.csv", d1);
  auto b = parse_sector_table(reversed, "b.csv", d2);
  ASSERT_TRUE(a && b) << d1.format() << d2.format();
  EXPECT_EQ(a->table.names, b->table.names);
  for (const SectorFieldInfo& f : sector_fields()) EXPECT_EQ(a->table.*f.field, b->table.*f.field) << f.column;
}

TEST(DataTables, UnknownAndMissingColumns) {
  std::string header = shipped_line(1);
  std::string bad = header;
  bad.replace(bad.find(",tfp_gain,"), 10, ",tfp_gian,");
  Diagnostics d;
  EXPECT_FALSE(parse_sector_table(shipped_with(1, bad), "s.csv", d));
  std::vector<std::string> e = errors(d);
  ASSERT_EQ(e.size(), 2u) << d.format();
  int column = static_cast<int>(bad.find("tfp_gian")) + 1;
  EXPECT_EQ(e[0], "s.csv:1:" + std::to_string(column) + ": error: unknown column `tfp_gian` (did you mean `tfp_gain`?)");
  EXPECT_EQ(e[1], "s.csv:1:1: error: missing column `tfp_gain`");
}

TEST(DataTables, DuplicateColumn) {
  Diagnostics d;
  EXPECT_FALSE(parse_sector_table(shipped_with(1, shipped_line(1) + ",v"), "s.csv", d));
  ASSERT_GE(d.items().size(), 1u);
  EXPECT_NE(d.items()[0].message.find("duplicate column `v`"), std::string::npos);
  EXPECT_EQ(d.items()[0].where.column, static_cast<int>(shipped_line(1).size()) + 2);
}

TEST(DataTables, BadValuesHaveLineAndColumn) {
  // Line 8 is `equipment`; field 4 is V0, field 5 v, field 26 firms.
  std::string line = shipped_line(8);
  ASSERT_EQ(line.rfind("equipment,", 0), 0u);
  std::vector<std::string> fields;
  {
    std::stringstream ls(line);
    std::string f;
    while (std::getline(ls, f, ',')) fields.push_back(f);
  }
  fields[3] = "abc";   // V0
  fields[4] = "1.5";   // v in (0, 1]
  fields[26] = "2.5";  // firms: integer
  std::string bad;
  for (std::size_t k = 0; k < fields.size(); ++k) bad += (k ? "," : "") + fields[k];
  Diagnostics d;
  EXPECT_FALSE(parse_sector_table(shipped_with(8, bad), "s.csv", d));
  std::vector<std::string> e = errors(d);
  ASSERT_EQ(e.size(), 3u) << d.format();
  EXPECT_EQ(e[0], "s.csv:8:" + std::to_string(field_column(bad, 3)) + ": error: column `V0`: expected a number, got 'abc'");
  EXPECT_EQ(e[1], "s.csv:8:" + std::to_string(field_column(bad, 4)) + ": error: column `v` must be in (0, 1] (got 1.5)");
  EXPECT_EQ(e[2], "s.csv:8:" + std::to_string(field_column(bad, 26)) +
                      ": error: column `firms` must be a whole number (got 2.5)");
}

TEST(DataTables, FieldCountAndNames) {
  Diagnostics d;
  std::string short_line = shipped_line(3).substr(0, shipped_line(3).rfind(','));
  EXPECT_FALSE(parse_sector_table(shipped_with(3, short_line), "s.csv", d));
  ASSERT_EQ(d.items().size(), 1u) << d.format();
  EXPECT_EQ(d.items()[0].where.line, 3);
  EXPECT_NE(d.items()[0].message.find("expected 31 fields, got 30"), std::string::npos);

  Diagnostics d2;
  // Line 3 is utilities: name line 4 the same.
  std::string line4 = shipped_line(4);
  line4.replace(0, line4.find(','), "utilities");
  EXPECT_FALSE(parse_sector_table(shipped_with(4, line4), "s.csv", d2));
  ASSERT_EQ(d2.items().size(), 1u) << d2.format();
  EXPECT_EQ(d2.items()[0].format(), "s.csv:4:1: error: duplicate sector `utilities` (first at line 3)");

  Diagnostics d3;
  std::string line5 = shipped_line(5);
  line5.replace(0, line5.find(','), "bad.name");
  EXPECT_FALSE(parse_sector_table(shipped_with(5, line5), "s.csv", d3));
  ASSERT_EQ(d3.items().size(), 1u) << d3.format();
  EXPECT_NE(d3.items()[0].message.find("letters, digits"), std::string::npos);
}

TEST(DataTables, EmptySectorName) {
  std::string line3 = shipped_line(3);
  line3.erase(0, line3.find(','));
  Diagnostics d;
  EXPECT_FALSE(parse_sector_table(shipped_with(3, line3), "s.csv", d));
  EXPECT_EQ(errors(d), std::vector<std::string>{"s.csv:3:1: error: empty sector name (every row names its sector in "
                                                "column `name`)"});
}

TEST(DataTables, LocationsOfValuesAndColumns) {
  Diagnostics d;
  auto table = parse_sector_table(read(kSource + "/data/sectors.csv"), "s.csv", d);
  ASSERT_TRUE(table) << d.format();
  // Sector 6 (equipment) is on line 8; firms is field 26.
  auto text = [](const SourceLocation& w) {
    return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
  };
  EXPECT_EQ(text(table->location("s.csv", 6, "firms")), "s.csv:8:" + std::to_string(field_column(shipped_line(8), 26)));
  EXPECT_EQ(text(table->location("s.csv", -1, "firms")), "s.csv:1:" + std::to_string(field_column(shipped_line(1), 26)));
  EXPECT_EQ(text(table->location("s.csv", 0, "name")), "s.csv:2:1");
}

TEST(DataTables, QuotesBlankLinesCrlfAndBom) {
  std::string text = "\xEF\xBB\xBF" + shipped_line(1) + "\r\n\r\n";
  std::string row = shipped_line(2);
  row.replace(0, row.find(','), "\"coal_mining\"");
  text += row + "\r\n";
  Diagnostics d;
  auto t = parse_sector_table(text, "s.csv", d);
  ASSERT_TRUE(t) << d.format();
  EXPECT_EQ(t->table.names, std::vector<std::string>{"coal_mining"});
  EXPECT_EQ(t->row_lines[0], 3);
}

TEST(DataTables, EmptyTables) {
  Diagnostics d;
  EXPECT_FALSE(parse_sector_table("", "s.csv", d));
  EXPECT_EQ(d.items().at(0).format(),
            "s.csv:1:1: error: the sector table is empty (expected a header line and one row per sector)");
  Diagnostics d2;
  EXPECT_FALSE(parse_sector_table(shipped_line(1) + "\n", "s.csv", d2));
  EXPECT_EQ(d2.items().at(0).format(), "s.csv:1:1: error: the sector table has no sectors");
}

TEST(DataTables, MissingFileReportsTheReference) {
  Diagnostics d;
  EXPECT_FALSE(read_sector_table("/nonexistent.csv", d, {"x.yaml", 3, 12}));
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].format(), "x.yaml:3:12: error: cannot read sector table `/nonexistent.csv`");
  Diagnostics d2;
  EXPECT_FALSE(read_io_table("/nonexistent.csv", {"a"}, d2));
  EXPECT_EQ(d2.items().at(0).format(), "/nonexistent.csv: error: cannot read input-output table `/nonexistent.csv`");
}

// ---- input-output table ---------------------------------------------------------

const std::vector<std::string> kSectors = {"a", "b", "c"};

// The diagnostics of an input-output table over kSectors that must not parse.
std::vector<std::string> io_errors(const std::string& csv) {
  Diagnostics d;
  EXPECT_FALSE(parse_io_table(csv, "io.csv", kSectors, d));
  return errors(d);
}

TEST(DataTables, IoLayoutGivesEachSectorsColumnAndRow) {
  IoTableLayout layout;
  Diagnostics d;
  ASSERT_TRUE(parse_io_table("supplier,c,a,b\nb,0,0,0\n\na,0,0,0\nc,0,0,0\n", "io.csv", kSectors, d, &layout))
      << d.format();
  EXPECT_EQ(layout.header_line, 1);
  EXPECT_EQ(layout.column_of_sector, (std::vector<int>{12, 14, 10}));  // a, b, c
  EXPECT_EQ(layout.row_line_of_sector, (std::vector<int>{4, 2, 5}));
}

TEST(DataTables, IoTableIsReorderedToSectorOrder) {
  const std::string text =
      "supplier,c,a,b\n"
      "b,0.23,0.21,0.22\n"
      "a,0.13,0.11,0.12\n"
      "c,0.33,0.31,0.32\n";
  Diagnostics d;
  auto A = parse_io_table(text, "io.csv", kSectors, d);
  ASSERT_TRUE(A) << d.format();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) EXPECT_DOUBLE_EQ((*A)(i, j), 0.1 * (i + 1) + 0.01 * (j + 1)) << i << "," << j;
}

TEST(DataTables, ShippedIoTable) {
  Diagnostics d;
  auto sectors = read_sector_table(kSource + "/data/sectors.csv", d);
  ASSERT_TRUE(sectors);
  auto A = read_io_table(kSource + "/data/io_coefficients.csv", sectors->table.names, d);
  ASSERT_TRUE(A) << d.format();
  const auto& names = sectors->table.names;
  auto index = [&](const char* n) { return static_cast<int>(std::find(names.begin(), names.end(), n) - names.begin()); };
  EXPECT_DOUBLE_EQ((*A)(index("metallurgy"), index("equipment")), 0.15);
  EXPECT_DOUBLE_EQ((*A)(index("equipment"), index("equipment")), 0.20);
  EXPECT_DOUBLE_EQ((*A)(index("coal_mining"), index("coking_petroleum")), 0.45);
}

TEST(DataTables, IoHeaderErrors) {
  EXPECT_EQ(io_errors("sector,a,bb,c\na,0,0,0\nb,0,0,0\nc,0,0,0\n"), std::vector<std::string>({
      "io.csv:1:1: error: the first column must be `supplier` (got 'sector')",
      "io.csv:1:10: error: unknown sector `bb` (did you mean `b`?)",
      "io.csv:1:1: error: missing column for sector `b`"}));
}

TEST(DataTables, IoRowErrors) {
  EXPECT_EQ(io_errors("supplier,a,b,c\na,0,-0.1,0\nd,0,0,0\nc,0,x,inf\na,0,0,0\n"), std::vector<std::string>({
      "io.csv:2:5: error: input coefficient a -> b must be >= 0 (got -0.1)",
      "io.csv:3:1: error: unknown sector `d`",
      "io.csv:4:5: error: expected a number, got 'x'",
      "io.csv:4:7: error: expected a number, got 'inf'",
      "io.csv:5:1: error: duplicate row for sector `a` (first at line 2)",
      "io.csv:1:1: error: missing row for sector `b`"}));
}

TEST(DataTables, IoFieldCount) {
  EXPECT_EQ(io_errors("supplier,a,b,c\na,0,0\nb,0,0,0\nc,0,0,0,0\n"), std::vector<std::string>({
      "io.csv:2:6: error: expected 4 fields, got 3",
      "io.csv:4:9: error: expected 4 fields, got 5",
      "io.csv:1:1: error: missing row for sector `a`",
      "io.csv:1:1: error: missing row for sector `c`"}));
}

}  // namespace
}  // namespace mfgsim
