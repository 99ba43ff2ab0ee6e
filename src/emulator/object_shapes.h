#pragma once
// The one place that spells out the Stripe shape (fixtures3.json, API 2025-03-31) of every
// object the emulator generates. Per object kind: a plain struct of the facts that vary (ids,
// amounts, times, statuses, references, names) and a function that renders the Stripe JSON from
// it; every other field is Stripe's constant for this emulator, or follows from the facts. Both
// datasets fill the facts their own way and call the same renderer: the demo generators
// (object_generators.cc) from their random stream and the objects generated before, the scaled
// dataset (scaled_dataset.cc) from an object's position, on every request. A field Stripe adds
// is added here once.
//
// The renderers copy each fact once into the object they build and keep no state. string_view
// facts must outlive the call (account fields, literals, another object's strings). Fields come
// in the order of Stripe's fixtures: id and object, then created, livemode and metadata where
// the object has them, then the rest alphabetically (events: all but id and object).
//
// Thread-safety: pure functions.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stripeline::emulator {

// Small rules both datasets share.

// Stripe's standard card processing fee in minor units: 1.5% + 20 for GBP, 2.9% + 30 otherwise.
int64_t ProcessingFee(std::string_view currency, int64_t amount);
// What a card payment in a currency the account does not settle in costs on top: 2% of the
// converted amount.
int64_t CurrencyConversionFee(int64_t settled_amount);
// The emulator's fixed exchange rate from one currency to another (amount in `from` * rate =
// amount in `to`), 6 decimals; 1 for the same currency. Both two-decimal currencies.
double ExchangeRate(std::string_view from, std::string_view to);
// `amount` (minor units of `from`) in `to`, rounded half away from zero.
int64_t Convert(int64_t amount, double rate);
// A currency a customer of an account settling in `settlement` pays in, that needs converting:
// "usd", or "eur" for a USD account.
std::string_view ForeignCurrency(std::string_view settlement);
// Stripe's Instant Payouts fee: 1% of the amount, at least 50.
int64_t InstantPayoutFee(int64_t amount);
// What Stripe charges for a dispute, in minor units.
inline constexpr int64_t kDisputeFee = 1500;
// The length of a recurring price's interval ("day", "week", "month" = 30 days, "year").
int64_t IntervalSeconds(std::string_view interval);
// A customer's invoice number: its invoice prefix and a four-digit sequence ("ABCD1234-0001").
std::string InvoiceNumber(std::string_view invoice_prefix, int64_t sequence);
// The card brand a roll of the dice picks ("visa", "mastercard", "amex").
std::string_view CardBrand(uint64_t roll);

// What every object starts with: {"id", "object", "created", "livemode", "metadata": {}}.
struct ObjectFacts {
  std::string id;
  int64_t created = 0;
  bool livemode = false;
};

struct CustomerFacts : ObjectFacts {
  std::string_view currency;
  bool delinquent = false;
  std::string email;
  std::string invoice_prefix;
  std::string name;
  int64_t next_invoice_sequence = 1;
};
boost::json::object CustomerObject(const CustomerFacts& f);

struct ProductFacts : ObjectFacts {
  bool active = true;
  std::optional<std::string> default_price;
  std::string_view description;
  std::string name;
};
boost::json::object ProductObject(const ProductFacts& f);  // updated = created

struct PriceFacts : ObjectFacts {
  std::string_view currency;
  std::string product;
  std::string_view interval;  // "month", "year", ...; empty: a one-time price
  int64_t unit_amount = 0;
};
boost::json::object PriceObject(const PriceFacts& f);

struct CouponFacts : ObjectFacts {
  int64_t amount_off = 0;  // 0: a percentage coupon
  std::string_view currency;  // of amount_off
  std::string_view duration;  // "once", "repeating", "forever"
  int64_t duration_in_months = 0;  // 0: null
  std::string name;
  int64_t percent_off = 0;  // 0: an amount coupon
  int64_t times_redeemed = 0;
};
boost::json::object CouponObject(const CouponFacts& f);

