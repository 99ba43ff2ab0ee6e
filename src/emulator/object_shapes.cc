#include "emulator/object_shapes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr int64_t kDay = 86400;
constexpr std::array<std::string_view, 3> kCardBrands = {"visa", "mastercard", "amex"};
constexpr std::array<std::string_view, 3> kCardLast4 = {"4242", "4444", "8431"};

json::value OrNull(int64_t value) { return value != 0 ? json::value(value) : json::value(nullptr); }
json::value OrNull(std::string_view value) {
  return !value.empty() ? json::value(value) : json::value(nullptr);
}

// {"id", "object", "created", "livemode", "metadata": {}}, without the fields Stripe's object of
// that kind lacks.
enum Header : unsigned { kCreated = 1, kLivemode = 2, kMetadata = 4, kAll = 7 };
json::object NewObject(std::string_view object, std::string_view id, int64_t created,
                       bool livemode, unsigned fields) {
  json::object o{{"id", id}, {"object", object}};
  if (fields & kCreated) o["created"] = created;
  if (fields & kLivemode) o["livemode"] = livemode;
  if (fields & kMetadata) o["metadata"] = json::object{};
  return o;
}
json::object NewObject(std::string_view object, const ObjectFacts& f, unsigned fields = kAll) {
  return NewObject(object, f.id, f.created, f.livemode, fields);
}

// A list of everything embedded in its parent.
json::object EmbeddedList(json::array data, std::string_view url) {
  int64_t count = static_cast<int64_t>(data.size());
  json::object list{{"object", "list"}};
  list["data"] = std::move(data);  // (an initializer list would copy it)
  list["has_more"] = false;
  list["total_count"] = count;
  list["url"] = url;
  return list;
}

json::object CardDetails(const CardFacts& card) {
  size_t brand = static_cast<size_t>(
      std::find(kCardBrands.begin(), kCardBrands.end(), card.brand) - kCardBrands.begin());
  return json::object{
      {"card",
       {{"brand", card.brand},
        {"checks",
         {{"address_line1_check", nullptr},
          {"address_postal_code_check", "pass"},
          {"cvc_check", "pass"}}},
        {"country", card.country},
        {"exp_month", card.exp_month},
        {"exp_year", card.exp_year},
        {"fingerprint", card.fingerprint},
        {"funding", "credit"},
        {"last4", brand < kCardLast4.size() ? kCardLast4[brand] : "0000"},
        {"network", card.brand},
        {"three_d_secure", nullptr},
        {"wallet", nullptr}}},
      {"type", "card"}};
}

}  // namespace

int64_t ProcessingFee(std::string_view currency, int64_t amount) {
  return currency == "gbp" ? amount * 15 / 1000 + 20 : amount * 29 / 1000 + 30;
}

int64_t CurrencyConversionFee(int64_t settled_amount) { return settled_amount * 2 / 100; }

double ExchangeRate(std::string_view from, std::string_view to) {
  // US dollars per unit: fixed, so the data is the same every day.
  auto dollars = [](std::string_view currency) {
    if (currency == "eur") return 1.08;
    if (currency == "gbp") return 1.27;
    if (currency == "chf") return 1.12;
    if (currency == "cad") return 0.74;
    if (currency == "aud") return 0.66;
    return 1.0;
  };
  if (from == to) return 1;
  return std::round(dollars(from) / dollars(to) * 1e6) / 1e6;
}

int64_t Convert(int64_t amount, double rate) {
  return static_cast<int64_t>(std::llround(static_cast<double>(amount) * rate));
}

std::string_view ForeignCurrency(std::string_view settlement) {
  return settlement == "usd" ? "eur" : "usd";
}

int64_t InstantPayoutFee(int64_t amount) { return std::max<int64_t>(50, amount / 100); }

int64_t IntervalSeconds(std::string_view interval) {
  if (interval == "day") return kDay;
  if (interval == "week") return 7 * kDay;
  if (interval == "year") return 365 * kDay;
  return 30 * kDay;
}

