// Payments matched to open invoices: the document's EUR worked example, every failure case it
// lists, decisions a person made, and incremental runs equal to a run from scratch.
#include "reconcile/invoice_matcher.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace stripeline::reconcile {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

const sys_days kDay0 =
    sys_days(Date{std::chrono::year(2024), std::chrono::month(1), std::chrono::day(10)});

}  // namespace

// Readable failures.
void PrintTo(const PaymentMatch& match, std::ostream* out) {
  *out << match.charge_id << " " << Name(match.tier) << " " << Name(match.state) << " "
       << match.compared_amount << "/" << match.effective_amount << " " << match.currency << " [";
  for (const InvoiceAllocation& allocation : match.allocations) {
    *out << allocation.invoice_number << ":" << allocation.applied << "+" << allocation.excess << " ";
  }
  *out << "] candidates " << match.candidates.size() << " \"" << match.evidence << "\"";
}

namespace {

Invoice Inv(std::string number, std::int64_t cents, std::string email, int due_day = 5,
            std::string currency = "EUR") {
  return {.number = std::move(number),
          .amount = {cents, std::move(currency)},
          .remaining = cents,
          .customer_email = std::move(email),
          .due_date = Date{kDay0 + days(due_day)}};
}

Payment Pay(std::string charge, std::int64_t cents, std::string email, int day = 0,
            std::string reference = "", std::string description = "") {
  Payment payment{.charge_id = std::move(charge),
                  .amount = {cents, "EUR"},
                  .customer_email = std::move(email),
                  .description = std::move(description),
                  .created = sys_seconds(kDay0 + days(day)) + std::chrono::hours(12)};
  if (!reference.empty()) payment.metadata["invoice_number"] = reference;
  return payment;
}

PaymentAdjustment Adjustment(std::string id, PaymentAdjustmentKind kind, std::int64_t cents,
                             int day, std::int64_t fee = 0) {
  return {.id = std::move(id),
          .kind = kind,
          .amount = cents,
          .fee = fee,
          .created = sys_seconds(kDay0 + days(day)) + std::chrono::hours(13)};
}

InvoiceMatcher Matcher(std::vector<Invoice> invoices, MatchOptions options = {}) {
  Result<InvoiceMatcher> matcher = InvoiceMatcher::Create(std::move(invoices), std::move(options));
  EXPECT_TRUE(matcher.ok()) << matcher.status().ToString();
  return std::move(matcher).value();
}

InvoiceStanding StandingOf(const InvoiceMatcher& matcher, std::string_view number) {
  for (const InvoiceStanding& standing : matcher.Invoices()) {
    if (standing.number == number) return standing;
  }
  ADD_FAILURE() << "no invoice " << number;
  return {};
}

// metrics-and-reconciliation.md, "Worked example (EUR)".
std::vector<Invoice> WorkedExampleInvoices() {
  return {Inv("INV-1001", 11900, "a@x.de", 1), Inv("INV-1002", 5950, "a@x.de", 2),
          Inv("INV-1005", 11900, "a@x.de", 9), Inv("INV-1003", 11900, "b@y.de", 5),
          Inv("INV-1004", 23800, "c@z.de", 7)};
}

std::vector<Payment> WorkedExamplePayments() {
  return {Pay("ch_1", 11900, "a@x.de", 0, "INV-1001"), Pay("ch_2", 17850, "a@x.de", 1),
          Pay("ch_3", 11900, "unknown@q.de", 2), Pay("ch_4", 10000, "c@z.de", 3)};
}

TEST(InvoiceMatcher, TheDocumentsEurWorkedExample) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  std::vector<PaymentMatch> matches = matcher.Match(WorkedExamplePayments());
  ASSERT_EQ(matches.size(), 4u);

  // ch_1 119.00 metadata INV-1001 → tier 1 paid
  EXPECT_EQ(matches[0].tier, MatchTier::kReference);
  EXPECT_EQ(matches[0].state, MatchState::kPaid);
  EXPECT_EQ(matches[0].allocations, (std::vector<InvoiceAllocation>{{"INV-1001", 11900, 0}}));
  EXPECT_EQ(matches[0].evidence, "metadata invoice_number names INV-1001");

