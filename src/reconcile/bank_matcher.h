#pragma once
// Payouts matched to bank statement lines ("Match payouts to bank statement lines" in
// metrics-and-reconciliation.md): same currency, equal amount (a credit for a positive payout,
// a debit for a negative one), booking or value date within [arrival − 1, arrival + 3]
// business days (BankMatchOptions); "STRIPE", the configured descriptors, the payout's own
// descriptor and its trace id in the line score it up. One candidate → matched; several → the
// one with the trace id, else the best score, else the nearest date; a tie → ambiguous. A
// payout whose window has passed (given `today`) without a line is "missing in bank". Pure
// function; thread-safe.

#include <span>
#include <string>
#include <vector>

#include "reconcile/calendar.h"
#include "reconcile/payout_explanation.h"
#include "reconcile/statement.h"

namespace stripeline::reconcile {

struct BankMatchOptions {
  int business_days_before_arrival = 1;
  int business_days_after_arrival = 3;
  // Text a user's bank shows for Stripe's payouts besides "STRIPE" (compared case-insensitively).
  std::vector<std::string> descriptors;
};

enum class BankMatchState {
  kMatched,
  kAmbiguous,      // several lines fit equally well: `candidates`
  kAwaitingBank,   // no line yet, and the window is still open
  kMissingInBank,  // no line, and the window has passed
  kNotExpected,    // failed or canceled: no money goes to the bank
};
std::string_view Name(BankMatchState state);  // "matched", ..., "missing_in_bank"

struct BankMatch {
  std::string payout_id;
  BankMatchState state = BankMatchState::kAwaitingBank;
  std::string line_key;                 // kMatched: the line's dedup_key
  std::vector<std::string> candidates;  // kAmbiguous: the lines' dedup_keys
  std::string evidence;

  bool operator==(const BankMatch&) const = default;
};

// One match per payout, in the order given. Payouts are matched in arrival order, each line to
// at most one payout (a line an earlier payout took is not offered to a later one).
std::vector<BankMatch> MatchPayoutsToBank(std::span<const Payout> payouts,
                                          std::span<const StatementLine> lines, Date today,
                                          const BankMatchOptions& options = {});

}  // namespace stripeline::reconcile
