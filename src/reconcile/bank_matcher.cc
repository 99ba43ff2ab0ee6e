#include "reconcile/bank_matcher.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>
#include <tuple>

#include "common/text.h"
#include "reconcile/enum_names.h"

namespace stripeline::reconcile {
namespace {

constexpr NameTable<BankMatchState, 5> kStates{
    {{BankMatchState::kMatched, "matched"},
     {BankMatchState::kAmbiguous, "ambiguous"},
     {BankMatchState::kAwaitingBank, "awaiting_bank"},
     {BankMatchState::kMissingInBank, "missing_in_bank"},
     {BankMatchState::kNotExpected, "not_expected"}}};

bool Contains(std::string_view upper_text, std::string_view needle) {
  std::string upper_needle = ToUpper(Trim(needle));
  return !upper_needle.empty() && upper_text.find(upper_needle) != std::string_view::npos;
}

struct Candidate {
  size_t line;
  bool trace_id = false;
  int score = 0;
  int distance = 0;  // days from the arrival date to the nearer of booking and value date

  auto Rank() const { return std::make_tuple(!trace_id, -score, distance); }
};

}  // namespace

std::string_view Name(BankMatchState state) { return NameIn(kStates, state); }

std::vector<BankMatch> MatchPayoutsToBank(std::span<const Payout> payouts,
                                          std::span<const StatementLine> lines, Date today,
                                          const BankMatchOptions& options) {
  std::map<std::pair<std::string, std::int64_t>, std::vector<size_t>> by_amount;
  for (size_t i = 0; i < lines.size(); ++i) {
    by_amount[{lines[i].amount.currency, lines[i].amount.minor_units}].push_back(i);
  }
  std::vector<std::string> upper_texts(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    upper_texts[i] =
        ToUpper(lines[i].text + " " + lines[i].end_to_end_id + " " + lines[i].bank_reference);
  }

  std::vector<size_t> order(payouts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(payouts[a].arrival_date, payouts[a].id) <
           std::tie(payouts[b].arrival_date, payouts[b].id);
  });
  std::vector<bool> taken(lines.size(), false);
  std::vector<BankMatch> matches(payouts.size());
  for (size_t index : order) {
    const Payout& payout = payouts[index];
    BankMatch& match = matches[index];
    match.payout_id = payout.id;
    if (payout.status == PayoutStatus::kFailed || payout.status == PayoutStatus::kCanceled) {
      match.state = BankMatchState::kNotExpected;
      match.evidence = "the payout " + std::string(Name(payout.status)) + ": nothing to find";
      continue;
    }
    const Date from = AddBusinessDays(payout.arrival_date, -options.business_days_before_arrival);
    const Date to = AddBusinessDays(payout.arrival_date, options.business_days_after_arrival);
    auto in_window = [&](Date date) { return date >= from && date <= to; };
    std::vector<Candidate> candidates;
    auto same_amount = by_amount.find({payout.amount.currency, payout.amount.minor_units});
    if (same_amount != by_amount.end()) {
      for (size_t line_index : same_amount->second) {
        const StatementLine& line = lines[line_index];
        const bool booked_in = in_window(line.booking_date);
        const bool valued_in = line.value_date && in_window(*line.value_date);
        if (taken[line_index] || (!booked_in && !valued_in)) continue;
        Candidate candidate{line_index};
        const std::string& text = upper_texts[line_index];
        candidate.trace_id = Contains(text, payout.trace_id);
        candidate.score = (Contains(text, "STRIPE") ? 1 : 0) +
                          (Contains(text, payout.statement_descriptor) ? 1 : 0);
        for (const std::string& descriptor : options.descriptors) {
          candidate.score += Contains(text, descriptor) ? 1 : 0;
        }
        candidate.distance = std::abs(DaysBetween(payout.arrival_date, line.booking_date));
        if (line.value_date) {
          candidate.distance = std::min(
              candidate.distance, std::abs(DaysBetween(payout.arrival_date, *line.value_date)));
        }
        candidates.push_back(candidate);
      }
    }
    const std::string window = FormatDate(from) + " … " + FormatDate(to);
    if (candidates.empty()) {
      const bool passed = today > to;
      match.state = passed ? BankMatchState::kMissingInBank : BankMatchState::kAwaitingBank;
      match.evidence = "no line of " + FormatAmount(payout.amount.minor_units, payout.amount.currency) +
                       " " + payout.amount.currency + " booked " + window +
                       (passed ? "" : " (so far)");
      continue;
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.Rank() < b.Rank(); });
    if (candidates.size() > 1 && candidates[0].Rank() == candidates[1].Rank()) {
      match.state = BankMatchState::kAmbiguous;
      for (const Candidate& candidate : candidates) {
        if (candidate.Rank() == candidates[0].Rank()) {
          match.candidates.push_back(lines[candidate.line].dedup_key);
        }
      }
      match.evidence = std::to_string(match.candidates.size()) +
                       " lines of the same amount fit equally well within " + window;
      continue;
    }
    const Candidate& best = candidates[0];
    taken[best.line] = true;
    match.state = BankMatchState::kMatched;
    match.line_key = lines[best.line].dedup_key;
    match.evidence = "amount and date (" + std::to_string(best.distance) + " days from arrival)" +
                     (best.trace_id ? ", trace id" : "") +
                     (best.score > 0 ? ", Stripe named in the text" : "") +
                     (candidates.size() > 1
                          ? "; best of " + std::to_string(candidates.size()) + " lines"
                          : "");
  }
  return matches;
}

}  // namespace stripeline::reconcile
