#pragma once
// A bank statement as the readers (bank_csv.h, camt053.h, mt940.h) return it: the account and
// its lines, each with the key that makes importing the same statement twice add nothing.
// Plain values and pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/calendar.h"
#include "reconcile/money.h"

namespace stripeline::reconcile {

struct StatementLine {
  Date booking_date;
  std::optional<Date> value_date;
  Money amount;                 // signed: positive a credit, negative a debit
  std::string text;             // remittance information and counterparty, as one text
  std::string bank_reference;   // the bank's own reference (CAMT AcctSvcrRef, MT940 "//...")
  std::string end_to_end_id;    // CAMT Refs/EndToEndId (MT940 EREF+ when given)
  std::string dedup_key;        // set by AssignDedupKeys
  int source_position = 0;      // line (CSV, MT940) or entry number (CAMT) in the file

  bool operator==(const StatementLine&) const = default;
};

struct BankStatement {
  std::string account;  // IBAN or bank account number, as the file names it; may be empty (CSV)
  std::vector<StatementLine> lines;
};

// An account number or IBAN as statements are compared: upper case, without spaces
// ("de89 3704 0044 0532 0130 00" is "DE89370400440532013000").
std::string NormalizeAccount(std::string_view account);

// Gives every line its de-duplication key: "ref:<account>:<bank reference>" when the bank gave
// a reference, else "hash:<account>:<sha-256 of booking date, amount, currency, text and the
// occurrence index>" — the occurrence index counts earlier lines of the same statement with
// the same date, amount and text, so two identical card payments on one day stay two lines
// while the same statement read again gives the same keys.
void AssignDedupKeys(std::string_view account, std::vector<StatementLine>& lines);

}  // namespace stripeline::reconcile