std::string InvoiceNumber(std::string_view invoice_prefix, int64_t sequence) {
  std::string digits = std::to_string(sequence);
  return std::string(invoice_prefix) + "-" + std::string(4 - std::min<size_t>(4, digits.size()), '0') +
         digits;
}

std::string_view CardBrand(uint64_t roll) { return kCardBrands[roll % kCardBrands.size()]; }

json::object CustomerObject(const CustomerFacts& f) {
  json::object c = NewObject("customer", f);
  c["address"] = nullptr;
  c["balance"] = 0;
  c["currency"] = f.currency;
  c["default_source"] = nullptr;
  c["delinquent"] = f.delinquent;
  c["description"] = nullptr;
  c["discount"] = nullptr;
  c["email"] = f.email;
  c["invoice_prefix"] = f.invoice_prefix;
  c["invoice_settings"] = {{"custom_fields", nullptr},
                           {"default_payment_method", nullptr},
                           {"footer", nullptr},
                           {"rendering_options", nullptr}};
  c["name"] = f.name;
  c["next_invoice_sequence"] = f.next_invoice_sequence;
  c["phone"] = nullptr;
  c["preferred_locales"] = json::array{"en-GB"};
  c["shipping"] = nullptr;
  c["tax_exempt"] = "none";
  c["test_clock"] = nullptr;
  return c;
}

json::object ProductObject(const ProductFacts& f) {
  json::object p = NewObject("product", f);
  p["active"] = f.active;
  p["default_price"] = f.default_price ? json::value(*f.default_price) : json::value(nullptr);
  p["description"] = f.description;
  p["images"] = json::array{};
  p["marketing_features"] = json::array{};
  p["name"] = f.name;
  p["package_dimensions"] = nullptr;
  p["shippable"] = nullptr;
  p["statement_descriptor"] = nullptr;
  p["tax_code"] = nullptr;
  p["type"] = "service";
  p["unit_label"] = nullptr;
  p["updated"] = f.created;
  p["url"] = nullptr;
  return p;
}

json::object PriceObject(const PriceFacts& f) {
  json::object p = NewObject("price", f);
  p["active"] = true;
  p["billing_scheme"] = "per_unit";
  p["currency"] = f.currency;
  p["custom_unit_amount"] = nullptr;
  p["lookup_key"] = nullptr;
  p["nickname"] = nullptr;
  p["product"] = f.product;
  if (f.interval.empty()) {
    p["recurring"] = nullptr;
  } else {
    p["recurring"] = {{"interval", f.interval},
                      {"interval_count", 1},
                      {"meter", nullptr},
                      {"trial_period_days", nullptr},
                      {"usage_type", "licensed"}};
  }
  p["tax_behavior"] = "unspecified";
  p["tiers_mode"] = nullptr;
  p["transform_quantity"] = nullptr;
  p["type"] = f.interval.empty() ? "one_time" : "recurring";
  p["unit_amount"] = f.unit_amount;
  p["unit_amount_decimal"] = std::to_string(f.unit_amount);
  return p;
}

json::object CouponObject(const CouponFacts& f) {
  json::object c = NewObject("coupon", f);
  c["amount_off"] = OrNull(f.amount_off);
  c["currency"] = f.amount_off ? json::value(f.currency) : json::value(nullptr);
  c["duration"] = f.duration;
  c["duration_in_months"] = OrNull(f.duration_in_months);
  c["max_redemptions"] = nullptr;
  c["name"] = f.name;
  c["percent_off"] = OrNull(f.percent_off);
  c["redeem_by"] = nullptr;
  c["times_redeemed"] = f.times_redeemed;
  c["valid"] = true;
  return c;
}