  // ch_2 178.50 from a@x.de → tier 3 INV-1002 + INV-1005
  EXPECT_EQ(matches[1].tier, MatchTier::kCustomerSum);
  EXPECT_EQ(matches[1].state, MatchState::kPaid);
  EXPECT_EQ(matches[1].allocations,
            (std::vector<InvoiceAllocation>{{"INV-1002", 5950, 0}, {"INV-1005", 11900, 0}}));
  EXPECT_EQ(matches[1].evidence, "a@x.de: INV-1002 + INV-1005 = 178.50 EUR");

  // ch_3 119.00 unknown email → ambiguous (three invoices of that amount)
  EXPECT_EQ(matches[2].state, MatchState::kAmbiguous);
  EXPECT_EQ(matches[2].tier, MatchTier::kAmountAndDate);
  EXPECT_TRUE(matches[2].allocations.empty());
  EXPECT_EQ(matches[2].candidates,
            (std::vector<std::vector<std::string>>{{"INV-1001"}, {"INV-1003"}, {"INV-1005"}}));

  // ch_4 100.00 c@z.de → partial on INV-1004 (138.00 open)
  EXPECT_EQ(matches[3].state, MatchState::kPartial);
  EXPECT_EQ(matches[3].tier, MatchTier::kCustomerSum);
  EXPECT_EQ(matches[3].allocations, (std::vector<InvoiceAllocation>{{"INV-1004", 10000, 0}}));
  EXPECT_EQ(matches[3].open_after, 13800);

  EXPECT_EQ(StandingOf(matcher, "INV-1001").state, InvoiceState::kPaid);
  EXPECT_EQ(StandingOf(matcher, "INV-1002").state, InvoiceState::kPaid);
  EXPECT_EQ(StandingOf(matcher, "INV-1005").state, InvoiceState::kPaid);
  EXPECT_EQ(StandingOf(matcher, "INV-1003").state, InvoiceState::kOpen);
  EXPECT_EQ(StandingOf(matcher, "INV-1004").state, InvoiceState::kPartial);
  EXPECT_EQ(StandingOf(matcher, "INV-1004").remaining, 13800);
}

TEST(InvoiceMatcher, TheWorkedExampleDoesNotDependOnTheOrderOfTheBatch) {
  std::vector<Payment> payments = WorkedExamplePayments();
  std::reverse(payments.begin(), payments.end());
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  matcher.Match(payments);
  EXPECT_EQ(matcher.MatchOf("ch_2")->tier, MatchTier::kCustomerSum);  // after ch_1 took INV-1001
  EXPECT_EQ(matcher.MatchOf("ch_3")->state, MatchState::kAmbiguous);
}

TEST(InvoiceMatcher, UnmatchedPayment) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  PaymentMatch match = matcher.Match({{Pay("ch_9", 7700, "nobody@n.de")}})[0];
  EXPECT_EQ(match.state, MatchState::kUnmatched);
  EXPECT_EQ(match.tier, MatchTier::kNone);
  EXPECT_TRUE(match.candidates.empty());
}

TEST(InvoiceMatcher, PartialPaymentByReferenceLeavesTheRestOpen) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  PaymentMatch match = matcher.Match({{Pay("ch_1", 5000, "", 0, "inv-1003")}})[0];
  EXPECT_EQ(match.state, MatchState::kPartial);
  EXPECT_EQ(match.open_after, 6900);
  // A second payment of the rest, naming the invoice in its description, pays it.
  PaymentMatch rest =
      matcher.Match({{Pay("ch_2", 6900, "", 1, "", "Rest zu Rechnung INV-1003.")}})[0];
  EXPECT_EQ(rest.tier, MatchTier::kReference);
  EXPECT_EQ(rest.state, MatchState::kPaid);
  EXPECT_EQ(rest.evidence, "the description names INV-1003");
  EXPECT_EQ(StandingOf(matcher, "INV-1003").state, InvoiceState::kPaid);
}

