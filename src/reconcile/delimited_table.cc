#include "reconcile/delimited_table.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>

#include "common/text.h"
#include "common/utf8.h"
#include "reconcile/enum_names.h"

namespace stripeline::reconcile {
namespace {

constexpr NameTable<Charset, 4> kCharsets{{{Charset::kAuto, "auto"},
                                           {Charset::kUtf8, "utf-8"},
                                           {Charset::kLatin1, "latin-1"},
                                           {Charset::kWindows1252, "windows-1252"}}};

int LineAt(std::string_view text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// iconv's handle, closed when it goes.
struct IconvCloser {
  void operator()(void* handle) const { iconv_close(static_cast<iconv_t>(handle)); }
};

Result<std::string> ConvertToUtf8(std::string_view bytes, const char* from) {
  iconv_t opened = iconv_open("UTF-8", from);
  if (opened == reinterpret_cast<iconv_t>(-1)) {
    return Status::Internal(std::string("iconv cannot convert from ") + from);
  }
  std::unique_ptr<void, IconvCloser> handle(opened);
  std::string out(bytes.size() * 3 + 4, '\0');  // a byte becomes at most 3 UTF-8 bytes
  char* in_at = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_at = out.data();
  size_t out_left = out.size();
  if (iconv(opened, &in_at, &in_left, &out_at, &out_left) == static_cast<size_t>(-1)) {
    const size_t offset = bytes.size() - in_left;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(bytes[offset]));
    return Status::InvalidArgument("line " + std::to_string(LineAt(bytes, offset)) + ": byte " +
                                   byte + " is not a character of " + from);
  }
  out.resize(out.size() - out_left);
  return out;
}

// Counts `candidate` in the first record, outside quotes.
size_t CountOutsideQuotes(std::string_view text, char candidate) {
  size_t count = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n')) break;
    if (!quoted && c == candidate) ++count;
  }
  return count;
}

}  // namespace

std::string_view Name(Charset charset) { return NameIn(kCharsets, charset); }
Result<Charset> ParseCharset(std::string_view name) {
  return ParseIn(kCharsets, ToLower(name), "charset");
}

Result<std::string> DecodeText(std::string_view bytes, Charset charset) {
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    if (charset == Charset::kAuto) charset = Charset::kUtf8;
  }
  if (charset == Charset::kAuto) {
    charset = IsValidUtf8(bytes) ? Charset::kUtf8 : Charset::kWindows1252;
  }
  switch (charset) {
    case Charset::kUtf8: {
      if (IsValidUtf8(bytes)) return std::string(bytes);
      size_t line_start = 0;
      for (int line = 1;; ++line) {
        size_t end = bytes.find('\n', line_start);
        std::string_view text = bytes.substr(line_start, end - line_start);
        if (!IsValidUtf8(text)) {
          return Status::InvalidArgument("line " + std::to_string(line) +
                                         ": not valid UTF-8 (is the file Latin-1?)");
        }
        line_start = end + 1;
      }
    }
    case Charset::kLatin1:
      return ConvertToUtf8(bytes, "ISO-8859-1");
    default:
      return ConvertToUtf8(bytes, "WINDOWS-1252");
  }
}

Status LineError(int line, std::string_view what) {
  return Status::InvalidArgument("line " + std::to_string(line) + ": " + std::string(what));
}

