#include "reconcile/invoice_matcher.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <tuple>

#include "common/text.h"
#include "reconcile/enum_names.h"

namespace stripeline::reconcile {
namespace {

constexpr NameTable<PaymentAdjustmentKind, 3> kAdjustmentKinds{
    {{PaymentAdjustmentKind::kRefund, "refund"},
     {PaymentAdjustmentKind::kDispute, "dispute"},
     {PaymentAdjustmentKind::kDisputeReversal, "dispute_reversal"}}};
constexpr NameTable<DecisionKind, 4> kDecisionKinds{{{DecisionKind::kConfirmed, "confirmed"},
                                                     {DecisionKind::kChosen, "chosen"},
                                                     {DecisionKind::kUndone, "undone"},
                                                     {DecisionKind::kNoInvoice, "no_invoice"}}};
constexpr NameTable<MatchTier, 6> kTiers{{{MatchTier::kPerson, "person"},
                                          {MatchTier::kReference, "reference"},
                                          {MatchTier::kEmailAndAmount, "email_and_amount"},
                                          {MatchTier::kCustomerSum, "customer_sum"},
                                          {MatchTier::kAmountAndDate, "amount_and_date"},
                                          {MatchTier::kNone, "none"}}};
constexpr NameTable<MatchState, 8> kMatchStates{{{MatchState::kPaid, "paid"},
                                                 {MatchState::kPartial, "partial"},
                                                 {MatchState::kOverpaid, "overpaid"},
                                                 {MatchState::kReversed, "reversed"},
                                                 {MatchState::kAmbiguous, "ambiguous"},
                                                 {MatchState::kSuggestion, "suggestion"},
                                                 {MatchState::kUnmatched, "unmatched"},
                                                 {MatchState::kNoInvoice, "no_invoice"}}};
constexpr NameTable<InvoiceState, 4> kInvoiceStates{{{InvoiceState::kOpen, "open"},
                                                     {InvoiceState::kPartial, "partial"},
                                                     {InvoiceState::kPaid, "paid"},
                                                     {InvoiceState::kOverpaid, "overpaid"}}};

std::string Upper(std::string_view text) { return ToUpper(Trim(text)); }

bool IsReferenceChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '-' || c == '_' || c == '/' || c == '.';
}

// The words of a text that could be invoice numbers, upper case: "Rechnung INV-1001." names
// "RECHNUNG" and "INV-1001".
std::vector<std::string> ReferenceTokens(std::string_view text) {
  std::vector<std::string> tokens;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && !IsReferenceChar(text[at])) ++at;
    size_t end = at;
    while (end < text.size() && IsReferenceChar(text[end])) ++end;
    std::string_view token = text.substr(at, end - at);
    while (!token.empty() && (token.back() == '.' || token.back() == '-' || token.back() == '/')) {
      token.remove_suffix(1);
    }
    if (!token.empty()) tokens.push_back(Upper(token));
    at = end;
  }
  return tokens;
}

// "EUR" as a number, for index keys.
std::uint32_t CurrencyCode(std::string_view currency) {
  std::uint32_t code = 0;
  for (char c : currency.substr(0, 3)) code = code << 8 | static_cast<unsigned char>(c);
  return code;
}

bool Contains(const std::vector<size_t>& invoices, size_t invoice) {
  return std::find(invoices.begin(), invoices.end(), invoice) != invoices.end();
}

std::string Amount(std::int64_t minor_units, std::string_view currency) {
  return FormatAmount(minor_units, currency) + " " + std::string(currency);
}