TEST(InvoiceMatcher, Overpayment) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  PaymentMatch match = matcher.Match({{Pay("ch_1", 12000, "", 0, "INV-1001")}})[0];
  EXPECT_EQ(match.state, MatchState::kOverpaid);
  EXPECT_EQ(match.overpaid_by, 100);
  EXPECT_EQ(match.allocations, (std::vector<InvoiceAllocation>{{"INV-1001", 11900, 100}}));
  EXPECT_EQ(StandingOf(matcher, "INV-1001").state, InvoiceState::kOverpaid);
  // Paying a paid invoice again is an overpayment too.
  PaymentMatch again = matcher.Match({{Pay("ch_2", 11900, "", 1, "INV-1001")}})[0];
  EXPECT_EQ(again.state, MatchState::kOverpaid);
  EXPECT_EQ(again.overpaid_by, 11900);
}

TEST(InvoiceMatcher, ConfigurableMetadataKey) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices(), {.metadata_key = "rechnung"});
  Payment payment = Pay("ch_1", 11900, "");
  payment.metadata["rechnung"] = "INV-1003";
  payment.metadata["invoice_number"] = "INV-1001";  // not the configured key
  PaymentMatch match = matcher.Match({{payment}})[0];
  EXPECT_EQ(match.allocations, (std::vector<InvoiceAllocation>{{"INV-1003", 11900, 0}}));
}

TEST(InvoiceMatcher, AReferenceInAnotherCurrencyWithoutConversionIsNotAMatch) {
  InvoiceMatcher matcher = Matcher({Inv("INV-1", 10000, "a@x.de", 1, "USD")});
  PaymentMatch match = matcher.Match({{Pay("ch_1", 10000, "", 0, "INV-1")}})[0];
  EXPECT_EQ(match.state, MatchState::kUnmatched);
}

TEST(InvoiceMatcher, EmailAndExactAmountPicksTheInvoiceDueNearest) {
  InvoiceMatcher matcher =
      Matcher({Inv("INV-1", 5000, "a@x.de", 40), Inv("INV-2", 5000, "A@X.DE ", 3)});
  PaymentMatch match = matcher.Match({{Pay("ch_1", 5000, "a@x.de", 1)}})[0];
  EXPECT_EQ(match.tier, MatchTier::kEmailAndAmount);
  EXPECT_EQ(match.state, MatchState::kPaid);
  EXPECT_EQ(match.allocations, (std::vector<InvoiceAllocation>{{"INV-2", 5000, 0}}));
}

TEST(InvoiceMatcher, EmailAndExactAmountWithInvoicesDueEquallyNearIsAmbiguous) {
  InvoiceMatcher matcher =
      Matcher({Inv("INV-1", 5000, "a@x.de", 3), Inv("INV-2", 5000, "a@x.de", 3)});
  PaymentMatch match = matcher.Match({{Pay("ch_1", 5000, "a@x.de", 1)}})[0];
  EXPECT_EQ(match.tier, MatchTier::kEmailAndAmount);
  EXPECT_EQ(match.state, MatchState::kAmbiguous);
  EXPECT_EQ(match.candidates, (std::vector<std::vector<std::string>>{{"INV-1"}, {"INV-2"}}));
  EXPECT_EQ(StandingOf(matcher, "INV-1").state, InvoiceState::kOpen);  // nothing applied
}

TEST(InvoiceMatcher, SeveralCombinationsOfACustomersInvoicesAreAmbiguous) {
  InvoiceMatcher matcher = Matcher({Inv("INV-1", 1000, "a@x.de"), Inv("INV-2", 2000, "a@x.de"),
                                    Inv("INV-3", 3000, "a@x.de"), Inv("INV-4", 500, "a@x.de")});
  PaymentMatch match = matcher.Match({{Pay("ch_1", 3500, "a@x.de")}})[0];
  EXPECT_EQ(match.tier, MatchTier::kCustomerSum);
  EXPECT_EQ(match.state, MatchState::kAmbiguous);
  EXPECT_EQ(match.candidates.size(), 2u);  // 500 + 3000, 500 + 1000 + 2000
  EXPECT_EQ(StandingOf(matcher, "INV-3").state, InvoiceState::kOpen);
}

TEST(InvoiceMatcher, CombinationsHoldAtMostFiveInvoices) {
  std::vector<Invoice> invoices;
  for (int i = 1; i <= 6; ++i) invoices.push_back(Inv("INV-" + std::to_string(i), 1000, "a@x.de", i));
  InvoiceMatcher matcher = Matcher(invoices);
  EXPECT_EQ(matcher.Match({{Pay("ch_6", 6000, "a@x.de")}})[0].state, MatchState::kUnmatched);
  InvoiceMatcher three = Matcher({Inv("INV-1", 1000, "a@x.de"), Inv("INV-2", 2000, "a@x.de"),
                                  Inv("INV-3", 4000, "a@x.de")});
  PaymentMatch match = three.Match({{Pay("ch_1", 7000, "a@x.de")}})[0];
  EXPECT_EQ(match.state, MatchState::kPaid);
  EXPECT_EQ(match.allocations.size(), 3u);
}