// A subscription item (no livemode in Stripe's); `created` is its subscription's.
struct SubscriptionItemFacts {
  std::string id;
  int64_t created = 0;
  int64_t current_period_start = 0;
  int64_t current_period_end = 0;
  boost::json::object price;  // the whole price object, as Stripe embeds it
  int64_t quantity = 1;
};

struct SubscriptionFacts : ObjectFacts {
  std::string_view currency;
  std::string customer;
  int64_t canceled_at = 0;  // 0: not canceled; else also ended_at, at the customer's request
  std::optional<std::string> latest_invoice;
  std::string_view status;
  int64_t trial_start = 0;  // 0: no trial; billing_cycle_anchor is trial_end, else created
  int64_t trial_end = 0;
  std::vector<SubscriptionItemFacts> items;
};
boost::json::object SubscriptionObject(SubscriptionFacts f);  // moves the items' prices

// A subscription invoice's line for one subscription item.
struct InvoiceLineFacts {
  std::string id;
  std::string price;
  std::string product;
  std::string subscription_item;
  int64_t unit_amount = 0;  // amount = unit_amount * quantity
  int64_t quantity = 1;
  int64_t period_start = 0;
  int64_t period_end = 0;
};

// A subscription invoice, finalized an hour after it is created and, when paid, paid 30 seconds
// later by its charge; total = the sum of its lines.
struct InvoiceFacts : ObjectFacts {
  std::string_view account_country;
  std::string_view account_name;
  std::string_view billing_reason;  // "subscription_create", "subscription_cycle"
  std::string_view currency;
  std::string customer;
  std::string_view customer_email;
  std::string_view customer_name;
  std::string number;
  bool paid = true;  // else open, after a failed retry
  int64_t period = 0;  // period_start = period_end
  std::string subscription;
  std::vector<InvoiceLineFacts> lines;
};
boost::json::object InvoiceObject(const InvoiceFacts& f);
int64_t InvoiceTotal(const InvoiceFacts& f);

struct CardFacts {
  std::string_view brand;  // CardBrand(); last4 is that brand's test card's
  std::string_view country;
  int64_t exp_month = 1;
  int64_t exp_year = 2030;
  std::string fingerprint;
};

struct ChargeFacts : ObjectFacts {
  int64_t amount = 0;
  int64_t amount_refunded = 0;  // refunded: all of it
  std::string balance_transaction;  // when succeeded
  std::string_view billing_email;
  std::string_view billing_name;
  std::string_view currency;
  std::string customer;
  std::string description;
  bool disputed = false;
  // The merchant's own invoice this payment is for, as `metadata.invoice_number` (what a
  // payment link or checkout of an invoicing tool sets); empty: no metadata.
  std::string invoice_number;
  std::string payment_intent;
  std::string payment_method;
  CardFacts card;
  bool succeeded = true;  // else declined by the card's issuer
};
boost::json::object ChargeObject(const ChargeFacts& f);

struct PaymentIntentFacts : ObjectFacts {
  int64_t amount = 0;
  std::string client_secret;  // the random part after "<id>_secret_"
  std::string_view currency;
  std::string customer;
  std::string_view description;
  std::string latest_charge;
  std::string payment_method;  // when succeeded
  bool succeeded = true;  // else the charge was declined
};
boost::json::object PaymentIntentObject(const PaymentIntentFacts& f);

// A card refund at the customer's request (no livemode in Stripe's).
struct RefundFacts : ObjectFacts {
  int64_t amount = 0;
  std::string balance_transaction;
  std::string charge;
  std::string_view currency;
  std::string payment_intent;
  std::string reference;  // the acquirer reference number
};
boost::json::object RefundObject(const RefundFacts& f);