// Every combination of at most `max_size` of `amounts` summing to `target`, up to `limit`
// of them (index lists, increasing). Amounts are positive, so a branch stops once it exceeds
// the target.
std::vector<std::vector<size_t>> CombinationsSummingTo(const std::vector<std::int64_t>& amounts,
                                                       std::int64_t target, int max_size,
                                                       size_t limit) {
  std::vector<size_t> order(amounts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return amounts[a] < amounts[b]; });
  std::vector<std::vector<size_t>> found;
  std::vector<size_t> chosen;
  auto search = [&](auto& self, size_t from, std::int64_t sum) -> void {
    for (size_t i = from; i < order.size() && found.size() < limit; ++i) {
      std::int64_t next = sum + amounts[order[i]];
      if (next > target) break;
      chosen.push_back(order[i]);
      if (next == target) {
        std::vector<size_t> combination = chosen;
        std::sort(combination.begin(), combination.end());
        found.push_back(std::move(combination));
      } else if (static_cast<int>(chosen.size()) < max_size) {
        self(self, i + 1, next);
      }
      chosen.pop_back();
    }
  };
  search(search, 0, 0);
  return found;
}

}  // namespace

std::string_view Name(PaymentAdjustmentKind kind) { return NameIn(kAdjustmentKinds, kind); }
std::string_view Name(DecisionKind kind) { return NameIn(kDecisionKinds, kind); }
Result<DecisionKind> ParseDecisionKind(std::string_view name) {
  return ParseIn(kDecisionKinds, name, "decision");
}
std::string_view Name(MatchTier tier) { return NameIn(kTiers, tier); }
std::string_view Name(MatchState state) { return NameIn(kMatchStates, state); }
std::string_view Name(InvoiceState state) { return NameIn(kInvoiceStates, state); }

size_t InvoiceMatcher::IndexKeyHash::operator()(const IndexKey& key) const {
  std::uint64_t mixed = (static_cast<std::uint64_t>(key.customer) << 32 | key.currency) *
                            0x9E3779B97F4A7C15ull ^
                        static_cast<std::uint64_t>(key.amount) * 0xC2B2AE3D27D4EB4Full;
  return static_cast<size_t>(mixed ^ mixed >> 29);
}

struct InvoiceMatcher::Event {
  std::chrono::sys_seconds time;
  int order;  // at the same instant a payment is received before what happens to it
  PaymentRecord* record;  // a node of payments_: stable
  const PaymentAdjustment* adjustment;  // in the batch; nullptr: the payment is received

  auto SortKey() const {
    return std::tie(time, order, record->payment.charge_id,
                    adjustment ? adjustment->id : record->payment.charge_id);
  }
};

Result<InvoiceMatcher> InvoiceMatcher::Create(std::vector<Invoice> invoices,
                                              MatchOptions options) {
  InvoiceMatcher matcher(std::move(options));
  matcher.invoices_.reserve(invoices.size());
  for (Invoice& invoice : invoices) {
    std::string number = Upper(invoice.number);
    if (number.empty()) return Status::InvalidArgument("an invoice has no number");
    Result<std::string> currency = ParseCurrency(invoice.amount.currency);
    if (!currency.ok()) return currency.status().WithContext("invoice " + invoice.number);
    invoice.amount.currency = *currency;
    if (invoice.amount.minor_units <= 0) {
      return Status::InvalidArgument("invoice " + invoice.number + ": amount " +
                                     Amount(invoice.amount.minor_units, *currency) +
                                     " is not positive");
    }
    if (invoice.remaining < 0 || invoice.remaining > invoice.amount.minor_units) {
      return Status::InvalidArgument(
          "invoice " + invoice.number + ": open amount " + Amount(invoice.remaining, *currency) +
          " is not between 0 and the invoice's amount " +
          Amount(invoice.amount.minor_units, *currency));
    }
    if (auto seen = matcher.by_number_.find(number); seen != matcher.by_number_.end()) {
      const Invoice& first = matcher.invoices_[seen->second].invoice;
      if (first.amount == invoice.amount) continue;
      return Status::InvalidArgument("invoice number " + invoice.number +
                                     " is used twice, with amounts " +
                                     Amount(first.amount.minor_units, first.amount.currency) +
                                     " and " + Amount(invoice.amount.minor_units, *currency));
    }
    size_t index = matcher.invoices_.size();
    std::string email = ToLower(Trim(invoice.customer_email));
    CustomerId customer = 0;
    if (!email.empty()) {
      auto [known, added] = matcher.customers_.try_emplace(
          email, static_cast<CustomerId>(matcher.customers_.size() + 1));
      customer = known->second;
    }
    const std::uint32_t currency_code = CurrencyCode(*currency);
    matcher.invoices_.push_back({std::move(invoice), customer, currency_code, 0, 0});
    InvoiceEntry& entry = matcher.invoices_.back();
    entry.remaining = entry.invoice.remaining;
    matcher.by_number_.emplace(std::move(number), index);
    if (customer != 0) matcher.by_customer_[{customer, currency_code, 0}].push_back(index);
    matcher.by_amount_[{0, currency_code, entry.invoice.amount.minor_units}].push_back(index);
    matcher.IndexOpenAmount(index);
  }
  for (auto& [key, indexes] : matcher.by_amount_) {
    std::stable_sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) {
      return std::chrono::sys_days(matcher.invoices_[a].invoice.due_date) <
             std::chrono::sys_days(matcher.invoices_[b].invoice.due_date);
    });
  }
  return matcher;
}

