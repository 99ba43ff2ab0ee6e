#pragma once
// Payments matched to open invoices, in the tiers of metrics-and-reconciliation.md ("Match
// payments to open invoices"):
//   1. reference: the payment's metadata (MatchOptions::metadata_key) or description names an
//      invoice of a comparable currency → paid (equal), partial (less; the rest stays open) or
//      overpaid (more);
//   2. customer email + exact open amount: one candidate → match; several → the one due
//      nearest to the payment's day, else ambiguous;
//   3. customer + a combination of at most `subset_max_invoices` of that customer's open
//      invoices summing exactly to the payment: exactly one → match, several → ambiguous. A
//      customer with a single open invoice larger than the payment pays it partially (the
//      document's ch_4 → INV-1004);
//   4. amount + date window only → a suggestion, never applied. The candidates are the
//      invoices of that amount due in the window, paid ones included: a payment of an amount
//      several invoices share (the document's ch_3, 119.00 from an unknown email, while
//      INV-1001 and INV-1005 of that amount are paid) is ambiguous — it may as well be a second
//      payment of a paid one;
//   5. otherwise unmatched.
// Refunds reduce the matched payment, disputes reverse it (the dispute fee is an expense, not
// a payment), dispute reversals re-apply it. A payment in another currency than the invoice
// (Payment::conversion) is compared in the invoice's currency.
//
// Time order: a run turns its payments into events — a payment received at `created`, each
// refund, dispute and reversal at its own `created` — and applies them in time order, so a
// run over the events after those already applied (a sync's new charges and refunds) leaves
// the same matches as one run over everything. Decisions a person made (confirmed, chosen,
// undone, no invoice) are inputs: applied before anything automatic, never overturned.
//
// Lookups are indexed (invoice number; email + currency + open amount; email + currency;
// currency + amount by due date), and the combination search only looks at one customer's open
// invoices, so 100,000 invoices against 1,000,000 payments stays within seconds.
//
// Not thread-safe: one matcher per run (or per client), used by one thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "reconcile/calendar.h"
#include "reconcile/money.h"

namespace stripeline::reconcile {

// An invoice of the user's invoicing system, as imported.
struct Invoice {
  std::string number;          // unique per client, e.g. "INV-1001" (compared case-insensitively)
  Money amount;                // the invoice's total
  std::int64_t remaining = 0;  // still owed when imported (0 <= remaining <= amount)
  std::string customer_email;  // compared case-insensitively
  Date due_date;
};

enum class PaymentAdjustmentKind { kRefund, kDispute, kDisputeReversal };
std::string_view Name(PaymentAdjustmentKind kind);  // "refund", "dispute", "dispute_reversal"

// What happened to a payment after it was made.
struct PaymentAdjustment {
  std::string id;           // re_..., dp_... (a reversal: the dispute's id + ":reversal")
  PaymentAdjustmentKind kind = PaymentAdjustmentKind::kRefund;
  std::int64_t amount = 0;  // positive, in the payment's currency
  std::int64_t fee = 0;     // a dispute's fee (an expense), or what a reversal gives back of it
  std::chrono::sys_seconds created{};
};

// The payment as the account booked it in another currency: Stripe's balance transaction
// `exchange_rate` (one major unit of the charge's currency in `currency`).
struct FxConversion {
  std::string currency;
  double rate = 1.0;
};

struct Payment {
  std::string charge_id;  // ch_... (or py_...)
  Money amount;           // as charged
  std::string customer_email;
  std::map<std::string, std::string> metadata;
  std::string description;
  std::chrono::sys_seconds created{};
  std::vector<PaymentAdjustment> adjustments;
  std::optional<FxConversion> conversion;
};

// What a person decided about a payment (the work queue's actions).
enum class DecisionKind {
  kConfirmed,  // confirmed the match (or the suggestion) naming `invoice_numbers`
  kChosen,     // chose a candidate, or matched by hand: `invoice_numbers`
  kUndone,     // undid a match: the payment is never matched to `invoice_numbers` again
  kNoInvoice,  // the payment has no invoice (`note` says why)
};
std::string_view Name(DecisionKind kind);  // "confirmed", "chosen", "undone", "no_invoice"
Result<DecisionKind> ParseDecisionKind(std::string_view name);

struct Decision {
  std::string charge_id;
  DecisionKind kind = DecisionKind::kConfirmed;
  std::vector<std::string> invoice_numbers;
  std::string note;
};

enum class MatchTier { kPerson, kReference, kEmailAndAmount, kCustomerSum, kAmountAndDate, kNone };
std::string_view Name(MatchTier tier);  // "person", "reference", "email_and_amount", ...

enum class MatchState {
  kPaid,        // the payment pays its invoice(s) exactly
  kPartial,     // less: `open_after` stays open
  kOverpaid,    // more: `overpaid_by`
  kReversed,    // matched, but a dispute took the money back: the invoice is open again
  kAmbiguous,   // several candidates (`candidates`); needs a person
  kSuggestion,  // one candidate on weak evidence (amount and date); needs a person
  kUnmatched,
  kNoInvoice,   // a person said so
};
std::string_view Name(MatchState state);  // "paid", "partial", ..., "no_invoice"

// What a payment took off one invoice, in the invoice's currency.
struct InvoiceAllocation {
  std::string invoice_number;
  std::int64_t applied = 0;  // taken off the invoice's remaining amount
  std::int64_t excess = 0;   // paid beyond it (on the last invoice of an overpayment)

