#pragma once
// The machinery every CSV import shares (invoices in invoice_csv.h, bank lines in
// bank_csv.h): bytes in Latin-1, Windows-1252 or UTF-8 turned into UTF-8 with glibc's iconv,
// the separator detected (`,` `;` or tab) or configured, RFC 4180 records (quoted fields,
// doubled quotes, line breaks inside quotes, CRLF or LF), a header whose columns are found by
// name, and cells read as amounts and dates with errors that name the line, the field and what
// was expected: `line 14: amount "1.234,5x" is not a number`. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "reconcile/calendar.h"
#include "reconcile/money.h"

namespace stripeline::reconcile {

enum class Charset { kAuto, kUtf8, kLatin1, kWindows1252 };
std::string_view Name(Charset charset);  // "auto", "utf-8", "latin-1", "windows-1252"
Result<Charset> ParseCharset(std::string_view name);

// `bytes` as UTF-8, a UTF-8 byte-order mark dropped. kAuto takes bytes that are valid UTF-8 as
// UTF-8 and anything else as Windows-1252 (Latin-1 plus €, „ and the like in 0x80-0x9F, which
// is what "Latin-1" exports of German banks and tools hold). The error names the line.
Result<std::string> DecodeText(std::string_view bytes, Charset charset);

// How a delimited file is written; what is not set is detected.
struct DelimitedFormat {
  std::optional<char> separator;  // ',', ';' or '\t'; detected from the header line if unset
  Charset charset = Charset::kAuto;
  // Unset: a comma when the separator is ';' (the German convention), else a point.
  std::optional<DecimalMark> decimal_mark;
  DateFormat date_format = DateFormat::kAuto;
  int lines_before_header = 0;  // preamble lines some banks write above the header
};

struct DelimitedRow {
  int line = 0;  // where the record starts in the file, from 1
  std::vector<std::string> cells;
};

class DelimitedTable {
 public:
  // The table of `bytes`; an error names the line: a quoted field never closed, text after a
  // closing quote, a record with another number of fields than the header, an empty file.
  static Result<DelimitedTable> Parse(std::string_view bytes, const DelimitedFormat& format);

  char separator() const { return separator_; }
  DecimalMark decimal_mark() const { return decimal_mark_; }
  DateFormat date_format() const { return date_format_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<DelimitedRow>& rows() const { return rows_; }

  // The position of the column named `column` (trimmed, case-insensitive) that holds `field`;
  // the error names both and lists the header: `column "Betrag" for amount is not in the
  // header (Datum, Text, Wert)`.
  Result<size_t> Column(std::string_view field, std::string_view column) const;
  // As Column, for a column that may be left out: nullopt when `column` is empty.
  Result<std::optional<size_t>> OptionalColumn(std::string_view field,
                                               std::string_view column) const;

  // A cell read as `field`, the error prefixed with the row's line and the field's name.
  Result<std::int64_t> Amount(const DelimitedRow& row, size_t column, std::string_view field,
                              std::string_view currency) const;
  Result<Date> DateAt(const DelimitedRow& row, size_t column, std::string_view field) const;
  Result<std::string> CurrencyAt(const DelimitedRow& row, size_t column,
                                 std::string_view field) const;
  // The cell, trimmed; an error when it is empty and the field is required.
  Result<std::string> Text(const DelimitedRow& row, size_t column, std::string_view field) const;

 private:
  char separator_ = ',';
  DecimalMark decimal_mark_ = DecimalMark::kPoint;
  DateFormat date_format_ = DateFormat::kAuto;
  std::vector<std::string> header_;
  std::vector<DelimitedRow> rows_;
};

// Where the rows' currency comes from: a column, or one currency for the whole file.
class CurrencySource {
 public:
  // The column named `column` (empty: none) or else `default_currency`; an error when the
  // column is missing from the header or neither is given.
  static Result<CurrencySource> Of(const DelimitedTable& table, std::string_view column,
                                   std::string_view default_currency);
  // The currency of `row`: its cell, or the default.
  Result<std::string> At(const DelimitedTable& table, const DelimitedRow& row) const;

 private:
  std::optional<size_t> column_;
  std::string default_currency_;
};

// "line 14: " + what.message(): the error of a cell, for readers that check more than a cell.
Status LineError(int line, std::string_view what);

}  // namespace stripeline::reconcile