void InvoiceMatcher::IndexOpenAmount(size_t invoice) {
  const InvoiceEntry& entry = invoices_[invoice];
  if (entry.remaining <= 0) return;
  if (entry.customer != 0) {
    by_customer_open_amount_[{entry.customer, entry.currency, entry.remaining}].push_back(invoice);
  }
  if (entry.remaining != entry.invoice.amount.minor_units) {
    by_partial_open_amount_[{0, entry.currency, entry.remaining}].push_back(invoice);
  }
}

std::optional<std::int64_t> InvoiceMatcher::AmountIn(const Payment& payment,
                                                     std::string_view currency) const {
  if (payment.amount.currency == currency) return payment.amount.minor_units;
  if (!payment.conversion || payment.conversion->currency != currency) return std::nullopt;
  const int shift = CurrencyDecimals(currency) - CurrencyDecimals(payment.amount.currency);
  return std::llround(static_cast<double>(payment.amount.minor_units) * payment.conversion->rate *
                      std::pow(10.0, shift));
}

InvoiceMatcher::CustomerId InvoiceMatcher::CustomerOf(std::string_view email) const {
  email = Trim(email);
  if (email.empty()) return 0;
  const bool lower = std::none_of(email.begin(), email.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  auto found = lower ? customers_.find(email) : customers_.find(ToLower(email));
  return found == customers_.end() ? 0 : found->second;
}

std::vector<std::string> InvoiceMatcher::Currencies(const Payment& payment) const {
  std::vector<std::string> currencies{payment.amount.currency};
  if (payment.conversion && payment.conversion->currency != payment.amount.currency) {
    currencies.push_back(payment.conversion->currency);
  }
  return currencies;
}

std::vector<PaymentMatch> InvoiceMatcher::Match(std::span<const Payment> payments,
                                                std::span<const Decision> decisions) {
  std::unordered_map<std::string, const Decision*> decision_of;
  for (const Decision& decision : decisions) decision_of[decision.charge_id] = &decision;

  std::vector<Event> events;
  std::vector<PaymentRecord*> batch;
  batch.reserve(payments.size());
  payments_.reserve(payments_.size() + payments.size());
  for (const Payment& payment : payments) {
    auto [it, is_new] = payments_.try_emplace(payment.charge_id);
    PaymentRecord& record = it->second;
    batch.push_back(&record);
    // The texts are kept until the end of the run: a decision below may need them.
    record.payment.charge_id = payment.charge_id;
    record.payment.amount = payment.amount;
    record.payment.customer_email = payment.customer_email;
    record.payment.metadata = payment.metadata;
    record.payment.description = payment.description;
    record.payment.created = payment.created;
    record.payment.conversion = payment.conversion;
    if (is_new) {
      if (auto decided = decision_of.find(payment.charge_id); decided != decision_of.end()) {
        record.decision = std::make_unique<Decision>(*decided->second);
      }
      events.push_back({payment.created, 0, &record, nullptr});
    }
    for (const PaymentAdjustment& adjustment : payment.adjustments) {
      if (std::find(record.applied_adjustments.begin(), record.applied_adjustments.end(),
                    adjustment.id) != record.applied_adjustments.end()) {
        continue;
      }
      record.applied_adjustments.push_back(adjustment.id);
      events.push_back({adjustment.created, 1, &record, &adjustment});
    }
  }
  // A new decision about a payment matched before replaces what was automatic, first.
  for (const Decision& decision : decisions) {
    auto known = payments_.find(decision.charge_id);
    // A payment of this batch not yet received (no match yet) takes its decision then.
    if (known == payments_.end() || known->second.match.charge_id.empty()) continue;
    const Decision* previous = known->second.decision.get();
    bool same = previous && previous->kind == decision.kind &&
                previous->invoice_numbers == decision.invoice_numbers;
    if (!same) Decide(known->second, decision);
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.SortKey() < b.SortKey(); });
  for (const Event& event : events) {
    if (event.adjustment) {
      Adjust(*event.record, *event.adjustment);
    } else {
      Receive(*event.record);
    }
  }

  std::vector<PaymentMatch> matches;
  matches.reserve(payments.size());
  for (PaymentRecord* record : batch) {
    matches.push_back(record->match);
    Payment& kept = record->payment;
    kept.customer_email = std::string();
    kept.description = std::string();
    kept.metadata.clear();
  }
  return matches;
}