json::object SubscriptionObject(SubscriptionFacts f) {
  json::array items;
  for (SubscriptionItemFacts& facts : f.items) {
    json::object item = NewObject("subscription_item", facts.id, facts.created, false, kCreated | kMetadata);
    item["billing_thresholds"] = nullptr;
    item["current_period_end"] = facts.current_period_end;
    item["current_period_start"] = facts.current_period_start;
    item["discounts"] = json::array{};
    item["price"] = std::move(facts.price);
    item["quantity"] = facts.quantity;
    item["subscription"] = f.id;
    item["tax_rates"] = json::array{};
    items.push_back(std::move(item));
  }
  bool canceled = f.canceled_at != 0;
  json::object s = NewObject("subscription", f);
  s["application"] = nullptr;
  s["application_fee_percent"] = nullptr;
  s["automatic_tax"] = {{"disabled_reason", nullptr}, {"enabled", false}, {"liability", nullptr}};
  s["billing_cycle_anchor"] = f.trial_end != 0 ? f.trial_end : f.created;
  s["cancel_at"] = nullptr;
  s["cancel_at_period_end"] = false;
  s["canceled_at"] = OrNull(f.canceled_at);
  s["cancellation_details"] = {{"comment", nullptr},
                               {"feedback", nullptr},
                               {"reason", canceled ? json::value("cancellation_requested")
                                                   : json::value(nullptr)}};
  s["collection_method"] = "charge_automatically";
  s["currency"] = f.currency;
  s["customer"] = f.customer;
  s["days_until_due"] = nullptr;
  s["default_payment_method"] = nullptr;
  s["default_source"] = nullptr;
  s["default_tax_rates"] = json::array{};
  s["description"] = nullptr;
  s["discounts"] = json::array{};
  s["ended_at"] = OrNull(f.canceled_at);
  s["items"] = EmbeddedList(std::move(items), "/v1/subscription_items?subscription=" + f.id);
  s["latest_invoice"] = f.latest_invoice ? json::value(*f.latest_invoice) : json::value(nullptr);
  s["next_pending_invoice_item_invoice"] = nullptr;
  s["on_behalf_of"] = nullptr;
  s["pause_collection"] = nullptr;
  s["pending_update"] = nullptr;
  s["schedule"] = nullptr;
  s["start_date"] = f.created;
  s["status"] = f.status;
  s["test_clock"] = nullptr;
  s["transfer_data"] = nullptr;
  s["trial_end"] = OrNull(f.trial_end);
  s["trial_start"] = OrNull(f.trial_start);
  return s;
}

int64_t InvoiceTotal(const InvoiceFacts& f) {
  int64_t total = 0;
  for (const InvoiceLineFacts& line : f.lines) total += line.unit_amount * line.quantity;
  return total;
}