TEST(InvoiceMatcher, AmountAndDateOnlyIsASuggestionNeverApplied) {
  InvoiceMatcher matcher = Matcher({Inv("INV-7", 4200, "d@n.de", 10)});
  PaymentMatch match = matcher.Match({{Pay("ch_1", 4200, "someone@else.de", 2)}})[0];
  EXPECT_EQ(match.tier, MatchTier::kAmountAndDate);
  EXPECT_EQ(match.state, MatchState::kSuggestion);
  EXPECT_EQ(match.candidates, (std::vector<std::vector<std::string>>{{"INV-7"}}));
  EXPECT_TRUE(match.allocations.empty());
  EXPECT_EQ(StandingOf(matcher, "INV-7").state, InvoiceState::kOpen);
}

TEST(InvoiceMatcher, AmountOutsideTheDateWindowIsUnmatched) {
  InvoiceMatcher matcher = Matcher({Inv("INV-7", 4200, "d@n.de", 200)},
                                   {.window_days_before_due = 60, .window_days_after_due = 60});
  EXPECT_EQ(matcher.Match({{Pay("ch_1", 4200, "", 2)}})[0].state, MatchState::kUnmatched);
}

TEST(InvoiceMatcher, TheOpenRestOfAPartlyPaidInvoiceIsSuggested) {
  InvoiceMatcher matcher = Matcher({Inv("INV-7", 10000, "d@n.de", 10)});
  matcher.Match({{Pay("ch_1", 6000, "", 0, "INV-7")}});
  PaymentMatch rest = matcher.Match({{Pay("ch_2", 4000, "", 1)}})[0];
  EXPECT_EQ(rest.state, MatchState::kSuggestion);
  EXPECT_EQ(rest.candidates, (std::vector<std::vector<std::string>>{{"INV-7"}}));
}

TEST(InvoiceMatcher, RefundsReduceTheMatchedPayment) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  Payment payment = Pay("ch_1", 11900, "", 0, "INV-1001");
  EXPECT_EQ(matcher.Match({{payment}})[0].state, MatchState::kPaid);
  payment.adjustments.push_back(Adjustment("re_1", PaymentAdjustmentKind::kRefund, 1900, 4));
  PaymentMatch refunded = matcher.Match({{payment}})[0];
  EXPECT_EQ(refunded.state, MatchState::kPartial);
  EXPECT_EQ(refunded.effective_amount, 10000);
  EXPECT_EQ(refunded.open_after, 1900);
  EXPECT_EQ(StandingOf(matcher, "INV-1001").remaining, 1900);
  // The same refund seen again changes nothing.
  EXPECT_EQ(matcher.Match({{payment}})[0], refunded);
}

TEST(InvoiceMatcher, DisputesReverseThePaymentAndReversalsReapplyIt) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  Payment payment = Pay("ch_1", 11900, "", 0, "INV-1001");
  payment.adjustments.push_back(
      Adjustment("dp_1", PaymentAdjustmentKind::kDispute, 11900, 5, /*fee=*/1500));
  PaymentMatch disputed = matcher.Match({{payment}})[0];
  EXPECT_EQ(disputed.state, MatchState::kReversed);
  EXPECT_EQ(disputed.effective_amount, 0);
  EXPECT_EQ(disputed.dispute_fees, 1500);  // an expense, not taken off the invoice
  EXPECT_EQ(StandingOf(matcher, "INV-1001").state, InvoiceState::kOpen);

  payment.adjustments.push_back(
      Adjustment("dp_1:reversal", PaymentAdjustmentKind::kDisputeReversal, 11900, 30, 1500));
  PaymentMatch won = matcher.Match({{payment}})[0];
  EXPECT_EQ(won.state, MatchState::kPaid);
  EXPECT_EQ(won.dispute_fees, 0);
  EXPECT_EQ(StandingOf(matcher, "INV-1001").state, InvoiceState::kPaid);
}