const PaymentMatch* InvoiceMatcher::MatchOf(std::string_view charge_id) const {
  auto found = payments_.find(charge_id);
  return found == payments_.end() ? nullptr : &found->second.match;
}

std::vector<InvoiceStanding> InvoiceMatcher::Invoices() const {
  std::vector<InvoiceStanding> standings;
  standings.reserve(invoices_.size());
  for (const InvoiceEntry& entry : invoices_) {
    InvoiceState state = entry.overpaid > 0                                  ? InvoiceState::kOverpaid
                         : entry.remaining == 0                              ? InvoiceState::kPaid
                         : entry.remaining == entry.invoice.amount.minor_units ? InvoiceState::kOpen
                                                                             : InvoiceState::kPartial;
    standings.push_back(
        {entry.invoice.number, entry.invoice.amount, entry.remaining, entry.overpaid, state});
  }
  return standings;
}

void InvoiceMatcher::Receive(PaymentRecord& record) {
  if (record.decision) {
    Decision decision = *record.decision;
    Decide(record, decision);
  } else {
    MatchAutomatically(record, {});
  }
}

void InvoiceMatcher::Adjust(PaymentRecord& record, const PaymentAdjustment& adjustment) {
  switch (adjustment.kind) {
    case PaymentAdjustmentKind::kRefund:
      record.refunded += adjustment.amount;
      break;
    case PaymentAdjustmentKind::kDispute:
      record.disputed += adjustment.amount;
      record.dispute_fees += adjustment.fee;
      break;
    case PaymentAdjustmentKind::kDisputeReversal:
      record.reversed += adjustment.amount;
      record.dispute_fees -= adjustment.fee;
      break;
  }
  if (!record.targets.empty()) {
    Allocate(record);
    return;
  }
  // Not applied to an invoice: only what the payment is worth now changes.
  const Payment& payment = record.payment;
  std::int64_t taken_back = record.refunded + record.disputed - record.reversed;
  record.match.effective_amount = payment.amount.minor_units - taken_back;
  record.match.dispute_fees = record.dispute_fees;
}

