#include "reconcile/money.h"

#include <algorithm>
#include <array>
#include <limits>

#include "common/text.h"

namespace stripeline::reconcile {
namespace {

// Stripe's zero-decimal currencies (https://docs.stripe.com/currencies#zero-decimal).
constexpr std::array<std::string_view, 16> kZeroDecimal = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
    "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr std::array<std::string_view, 5> kThreeDecimal = {"BHD", "JOD", "KWD", "OMR", "TND"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status NotANumber(std::string_view text) {
  return Status::InvalidArgument("\"" + std::string(text) + "\" is not a number");
}

}  // namespace

int CurrencyDecimals(std::string_view currency) {
  if (std::find(kZeroDecimal.begin(), kZeroDecimal.end(), currency) != kZeroDecimal.end()) return 0;
  if (std::find(kThreeDecimal.begin(), kThreeDecimal.end(), currency) != kThreeDecimal.end()) {
    return 3;
  }
  return 2;
}

Result<std::string> ParseCurrency(std::string_view text) {
  std::string_view code = Trim(text);
  bool letters = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
                   return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                 });
  if (!letters) {
    return Status::InvalidArgument("\"" + std::string(text) +
                                   "\" is not a currency (three letters, e.g. EUR)");
  }
  std::string upper(code);
  for (char& c : upper) c = static_cast<char>(c & ~0x20);
  return upper;
}

std::string_view Name(DecimalMark mark) {
  return mark == DecimalMark::kComma ? "comma" : "point";
}

Result<DecimalMark> ParseDecimalMark(std::string_view name) {
  if (name == "point" || name == ".") return DecimalMark::kPoint;
  if (name == "comma" || name == ",") return DecimalMark::kComma;
  return Status::InvalidArgument("decimal mark \"" + std::string(name) +
                                 "\" is neither \"point\" nor \"comma\"");
}

Result<std::int64_t> ParseAmount(std::string_view text, DecimalMark mark,
                                 std::string_view currency) {
  const char decimal = mark == DecimalMark::kComma ? ',' : '.';
  const char thousands = mark == DecimalMark::kComma ? '.' : ',';
  std::string_view rest = Trim(text);
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  std::string_view integer_part = rest;
  std::string_view fraction;
  if (size_t at = rest.find(decimal); at != std::string_view::npos) {
    integer_part = rest.substr(0, at);
    fraction = rest.substr(at + 1);
    if (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), IsDigit)) {
      return NotANumber(text);
    }
  }
  // Digits, with optional separators between groups of three ("1.234.567").
  std::string digits;
  size_t group = 0;
  bool grouped = false;
  for (size_t i = 0; i < integer_part.size(); ++i) {
    char c = integer_part[i];
    if (IsDigit(c)) {
      digits += c;
      ++group;
    } else if (c == thousands || c == '\'' || c == ' ') {
      if (digits.empty() || (grouped && group != 3) || group > 3) return NotANumber(text);
      grouped = true;
      group = 0;
    } else {
      return NotANumber(text);
    }
  }
  if (digits.empty() || (grouped && group != 3)) return NotANumber(text);
  const int decimals = CurrencyDecimals(currency);
  if (static_cast<int>(fraction.size()) > decimals) {
    return Status::InvalidArgument("\"" + std::string(text) + "\" has " +
                                   std::to_string(fraction.size()) + " decimals, " +
                                   std::string(currency) + " has " + std::to_string(decimals));
  }
  digits += fraction;
  digits.append(decimals - fraction.size(), '0');
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  if (digits.size() > 18) {
    return Status::InvalidArgument("\"" + std::string(text) + "\" is too large");
  }
  std::int64_t value = std::stoll(digits);
  return negative ? -value : value;
}

std::string FormatAmount(std::int64_t minor_units, std::string_view currency) {
  const int decimals = CurrencyDecimals(currency);
  std::uint64_t magnitude = minor_units < 0 ? 0 - static_cast<std::uint64_t>(minor_units)
                                            : static_cast<std::uint64_t>(minor_units);
  std::string digits = std::to_string(magnitude);
  if (decimals > 0) {
    if (digits.size() <= static_cast<size_t>(decimals)) {
      digits.insert(0, decimals + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - decimals, ".");
  }
  return minor_units < 0 ? "-" + digits : digits;
}

}  // namespace stripeline::reconcile
