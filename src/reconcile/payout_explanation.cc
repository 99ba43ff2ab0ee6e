#include "reconcile/payout_explanation.h"

#include <algorithm>
#include <map>

#include "reconcile/enum_names.h"

namespace stripeline::reconcile {
namespace {

constexpr NameTable<PayoutType, 3> kPayoutTypes{{{PayoutType::kAutomatic, "automatic"},
                                                 {PayoutType::kManual, "manual"},
                                                 {PayoutType::kInstant, "instant"}}};
constexpr NameTable<PayoutStatus, 5> kPayoutStatuses{{{PayoutStatus::kPending, "pending"},
                                                      {PayoutStatus::kInTransit, "in_transit"},
                                                      {PayoutStatus::kPaid, "paid"},
                                                      {PayoutStatus::kFailed, "failed"},
                                                      {PayoutStatus::kCanceled, "canceled"}}};
constexpr NameTable<PayoutReconciliationStatus, 3> kReconciliationStatuses{
    {{PayoutReconciliationStatus::kNotApplicable, "not_applicable"},
     {PayoutReconciliationStatus::kInProgress, "in_progress"},
     {PayoutReconciliationStatus::kCompleted, "completed"}}};
constexpr NameTable<PayoutCategory, 7> kCategories{
    {{PayoutCategory::kCharges, "charges"},
     {PayoutCategory::kRefunds, "refunds"},
     {PayoutCategory::kDisputes, "disputes"},
     {PayoutCategory::kDisputeReversals, "dispute_reversals"},
     {PayoutCategory::kFees, "fees"},
     {PayoutCategory::kAdjustments, "adjustments"},
     {PayoutCategory::kReserves, "reserves"}}};
constexpr NameTable<PayoutExplanationState, 6> kExplanationStates{
    {{PayoutExplanationState::kExplained, "explained"},
     {PayoutExplanationState::kDifference, "difference"},
     {PayoutExplanationState::kAwaitingStripe, "awaiting_stripe"},
     {PayoutExplanationState::kNotItemisable, "not_itemisable"},
     {PayoutExplanationState::kFailed, "failed"},
     {PayoutExplanationState::kCanceled, "canceled"}}};
constexpr NameTable<DifferenceCause, 7> kCauses{
    {{DifferenceCause::kNoTransactions, "no_transactions"},
     {DifferenceCause::kForeignCurrency, "foreign_currency"},
     {DifferenceCause::kNetNotAmountMinusFee, "net_not_amount_minus_fee"},
     {DifferenceCause::kOwnRowMismatch, "own_row_mismatch"},
     {DifferenceCause::kTransactionsMissing, "transactions_missing"},
     {DifferenceCause::kExtraTransaction, "extra_transaction"},
     {DifferenceCause::kExtraTransactions, "extra_transactions"}}};

// Stripe's reporting categories (https://docs.stripe.com/reports/reporting-categories) that do
// not land in kAdjustments.
const std::map<std::string_view, PayoutCategory>& KnownCategories() {
  static const std::map<std::string_view, PayoutCategory> known{
      {"charge", PayoutCategory::kCharges},
      {"partial_capture_reversal", PayoutCategory::kCharges},
      {"refund", PayoutCategory::kRefunds},
      {"refund_failure", PayoutCategory::kRefunds},
      {"dispute", PayoutCategory::kDisputes},
      {"dispute_reversal", PayoutCategory::kDisputeReversals},
      {"fee", PayoutCategory::kFees},
      {"network_cost", PayoutCategory::kFees},
      {"tax", PayoutCategory::kFees},
      {"risk_reserved_funds", PayoutCategory::kReserves},
      {"connect_reserved_funds", PayoutCategory::kReserves},
  };
  return known;
}

bool IsPayoutRow(const BalanceTransaction& txn) {
  return txn.reporting_category == "payout" || txn.reporting_category == "payout_reversal" ||
         (txn.reporting_category.empty() && txn.type == "payout");
}

std::string Amount(std::int64_t minor_units, std::string_view currency) {
  return FormatAmount(minor_units, currency) + " " + std::string(currency);
}

// The likely causes of a difference, most specific first.
std::vector<DifferenceExplanation> DifferenceCauses(
    const Payout& payout, std::span<const BalanceTransaction> transactions,
    std::int64_t difference) {
  std::vector<DifferenceExplanation> causes;
  const std::string& currency = payout.amount.currency;
  std::vector<const BalanceTransaction*> items;
  const BalanceTransaction* own_row = nullptr;
  for (const BalanceTransaction& txn : transactions) {
    if (IsPayoutRow(txn)) {
      own_row = &txn;
    } else {
      items.push_back(&txn);
    }
  }
  if (items.empty()) {
    causes.push_back({DifferenceCause::kNoTransactions,
                      "no balance transactions are listed for " + payout.id +
                          ": they may not be synced yet"});
    return causes;
  }
  for (const BalanceTransaction* txn : items) {
    if (txn->currency != currency) {
      causes.push_back({DifferenceCause::kForeignCurrency,
                        txn->id + " is in " + txn->currency + ", the payout in " + currency});
    }
    if (txn->net != txn->amount - txn->fee) {
      causes.push_back({DifferenceCause::kNetNotAmountMinusFee,
                        txn->id + ": net " + Amount(txn->net, txn->currency) +
                            " is not amount − fee " +
                            Amount(txn->amount - txn->fee, txn->currency)});
    }
  }
  if (own_row == nullptr) {
    causes.push_back({DifferenceCause::kOwnRowMismatch,
                      "the payout's own balance transaction is not among those listed: the list "
                      "may be incomplete"});
  } else if (own_row->amount != -payout.amount.minor_units) {
    causes.push_back({DifferenceCause::kOwnRowMismatch,
                      own_row->id + " (the payout's own row) is " +
                          Amount(own_row->amount, own_row->currency) + ", not " +
                          Amount(-payout.amount.minor_units, currency)});
  }
  auto exact = std::find_if(items.begin(), items.end(), [&](const BalanceTransaction* txn) {
    return txn->net == -difference;
  });
  if (difference < 0 && exact != items.end()) {
    causes.push_back({DifferenceCause::kExtraTransaction,
                      (*exact)->id + " (" + (*exact)->reporting_category + ", net " +
                          Amount((*exact)->net, currency) +
                          ") is exactly the difference: it may belong to another payout"});
  } else if (difference < 0) {
    causes.push_back({DifferenceCause::kExtraTransactions,
                      "the transactions are " + Amount(-difference, currency) +
                          " more than the payout: some may belong to another payout"});
  } else {
    causes.push_back({DifferenceCause::kTransactionsMissing,
                      "the payout is " + Amount(difference, currency) +
                          " more than the transactions: some are missing (not synced yet?)"});
  }
  return causes;
}

}  // namespace

std::string_view Name(PayoutType type) { return NameIn(kPayoutTypes, type); }
Result<PayoutType> ParsePayoutType(std::string_view name) {
  return ParseIn(kPayoutTypes, name, "payout type");
}
std::string_view Name(PayoutStatus status) { return NameIn(kPayoutStatuses, status); }
Result<PayoutStatus> ParsePayoutStatus(std::string_view name) {
  return ParseIn(kPayoutStatuses, name, "payout status");
}
std::string_view Name(PayoutReconciliationStatus status) {
  return NameIn(kReconciliationStatuses, status);
}
Result<PayoutReconciliationStatus> ParsePayoutReconciliationStatus(std::string_view name) {
  return ParseIn(kReconciliationStatuses, name, "reconciliation status");
}
std::string_view Name(PayoutCategory category) { return NameIn(kCategories, category); }
std::string_view Name(PayoutExplanationState state) { return NameIn(kExplanationStates, state); }
std::string_view Name(DifferenceCause cause) { return NameIn(kCauses, cause); }

std::optional<PayoutCategory> PayoutCategoryOf(std::string_view reporting_category) {
  if (reporting_category == "payout" || reporting_category == "payout_reversal") {
    return std::nullopt;
  }
  auto known = KnownCategories().find(reporting_category);
  return known == KnownCategories().end() ? PayoutCategory::kAdjustments : known->second;
}

PayoutExplanation ExplainPayout(const Payout& payout,
                                std::span<const BalanceTransaction> transactions) {
  PayoutExplanation explanation;
  explanation.payout_id = payout.id;
  explanation.payout_amount = payout.amount.minor_units;
  if (payout.type != PayoutType::kAutomatic) {
    explanation.state = PayoutExplanationState::kNotItemisable;
    explanation.label = std::string(Name(payout.type)) + " payout: cannot be itemised by Stripe";
    return explanation;
  }
  for (const auto& [category, name] : kCategories) {
    explanation.breakdown.push_back({category, 0, 0});
  }
  auto line = [&](PayoutCategory category) -> PayoutBreakdownLine& {
    return explanation.breakdown[static_cast<size_t>(category)];
  };
  for (const BalanceTransaction& txn : transactions) {
    if (IsPayoutRow(txn)) continue;
    std::optional<PayoutCategory> category = PayoutCategoryOf(txn.reporting_category);
    PayoutBreakdownLine& gross_line = line(*category);
    gross_line.amount += txn.amount;
    gross_line.transactions += 1;
    if (txn.fee != 0) line(PayoutCategory::kFees).amount -= txn.fee;
    explanation.transactions_net += txn.net;
    explanation.contains_refunds_or_disputes |= *category == PayoutCategory::kRefunds ||
                                                *category == PayoutCategory::kDisputes;
  }
  explanation.fees = -line(PayoutCategory::kFees).amount;
  explanation.difference = payout.amount.minor_units - explanation.transactions_net;

  switch (payout.status) {
    case PayoutStatus::kFailed:
      explanation.state = PayoutExplanationState::kFailed;
      explanation.label = "payout failed: the funds went back to the Stripe balance";
      return explanation;
    case PayoutStatus::kCanceled:
      explanation.state = PayoutExplanationState::kCanceled;
      explanation.label = "payout canceled";
      return explanation;
    default:
      break;
  }
  if (payout.reconciliation_status != PayoutReconciliationStatus::kCompleted) {
    explanation.state = PayoutExplanationState::kAwaitingStripe;
    explanation.label = "Stripe has not finished reconciling this payout";
    return explanation;
  }
  if (explanation.difference == 0) {
    explanation.state = PayoutExplanationState::kExplained;
    explanation.label = "explained";
    return explanation;
  }
  explanation.state = PayoutExplanationState::kDifference;
  explanation.label = "difference of " + Amount(explanation.difference, payout.amount.currency);
  explanation.causes = DifferenceCauses(payout, transactions, explanation.difference);
  return explanation;
}

}  // namespace stripeline::reconcile