void InvoiceMatcher::Decide(PaymentRecord& record, const Decision& decision) {
  Release(record);
  record.targets.clear();
  record.decision = std::make_unique<Decision>(decision);
  const Payment& payment = record.payment;
  std::string note = decision.note.empty() ? "" : ": " + decision.note;
  Excluded named;
  std::vector<size_t> targets;
  for (const std::string& number : decision.invoice_numbers) {
    auto found = by_number_.find(Upper(number));
    if (found == by_number_.end()) continue;
    named.push_back(found->second);
    if (AmountIn(payment, invoices_[found->second].invoice.amount.currency)) {
      targets.push_back(found->second);
    }
  }
  switch (decision.kind) {
    case DecisionKind::kConfirmed:
    case DecisionKind::kChosen:
      if (!targets.empty()) {
        const std::string& currency = invoices_[targets.front()].invoice.amount.currency;
        std::erase_if(targets, [&](size_t target) {
          return invoices_[target].invoice.amount.currency != currency;
        });
        record.match = PaymentMatch{.charge_id = payment.charge_id,
                                    .tier = MatchTier::kPerson,
                                    .currency = currency,
                                    .compared_amount = *AmountIn(payment, currency),
                                    .evidence = std::string(Name(decision.kind)) +
                                                " by a person" + note};
        record.targets = std::move(targets);
        Allocate(record);
        return;
      }
      record.match = PaymentMatch{.charge_id = payment.charge_id,
                                  .tier = MatchTier::kPerson,
                                  .state = MatchState::kUnmatched,
                                  .currency = payment.amount.currency,
                                  .compared_amount = payment.amount.minor_units,
                                  .effective_amount = payment.amount.minor_units,
                                  .evidence = "the decision names no known invoice in " +
                                              payment.amount.currency + note};
      return;
    case DecisionKind::kNoInvoice:
      record.match = PaymentMatch{.charge_id = payment.charge_id,
                                  .tier = MatchTier::kPerson,
                                  .state = MatchState::kNoInvoice,
                                  .currency = payment.amount.currency,
                                  .compared_amount = payment.amount.minor_units,
                                  .effective_amount = payment.amount.minor_units,
                                  .evidence = "no invoice, says a person" + note};
      return;
    case DecisionKind::kUndone:
      MatchAutomatically(record, named);
      record.match.evidence += " (a person undid a match" +
                               (decision.invoice_numbers.empty()
                                    ? std::string()
                                    : " with " + decision.invoice_numbers.front() +
                                          (decision.invoice_numbers.size() > 1 ? ", ..." : "")) +
                               note + ")";
      return;
  }
}

void InvoiceMatcher::MatchAutomatically(PaymentRecord& record, const Excluded& excluded) {
  Release(record);
  record.targets.clear();
  const Payment& payment = record.payment;
  std::int64_t taken_back = record.refunded + record.disputed - record.reversed;
  record.match = PaymentMatch{.charge_id = payment.charge_id,
                              .tier = MatchTier::kNone,
                              .state = MatchState::kUnmatched,
                              .currency = payment.amount.currency,
                              .compared_amount = payment.amount.minor_units,
                              .effective_amount = payment.amount.minor_units - taken_back,
                              .dispute_fees = record.dispute_fees,
                              .evidence = "no invoice's number, customer or amount fits"};
  if (MatchByReference(record, excluded)) return;
  if (CustomerId customer = CustomerOf(payment.customer_email); customer != 0) {
    if (MatchByEmailAndAmount(record, customer, excluded)) return;
    if (MatchByCustomerSum(record, customer, excluded)) return;
  }
  SuggestByAmountAndDate(record, excluded);
}

std::int64_t InvoiceMatcher::InCurrency(const PaymentRecord& record, std::int64_t amount,
                                        std::string_view currency) const {
  const Payment& payment = record.payment;
  return AmountIn(Payment{.amount = {amount, payment.amount.currency},
                          .conversion = payment.conversion},
                  currency)
      .value_or(0);
}

void InvoiceMatcher::Propose(PaymentRecord& record, MatchTier tier, MatchState state,
                             const std::string& currency,
                             std::vector<std::vector<std::string>> candidates,
                             std::string evidence) {
  PaymentMatch& match = record.match;
  match.tier = tier;
  match.state = state;
  match.currency = currency;
  match.compared_amount = *AmountIn(record.payment, currency);
  match.effective_amount =
      match.compared_amount -
      InCurrency(record, record.refunded + record.disputed - record.reversed, currency);
  match.dispute_fees = InCurrency(record, record.dispute_fees, currency);
  match.candidates = std::move(candidates);
  match.evidence = std::move(evidence);
}