json::object InvoiceObject(const InvoiceFacts& f) {
  json::array lines;
  for (const InvoiceLineFacts& facts : f.lines) {
    json::object line = NewObject("line_item", facts.id, 0, f.livemode, kLivemode | kMetadata);
    line["amount"] = facts.unit_amount * facts.quantity;
    line["currency"] = f.currency;
    line["description"] = std::to_string(facts.quantity) + " × subscription";
    line["discount_amounts"] = json::array{};
    line["discountable"] = true;
    line["discounts"] = json::array{};
    line["invoice"] = f.id;
    line["parent"] = {{"invoice_item_details", nullptr},
                      {"subscription_item_details",
                       {{"invoice_item", nullptr},
                        {"proration", false},
                        {"proration_details", {{"credited_items", nullptr}}},
                        {"subscription", f.subscription},
                        {"subscription_item", facts.subscription_item}}},
                      {"type", "subscription_item_details"}};
    line["period"] = {{"end", facts.period_end}, {"start", facts.period_start}};
    line["pretax_credit_amounts"] = json::array{};
    line["pricing"] = {{"price_details", {{"price", facts.price}, {"product", facts.product}}},
                       {"type", "price_details"},
                       {"unit_amount_decimal", std::to_string(facts.unit_amount)}};
    line["quantity"] = facts.quantity;
    line["taxes"] = json::array{};
    lines.push_back(std::move(line));
  }
  int64_t amount = InvoiceTotal(f);
  int64_t finalized = f.created + 3600;
  json::object inv = NewObject("invoice", f);
  inv["account_country"] = f.account_country;
  inv["account_name"] = f.account_name;
  inv["amount_due"] = amount;
  inv["amount_paid"] = f.paid ? amount : 0;
  inv["amount_remaining"] = f.paid ? 0 : amount;
  inv["amount_shipping"] = 0;
  inv["attempt_count"] = f.paid ? 1 : 2;
  inv["attempted"] = true;
  inv["auto_advance"] = !f.paid;
  inv["billing_reason"] = f.billing_reason;
  inv["collection_method"] = "charge_automatically";
  inv["currency"] = f.currency;
  inv["customer"] = f.customer;
  inv["customer_email"] = f.customer_email;
  inv["customer_name"] = f.customer_name;
  inv["default_payment_method"] = nullptr;
  inv["description"] = nullptr;
  inv["discounts"] = json::array{};
  inv["due_date"] = nullptr;
  inv["effective_at"] = finalized;
  inv["ending_balance"] = 0;
  inv["footer"] = nullptr;
  inv["hosted_invoice_url"] = nullptr;
  inv["invoice_pdf"] = nullptr;
  inv["issuer"] = {{"type", "self"}};
  inv["lines"] = EmbeddedList(std::move(lines), "/v1/invoices/" + f.id + "/lines");
  inv["number"] = f.number;
  inv["parent"] = {{"quote_details", nullptr},
                   {"subscription_details", {{"metadata", json::object{}}, {"subscription", f.subscription}}},
                   {"type", "subscription_details"}};
  inv["period_end"] = f.period;
  inv["period_start"] = f.period;
  inv["status"] = f.paid ? "paid" : "open";
  inv["status_transitions"] = {{"finalized_at", finalized},
                               {"marked_uncollectible_at", nullptr},
                               {"paid_at", f.paid ? json::value(finalized + 30) : json::value(nullptr)},
                               {"voided_at", nullptr}};
  inv["subtotal"] = amount;
  inv["subtotal_excluding_tax"] = amount;
  inv["total"] = amount;
  inv["total_discount_amounts"] = json::array{};
  inv["total_excluding_tax"] = amount;
  inv["total_taxes"] = json::array{};
  inv["webhooks_delivered_at"] = finalized;
  return inv;
}

json::object ChargeObject(const ChargeFacts& f) {
  bool ok = f.succeeded;
  json::object c = NewObject("charge", f);
  if (!f.invoice_number.empty()) c["metadata"] = {{"invoice_number", f.invoice_number}};
  c["amount"] = f.amount;
  c["amount_captured"] = ok ? f.amount : 0;
  c["amount_refunded"] = f.amount_refunded;
  c["application"] = nullptr;
  c["application_fee"] = nullptr;
  c["application_fee_amount"] = nullptr;
  c["balance_transaction"] = ok ? json::value(f.balance_transaction) : json::value(nullptr);
  c["billing_details"] = {{"address", nullptr},
                          {"email", f.billing_email},
                          {"name", f.billing_name},
                          {"phone", nullptr}};
  c["calculated_statement_descriptor"] = "STRIPELINE EMU";
  c["captured"] = ok;
  c["currency"] = f.currency;
  c["customer"] = f.customer;
  c["description"] = f.description;
  c["disputed"] = f.disputed;
  c["failure_balance_transaction"] = nullptr;
  c["failure_code"] = ok ? json::value(nullptr) : json::value("card_declined");
  c["failure_message"] = ok ? json::value(nullptr) : json::value("Your card was declined.");
  c["fraud_details"] = json::object{};
  c["on_behalf_of"] = nullptr;
  c["outcome"] = {{"network_status", ok ? "approved_by_network" : "declined_by_network"},
                  {"reason", ok ? json::value(nullptr) : json::value("generic_decline")},
                  {"risk_level", "normal"},
                  {"seller_message", ok ? "Payment complete."
                                        : "The bank did not return any further details with "
                                          "this decline."},
                  {"type", ok ? "authorized" : "issuer_declined"}};
  c["paid"] = ok;
  c["payment_intent"] = f.payment_intent;
  c["payment_method"] = f.payment_method;
  c["payment_method_details"] = CardDetails(f.card);
  c["receipt_email"] = nullptr;
  c["receipt_number"] = nullptr;
  c["receipt_url"] = nullptr;
  c["refunded"] = f.amount_refunded != 0 && f.amount_refunded == f.amount;
  c["review"] = nullptr;
  c["shipping"] = nullptr;
  c["source_transfer"] = nullptr;
  c["statement_descriptor"] = nullptr;
  c["statement_descriptor_suffix"] = nullptr;
  c["status"] = ok ? "succeeded" : "failed";
  c["transfer_data"] = nullptr;
  c["transfer_group"] = nullptr;
  return c;
}