TEST(InvoiceMatcher, FxDifferenceIsComparedInTheInvoiceCurrency) {
  // A USD charge booked in EUR at 0.92: 108.64 USD is 99.95 EUR against a 100.00 EUR invoice.
  Payment payment = Pay("ch_1", 10864, "", 0, "INV-1");
  payment.amount.currency = "USD";
  payment.conversion = FxConversion{"EUR", 0.92};

  InvoiceMatcher strict = Matcher({Inv("INV-1", 10000, "a@x.de")});
  PaymentMatch match = strict.Match({{payment}})[0];
  EXPECT_EQ(match.currency, "EUR");
  EXPECT_EQ(match.compared_amount, 9995);
  EXPECT_EQ(match.state, MatchState::kPartial);
  EXPECT_EQ(match.fx_difference, -5);
  EXPECT_EQ(match.open_after, 5);

  InvoiceMatcher tolerant =
      Matcher({Inv("INV-1", 10000, "a@x.de")}, {.fx_tolerance_basis_points = 100});
  PaymentMatch closed = tolerant.Match({{payment}})[0];
  EXPECT_EQ(closed.state, MatchState::kPaid);
  EXPECT_EQ(closed.fx_difference, -5);  // booked as an FX loss
  EXPECT_EQ(StandingOf(tolerant, "INV-1").remaining, 0);
}

TEST(InvoiceMatcher, AConvertedPaymentMatchesByEmailAndAmountInTheInvoiceCurrency) {
  Payment payment = Pay("ch_1", 10000, "a@x.de");
  payment.amount.currency = "USD";
  payment.conversion = FxConversion{"EUR", 0.9};
  InvoiceMatcher matcher = Matcher({Inv("INV-1", 9000, "a@x.de")});
  PaymentMatch match = matcher.Match({{payment}})[0];
  EXPECT_EQ(match.tier, MatchTier::kEmailAndAmount);
  EXPECT_EQ(match.state, MatchState::kPaid);
  EXPECT_EQ(match.fx_difference, 0);
}

TEST(InvoiceMatcher, AChosenCandidateIsAppliedAndKept) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  std::vector<Payment> payments = WorkedExamplePayments();
  std::vector<Decision> decisions = {
      {.charge_id = "ch_3", .kind = DecisionKind::kChosen, .invoice_numbers = {"INV-1003"}}};
  matcher.Match(payments, decisions);
  const PaymentMatch* chosen = matcher.MatchOf("ch_3");
  EXPECT_EQ(chosen->tier, MatchTier::kPerson);
  EXPECT_EQ(chosen->state, MatchState::kPaid);
  EXPECT_EQ(StandingOf(matcher, "INV-1003").state, InvoiceState::kPaid);
  // A later payment naming the same invoice does not take it away: it overpays.
  PaymentMatch later = matcher.Match({{Pay("ch_5", 11900, "b@y.de", 9, "INV-1003")}})[0];
  EXPECT_EQ(later.state, MatchState::kOverpaid);
  EXPECT_EQ(matcher.MatchOf("ch_3")->state, MatchState::kPaid);
}

TEST(InvoiceMatcher, AChoiceMadeAfterTheRunReplacesTheAmbiguity) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  matcher.Match(WorkedExamplePayments());
  ASSERT_EQ(matcher.MatchOf("ch_3")->state, MatchState::kAmbiguous);
  std::vector<Decision> decisions = {
      {.charge_id = "ch_3", .kind = DecisionKind::kChosen, .invoice_numbers = {"INV-1003"}}};
  matcher.Match({}, decisions);
  EXPECT_EQ(matcher.MatchOf("ch_3")->state, MatchState::kPaid);
  EXPECT_EQ(StandingOf(matcher, "INV-1003").state, InvoiceState::kPaid);
}

