// sim/io/csv.h: RFC 4180 quoting both ways, field positions (1-based line
// and character column), blank lines, and the errors at their place.
#include "sim/io/csv.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

// Each field as "text@column", a row as "line: f1 | f2 ...".
std::vector<std::string> layout(std::string_view text, Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const CsvRow& row : split_csv(text, "t.csv", diagnostics)) {
    std::string line = std::to_string(row.line) + ":";
    for (const CsvField& f : row.fields) line += " " + f.text + "@" + std::to_string(f.column);
    out.push_back(line);
  }
  return out;
}

TEST(Csv, FieldsAndTheirPositions) {
  Diagnostics d;
  EXPECT_EQ(layout("a,b,c\n\n  x , \"y,z\" ,\r\n", d),
            (std::vector<std::string>{"1: a@1 b@3 c@5", "3: x@3 y,z@7 @14"}));
  EXPECT_TRUE(d.ok()) << d.format();
}

TEST(Csv, QuotesBomAndUtf8Columns) {
  Diagnostics d;
  // RFC 4180: "" inside quotes is one quote; the BOM is skipped; columns
  // count characters, not bytes (é is two bytes).
  EXPECT_EQ(layout("\xEF\xBB\xBF\"say \"\"hi\"\"\",\xC3\xA9t\xC3\xA9,z", d),
            (std::vector<std::string>{"1: say \"hi\"@1 \xC3\xA9t\xC3\xA9@14 z@18"}));
  EXPECT_TRUE(d.ok()) << d.format();
}

TEST(Csv, ErrorsAtTheirPlace) {
  Diagnostics d;
  split_csv("a,b\nx,\"open\n", "t.csv", d);
  EXPECT_EQ(d.format(), "t.csv:2:3: error: unterminated quoted field\n");
  Diagnostics later;  // an opening quote on the third line of a row: its own line
  split_csv("a,b\n1,\"two\nlines\",\"x\n", "t.csv", later);
  EXPECT_EQ(later.format(), "t.csv:3:8: error: unterminated quoted field\n");
  Diagnostics after;
  split_csv("\"q\"x,1", "t.csv", after);
  EXPECT_EQ(after.format(), "t.csv:1:1: error: text after a quoted field\n");
}

// Issue 12, item 5: one reader for every table, RFC 4180 line breaks.
TEST(Csv, CrlfLfAndCrGiveTheSameRows) {
  Diagnostics d;
  const std::vector<std::string> lf = layout("name,x\nsteel,1\n\ncoal,\"2\"\n", d);
  EXPECT_EQ(lf, (std::vector<std::string>{"1: name@1 x@6", "2: steel@1 1@7", "4: coal@1 2@6"}));
  EXPECT_EQ(layout("name,x\r\nsteel,1\r\n\r\ncoal,\"2\"\r\n", d), lf);
  EXPECT_EQ(layout("\xEF\xBB\xBFname,x\r\nsteel,1\r\n\r\ncoal,\"2\"", d), lf);
  EXPECT_EQ(layout("name,x\rsteel,1\r\rcoal,\"2\"\r", d), lf);
  EXPECT_TRUE(d.ok()) << d.format();
}

TEST(Csv, QuotedFieldsHoldLineBreaks) {
  Diagnostics d;
  const auto rows = split_csv("id,note\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n2,\"a\nb\"\n3,x", "t.csv", d);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].fields[1].text, "two\r\nlines, \"quoted\"");
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(rows[2].fields[1].text, "a\nb");
  EXPECT_EQ(rows[3].line, 6);
  EXPECT_TRUE(d.ok()) << d.format();
}

TEST(Csv, FedInPiecesGivesTheSameRows) {
  const std::string text = "\xEF\xBB\xBF\"a\"\"b\",\xC3\xA9\r\n\"x\r\ny\",2\r\n\r\nz,\xF0\x9F\x99\x82\r\n";
  Diagnostics whole_d;
  const std::vector<std::string> whole = layout(text, whole_d);
  ASSERT_EQ(whole.size(), 3u);
  for (std::size_t size = 1; size <= text.size(); ++size) {
    Diagnostics d;
    std::vector<std::string> pieces;
    CsvReader reader("t.csv", d, [&](CsvRow& row) {
      std::string line = std::to_string(row.line) + ":";
      for (const CsvField& f : row.fields) line += " " + f.text + "@" + std::to_string(f.column);
      pieces.push_back(line);
    });
    for (std::size_t k = 0; k < text.size(); k += size) reader.feed(std::string_view(text).substr(k, size));
    reader.finish();
    EXPECT_EQ(pieces, whole) << "pieces of " << size;
    EXPECT_TRUE(d.ok()) << d.format();
  }
}

TEST(Csv, InvalidUtf8IsAnErrorAtItsPlace) {
  Diagnostics d;
  split_csv("name,x\nst\xC3\xA9" "el,\xFF" "1\nok,\xFE\n", "t.csv", d);
  EXPECT_EQ(d.format(), "t.csv:2:7: error: invalid UTF-8 (a CSV file must be UTF-8 text)\n");  // once per file
  Diagnostics cut;
  split_csv("a,b\n1,\xE2\x82", "t.csv", cut);
  EXPECT_EQ(cut.format(), "t.csv:2:3: error: invalid UTF-8: the last character is cut short\n");
  Diagnostics bom;  // two bytes of a byte order mark and nothing else
  split_csv("\xEF\xBB", "t.csv", bom);
  EXPECT_EQ(bom.format(), "t.csv:1:1: error: invalid UTF-8: the last character is cut short\n");
}

TEST(Csv, FieldQuotingRoundTrips) {
  EXPECT_EQ(csv_field("plain text"), "plain text");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  const std::string hard = "x, \"y\"";
  Diagnostics d;
  const auto rows = split_csv(csv_field(hard) + "," + csv_field("z"), "t.csv", d);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].fields.size(), 2u);
  EXPECT_EQ(rows[0].fields[0].text, hard);
  EXPECT_EQ(rows[0].fields[1].text, "z");
}

TEST(Csv, ParseDoubleWholeFieldFiniteOnly) {
  double x = -1.0;
  EXPECT_TRUE(parse_double("2.5e-3", &x));
  EXPECT_EQ(x, 2.5e-3);
  for (const char* bad : {"", "1.5x", "inf", "nan", "1e999", " "}) {
    x = 7.0;
    EXPECT_FALSE(parse_double(bad, &x)) << bad;
    EXPECT_EQ(x, 7.0) << bad;
  }
}

TEST(Csv, ReadCsvFileReportsAnUnreadablePath) {
  Diagnostics d;
  const auto parsed = read_csv_file("/nonexistent/mfgsim.csv", d, "cannot read the file",
                                    [](std::string_view, const std::string&, Diagnostics&) {
                                      return std::optional<int>(1);
                                    });
  EXPECT_FALSE(parsed.has_value());
  EXPECT_EQ(d.format(), "/nonexistent/mfgsim.csv: error: cannot read the file\n");
}

}  // namespace
}  // namespace mfgsim