// A card chargeback; answered (evidence submitted) unless needs_response.
struct DisputeFacts : ObjectFacts {
  int64_t amount = 0;
  boost::json::array balance_transactions;
  std::string_view card_brand;
  std::string charge;
  std::string_view currency;
  int64_t due_by = 0;
  std::string payment_intent;
  std::string_view status;
};
boost::json::object DisputeObject(DisputeFacts f);  // moves balance_transactions

// What happened to a payout: paid once arrived, in transit before, or failed (returned by the
// bank; its funds come back to the balance by a payout_failure balance transaction).
enum class PayoutStatus { kInTransit, kPaid, kFailed };

// A payout to a bank account: automatic (swept by the payout schedule, itemisable with
// GET /v1/balance_transactions?payout=) or requested by hand, standard or instant.
struct PayoutFacts : ObjectFacts {
  int64_t amount = 0;
  int64_t arrival_date = 0;
  bool automatic = true;
  std::string balance_transaction;
  std::string_view currency;
  std::string destination;
  std::string failure_balance_transaction;  // failed payouts
  bool instant = false;  // method "instant" (never automatic)
  std::string_view statement_descriptor;  // empty: null
  PayoutStatus status = PayoutStatus::kInTransit;
  std::string trace_id;  // when paid
};
boost::json::object PayoutObject(const PayoutFacts& f);
// Stripe's code and message of the failure the emulator's failed payouts have.
inline constexpr std::string_view kPayoutFailureCode = "account_closed";
inline constexpr std::string_view kPayoutFailureMessage = "The bank account has been closed.";

// A balance transaction (no livemode or metadata in Stripe's); fee is a dispute fee for
// adjustments, an Instant Payouts fee for payouts, else Stripe's processing fee.
struct BalanceTransactionFacts : ObjectFacts {
  int64_t amount = 0;  // signed, in the settlement currency
  int64_t available_on = 0;
  bool available = false;  // available_on has passed
  std::string_view currency;  // settlement
  std::string_view description;
  // The charge's currency converted to the settlement currency: amount in the charge's
  // currency * exchange_rate = amount. 0: no conversion (null).
  double exchange_rate = 0;
  int64_t fee = 0;
  std::string_view reporting_category;
  std::string_view source;  // empty: null
  std::string_view type;  // "charge", "refund", "adjustment", "payout", "payout_failure"
};
boost::json::object BalanceTransactionObject(const BalanceTransactionFacts& f);

// A service credit on one invoice line, credited outside Stripe (no refund, no customer
// balance); effective when created.
struct CreditNoteFacts : ObjectFacts {
  std::string_view account_id;  // in the PDF's address
  int64_t amount = 0;
  std::string_view currency;
  std::string customer;
  std::string invoice;
  std::string_view invoice_line_item;
  std::string_view invoice_number;  // the credit note's is "<it>-CN-01"
  std::string line_id;
  bool post_payment = true;  // the invoice was paid; else a pre-payment credit
};
boost::json::object CreditNoteObject(const CreditNoteFacts& f);

// GET /v1/balance: card funds per settlement currency (the default currency first).
struct CurrencyBalance {
  std::string currency;
  int64_t available = 0;
  int64_t pending = 0;
};
struct BalanceFacts {
  std::vector<CurrencyBalance> currencies;
  bool livemode = false;
};
boost::json::object BalanceObject(const BalanceFacts& f);

// The API version stamped on events.
inline constexpr std::string_view kApiVersion = "2025-03-31.basil";

// An event (no metadata in Stripe's).
struct EventFacts : ObjectFacts {
  std::optional<std::string_view> account;  // events of connected accounts name theirs
  boost::json::object object;
  boost::json::value previous_attributes;  // null: none
  int64_t pending_webhooks = 0;
  std::string request_id;  // empty: not caused by an API request
  std::string type;
};
boost::json::object EventObject(EventFacts f);  // moves object and previous_attributes

}  // namespace stripeline::emulator
