// What is in a payout: the document's worked example and each way a payout can fail to add up.
#include "reconcile/payout_explanation.h"

#include <gtest/gtest.h>

#include <vector>

namespace stripeline::reconcile {
namespace {

BalanceTransaction Txn(std::string id, std::int64_t amount, std::int64_t fee,
                       std::string category, std::string source = "") {
  return {.id = std::move(id),
          .amount = amount,
          .fee = fee,
          .net = amount - fee,
          .currency = "EUR",
          .reporting_category = category,
          .type = category,
          .source = std::move(source)};
}

Payout AutomaticPayout(std::int64_t amount) {
  return {.id = "po_10395",
          .amount = {amount, "EUR"},
          .type = PayoutType::kAutomatic,
          .status = PayoutStatus::kPaid,
          .reconciliation_status = PayoutReconciliationStatus::kCompleted};
}

// metrics-and-reconciliation.md: charges 10000 (fee 320), 5000 (fee 175), 20000 (fee 610);
// partial refund of the second −2000 (fee 0); dispute on the third −20000 (fee 1500).
std::vector<BalanceTransaction> WorkedExample() {
  return {Txn("txn_1", 10000, 320, "charge", "ch_1"),
          Txn("txn_2", 5000, 175, "charge", "ch_2"),
          Txn("txn_3", 20000, 610, "charge", "ch_3"),
          Txn("txn_4", -2000, 0, "refund", "re_2"),
          Txn("txn_5", -20000, 1500, "dispute", "dp_3"),
          Txn("txn_6", -10395, 0, "payout", "po_10395")};
}

std::int64_t LineOf(const PayoutExplanation& explanation, PayoutCategory category) {
  for (const PayoutBreakdownLine& line : explanation.breakdown) {
    if (line.category == category) return line.amount;
  }
  ADD_FAILURE() << "no line for " << Name(category);
  return 0;
}

TEST(ExplainPayout, TheDocumentsWorkedExampleAddsUpTo10395) {
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(10395), WorkedExample());
  EXPECT_EQ(explanation.state, PayoutExplanationState::kExplained);
  EXPECT_EQ(explanation.transactions_net, 10395);
  EXPECT_EQ(explanation.difference, 0);
  EXPECT_TRUE(explanation.causes.empty());
  // gross 35000 − refunds 2000 − disputes 20000 − fees 2605 = 10395
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kCharges), 35000);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kRefunds), -2000);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kDisputes), -20000);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kFees), -2605);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kDisputeReversals), 0);
  EXPECT_EQ(explanation.fees, 2605);
  std::int64_t sum = 0;
  for (const PayoutBreakdownLine& line : explanation.breakdown) sum += line.amount;
  EXPECT_EQ(sum, 10395);
  EXPECT_EQ(explanation.breakdown.size(), 7u);  // every category, so reports have fixed columns
  EXPECT_EQ(explanation.breakdown[0].transactions, 3);
  EXPECT_TRUE(explanation.contains_refunds_or_disputes);
}

TEST(ExplainPayout, OrderOfTransactionsAndTheOwnRowBeingLeftOutDoNotMatter) {
  const std::vector<BalanceTransaction> example = WorkedExample();
  std::vector<BalanceTransaction> reversed(example.rbegin() + 1, example.rend());  // no own row
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(10395), reversed);
  EXPECT_EQ(explanation.difference, 0);
}

TEST(ExplainPayout, MapsStripesReportingCategories) {
  EXPECT_EQ(PayoutCategoryOf("charge"), PayoutCategory::kCharges);
  EXPECT_EQ(PayoutCategoryOf("refund_failure"), PayoutCategory::kRefunds);
  EXPECT_EQ(PayoutCategoryOf("dispute_reversal"), PayoutCategory::kDisputeReversals);
  EXPECT_EQ(PayoutCategoryOf("fee"), PayoutCategory::kFees);
  EXPECT_EQ(PayoutCategoryOf("risk_reserved_funds"), PayoutCategory::kReserves);
  EXPECT_EQ(PayoutCategoryOf("other_adjustment"), PayoutCategory::kAdjustments);
  EXPECT_EQ(PayoutCategoryOf("something_stripe_adds_later"), PayoutCategory::kAdjustments);
  EXPECT_EQ(PayoutCategoryOf("payout"), std::nullopt);
}

TEST(ExplainPayout, StripeFeesReservesAndDisputeReversalsHaveTheirLines) {
  std::vector<BalanceTransaction> transactions = {
      Txn("txn_1", 10000, 320, "charge"), Txn("txn_2", 20000, 0, "dispute_reversal"),
      Txn("txn_3", -500, 0, "fee"), Txn("txn_4", -1000, 0, "risk_reserved_funds"),
      Txn("txn_5", 15, 0, "other_adjustment")};
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(28195), transactions);
  EXPECT_EQ(explanation.state, PayoutExplanationState::kExplained);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kDisputeReversals), 20000);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kFees), -820);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kReserves), -1000);
  EXPECT_EQ(LineOf(explanation, PayoutCategory::kAdjustments), 15);
  EXPECT_FALSE(explanation.contains_refunds_or_disputes);
}

