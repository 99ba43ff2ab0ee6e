// Payouts matched to bank statement lines: the window in business days, the scoring, one line
// per payout, and payouts missing in the bank.
#include "reconcile/bank_matcher.h"

#include <gtest/gtest.h>

#include <vector>

namespace stripeline::reconcile {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date March(unsigned d) { return Date{year(2024), month(3), day(d)}; }  // 1 March 2024: a Friday

Payout PayoutArriving(std::string id, std::int64_t cents, Date arrival, std::string trace = "") {
  return {.id = std::move(id),
          .amount = {cents, "EUR"},
          .arrival_date = arrival,
          .trace_id = std::move(trace)};
}

StatementLine Line(std::string key, std::int64_t cents, Date booked, std::string text,
                   std::string currency = "EUR") {
  return {.booking_date = booked,
          .value_date = booked,
          .amount = {cents, std::move(currency)},
          .text = std::move(text),
          .dedup_key = std::move(key)};
}

TEST(MatchPayoutsToBank, OneLineOfTheAmountInTheWindowIsTheMatch) {
  std::vector<Payout> payouts = {PayoutArriving("po_1", 10395, March(4))};
  std::vector<StatementLine> lines = {Line("l1", 10395, March(5), "STRIPE PAYMENTS"),
                                      Line("l2", 10395, March(5), "STRIPE", "USD"),
                                      Line("l3", -10395, March(5), "STRIPE")};
  std::vector<BankMatch> matches = MatchPayoutsToBank(payouts, lines, March(20));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].state, BankMatchState::kMatched);
  EXPECT_EQ(matches[0].line_key, "l1");
}

TEST(MatchPayoutsToBank, TheWindowRunsFromOneBusinessDayBeforeToThreeAfter) {
  // Arrival Monday 4 March: the window is Friday 1 March ... Thursday 7 March.
  Payout payout = PayoutArriving("po_1", 5000, March(4));
  for (auto [booked, inside] : std::vector<std::pair<Date, bool>>{{Date{year(2024), month(2), day(29)}, false},
                                                                  {March(1), true},
                                                                  {March(7), true},
                                                                  {March(8), false}}) {
    StatementLine line = Line("l", 5000, booked, "STRIPE");
    line.value_date.reset();
    std::vector<BankMatch> matches = MatchPayoutsToBank({{payout}}, {{line}}, March(30));
    EXPECT_EQ(matches[0].state, inside ? BankMatchState::kMatched : BankMatchState::kMissingInBank)
        << FormatDate(booked);
  }
}

TEST(MatchPayoutsToBank, TheValueDateCountsWhenTheBookingDateIsOutside) {
  StatementLine line = Line("l", 5000, March(11), "STRIPE");
  line.value_date = March(6);
  EXPECT_EQ(MatchPayoutsToBank({{PayoutArriving("po_1", 5000, March(4))}}, {{line}}, March(30))[0].state,
            BankMatchState::kMatched);
}

TEST(MatchPayoutsToBank, ANegativePayoutMatchesADebit) {
  std::vector<StatementLine> lines = {Line("credit", 2500, March(4), "STRIPE"),
                                      Line("debit", -2500, March(4), "STRIPE")};
  std::vector<BankMatch> matches =
      MatchPayoutsToBank({{PayoutArriving("po_neg", -2500, March(4))}}, lines, March(30));
  EXPECT_EQ(matches[0].line_key, "debit");
}

TEST(MatchPayoutsToBank, SeveralLinesAreDecidedByTraceIdThenStripeInTheTextThenTheNearestDate) {
  Payout payout = PayoutArriving("po_1", 5000, March(4), "TRACE-42");
  {
    std::vector<StatementLine> lines = {Line("near", 5000, March(4), "STRIPE"),
                                        Line("traced", 5000, March(6), "ref TRACE-42")};
    EXPECT_EQ(MatchPayoutsToBank({{payout}}, lines, March(30))[0].line_key, "traced");
  }
  {
    std::vector<StatementLine> lines = {Line("other", 5000, March(4), "Miete"),
                                        Line("stripe", 5000, March(6), "Stripe Payments")};
    EXPECT_EQ(MatchPayoutsToBank({{payout}}, lines, March(30))[0].line_key, "stripe");
  }
  {
    std::vector<StatementLine> lines = {Line("later", 5000, March(6), "STRIPE"),
                                        Line("nearer", 5000, March(5), "STRIPE")};
    EXPECT_EQ(MatchPayoutsToBank({{payout}}, lines, March(30))[0].line_key, "nearer");
  }
}

TEST(MatchPayoutsToBank, TheConfiguredDescriptorScoresLikeStripe) {
  std::vector<StatementLine> lines = {Line("plain", 5000, March(4), "Gutschrift"),
                                      Line("named", 5000, March(5), "ACME SHOP AUSZAHLUNG")};
  BankMatchOptions options{.descriptors = {"acme shop"}};
  EXPECT_EQ(MatchPayoutsToBank({{PayoutArriving("po_1", 5000, March(4))}}, lines, March(30), options)[0]
                .line_key,
            "named");
}

TEST(MatchPayoutsToBank, LinesThatFitEquallyWellAreAmbiguous) {
  std::vector<StatementLine> lines = {Line("a", 5000, March(5), "STRIPE"),
                                      Line("b", 5000, March(5), "STRIPE")};
  BankMatch match = MatchPayoutsToBank({{PayoutArriving("po_1", 5000, March(4))}}, lines, March(30))[0];
  EXPECT_EQ(match.state, BankMatchState::kAmbiguous);
  EXPECT_EQ(match.candidates, (std::vector<std::string>{"a", "b"}));
}

TEST(MatchPayoutsToBank, ALineIsTakenByOnePayoutOnly) {
  std::vector<Payout> payouts = {PayoutArriving("po_2", 5000, March(5)),
                                 PayoutArriving("po_1", 5000, March(4))};
  std::vector<StatementLine> lines = {Line("first", 5000, March(4), "STRIPE"),
                                      Line("second", 5000, March(6), "STRIPE")};
  std::vector<BankMatch> matches = MatchPayoutsToBank(payouts, lines, March(30));
  EXPECT_EQ(matches[1].line_key, "first");  // po_1 arrives first and takes the nearer line
  EXPECT_EQ(matches[0].line_key, "second");
}

TEST(MatchPayoutsToBank, APayoutPastItsWindowWithoutALineIsMissingInBank) {
  Payout payout = PayoutArriving("po_1", 5000, March(4));
  BankMatch waiting = MatchPayoutsToBank({{payout}}, {}, March(7))[0];
  EXPECT_EQ(waiting.state, BankMatchState::kAwaitingBank);
  BankMatch missing = MatchPayoutsToBank({{payout}}, {}, March(8))[0];
  EXPECT_EQ(missing.state, BankMatchState::kMissingInBank);
  EXPECT_EQ(missing.evidence, "no line of 50.00 EUR booked 2024-03-01 … 2024-03-07");
}

TEST(MatchPayoutsToBank, FailedPayoutsAreNotExpectedInTheBank) {
  Payout payout = PayoutArriving("po_1", 5000, March(4));
  payout.status = PayoutStatus::kFailed;
  EXPECT_EQ(MatchPayoutsToBank({{payout}}, {}, March(30))[0].state, BankMatchState::kNotExpected);
}

}  // namespace
}  // namespace stripeline::reconcile