bool InvoiceMatcher::MatchByReference(PaymentRecord& record, const Excluded& excluded) {
  const Payment& payment = record.payment;
  std::vector<size_t> found;
  std::string evidence;
  auto look_in = [&](std::string_view text, const std::string& where) {
    for (const std::string& token : ReferenceTokens(text)) {
      auto invoice = by_number_.find(token);
      if (invoice == by_number_.end() || Contains(excluded, invoice->second) ||
          Contains(found, invoice->second) ||
          !AmountIn(payment, invoices_[invoice->second].invoice.amount.currency)) {
        continue;
      }
      found.push_back(invoice->second);
      evidence += (evidence.empty() ? "" : ", ") + where + " names " +
                  invoices_[invoice->second].invoice.number;
    }
  };
  if (auto value = payment.metadata.find(options_.metadata_key); value != payment.metadata.end()) {
    look_in(value->second, "metadata " + options_.metadata_key);
  }
  look_in(payment.description, "the description");
  if (found.empty()) return false;
  const std::string currency = invoices_[found.front()].invoice.amount.currency;
  std::erase_if(found, [&](size_t i) { return invoices_[i].invoice.amount.currency != currency; });
  record.match.tier = MatchTier::kReference;
  record.match.currency = currency;
  record.match.compared_amount = *AmountIn(payment, currency);
  record.match.evidence = evidence;
  record.targets = std::move(found);
  Allocate(record);
  return true;
}

bool InvoiceMatcher::MatchByEmailAndAmount(PaymentRecord& record, CustomerId customer,
                                           const Excluded& excluded) {
  const Payment& payment = record.payment;
  const std::string email = ToLower(Trim(payment.customer_email));
  const Date day = DayOf(payment.created);
  for (const std::string& currency : Currencies(payment)) {
    const std::int64_t amount = *AmountIn(payment, currency);
    const bool converted = currency != payment.amount.currency;
    const std::int64_t tolerance =
        converted ? std::llabs(amount) * options_.fx_tolerance_basis_points / 10000 : 0;
    std::vector<size_t> candidates;
    auto consider = [&](size_t invoice) {
      if (IsOpen(invoice) && std::llabs(invoices_[invoice].remaining - amount) <= tolerance &&
          !Contains(excluded, invoice) && !Contains(candidates, invoice)) {
        candidates.push_back(invoice);
      }
    };
    const std::uint32_t currency_code = CurrencyCode(currency);
    if (tolerance == 0) {
      auto exact = by_customer_open_amount_.find({customer, currency_code, amount});
      if (exact != by_customer_open_amount_.end()) {
        for (size_t invoice : exact->second) consider(invoice);
      }
    } else if (auto invoices = by_customer_.find({customer, currency_code, 0});
               invoices != by_customer_.end()) {
      for (size_t invoice : invoices->second) consider(invoice);
    }
    if (candidates.empty()) continue;
    auto distance = [&](size_t invoice) {
      return std::abs(DaysBetween(day, invoices_[invoice].invoice.due_date));
    };
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](size_t a, size_t b) { return distance(a) < distance(b); });
    std::string evidence = email + " and the amount " + Amount(amount, currency);
    if (candidates.size() > 1 && distance(candidates[0]) == distance(candidates[1])) {
      std::vector<std::vector<std::string>> listed;
      for (size_t invoice : candidates) listed.push_back({invoices_[invoice].invoice.number});
      Propose(record, MatchTier::kEmailAndAmount, MatchState::kAmbiguous, currency,
              std::move(listed),
              evidence + " fit " + std::to_string(candidates.size()) +
                  " invoices due equally near the payment");
      return true;
    }
    record.match.tier = MatchTier::kEmailAndAmount;
    record.match.currency = currency;
    record.match.compared_amount = amount;
    record.match.evidence =
        evidence + (candidates.size() > 1 ? ", the invoice due nearest of " +
                                                std::to_string(candidates.size())
                                          : std::string());
    record.targets = {candidates.front()};
    Allocate(record);
    return true;
  }
  return false;
}