json::object PaymentIntentObject(const PaymentIntentFacts& f) {
  bool ok = f.succeeded;
  json::object pi = NewObject("payment_intent", f);
  pi["amount"] = f.amount;
  pi["amount_capturable"] = 0;
  pi["amount_details"] = {{"tip", json::object{}}};
  pi["amount_received"] = ok ? f.amount : 0;
  pi["application"] = nullptr;
  pi["application_fee_amount"] = nullptr;
  pi["automatic_payment_methods"] = nullptr;
  pi["canceled_at"] = nullptr;
  pi["cancellation_reason"] = nullptr;
  pi["capture_method"] = "automatic_async";
  pi["client_secret"] = f.id + "_secret_" + f.client_secret;
  pi["confirmation_method"] = "automatic";
  pi["currency"] = f.currency;
  pi["customer"] = f.customer;
  pi["description"] = f.description;
  if (ok) {
    pi["last_payment_error"] = nullptr;
  } else {
    pi["last_payment_error"] = {{"charge", f.latest_charge},
                                {"code", "card_declined"},
                                {"decline_code", "generic_decline"},
                                {"message", "Your card was declined."},
                                {"type", "card_error"}};
  }
  pi["latest_charge"] = f.latest_charge;
  pi["next_action"] = nullptr;
  pi["on_behalf_of"] = nullptr;
  pi["payment_method"] = ok ? json::value(f.payment_method) : json::value(nullptr);
  pi["payment_method_options"] = json::object{};
  pi["payment_method_types"] = json::array{"card"};
  pi["processing"] = nullptr;
  pi["receipt_email"] = nullptr;
  pi["review"] = nullptr;
  pi["setup_future_usage"] = nullptr;
  pi["shipping"] = nullptr;
  pi["statement_descriptor"] = nullptr;
  pi["statement_descriptor_suffix"] = nullptr;
  pi["status"] = ok ? "succeeded" : "requires_payment_method";
  pi["transfer_data"] = nullptr;
  pi["transfer_group"] = nullptr;
  return pi;
}

json::object RefundObject(const RefundFacts& f) {
  json::object r = NewObject("refund", f, kCreated | kMetadata);
  r["amount"] = f.amount;
  r["balance_transaction"] = f.balance_transaction;
  r["charge"] = f.charge;
  r["currency"] = f.currency;
  r["destination_details"] = {{"card",
                               {{"reference", f.reference},
                                {"reference_status", "available"},
                                {"reference_type", "acquirer_reference_number"},
                                {"type", "refund"}}},
                              {"type", "card"}};
  r["payment_intent"] = f.payment_intent;
  r["reason"] = "requested_by_customer";
  r["receipt_number"] = nullptr;
  r["source_transfer_reversal"] = nullptr;
  r["status"] = "succeeded";
  r["transfer_reversal"] = nullptr;
  return r;
}

