#include "reconcile/mt940.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "common/text.h"

namespace stripeline::reconcile {
namespace {

struct Field {
  std::string tag;                 // "61", "60F", ...
  std::vector<std::string> lines;  // the content: first line after the tag, then continuations
  int line = 0;                    // where the tag is
};

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ":61:", ":60F:" at the start of a line: the tag, else nullopt.
std::optional<std::string> TagOf(std::string_view line) {
  if (line.size() < 4 || line[0] != ':') return std::nullopt;
  size_t close = line.find(':', 1);
  if (close == std::string_view::npos || close < 3 || close > 4) return std::nullopt;
  std::string_view tag = line.substr(1, close - 1);
  if (!IsDigits(tag.substr(0, 2)) && tag != "NS") return std::nullopt;
  if (tag.size() == 3 && !(tag[2] >= 'A' && tag[2] <= 'Z')) return std::nullopt;
  return std::string(tag);
}

std::optional<Date> Yymmdd(std::string_view text) {
  if (text.size() != 6 || !IsDigits(text)) return std::nullopt;
  int yy = std::stoi(std::string(text.substr(0, 2)));
  Date date{std::chrono::year((yy < 70 ? 2000 : 1900) + yy),
            std::chrono::month(static_cast<unsigned>(std::stoi(std::string(text.substr(2, 2))))),
            std::chrono::day(static_cast<unsigned>(std::stoi(std::string(text.substr(4, 2)))))};
  return date.ok() ? std::optional<Date>(date) : std::nullopt;
}

// MT940 writes "1000," for 1000.00.
Result<std::int64_t> Mt940Amount(std::string_view text, std::string_view currency) {
  std::string amount(text);
  if (!amount.empty() && amount.back() == ',') amount.pop_back();
  return ParseAmount(amount, DecimalMark::kComma, currency);
}

Status FieldError(const Field& field, std::string_view what) {
  return LineError(field.line, ":" + field.tag + ": " + std::string(what));
}

// :60F:/:62F: "C240301EUR1000,00".
Result<Money> Balance(const Field& field) {
  const std::string& text = field.lines.front();
  const std::string expected = "\"" + text + "\" is not a balance (C or D, YYMMDD, currency, amount)";
  if (text.size() < 11 || (text[0] != 'C' && text[0] != 'D') || !Yymmdd(text.substr(1, 6))) {
    return FieldError(field, expected);
  }
  Result<std::string> currency = ParseCurrency(text.substr(7, 3));
  if (!currency.ok()) return FieldError(field, expected);
  Result<std::int64_t> amount = Mt940Amount(text.substr(10), *currency);
  if (!amount.ok()) return FieldError(field, "amount " + amount.status().message());
  return Money{text[0] == 'D' ? -*amount : *amount, *currency};
}

// The remittance text of a :86: field, and an end-to-end id it names (SEPA "EREF+").
void ReadRemittance(const Field& field, StatementLine& line) {
  std::string joined;
  const bool structured = field.lines.front().size() > 3 &&
                          IsDigits(field.lines.front().substr(0, 3)) &&
                          field.lines.front()[3] == '?';
  for (const std::string& part : field.lines) {
    if (!structured && !joined.empty()) joined += ' ';
    joined += part;  // structured lines are cut at a fixed width, not between words
  }
  std::string text;
  if (structured) {
    // "166?00GUTSCHRIFT?20STRIPE?21PO 123?32STRIPE PAYMENTS": purpose ?20-?29 and ?60-?63,
    // counterparty ?32-?33; the booking text ?00 and bank codes are left out.
    size_t at = joined.find('?');
    while (at != std::string::npos && at + 3 <= joined.size()) {
      size_t next = joined.find('?', at + 3);
      std::string code = joined.substr(at + 1, 2);
      std::string value = joined.substr(at + 3, next == std::string::npos ? std::string::npos
                                                                           : next - at - 3);
      int number = IsDigits(code) ? std::stoi(code) : -1;
      if ((number >= 20 && number <= 29) || (number >= 60 && number <= 63)) {
        text += value;
      } else if (number == 32 || number == 33) {
        text += (text.empty() ? "" : " ") + value;
      }
      at = next;
    }
  } else {
    text = joined;
  }
  if (size_t eref = text.find("EREF+"); eref != std::string::npos) {
    size_t end = text.find_first_of(" ", eref + 5);
    // The next SEPA keyword ("KREF+", "SVWZ+") ends it too.
    size_t keyword = text.find('+', eref + 5);
    if (keyword != std::string::npos && keyword >= eref + 9 &&
        (end == std::string::npos || keyword - 4 < end)) {
      end = keyword - 4;
    }
    line.end_to_end_id = text.substr(eref + 5, end == std::string::npos ? std::string::npos
                                                                        : end - eref - 5);
  }
  line.text = std::string(Trim(text));
}

// :61: "2403040304CR10395,00NTRFNONREF//1234567890" with supplementary details on a second line.
Result<StatementLine> ReadTransaction(const Field& field, const std::string& currency) {
  const std::string& text = field.lines.front();
  StatementLine line;
  line.source_position = field.line;
  std::optional<Date> value = Yymmdd(text.substr(0, 6));
  if (!value) {
    return FieldError(field, "value date \"" + text.substr(0, 6) + "\" is not a date (YYMMDD)");
  }
  line.value_date = value;
  line.booking_date = *value;
  size_t at = 6;
  if (text.size() >= at + 4 && IsDigits(text.substr(at, 4))) {
    unsigned month = static_cast<unsigned>(std::stoi(text.substr(at, 2)));
    unsigned day = static_cast<unsigned>(std::stoi(text.substr(at + 2, 2)));
    int year = static_cast<int>(value->year());
    if (month == 1 && static_cast<unsigned>(value->month()) == 12) ++year;
    if (month == 12 && static_cast<unsigned>(value->month()) == 1) --year;
    Date booking{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    if (!booking.ok()) {
      return FieldError(field, "booking date \"" + text.substr(at, 4) + "\" is not a date (MMDD)");
    }
    line.booking_date = booking;
    at += 4;
  }
  bool debit = false;
  if (text.compare(at, 2, "RC") == 0 || text.compare(at, 2, "RD") == 0) {
    debit = text[at + 1] == 'C';  // the reversal of a credit takes money out
    at += 2;
  } else if (at < text.size() && (text[at] == 'C' || text[at] == 'D')) {
    debit = text[at] == 'D';
    at += 1;
  } else {
    return FieldError(field, "\"" + text.substr(at, 2) + "\" is not C, D, RC or RD");
  }
  if (at < text.size() && text[at] >= 'A' && text[at] <= 'Z') ++at;  // funds code
  size_t amount_end = text.find_first_not_of("0123456789,.", at);
  if (amount_end == std::string::npos) amount_end = text.size();
  Result<std::int64_t> amount = Mt940Amount(text.substr(at, amount_end - at), currency);
  if (!amount.ok()) {
    return FieldError(field, "amount " + amount.status().message());
  }
  line.amount = {debit ? -*amount : *amount, currency};
  at = amount_end;
  if (text.size() < at + 4 || (text[at] != 'N' && text[at] != 'F' && text[at] != 'S')) {
    return FieldError(field, "\"" + text.substr(at) +
                                 "\" does not start with a transaction type (N, F or S and three "
                                 "characters)");
  }
  at += 4;
  std::string references = text.substr(at);
  if (size_t bank = references.find("//"); bank != std::string::npos) {
    line.bank_reference = std::string(Trim(references.substr(bank + 2)));
    if (line.bank_reference == "NONREF") line.bank_reference.clear();
  }
  return line;
}

}  // namespace

Result<BankStatement> ReadMt940(std::string_view bytes, const Mt940Options& options) {
  SL_ASSIGN_OR_RETURN(std::string text, DecodeText(bytes, options.charset));
  // Fields: a tagged line and the lines that continue it.
  std::vector<Field> fields;
  size_t at = 0;
  for (int number = 1; at < text.size(); ++number) {
    size_t end = text.find('\n', at);
    std::string_view raw = std::string_view(text).substr(at, end == std::string::npos ? std::string::npos : end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("{")) {
      // SWIFT blocks: "{1:F01...}{2:O940...}{4:" before the text block.
      size_t block = line.find("{4:");
      if (block == std::string_view::npos) continue;
      line = line.substr(block + 3);
    }
    if (Trim(line).empty() || Trim(line) == "-" || Trim(line) == "-}") {
      if (!fields.empty() && (Trim(line) == "-" || Trim(line) == "-}")) {
        fields.push_back({"-", {""}, number});
      }
      continue;
    }
    if (std::optional<std::string> tag = TagOf(line)) {
      fields.push_back({*tag, {std::string(line.substr(tag->size() + 2))}, number});
    } else if (fields.empty()) {
      return LineError(number, "\"" + std::string(line.substr(0, 20)) +
                                   "\" is not an MT940 field (:20:, :25:, :61:, ...)");
    } else {
      fields.back().lines.push_back(std::string(line));
    }
  }
  if (fields.empty()) return Status::InvalidArgument("the file holds no MT940 statement");

  BankStatement statement;
  std::string currency;
  std::optional<Money> opening;
  std::int64_t since_opening = 0;
  bool in_statement = false;
  std::string previous_tag;
  for (const Field& field : fields) {
    const std::string follows = std::exchange(previous_tag, field.tag);
    if (field.tag == "20") {
      in_statement = true;
      opening.reset();
      currency.clear();
      continue;
    }
    if (field.tag == "-") {
      in_statement = false;
      continue;
    }
    if (!in_statement) return FieldError(field, "comes before the statement's :20:");
    if (field.tag == "25") {
      std::string account = NormalizeAccount(field.lines.front());
      if (!options.account.empty() && account != NormalizeAccount(options.account)) {
        return FieldError(field, "the statement is of account " + account + ", not " +
                                     NormalizeAccount(options.account));
      }
      if (!statement.account.empty() && account != statement.account) {
        return FieldError(field, "account " + account + " differs from the first statement's " +
                                     statement.account);
      }
      statement.account = account;
    } else if (field.tag == "60F" || field.tag == "60M") {
      SL_ASSIGN_OR_RETURN(Money balance, Balance(field));
      opening = balance;
      currency = balance.currency;
      since_opening = 0;
    } else if (field.tag == "61") {
      if (currency.empty()) return FieldError(field, "comes before the opening balance :60F:");
      SL_ASSIGN_OR_RETURN(StatementLine line, ReadTransaction(field, currency));
      since_opening += line.amount.minor_units;
      statement.lines.push_back(std::move(line));
    } else if (field.tag == "86") {
      if (follows != "61") {
        return FieldError(field, "does not follow a :61: line");
      }
      ReadRemittance(field, statement.lines.back());
    } else if (field.tag == "62F" || field.tag == "62M") {
      SL_ASSIGN_OR_RETURN(Money closing, Balance(field));
      if (!opening) return FieldError(field, "comes without an opening balance :60F:");
      if (closing.currency != opening->currency ||
          opening->minor_units + since_opening != closing.minor_units) {
        return FieldError(field, "the closing balance " +
                                     FormatAmount(closing.minor_units, closing.currency) + " " +
                                     closing.currency + " is not the opening balance " +
                                     FormatAmount(opening->minor_units, opening->currency) +
                                     " plus the lines " + FormatAmount(since_opening, currency));
      }
    }
  }
  if (statement.account.empty()) {
    return Status::InvalidArgument("the file names no account (:25:)");
  }
  AssignDedupKeys(statement.account, statement.lines);
  return statement;
}

}  // namespace stripeline::reconcile