Result<DelimitedTable> DelimitedTable::Parse(std::string_view bytes,
                                             const DelimitedFormat& format) {
  SL_ASSIGN_OR_RETURN(std::string text, DecodeText(bytes, format.charset));
  size_t at = 0;
  int line = 1;
  for (int skipped = 0; skipped < format.lines_before_header && at < text.size(); ++skipped) {
    size_t end = text.find('\n', at);
    at = end == std::string::npos ? text.size() : end + 1;
    ++line;
  }
  DelimitedTable table;
  std::string_view body = std::string_view(text).substr(at);
  if (format.separator) {
    table.separator_ = *format.separator;
  } else {
    size_t best = 0;
    for (char candidate : {',', ';', '\t'}) {
      size_t count = CountOutsideQuotes(body, candidate);
      if (count > best) {
        best = count;
        table.separator_ = candidate;
      }
    }
  }
  table.decimal_mark_ = format.decimal_mark.value_or(
      table.separator_ == ';' ? DecimalMark::kComma : DecimalMark::kPoint);
  table.date_format_ = format.date_format;

  // RFC 4180, record by record.
  const char separator = table.separator_;
  std::vector<std::vector<std::string>> records;
  std::vector<int> record_lines;
  size_t i = at;
  while (i < text.size()) {
    const int record_line = line;
    std::vector<std::string> cells;
    std::string cell;
    bool record_done = false;
    while (!record_done) {
      if (i < text.size() && text[i] == '"') {
        const int quote_line = line;
        ++i;
        bool closed = false;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
        if (!closed) {
          return LineError(quote_line, "field " + std::to_string(cells.size() + 1) +
                                           " opens a quote that is never closed");
        }
        if (i < text.size() && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
          return LineError(line, "field " + std::to_string(cells.size() + 1) +
                                     " has text after its closing quote");
        }
      }
      while (i < text.size() && text[i] != separator && text[i] != '\n') cell += text[i++];
      if (!cell.empty() && cell.back() == '\r' && (i >= text.size() || text[i] == '\n')) {
        cell.pop_back();
      }
      cells.push_back(std::move(cell));
      cell.clear();
      if (i >= text.size() || text[i] == '\n') {
        record_done = true;
        if (i < text.size()) ++line;
      }
      ++i;
    }
    const bool blank = cells.size() == 1 && Trim(cells[0]).empty();
    if (!blank) {
      records.push_back(std::move(cells));
      record_lines.push_back(record_line);
    }
  }
  if (records.empty()) return Status::InvalidArgument("the file has no header line");
  table.header_ = std::move(records.front());
  for (std::string& name : table.header_) name = std::string(Trim(name));
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != table.header_.size()) {
      return LineError(record_lines[r], std::to_string(records[r].size()) +
                                            " fields, the header has " +
                                            std::to_string(table.header_.size()));
    }
    table.rows_.push_back({record_lines[r], std::move(records[r])});
  }
  return table;
}

Result<size_t> DelimitedTable::Column(std::string_view field, std::string_view column) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (EqualsIgnoreCase(header_[i], Trim(column))) return i;
  }
  std::string listed;
  for (const std::string& name : header_) listed += (listed.empty() ? "" : ", ") + name;
  return Status::InvalidArgument("column \"" + std::string(column) + "\" for " +
                                 std::string(field) + " is not in the header (" + listed + ")");
}

Result<std::optional<size_t>> DelimitedTable::OptionalColumn(std::string_view field,
                                                             std::string_view column) const {
  if (Trim(column).empty()) return std::optional<size_t>();
  SL_ASSIGN_OR_RETURN(size_t position, Column(field, column));
  return std::optional<size_t>(position);
}

Result<std::int64_t> DelimitedTable::Amount(const DelimitedRow& row, size_t column,
                                            std::string_view field,
                                            std::string_view currency) const {
  Result<std::int64_t> amount = ParseAmount(row.cells[column], decimal_mark_, currency);
  if (!amount.ok()) return LineError(row.line, std::string(field) + " " + amount.status().message());
  return amount;
}

Result<Date> DelimitedTable::DateAt(const DelimitedRow& row, size_t column,
                                    std::string_view field) const {
  Result<Date> date = ParseDate(row.cells[column], date_format_);
  if (!date.ok()) return LineError(row.line, std::string(field) + " " + date.status().message());
  return date;
}

Result<std::string> DelimitedTable::CurrencyAt(const DelimitedRow& row, size_t column,
                                               std::string_view field) const {
  Result<std::string> currency = ParseCurrency(row.cells[column]);
  if (!currency.ok()) {
    return LineError(row.line, std::string(field) + " " + currency.status().message());
  }
  return currency;
}

Result<std::string> DelimitedTable::Text(const DelimitedRow& row, size_t column,
                                         std::string_view field) const {
  std::string_view text = Trim(row.cells[column]);
  if (text.empty()) return LineError(row.line, std::string(field) + " is empty");
  return std::string(text);
}

Result<CurrencySource> CurrencySource::Of(const DelimitedTable& table, std::string_view column,
                                          std::string_view default_currency) {
  CurrencySource source;
  SL_ASSIGN_OR_RETURN(source.column_, table.OptionalColumn("the currency", column));
  if (!source.column_) {
    Result<std::string> parsed = ParseCurrency(default_currency);
    if (!parsed.ok()) {
      return Status::InvalidArgument(
          "the file has no currency column and no default currency is set");
    }
    source.default_currency_ = *parsed;
  }
  return source;
}

Result<std::string> CurrencySource::At(const DelimitedTable& table, const DelimitedRow& row) const {
  if (!column_) return default_currency_;
  return table.CurrencyAt(row, *column_, "currency");
}

}  // namespace stripeline::reconcile
