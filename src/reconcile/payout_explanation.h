#pragma once
// What is in a payout: a payout and the balance transactions Stripe settled in it, broken down
// by reporting category and checked against the payout's amount ("Payout reconciliation" in
// metrics-and-reconciliation.md). Σ net of the transactions (without the payout's own row)
// must equal the payout's amount; a difference is reported with its likely causes, never
// hidden. Manual and instant payouts are labelled as not itemisable by Stripe, never guessed;
// failed and canceled payouts are shown as such. Plain values and a pure function; thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "reconcile/calendar.h"
#include "reconcile/money.h"

namespace stripeline::reconcile {

// How the payout was made: automatic payouts sweep the available balance on a schedule and are
// the only ones Stripe itemises (`?payout=`); manual and instant ones take an arbitrary amount.
enum class PayoutType { kAutomatic, kManual, kInstant };
std::string_view Name(PayoutType type);  // "automatic", "manual", "instant"
Result<PayoutType> ParsePayoutType(std::string_view name);

// Stripe's payout.status.
enum class PayoutStatus { kPending, kInTransit, kPaid, kFailed, kCanceled };
std::string_view Name(PayoutStatus status);  // "pending", "in_transit", ...
Result<PayoutStatus> ParsePayoutStatus(std::string_view name);

// Stripe's payout.reconciliation_status: the transactions are final once it is kCompleted.
enum class PayoutReconciliationStatus { kNotApplicable, kInProgress, kCompleted };
std::string_view Name(PayoutReconciliationStatus status);  // "not_applicable", ...
Result<PayoutReconciliationStatus> ParsePayoutReconciliationStatus(std::string_view name);

struct Payout {
  std::string id;                           // po_...
  Money amount;                             // positive: paid to the bank; negative: debited
  PayoutType type = PayoutType::kAutomatic;
  PayoutStatus status = PayoutStatus::kPaid;
  PayoutReconciliationStatus reconciliation_status = PayoutReconciliationStatus::kCompleted;
  Date arrival_date;
  std::string trace_id;              // trace_id.value, when the bank network gave one
  std::string statement_descriptor;  // what the bank statement shows, when set
};

// A balance transaction (`txn_`) as Stripe lists it; amounts in minor units of `currency`.
struct BalanceTransaction {
  std::string id;
  std::int64_t amount = 0;  // gross
  std::int64_t fee = 0;
  std::int64_t net = 0;
  std::string currency;
  std::string reporting_category;  // "charge", "refund", "dispute", "payout", ...
  std::string type;                // "charge", "refund", "adjustment", "payout", ...
  std::string source;              // ch_..., re_..., dp_..., po_...
};

// The groups a payout is broken down into. Stripe's reporting categories map to them
// (PayoutCategoryOf); what Stripe adds later lands in kAdjustments rather than being dropped.
enum class PayoutCategory {
  kCharges,           // charge, partial_capture_reversal
  kRefunds,           // refund, refund_failure
  kDisputes,          // dispute
  kDisputeReversals,  // dispute_reversal
  kFees,              // every transaction's fee, and fee / network_cost / tax transactions
  kAdjustments,       // other_adjustment, transfer, ... and anything not listed here
  kReserves,          // risk_reserved_funds, connect_reserved_funds
};
std::string_view Name(PayoutCategory category);  // "charges", "dispute_reversals"
// The category a transaction's gross amount counts in; nullopt for the payout's own row
// (reporting_category "payout" / "payout_reversal").
std::optional<PayoutCategory> PayoutCategoryOf(std::string_view reporting_category);

// One line of the breakdown: how much the category adds to the payout (fees are negative) and
// from how many transactions.
struct PayoutBreakdownLine {
  PayoutCategory category;
  std::int64_t amount = 0;
  int transactions = 0;

  bool operator==(const PayoutBreakdownLine&) const = default;
};

enum class PayoutExplanationState {
  kExplained,      // Σ net == amount
  kDifference,     // Σ net != amount: see causes
  kAwaitingStripe, // automatic, but Stripe's reconciliation is not completed yet
  kNotItemisable,  // manual or instant: "cannot be itemised by Stripe"
  kFailed,         // the payout failed: the funds went back to the balance
  kCanceled,
};
std::string_view Name(PayoutExplanationState state);  // "explained", "not_itemisable", ...

// Why Σ net and the payout's amount may differ; each cause comes with a sentence naming the
// transactions involved.
enum class DifferenceCause {
  kNoTransactions,        // none listed: not synced yet?
  kForeignCurrency,       // a transaction in another currency than the payout's
  kNetNotAmountMinusFee,  // a transaction whose net is not amount − fee
  kOwnRowMismatch,        // the payout's own row is missing or not −amount
  kTransactionsMissing,   // the payout is larger than the transactions
  kExtraTransaction,      // the difference is exactly one transaction's net
  kExtraTransactions,     // the payout is smaller than the transactions
};
std::string_view Name(DifferenceCause cause);  // "transactions_missing", ...

struct DifferenceExplanation {
  DifferenceCause cause;
  std::string detail;
};

struct PayoutExplanation {
  std::string payout_id;
  PayoutExplanationState state = PayoutExplanationState::kExplained;
  std::string label;  // for a person: "cannot be itemised by Stripe", "payout failed", ...
  // Every category in enum order, zero lines included, so reports have fixed columns; empty
  // when the payout cannot be itemised.
  std::vector<PayoutBreakdownLine> breakdown;
  std::int64_t fees = 0;           // what fees take away (positive)
  std::int64_t transactions_net = 0;
  std::int64_t payout_amount = 0;
  std::int64_t difference = 0;     // payout_amount − transactions_net
  std::vector<DifferenceExplanation> causes;  // likely causes, most specific first
  bool contains_refunds_or_disputes = false;  // a case the user wants listed
};

// Explains `payout` from `transactions` (the list `?payout=` returned, own row included or
// not). Pure; the transactions' order does not matter.
PayoutExplanation ExplainPayout(const Payout& payout,
                                std::span<const BalanceTransaction> transactions);

}  // namespace stripeline::reconcile