json::object DisputeObject(DisputeFacts f) {
  bool answered = f.status != "needs_response";
  json::object d = NewObject("dispute", f);
  d["amount"] = f.amount;
  d["balance_transactions"] = std::move(f.balance_transactions);
  d["charge"] = f.charge;
  d["currency"] = f.currency;
  d["evidence"] = {{"customer_email_address", nullptr},
                   {"customer_name", nullptr},
                   {"product_description", nullptr},
                   {"receipt", nullptr},
                   {"uncategorized_text",
                    answered ? json::value("Service was delivered.") : json::value(nullptr)}};
  d["evidence_details"] = {{"due_by", f.due_by},
                           {"has_evidence", answered},
                           {"past_due", false},
                           {"submission_count", answered ? 1 : 0}};
  d["is_charge_refundable"] = false;
  d["payment_intent"] = f.payment_intent;
  d["payment_method_details"] = {{"card",
                                  {{"brand", f.card_brand},
                                   {"case_type", "chargeback"},
                                   {"network_reason_code", "10.4"}}},
                                 {"type", "card"}};
  d["reason"] = answered ? "fraudulent" : "product_not_received";
  d["status"] = f.status;
  return d;
}

json::object PayoutObject(const PayoutFacts& f) {
  bool paid = f.status == PayoutStatus::kPaid;
  bool failed = f.status == PayoutStatus::kFailed;
  json::object p = NewObject("payout", f);
  p["amount"] = f.amount;
  p["application_fee"] = nullptr;
  p["application_fee_amount"] = nullptr;
  p["arrival_date"] = f.arrival_date;
  p["automatic"] = f.automatic;
  p["balance_transaction"] = f.balance_transaction;
  p["currency"] = f.currency;
  p["description"] = f.automatic ? "STRIPE PAYOUT" : f.instant ? "Instant payout" : "Manual payout";
  p["destination"] = f.destination;
  p["failure_balance_transaction"] = OrNull(std::string_view(f.failure_balance_transaction));
  p["failure_code"] = failed ? json::value(kPayoutFailureCode) : json::value(nullptr);
  p["failure_message"] = failed ? json::value(kPayoutFailureMessage) : json::value(nullptr);
  p["method"] = f.instant ? "instant" : "standard";
  p["original_payout"] = nullptr;
  p["payout_method"] = nullptr;
  // Stripe itemises only automatic payouts, once their transactions are final.
  p["reconciliation_status"] = !f.automatic                       ? "not_applicable"
                               : f.status == PayoutStatus::kInTransit ? "in_progress"
                                                                      : "completed";
  p["reversed_by"] = nullptr;
  p["source_type"] = "card";
  p["statement_descriptor"] = OrNull(f.statement_descriptor);
  p["status"] = paid ? "paid" : failed ? "failed" : "in_transit";
  p["trace_id"] = {{"status", paid ? "supported" : failed ? "unsupported" : "pending"},
                   {"value", paid ? json::value(f.trace_id) : json::value(nullptr)}};
  p["type"] = "bank_account";
  return p;
}

json::object BalanceTransactionObject(const BalanceTransactionFacts& f) {
  json::array fee_details;
  if (f.fee != 0) {
    fee_details.push_back(json::object{
        {"amount", f.fee},
        {"application", nullptr},
        {"currency", f.currency},
        {"description", f.type == "adjustment" ? "Dispute fee"
                        : f.type == "payout"   ? "Instant Payouts fee"
                                               : "Stripe processing fees"},
        {"type", "stripe_fee"}});
  }
  json::object t = NewObject("balance_transaction", f, kCreated);
  t["amount"] = f.amount;
  t["available_on"] = f.available_on;
  t["balance_type"] = "payments";
  t["currency"] = f.currency;
  t["description"] = f.description;
  t["exchange_rate"] = f.exchange_rate != 0 ? json::value(f.exchange_rate) : json::value(nullptr);
  t["fee"] = f.fee;
  t["fee_details"] = std::move(fee_details);
  t["net"] = f.amount - f.fee;
  t["reporting_category"] = f.reporting_category;
  t["source"] = OrNull(f.source);
  t["status"] = f.available ? "available" : "pending";
  t["type"] = f.type;
  return t;
}