TEST(InvoiceMatcher, AnUndoneMatchIsNeverMadeAgain) {
  std::vector<Decision> decisions = {
      {.charge_id = "ch_1", .kind = DecisionKind::kUndone, .invoice_numbers = {"INV-1001"}}};
  // Undone after a run (the payment comes along: the matcher has dropped its texts) ...
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  matcher.Match(WorkedExamplePayments());
  matcher.Match({{WorkedExamplePayments()[0]}}, decisions);
  EXPECT_NE(matcher.MatchOf("ch_1")->tier, MatchTier::kReference);
  for (const InvoiceAllocation& allocation : matcher.MatchOf("ch_1")->allocations) {
    EXPECT_NE(allocation.invoice_number, "INV-1001");
  }
  EXPECT_EQ(StandingOf(matcher, "INV-1001").state, InvoiceState::kOpen);
  EXPECT_NE(matcher.MatchOf("ch_1")->evidence.find("a person undid a match with INV-1001"),
            std::string::npos);
  // ... and in a run from scratch that is given the decision (where ch_1, from a@x.de, then
  // pays a@x.de's other 119.00 invoice by email and amount).
  InvoiceMatcher rerun = Matcher(WorkedExampleInvoices());
  rerun.Match(WorkedExamplePayments(), decisions);
  EXPECT_EQ(rerun.MatchOf("ch_1")->allocations,
            (std::vector<InvoiceAllocation>{{"INV-1005", 11900, 0}}));
  // INV-1001 is still open for others: ch_2's 178.50 is INV-1001 + INV-1002 now.
  EXPECT_EQ(rerun.MatchOf("ch_2")->allocations,
            (std::vector<InvoiceAllocation>{{"INV-1001", 11900, 0}, {"INV-1002", 5950, 0}}));
}

TEST(InvoiceMatcher, NoInvoiceStaysNoInvoiceThroughLaterRuns) {
  InvoiceMatcher matcher = Matcher(WorkedExampleInvoices());
  Payment payment = Pay("ch_1", 11900, "", 0, "INV-1001");
  std::vector<Decision> decisions = {
      {.charge_id = "ch_1", .kind = DecisionKind::kNoInvoice, .note = "a donation"}};
  EXPECT_EQ(matcher.Match({{payment}}, decisions)[0].state, MatchState::kNoInvoice);
  payment.adjustments.push_back(Adjustment("re_1", PaymentAdjustmentKind::kRefund, 100, 3));
  PaymentMatch later = matcher.Match({{payment}})[0];
  EXPECT_EQ(later.state, MatchState::kNoInvoice);
  EXPECT_EQ(later.evidence, "no invoice, says a person: a donation");
  EXPECT_EQ(StandingOf(matcher, "INV-1001").state, InvoiceState::kOpen);
}

TEST(InvoiceMatcher, AConfirmedSuggestionIsApplied) {
  InvoiceMatcher matcher = Matcher({Inv("INV-7", 4200, "d@n.de", 10)});
  std::vector<Decision> decisions = {
      {.charge_id = "ch_1", .kind = DecisionKind::kConfirmed, .invoice_numbers = {"INV-7"}}};
  PaymentMatch match = matcher.Match({{Pay("ch_1", 4200, "", 2)}}, decisions)[0];
  EXPECT_EQ(match.tier, MatchTier::kPerson);
  EXPECT_EQ(match.state, MatchState::kPaid);
}

TEST(InvoiceMatcher, RejectsAnInvoiceNumberUsedTwiceWithDifferentAmounts) {
  Result<InvoiceMatcher> matcher = InvoiceMatcher::Create(
      {Inv("INV-1", 11900, "a@x.de"), Inv("inv-1", 12000, "a@x.de")});
  ASSERT_FALSE(matcher.ok());
  EXPECT_EQ(matcher.status().message(),
            "invoice number inv-1 is used twice, with amounts 119.00 EUR and 120.00 EUR");
  Result<InvoiceMatcher> repeated =
      InvoiceMatcher::Create({Inv("INV-1", 11900, "a@x.de"), Inv("INV-1", 11900, "a@x.de")});
  ASSERT_TRUE(repeated.ok());
  EXPECT_EQ(repeated->Invoices().size(), 1u);
  Invoice too_open = Inv("INV-2", 100, "a@x.de");
  too_open.remaining = 200;
  EXPECT_EQ(InvoiceMatcher::Create({too_open}).status().message(),
            "invoice INV-2: open amount 2.00 EUR is not between 0 and the invoice's amount 1.00 EUR");
}

// A deterministic mix of invoices and payments with colliding amounts, shared customers,
// references, refunds, disputes and reversals.
struct Scenario {
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;  // with every adjustment
};