  bool operator==(const InvoiceAllocation&) const = default;
};

struct PaymentMatch {
  std::string charge_id;
  MatchTier tier = MatchTier::kNone;
  MatchState state = MatchState::kUnmatched;
  std::string currency;              // of the amounts below: the invoice's currency
  std::int64_t compared_amount = 0;  // the payment as compared (converted when needed)
  std::int64_t effective_amount = 0; // after refunds, disputes and reversals
  std::vector<InvoiceAllocation> allocations;
  // kAmbiguous: each candidate is a set of invoice numbers (one invoice, or a combination);
  // kSuggestion: the one candidate.
  std::vector<std::vector<std::string>> candidates;
  std::int64_t open_after = 0;     // kPartial: still open on the matched invoices
  std::int64_t overpaid_by = 0;    // kOverpaid
  std::int64_t fx_difference = 0;  // converted payment − what the invoices had open
  std::int64_t dispute_fees = 0;   // an expense, never taken off an invoice
  std::string evidence;            // for a person: why this match

  bool operator==(const PaymentMatch&) const = default;
};

enum class InvoiceState { kOpen, kPartial, kPaid, kOverpaid };
std::string_view Name(InvoiceState state);  // "open", "partial", "paid", "overpaid"

struct InvoiceStanding {
  std::string number;
  Money amount;
  std::int64_t remaining = 0;
  std::int64_t overpaid = 0;
  InvoiceState state = InvoiceState::kOpen;

  bool operator==(const InvoiceStanding&) const = default;
};

// The contested choices, as options (defaults are the document's).
struct MatchOptions {
  // The metadata key holding the invoice number (tier 1).
  std::string metadata_key = "invoice_number";
  // Tier 3: a combination has at most this many invoices (the document's ≤ 5) ...
  int subset_max_invoices = 5;
  // ... chosen among a customer's open invoices in one currency, if the customer has at most
  // this many (C(20, ≤5) = 21,699 sums at worst); a customer with more skips tier 3.
  int subset_max_open_invoices = 20;
  // Tier 4: the payment's day lies within [due − before, due + after].
  int window_days_before_due = 60;
  int window_days_after_due = 60;
  // A converted payment within this many basis points of what its invoices had open pays them
  // (the rest booked as `fx_difference`); 0: any difference leaves it partial or overpaid.
  int fx_tolerance_basis_points = 0;
};

class InvoiceMatcher {
 public:
  // The matcher over `invoices`. InvalidArgument for an invoice number used twice with
  // different amounts (identical repeats count once), a remaining amount outside
  // [0, amount], a currency that is not three letters, an empty number.
  static Result<InvoiceMatcher> Create(std::vector<Invoice> invoices, MatchOptions options = {});

  // Applies `payments` — new ones, or ones seen before with new refunds, disputes or
  // reversals — after everything applied before, and returns the match of each payment of the
  // batch, in the batch's order. `decisions` may name payments of this or of earlier batches;
  // a decision is applied before any automatic step. The matcher keeps no payment texts
  // (email, metadata, description) after a run, so an `undone` decision about a payment of an
  // earlier batch needs that payment in `payments` to match it anew by reference or customer.
  std::vector<PaymentMatch> Match(std::span<const Payment> payments,
                                  std::span<const Decision> decisions = {});