json::object CreditNoteObject(const CreditNoteFacts& f) {
  json::object line = NewObject("credit_note_line_item", f.line_id, 0, f.livemode,
                                kLivemode | kMetadata);
  line["amount"] = f.amount;
  line["description"] = "Partial credit";
  line["discount_amount"] = 0;
  line["discount_amounts"] = json::array{};
  line["invoice_line_item"] = f.invoice_line_item;
  line["pretax_credit_amounts"] = json::array{};
  line["quantity"] = 1;
  line["tax_rates"] = json::array{};
  line["taxes"] = json::array{};
  line["type"] = "invoice_line_item";
  line["unit_amount"] = nullptr;
  line["unit_amount_decimal"] = nullptr;

  bool post = f.post_payment;
  json::object cn = NewObject("credit_note", f);
  cn["amount"] = f.amount;
  cn["amount_shipping"] = 0;
  cn["currency"] = f.currency;
  cn["customer"] = f.customer;
  cn["customer_balance_transaction"] = nullptr;
  cn["discount_amount"] = 0;
  cn["discount_amounts"] = json::array{};
  cn["effective_at"] = f.created;
  cn["invoice"] = f.invoice;
  json::array lines;
  lines.push_back(std::move(line));
  cn["lines"] = EmbeddedList(std::move(lines), "/v1/credit_notes/" + f.id + "/lines");
  cn["memo"] = "Service credit";
  cn["number"] = std::string(f.invoice_number) + "-CN-01";
  // Credited outside Stripe, so no refund or customer balance change to keep consistent.
  cn["out_of_band_amount"] = post ? json::value(f.amount) : json::value(nullptr);
  cn["pdf"] = "https://pay.stripe.com/credit_notes/" + std::string(f.account_id) + "/" + f.id + "/pdf";
  cn["post_payment_amount"] = post ? f.amount : 0;
  cn["pre_payment_amount"] = post ? 0 : f.amount;
  cn["pretax_credit_amounts"] = json::array{};
  cn["reason"] = "product_unsatisfactory";
  cn["refunds"] = json::array{};
  cn["shipping_cost"] = nullptr;
  cn["status"] = "issued";
  cn["subtotal"] = f.amount;
  cn["subtotal_excluding_tax"] = f.amount;
  cn["total"] = f.amount;
  cn["total_excluding_tax"] = f.amount;
  cn["total_taxes"] = json::array{};
  cn["type"] = post ? "post_payment" : "pre_payment";
  cn["voided_at"] = nullptr;
  return cn;
}

json::object BalanceObject(const BalanceFacts& f) {
  json::array available, reserved, pending;
  for (const CurrencyBalance& c : f.currencies) {
    auto amount = [&](int64_t value) {
      return json::object{{"amount", value}, {"currency", c.currency}, {"source_types", {{"card", value}}}};
    };
    available.push_back(amount(c.available));
    reserved.push_back(json::object{{"amount", 0}, {"currency", c.currency}});
    pending.push_back(amount(c.pending));
  }
  return json::object{
      {"object", "balance"},
      {"available", std::move(available)},
      {"connect_reserved", std::move(reserved)},
      {"livemode", f.livemode},
      {"pending", std::move(pending)},
  };
}

json::object EventObject(EventFacts f) {
  json::object data;
  data["object"] = std::move(f.object);
  if (!f.previous_attributes.is_null()) data["previous_attributes"] = std::move(f.previous_attributes);
  json::object e{{"id", f.id}, {"object", "event"}};
  if (f.account) e["account"] = *f.account;
  e["api_version"] = kApiVersion;
  e["created"] = f.created;
  e["data"] = std::move(data);
  e["livemode"] = f.livemode;
  e["pending_webhooks"] = f.pending_webhooks;
  e["request"] = {{"id", OrNull(std::string_view(f.request_id))}, {"idempotency_key", nullptr}};
  e["type"] = f.type;
  return e;
}

}  // namespace stripeline::emulator