Scenario RandomScenario(unsigned seed) {
  std::mt19937 random(seed);
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  const std::vector<std::int64_t> prices = {5950, 11900, 17850, 23800, 4200, 10000};
  Scenario scenario;
  for (int i = 0; i < 80; ++i) {
    scenario.invoices.push_back(Inv("INV-" + std::to_string(2000 + i), prices[pick(6)],
                                    "c" + std::to_string(pick(15)) + "@x.de", pick(90)));
  }
  for (int i = 0; i < 200; ++i) {
    const Invoice& target = scenario.invoices[pick(80)];
    int kind = pick(5);
    Payment payment = Pay("ch_" + std::to_string(i), kind == 4 ? prices[pick(6)] * (1 + pick(2))
                                                                : target.amount.minor_units,
                          kind == 3 ? "" : target.customer_email, i / 2,
                          kind == 0 ? target.number : "",
                          kind == 1 ? "Invoice " + target.number : "");
    if (pick(6) == 0) {
      payment.adjustments.push_back(Adjustment("re_" + std::to_string(i),
                                               PaymentAdjustmentKind::kRefund, 1000, i / 2 + pick(40)));
    }
    if (pick(10) == 0) {
      int at = i / 2 + pick(30);
      payment.adjustments.push_back(Adjustment("dp_" + std::to_string(i),
                                               PaymentAdjustmentKind::kDispute,
                                               payment.amount.minor_units, at, 1500));
      if (pick(2) == 0) {
        payment.adjustments.push_back(Adjustment("dp_" + std::to_string(i) + ":reversal",
                                                 PaymentAdjustmentKind::kDisputeReversal,
                                                 payment.amount.minor_units, at + 20, 1500));
      }
    }
    scenario.payments.push_back(std::move(payment));
  }
  return scenario;
}

// What a sync up to `until` would have delivered: the payments created by then, each with
// the adjustments made by then.
std::vector<Payment> SeenBy(const std::vector<Payment>& payments, sys_seconds after,
                            sys_seconds until) {
  std::vector<Payment> batch;
  for (const Payment& payment : payments) {
    if (payment.created > until) continue;
    Payment seen = payment;
    std::erase_if(seen.adjustments,
                  [&](const PaymentAdjustment& adjustment) { return adjustment.created > until; });
    bool changed = payment.created > after ||
                   std::any_of(seen.adjustments.begin(), seen.adjustments.end(),
                               [&](const PaymentAdjustment& a) { return a.created > after; });
    if (changed) batch.push_back(std::move(seen));
  }
  return batch;
}

TEST(InvoiceMatcher, IncrementalRunsGiveTheSameResultAsOneRunFromScratch) {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    Scenario scenario = RandomScenario(seed);
    std::vector<Decision> decisions = {
        {.charge_id = "ch_7", .kind = DecisionKind::kNoInvoice},
        {.charge_id = "ch_11", .kind = DecisionKind::kChosen, .invoice_numbers = {"INV-2003"}},
        {.charge_id = "ch_20", .kind = DecisionKind::kUndone, .invoice_numbers = {"INV-2010"}}};

    InvoiceMatcher from_scratch = Matcher(scenario.invoices);
    from_scratch.Match(scenario.payments, decisions);

    InvoiceMatcher incremental = Matcher(scenario.invoices);
    sys_seconds after = sys_seconds::min();
    for (int day : {15, 40, 70, 100, 200}) {
      sys_seconds until = sys_seconds(kDay0 + days(day));
      incremental.Match(SeenBy(scenario.payments, after, until), decisions);
      after = until;
    }

    int matched = 0;
    for (const Payment& payment : scenario.payments) {
      ASSERT_NE(incremental.MatchOf(payment.charge_id), nullptr);
      EXPECT_EQ(*incremental.MatchOf(payment.charge_id), *from_scratch.MatchOf(payment.charge_id))
          << "seed " << seed << ", " << payment.charge_id;
      matched += !from_scratch.MatchOf(payment.charge_id)->allocations.empty();
    }
    EXPECT_EQ(incremental.Invoices(), from_scratch.Invoices()) << "seed " << seed;
    EXPECT_GT(matched, 50) << "the scenario should exercise the tiers";
  }
}

}  // namespace
}  // namespace stripeline::reconcile
