#pragma once
// Money as reconciliation handles it: an integer number of minor units of one ISO 4217
// currency (metrics-and-reconciliation.md: never floating point, never two currencies in one
// sum), and the parsing of amounts as bookkeeping files write them ("1.234,56", "-10395.00").
// Plain values and pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stripeline::reconcile {

struct Money {
  std::int64_t minor_units = 0;
  std::string currency;  // ISO 4217, upper case ("EUR")

  bool operator==(const Money&) const = default;
};

// How many decimals a currency's minor unit has: 0 for Stripe's zero-decimal currencies (JPY,
// KRW, ...), 2 for every other. Stripe's three-decimal currencies (BHD, JOD, KWD, OMR, TND) are
// charged in multiples of ten of their third decimal; bookkeeping files write them with three.
int CurrencyDecimals(std::string_view currency);

// `text` as an ISO 4217 code: three ASCII letters, any case (surrounding spaces ignored);
// returned in upper case. The error says what was found.
Result<std::string> ParseCurrency(std::string_view text);

// The character that separates the integer part from the decimals in a file's amounts.
enum class DecimalMark { kPoint, kComma };
std::string_view Name(DecimalMark mark);  // "point", "comma"
Result<DecimalMark> ParseDecimalMark(std::string_view name);

// An amount of `currency` written with `mark` as decimal separator, in minor units. Accepts a
// leading '+' or '-', thousands separators (the other mark, an apostrophe or a space) between
// groups of three digits, and fewer decimals than the currency has ("12,5" EUR is 1250).
// The error message quotes the text and says what is wrong, without naming the field:
// `"1.234,5x" is not a number`, `"1,234" has 3 decimals, EUR has 2` — the reader prefixes the
// line and the field ("line 14: amount ...").
Result<std::int64_t> ParseAmount(std::string_view text, DecimalMark mark,
                                 std::string_view currency);

// `minor_units` written with a point and the currency's decimals, no thousands separators:
// 10395 EUR is "103.95", -5 JPY is "-5".
std::string FormatAmount(std::int64_t minor_units, std::string_view currency);

}  // namespace stripeline::reconcile