TEST(ExplainPayout, ManualAndInstantPayoutsCannotBeItemised) {
  for (PayoutType type : {PayoutType::kManual, PayoutType::kInstant}) {
    Payout payout = AutomaticPayout(5000);
    payout.type = type;
    PayoutExplanation explanation = ExplainPayout(payout, WorkedExample());
    EXPECT_EQ(explanation.state, PayoutExplanationState::kNotItemisable);
    EXPECT_NE(explanation.label.find("cannot be itemised by Stripe"), std::string::npos);
    EXPECT_TRUE(explanation.breakdown.empty());  // never guessed
  }
}

TEST(ExplainPayout, FailedAndCanceledPayoutsAreShownAsSuch) {
  Payout failed = AutomaticPayout(10395);
  failed.status = PayoutStatus::kFailed;
  EXPECT_EQ(ExplainPayout(failed, WorkedExample()).state, PayoutExplanationState::kFailed);
  Payout canceled = AutomaticPayout(10395);
  canceled.status = PayoutStatus::kCanceled;
  EXPECT_EQ(ExplainPayout(canceled, WorkedExample()).state, PayoutExplanationState::kCanceled);
}

TEST(ExplainPayout, WaitsForStripesReconciliationBeforeReportingADifference) {
  Payout payout = AutomaticPayout(99999);
  payout.reconciliation_status = PayoutReconciliationStatus::kInProgress;
  PayoutExplanation explanation = ExplainPayout(payout, WorkedExample());
  EXPECT_EQ(explanation.state, PayoutExplanationState::kAwaitingStripe);
  EXPECT_TRUE(explanation.causes.empty());
}

TEST(ExplainPayout, ADifferenceNamesTheTransactionThatIsExactlyIt) {
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(10395 - 4825), WorkedExample());
  EXPECT_EQ(explanation.state, PayoutExplanationState::kDifference);
  EXPECT_EQ(explanation.difference, -4825);
  ASSERT_FALSE(explanation.causes.empty());
  EXPECT_EQ(explanation.causes.back().cause, DifferenceCause::kExtraTransaction);
  EXPECT_NE(explanation.causes.back().detail.find("txn_2"), std::string::npos);
  // The payout's own row (−10395) disagrees with the payout too.
  EXPECT_EQ(explanation.causes.front().cause, DifferenceCause::kOwnRowMismatch);
}

TEST(ExplainPayout, MissingTransactionsAreTheLikelyCauseOfALargerPayout) {
  std::vector<BalanceTransaction> partial = {WorkedExample()[0], WorkedExample()[5]};
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(10395), partial);
  EXPECT_EQ(explanation.difference, 10395 - 9680);
  EXPECT_EQ(explanation.causes.back().cause, DifferenceCause::kTransactionsMissing);
  EXPECT_EQ(explanation.causes.back().detail,
            "the payout is 7.15 EUR more than the transactions: some are missing (not synced "
            "yet?)");
}

TEST(ExplainPayout, NoTransactionsMeansNotSyncedYet) {
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(10395), {});
  ASSERT_EQ(explanation.causes.size(), 1u);
  EXPECT_EQ(explanation.causes[0].cause, DifferenceCause::kNoTransactions);
}

TEST(ExplainPayout, FlagsForeignCurrenciesAndInconsistentNets) {
  std::vector<BalanceTransaction> transactions = WorkedExample();
  transactions[0].currency = "USD";
  transactions[1].net = 4800;  // not 5000 − 175
  PayoutExplanation explanation = ExplainPayout(AutomaticPayout(10395), transactions);
  EXPECT_EQ(explanation.state, PayoutExplanationState::kDifference);
  ASSERT_GE(explanation.causes.size(), 2u);
  EXPECT_EQ(explanation.causes[0].cause, DifferenceCause::kForeignCurrency);
  EXPECT_EQ(explanation.causes[1].cause, DifferenceCause::kNetNotAmountMinusFee);
  EXPECT_EQ(explanation.causes[1].detail, "txn_2: net 48.00 EUR is not amount − fee 48.25 EUR");
}

TEST(PayoutEnums, NamesParseBack) {
  for (PayoutStatus status : {PayoutStatus::kPending, PayoutStatus::kInTransit, PayoutStatus::kPaid,
                              PayoutStatus::kFailed, PayoutStatus::kCanceled}) {
    EXPECT_EQ(*ParsePayoutStatus(Name(status)), status);
  }
  EXPECT_EQ(*ParsePayoutType("instant"), PayoutType::kInstant);
  EXPECT_EQ(ParsePayoutType("weekly").status().message(),
            "payout type \"weekly\" is not one of automatic, manual, instant");
  EXPECT_EQ(*ParsePayoutReconciliationStatus("completed"), PayoutReconciliationStatus::kCompleted);
}

}  // namespace
}  // namespace stripeline::reconcile