bool InvoiceMatcher::MatchByCustomerSum(PaymentRecord& record, CustomerId customer,
                                        const Excluded& excluded) {
  const Payment& payment = record.payment;
  const std::string email = ToLower(Trim(payment.customer_email));
  for (const std::string& currency : Currencies(payment)) {
    auto invoices = by_customer_.find({customer, CurrencyCode(currency), 0});
    if (invoices == by_customer_.end()) continue;
    std::vector<size_t> open;
    for (size_t invoice : invoices->second) {
      if (IsOpen(invoice) && !Contains(excluded, invoice)) open.push_back(invoice);
    }
    if (open.empty()) continue;
    const std::int64_t amount = *AmountIn(payment, currency);
    auto by_due_date = [&](size_t a, size_t b) {
      return std::chrono::sys_days(invoices_[a].invoice.due_date) <
             std::chrono::sys_days(invoices_[b].invoice.due_date);
    };
    if (static_cast<int>(open.size()) <= options_.subset_max_open_invoices) {
      std::vector<std::int64_t> amounts;
      for (size_t invoice : open) amounts.push_back(invoices_[invoice].remaining);
      // Two combinations are enough to know it is ambiguous; a few more show the person.
      auto combinations = CombinationsSummingTo(amounts, amount, options_.subset_max_invoices, 5);
      std::vector<std::vector<size_t>> sets;
      for (const auto& combination : combinations) {
        std::vector<size_t> invoices;
        for (size_t position : combination) invoices.push_back(open[position]);
        std::stable_sort(invoices.begin(), invoices.end(), by_due_date);
        sets.push_back(std::move(invoices));
      }
      auto numbers = [&](const std::vector<size_t>& invoices) {
        std::vector<std::string> listed;
        for (size_t invoice : invoices) listed.push_back(invoices_[invoice].invoice.number);
        return listed;
      };
      if (sets.size() == 1) {
        std::string joined;
        for (const std::string& number : numbers(sets[0])) {
          joined += (joined.empty() ? "" : " + ") + number;
        }
        record.match.tier = MatchTier::kCustomerSum;
        record.match.currency = currency;
        record.match.compared_amount = amount;
        record.match.evidence = email + ": " + joined + " = " + Amount(amount, currency);
        record.targets = std::move(sets[0]);
        Allocate(record);
        return true;
      }
      if (sets.size() > 1) {
        std::vector<std::vector<std::string>> listed;
        for (const auto& set : sets) listed.push_back(numbers(set));
        Propose(record, MatchTier::kCustomerSum, MatchState::kAmbiguous, currency,
                std::move(listed),
                email + ": several combinations of open invoices make " +
                    Amount(amount, currency));
        return true;
      }
    }
    if (open.size() == 1 && amount < invoices_[open[0]].remaining) {
      record.match.tier = MatchTier::kCustomerSum;
      record.match.currency = currency;
      record.match.compared_amount = amount;
      record.match.evidence = email + ": " + invoices_[open[0]].invoice.number +
                              " is the customer's only open invoice and larger than the payment";
      record.targets = {open[0]};
      Allocate(record);
      return true;
    }
  }
  return false;
}