  // The current match of a payment seen before; nullptr for an unknown charge.
  const PaymentMatch* MatchOf(std::string_view charge_id) const;
  // Every invoice's standing now, in the order given to Create.
  std::vector<InvoiceStanding> Invoices() const;

 private:
  using CustomerId = std::uint32_t;  // 0: no customer
  // An index key: (customer or 0, currency, amount or 0), packed so a lookup allocates nothing.
  struct IndexKey {
    CustomerId customer = 0;
    std::uint32_t currency = 0;
    std::int64_t amount = 0;
    bool operator==(const IndexKey&) const = default;
  };
  struct IndexKeyHash {
    size_t operator()(const IndexKey& key) const;
  };
  using Index = std::unordered_map<IndexKey, std::vector<size_t>, IndexKeyHash>;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  template <typename T>
  using TextMap = std::unordered_map<std::string, T, TextHash, std::equal_to<>>;

  struct InvoiceEntry {
    Invoice invoice;
    CustomerId customer = 0;
    std::uint32_t currency = 0;
    std::int64_t remaining = 0;
    std::int64_t overpaid = 0;
  };
  // What the matcher keeps of a payment: its amounts and its match. Its texts (email,
  // metadata, description) are dropped once it is matched, so a million payments stay small;
  // a decision that needs them again (undone) comes with the payment.
  struct PaymentRecord {
    Payment payment;
    PaymentMatch match;
    std::vector<size_t> targets;  // the invoices it pays (tiers 1-3 and decisions)
    std::vector<std::string> applied_adjustments;
    std::int64_t refunded = 0, disputed = 0, reversed = 0, dispute_fees = 0;
    std::unique_ptr<Decision> decision;
  };
  struct Event;
  using Excluded = std::vector<size_t>;

  explicit InvoiceMatcher(MatchOptions options) : options_(std::move(options)) {}

  void Receive(PaymentRecord& record);
  void Adjust(PaymentRecord& record, const PaymentAdjustment& adjustment);
  void Decide(PaymentRecord& record, const Decision& decision);
  // Tiers 1-5 for a payment without a decision that takes it out of automatic matching.
  void MatchAutomatically(PaymentRecord& record, const Excluded& excluded);
  bool MatchByReference(PaymentRecord& record, const Excluded& excluded);
  bool MatchByEmailAndAmount(PaymentRecord& record, CustomerId customer, const Excluded& excluded);
  bool MatchByCustomerSum(PaymentRecord& record, CustomerId customer, const Excluded& excluded);
  bool SuggestByAmountAndDate(PaymentRecord& record, const Excluded& excluded);
  // Gives back what the payment took off its targets, then takes its effective amount off
  // them again (in order; the last takes any excess) and sets the match's state.
  void Allocate(PaymentRecord& record);
  void Release(PaymentRecord& record);
  // Sets the match to a tier's outcome that applies nothing (ambiguous, a suggestion,
  // unmatched), its amounts in `currency`.
  void Propose(PaymentRecord& record, MatchTier tier, MatchState state,
               const std::string& currency, std::vector<std::vector<std::string>> candidates,
               std::string evidence);
  // `amount` of the payment's currency in `currency` (0 when it cannot be converted).
  std::int64_t InCurrency(const PaymentRecord& record, std::int64_t amount,
                          std::string_view currency) const;

  std::optional<std::int64_t> AmountIn(const Payment& payment, std::string_view currency) const;
  std::vector<std::string> Currencies(const Payment& payment) const;
  // The customer of an email (trimmed, case-insensitive); 0 when no invoice has it.
  CustomerId CustomerOf(std::string_view email) const;
  bool IsOpen(size_t invoice) const { return invoices_[invoice].remaining > 0; }
  void IndexOpenAmount(size_t invoice);

  MatchOptions options_;
  std::vector<InvoiceEntry> invoices_;
  TextMap<size_t> by_number_;        // upper-case number
  TextMap<CustomerId> customers_;    // lower-case email
  Index by_customer_;                // (customer, currency)
  // (customer, currency, open amount); entries go stale when an invoice's remaining changes
  // and are checked on lookup (a changed invoice is indexed again under its new amount).
  Index by_customer_open_amount_;
  // (currency, amount: the total) sorted by due date, and (currency, open amount) of invoices
  // partly paid (stale entries checked on lookup): tier 4.
  Index by_amount_;
  Index by_partial_open_amount_;
  TextMap<PaymentRecord> payments_;
};

}  // namespace stripeline::reconcile