bool InvoiceMatcher::SuggestByAmountAndDate(PaymentRecord& record, const Excluded& excluded) {
  const Payment& payment = record.payment;
  const std::chrono::sys_days day(DayOf(payment.created));
  const std::chrono::sys_days earliest_due = day - std::chrono::days(options_.window_days_after_due);
  const std::chrono::sys_days latest_due = day + std::chrono::days(options_.window_days_before_due);
  auto due = [&](size_t invoice) { return std::chrono::sys_days(invoices_[invoice].invoice.due_date); };
  for (const std::string& currency : Currencies(payment)) {
    const std::int64_t amount = *AmountIn(payment, currency);
    std::vector<size_t> candidates;
    auto consider = [&](size_t invoice) {
      if (!Contains(excluded, invoice) && due(invoice) >= earliest_due &&
          due(invoice) <= latest_due && !Contains(candidates, invoice)) {
        candidates.push_back(invoice);
      }
    };
    const std::uint32_t currency_code = CurrencyCode(currency);
    if (auto same = by_amount_.find({0, currency_code, amount}); same != by_amount_.end()) {
      auto first = std::lower_bound(same->second.begin(), same->second.end(), earliest_due,
                                    [&](size_t invoice, std::chrono::sys_days at) {
                                      return due(invoice) < at;
                                    });
      // Listing a handful is enough for a person; more only says "ambiguous" louder.
      for (auto it = first; it != same->second.end() && due(*it) <= latest_due &&
                            candidates.size() < 10;
           ++it) {
        consider(*it);
      }
    }
    if (auto partly = by_partial_open_amount_.find({0, currency_code, amount});
        partly != by_partial_open_amount_.end()) {
      for (size_t invoice : partly->second) {
        if (invoices_[invoice].remaining == amount) consider(invoice);
      }
    }
    if (candidates.empty()) continue;
    std::string evidence = "only the amount " + Amount(amount, currency) + " and the date fit";
    if (candidates.size() == 1 && !IsOpen(candidates[0])) {
      Propose(record, MatchTier::kAmountAndDate, MatchState::kUnmatched, currency,
              {}, "the amount equals " + invoices_[candidates[0]].invoice.number +
                      ", which is paid: a second payment?");
      return true;
    }
    std::vector<std::vector<std::string>> listed;
    for (size_t invoice : candidates) listed.push_back({invoices_[invoice].invoice.number});
    Propose(record, MatchTier::kAmountAndDate,
            candidates.size() == 1 ? MatchState::kSuggestion : MatchState::kAmbiguous, currency,
            std::move(listed),
            candidates.size() == 1 ? evidence
                                   : evidence + " " + std::to_string(candidates.size()) +
                                         " invoices (open or paid)");
    return true;
  }
  return false;
}

void InvoiceMatcher::Release(PaymentRecord& record) {
  for (size_t i = 0; i < record.match.allocations.size() && i < record.targets.size(); ++i) {
    InvoiceEntry& entry = invoices_[record.targets[i]];
    entry.remaining += record.match.allocations[i].applied;
    entry.overpaid -= record.match.allocations[i].excess;
    IndexOpenAmount(record.targets[i]);
  }
  record.match.allocations.clear();
}

void InvoiceMatcher::Allocate(PaymentRecord& record) {
  Release(record);
  PaymentMatch& match = record.match;
  const Payment& payment = record.payment;
  match.effective_amount =
      match.compared_amount -
      InCurrency(record, record.refunded + record.disputed - record.reversed, match.currency);
  match.dispute_fees = InCurrency(record, record.dispute_fees, match.currency);
  std::int64_t open_before = 0;
  for (size_t target : record.targets) open_before += invoices_[target].remaining;
  std::int64_t left = std::max<std::int64_t>(match.effective_amount, 0);
  match.fx_difference = 0;
  if (match.currency != payment.amount.currency) {
    match.fx_difference = left - open_before;
    const std::int64_t tolerance = open_before * options_.fx_tolerance_basis_points / 10000;
    // Within the tolerance the invoices are paid; the difference is an FX gain or loss.
    if (match.fx_difference != 0 && std::llabs(match.fx_difference) <= tolerance) left = open_before;
  }
  match.overpaid_by = 0;
  match.open_after = 0;
  for (size_t i = 0; i < record.targets.size(); ++i) {
    InvoiceEntry& entry = invoices_[record.targets[i]];
    const bool last = i + 1 == record.targets.size();
    const std::int64_t take = last ? left : std::min(left, entry.remaining);
    const std::int64_t applied = std::min(take, entry.remaining);
    entry.remaining -= applied;
    entry.overpaid += take - applied;
    left -= take;
    match.allocations.push_back({entry.invoice.number, applied, take - applied});
    match.overpaid_by += take - applied;
    match.open_after += entry.remaining;
    IndexOpenAmount(record.targets[i]);
  }
  match.candidates.clear();
  if (record.disputed > record.reversed) {
    match.state = MatchState::kReversed;
  } else if (match.overpaid_by > 0) {
    match.state = MatchState::kOverpaid;
  } else if (match.open_after > 0) {
    match.state = MatchState::kPartial;
  } else {
    match.state = MatchState::kPaid;
  }
}

}  // namespace stripeline::reconcile
