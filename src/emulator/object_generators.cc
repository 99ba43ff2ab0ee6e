#include "emulator/object_generators.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "emulator/dataset.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr int64_t kDay = DatasetBuilder::kDay;
constexpr int64_t kHour = 3600;

constexpr std::array<std::string_view, 10> kFirstNames = {
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus", "Radia", "Dennis"};
constexpr std::array<std::string_view, 10> kLastNames = {
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov",
    "Thompson", "Hamilton", "Torvalds", "Perlman", "Ritchie"};

struct CatalogEntry {
  std::string_view name;
  std::string_view description;
  int64_t unit_amount;
  std::string_view interval;  // empty: a one-time price
};
constexpr std::array<CatalogEntry, 4> kCatalog = {{
    {"Starter", "For individuals getting started", 900, "month"},
    {"Pro", "For growing businesses", 2900, "month"},
    {"Team", "For teams, billed yearly", 29000, "year"},
    {"Onboarding session", "A one-hour onboarding call", 15000, ""},
}};

// Subscription i (one per customer) gets status kSubscriptionStatuses[i] and the recurring
// price kSubscriptionPlans[i] (an index among the recurring prices).
constexpr std::array<std::string_view, 5> kSubscriptionStatuses = {
    "active", "trialing", "past_due", "canceled", "active"};
constexpr std::array<size_t, 5> kSubscriptionPlans = {0, 1, 0, 2, 1};

int64_t Int(const json::object& o, std::string_view key) { return o.at(key).as_int64(); }
std::string Str(const json::object& o, std::string_view key) {
  return std::string(o.at(key).as_string());
}
std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t ProcessingFee(const std::string& currency, int64_t amount) {
  return currency == "gbp" ? amount * 15 / 1000 + 20 : amount * 29 / 1000 + 30;
}

int64_t IntervalSeconds(std::string_view interval) {
  if (interval == "day") return kDay;
  if (interval == "week") return 7 * kDay;
  if (interval == "year") return 365 * kDay;
  return 30 * kDay;
}

json::object CardDetails(DatasetBuilder& b, const std::string& country) {
  static constexpr std::array<std::string_view, 3> kBrands = {"visa", "mastercard", "amex"};
  static constexpr std::array<std::string_view, 3> kLast4 = {"4242", "4444", "8431"};
  size_t pick = b.Next() % kBrands.size();
  return json::object{
      {"card",
       {{"brand", kBrands[pick]},
        {"checks",
         {{"address_line1_check", nullptr},
          {"address_postal_code_check", "pass"},
          {"cvc_check", "pass"}}},
        {"country", country},
        {"exp_month", b.Uniform(1, 12)},
        {"exp_year", b.Uniform(2026, 2031)},
        {"fingerprint", b.RandomChars(16)},
        {"funding", "credit"},
        {"last4", kLast4[pick]},
        {"network", kBrands[pick]},
        {"three_d_secure", nullptr},
        {"wallet", nullptr}}},
      {"type", "card"}};
}

bool IsSubscriptionPayment(const json::object& charge) {
  return charge.at("description").as_string().starts_with("Subscription");
}

// The customer with that id (generated before whatever refers to it).
const json::object& CustomerById(DatasetBuilder& b, std::string_view id) {
  return *b.Find("customers", id);
}

}  // namespace

void GenerateCustomers(DatasetBuilder& b) {
  for (int i = 0; i < 5; ++i) {
    std::string_view first = kFirstNames[b.Next() % kFirstNames.size()];
    std::string_view last = kLastNames[b.Next() % kLastNames.size()];
    int64_t created = b.epoch() + i * 4 * kDay + b.Uniform(0, 8 * kHour);
    json::object c = b.NewObject(b.NewId("cus_", 14), "customer", created);
    c["address"] = nullptr;
    c["balance"] = 0;
    c["currency"] = b.currency();
    c["default_source"] = nullptr;
    c["delinquent"] = false;
    c["description"] = nullptr;
    c["discount"] = nullptr;
    c["email"] = Lower(first) + "." + Lower(last) + "@example.com";
    c["invoice_prefix"] = b.RandomChars(8, true);
    c["invoice_settings"] = {{"custom_fields", nullptr},
                             {"default_payment_method", nullptr},
                             {"footer", nullptr},
                             {"rendering_options", nullptr}};
    c["name"] = std::string(first) + " " + std::string(last);
    c["next_invoice_sequence"] = 1;
    c["phone"] = nullptr;
    c["preferred_locales"] = json::array{"en-GB"};
    c["shipping"] = nullptr;
    c["tax_exempt"] = "none";
    c["test_clock"] = nullptr;
    b.Objects("customers").push_back(std::move(c));
  }
}

void GenerateProducts(DatasetBuilder& b) {
  for (size_t i = 0; i < kCatalog.size(); ++i) {
    int64_t created = b.epoch() - 30 * kDay + static_cast<int64_t>(i) * kHour + b.Uniform(0, 600);
    json::object p = b.NewObject(b.NewId("prod_", 14), "product", created);
    p["active"] = true;
    p["default_price"] = nullptr;
    p["description"] = kCatalog[i].description;
    p["images"] = json::array{};
    p["marketing_features"] = json::array{};
    p["name"] = kCatalog[i].name;
    p["package_dimensions"] = nullptr;
    p["shippable"] = nullptr;
    p["statement_descriptor"] = nullptr;
    p["tax_code"] = nullptr;
    p["type"] = "service";
    p["unit_label"] = nullptr;
    p["updated"] = created;
    p["url"] = nullptr;
    b.Objects("products").push_back(std::move(p));
  }
}

void GeneratePrices(DatasetBuilder& b) {
  std::vector<json::object>& products = b.Objects("products");
  for (size_t i = 0; i < products.size() && i < kCatalog.size(); ++i) {
    const CatalogEntry& entry = kCatalog[i];
    json::object p = b.NewObject(b.NewId("price_"), "price", Int(products[i], "created") + 60);
    p["active"] = true;
    p["billing_scheme"] = "per_unit";
    p["currency"] = b.currency();
    p["custom_unit_amount"] = nullptr;
    p["lookup_key"] = nullptr;
    p["nickname"] = nullptr;
    p["product"] = products[i].at("id");
    if (entry.interval.empty()) {
      p["recurring"] = nullptr;
    } else {
      p["recurring"] = {{"interval", entry.interval},
                        {"interval_count", 1},
                        {"meter", nullptr},
                        {"trial_period_days", nullptr},
                        {"usage_type", "licensed"}};
    }
    p["tax_behavior"] = "unspecified";
    p["tiers_mode"] = nullptr;
    p["transform_quantity"] = nullptr;
    p["type"] = entry.interval.empty() ? "one_time" : "recurring";
    p["unit_amount"] = entry.unit_amount;
    p["unit_amount_decimal"] = std::to_string(entry.unit_amount);
    products[i]["default_price"] = p.at("id");
    b.Objects("prices").push_back(std::move(p));
  }
}

void GenerateCoupons(DatasetBuilder& b) {
  struct Seed {
    std::string_view name;
    int64_t percent_off;  // 0: amount_off instead
    int64_t amount_off;
    std::string_view duration;
    int64_t duration_in_months;  // 0: null
  };
  static constexpr std::array<Seed, 3> kSeeds = {{
      {"25% off for 3 months", 25, 0, "repeating", 3},
      {"5 off once", 0, 500, "once", 0},
      {"10% off forever", 10, 0, "forever", 0},
  }};
  for (size_t i = 0; i < kSeeds.size(); ++i) {
    const Seed& seed = kSeeds[i];
    int64_t created = b.epoch() - 20 * kDay + static_cast<int64_t>(i) * kDay + b.Uniform(0, kHour);
    // Coupon ids are chosen by the merchant in Stripe: short upper-case codes, no prefix.
    json::object c = b.NewObject(b.RandomChars(8, true), "coupon", created);
    c["amount_off"] = seed.amount_off ? json::value(seed.amount_off) : json::value(nullptr);
    c["currency"] = seed.amount_off ? json::value(b.currency()) : json::value(nullptr);
    c["duration"] = seed.duration;
    c["duration_in_months"] =
        seed.duration_in_months ? json::value(seed.duration_in_months) : json::value(nullptr);
    c["max_redemptions"] = nullptr;
    c["name"] = seed.name;
    c["percent_off"] = seed.percent_off ? json::value(seed.percent_off) : json::value(nullptr);
    c["redeem_by"] = nullptr;
    c["times_redeemed"] = static_cast<int64_t>(i);
    c["valid"] = true;
    b.Objects("coupons").push_back(std::move(c));
  }
}

void GenerateSubscriptions(DatasetBuilder& b) {
  std::vector<json::object> recurring;
  for (const json::object& price : b.Objects("prices")) {
    if (price.at("type").as_string() == "recurring") recurring.push_back(price);
  }
  if (recurring.empty()) return;
  std::vector<json::object>& customers = b.Objects("customers");
  for (size_t i = 0; i < customers.size() && i < kSubscriptionStatuses.size(); ++i) {
    std::string_view status = kSubscriptionStatuses[i];
    const json::object& price = recurring[kSubscriptionPlans[i] % recurring.size()];
    int64_t period = IntervalSeconds(price.at("recurring").at("interval").as_string());
    int64_t quantity = 1 + static_cast<int64_t>(i % 3);
    int64_t created = status == "trialing" ? b.now() - 5 * kDay + b.Uniform(0, kHour)
                                           : Int(customers[i], "created") + 2 * kHour;
    int64_t period_start = created;
    json::value trial_start = nullptr, trial_end = nullptr, canceled_at = nullptr,
                ended_at = nullptr, cancel_reason = nullptr;
    if (status == "trialing") {
      trial_start = created;
      trial_end = created + 14 * kDay;
    } else if (status == "canceled") {
      canceled_at = created + 20 * kDay;
      ended_at = created + 20 * kDay;
      cancel_reason = "cancellation_requested";
    } else {
      period_start = created + (b.now() - created) / period * period;
    }
    int64_t period_end = status == "trialing" ? created + 14 * kDay : period_start + period;
    if (status == "past_due") customers[i]["delinquent"] = true;

    std::string id = b.NewId("sub_");
    json::object item = b.NewObject(b.NewId("si_", 14), "subscription_item", created);
    item.erase("livemode");  // Stripe's subscription items have none
    item["billing_thresholds"] = nullptr;
    item["current_period_end"] = period_end;
    item["current_period_start"] = period_start;
    item["discounts"] = json::array{};
    item["price"] = price;
    item["quantity"] = quantity;
    item["subscription"] = id;
    item["tax_rates"] = json::array{};

    json::object s = b.NewObject(id, "subscription", created);
    s["application"] = nullptr;
    s["application_fee_percent"] = nullptr;
    s["automatic_tax"] = {{"disabled_reason", nullptr}, {"enabled", false}, {"liability", nullptr}};
    s["billing_cycle_anchor"] = status == "trialing" ? created + 14 * kDay : created;
    s["cancel_at"] = nullptr;
    s["cancel_at_period_end"] = false;
    s["canceled_at"] = canceled_at;
    s["cancellation_details"] = {
        {"comment", nullptr}, {"feedback", nullptr}, {"reason", cancel_reason}};
    s["collection_method"] = "charge_automatically";
    s["currency"] = b.currency();
    s["customer"] = customers[i].at("id");
    s["days_until_due"] = nullptr;
    s["default_payment_method"] = nullptr;
    s["default_source"] = nullptr;
    s["default_tax_rates"] = json::array{};
    s["description"] = nullptr;
    s["discounts"] = json::array{};
    s["ended_at"] = ended_at;
    s["items"] = {{"object", "list"},
                  {"data", json::array{item}},
                  {"has_more", false},
                  {"total_count", 1},
                  {"url", "/v1/subscription_items?subscription=" + id}};
    s["latest_invoice"] = nullptr;
    s["next_pending_invoice_item_invoice"] = nullptr;
    s["on_behalf_of"] = nullptr;
    s["pause_collection"] = nullptr;
    s["pending_update"] = nullptr;
    s["schedule"] = nullptr;
    s["start_date"] = created;
    s["status"] = status;
    s["test_clock"] = nullptr;
    s["transfer_data"] = nullptr;
    s["trial_end"] = trial_end;
    s["trial_start"] = trial_start;
    b.Objects("subscriptions").push_back(std::move(s));
  }
}

void GenerateInvoices(DatasetBuilder& b) {
  std::map<std::string, int64_t> sequence;  // per customer, for invoice numbers
  for (json::object& sub : b.Objects("subscriptions")) {
    std::string status(sub.at("status").as_string());
    if (status == "trialing") continue;
    const json::object& item = sub.at("items").at("data").at(0).as_object();
    const json::object& price = item.at("price").as_object();
    int64_t period = IntervalSeconds(price.at("recurring").at("interval").as_string());
    int64_t amount = price.at("unit_amount").as_int64() * item.at("quantity").as_int64();
    int64_t created = Int(sub, "created");
    // The first invoice, then one for the current period when the subscription has renewed.
    std::vector<std::pair<int64_t, std::string_view>> invoices = {{created, "subscription_create"}};
    if (status != "canceled" && Int(item, "current_period_start") > created) {
      invoices.push_back({Int(item, "current_period_start"), "subscription_cycle"});
    }
    for (size_t n = 0; n < invoices.size(); ++n) {
      auto [start, reason] = invoices[n];
      bool last = n + 1 == invoices.size();
      bool paid = !(status == "past_due" && last);
      std::string customer_id = Str(sub, "customer");
      json::object customer = CustomerById(b, customer_id);
      int64_t number = ++sequence[customer_id];
      int64_t inv_created = start + 60;
      std::string id = b.NewId("in_");
      json::object line = b.NewObject(b.NewId("il_"), "line_item", inv_created);
      line.erase("created");
      line["amount"] = amount;
      line["currency"] = b.currency();
      line["description"] = std::to_string(Int(item, "quantity")) + " × subscription";
      line["discount_amounts"] = json::array{};
      line["discountable"] = true;
      line["discounts"] = json::array{};
      line["invoice"] = id;
      line["parent"] = {{"invoice_item_details", nullptr},
                        {"subscription_item_details",
                         {{"invoice_item", nullptr},
                          {"proration", false},
                          {"proration_details", {{"credited_items", nullptr}}},
                          {"subscription", sub.at("id")},
                          {"subscription_item", item.at("id")}}},
                        {"type", "subscription_item_details"}};
      line["period"] = {{"end", start + period}, {"start", start}};
      line["pretax_credit_amounts"] = json::array{};
      line["pricing"] = {{"price_details", {{"price", price.at("id")}, {"product", price.at("product")}}},
                         {"type", "price_details"},
                         {"unit_amount_decimal", price.at("unit_amount_decimal")}};
      line["quantity"] = item.at("quantity");
      line["taxes"] = json::array{};

      json::object inv = b.NewObject(id, "invoice", inv_created);
      inv["account_country"] = b.account().country;
      inv["account_name"] = b.account().name;
      inv["amount_due"] = amount;
      inv["amount_paid"] = paid ? amount : 0;
      inv["amount_remaining"] = paid ? 0 : amount;
      inv["amount_shipping"] = 0;
      inv["attempt_count"] = paid ? 1 : 2;
      inv["attempted"] = true;
      inv["auto_advance"] = !paid;
      inv["billing_reason"] = reason;
      inv["collection_method"] = "charge_automatically";
      inv["currency"] = b.currency();
      inv["customer"] = customer_id;
      inv["customer_email"] = customer.at("email");
      inv["customer_name"] = customer.at("name");
      inv["default_payment_method"] = nullptr;
      inv["description"] = nullptr;
      inv["discounts"] = json::array{};
      inv["due_date"] = nullptr;
      inv["effective_at"] = inv_created + 3600;
      inv["ending_balance"] = 0;
      inv["footer"] = nullptr;
      inv["hosted_invoice_url"] = nullptr;
      inv["invoice_pdf"] = nullptr;
      inv["issuer"] = {{"type", "self"}};
      inv["lines"] = {{"object", "list"},
                      {"data", json::array{line}},
                      {"has_more", false},
                      {"total_count", 1},
                      {"url", "/v1/invoices/" + id + "/lines"}};
      inv["number"] = Str(customer, "invoice_prefix") + "-" +
                      std::string(4 - std::min<size_t>(4, std::to_string(number).size()), '0') +
                      std::to_string(number);
      inv["parent"] = {{"quote_details", nullptr},
                       {"subscription_details", {{"metadata", json::object{}}, {"subscription", sub.at("id")}}},
                       {"type", "subscription_details"}};
      inv["period_end"] = start;
      inv["period_start"] = start;
      inv["status"] = paid ? "paid" : "open";
      inv["status_transitions"] = {{"finalized_at", inv_created + 3600},
                                   {"marked_uncollectible_at", nullptr},
                                   {"paid_at", paid ? json::value(inv_created + 3630) : json::value(nullptr)},
                                   {"voided_at", nullptr}};
      inv["subtotal"] = amount;
      inv["subtotal_excluding_tax"] = amount;
      inv["total"] = amount;
      inv["total_discount_amounts"] = json::array{};
      inv["total_excluding_tax"] = amount;
      inv["total_taxes"] = json::array{};
      inv["webhooks_delivered_at"] = inv_created + 3600;
      sub["latest_invoice"] = id;
      b.Find("customers", customer_id)->operator[]("next_invoice_sequence") = number + 1;
      b.Objects("invoices").push_back(std::move(inv));
    }
  }
}

void GenerateCharges(DatasetBuilder& b) {
  struct Payment {
    std::string customer;
    int64_t amount;
    int64_t created;
    std::string description;
    bool succeeded;
  };
  std::vector<Payment> payments;
  for (const json::object& inv : b.Objects("invoices")) {
    bool paid = inv.at("status").as_string() == "paid";
    std::string description = inv.at("billing_reason").as_string() == "subscription_create"
                                  ? "Subscription creation"
                                  : "Subscription update";
    int64_t at = Int(inv, "created") + 3630;
    payments.push_back({Str(inv, "customer"), Int(inv, "amount_due"), at, description, paid});
  }
  const std::vector<json::object>& customers = b.Objects("customers");
  if (!customers.empty()) {
    payments.push_back({Str(customers.front(), "id"), kCatalog[3].unit_amount, b.now() - 5 * kDay,
                        std::string(kCatalog[3].name), true});
  }
  for (const Payment& payment : payments) {
    const json::object& customer = CustomerById(b, payment.customer);
    json::object c = b.NewObject(b.NewId("ch_"), "charge", payment.created);
    std::string txn = payment.succeeded ? b.NewId("txn_") : "";
    c["amount"] = payment.amount;
    c["amount_captured"] = payment.succeeded ? payment.amount : 0;
    c["amount_refunded"] = 0;
    c["application"] = nullptr;
    c["application_fee"] = nullptr;
    c["application_fee_amount"] = nullptr;
    c["balance_transaction"] = payment.succeeded ? json::value(txn) : json::value(nullptr);
    c["billing_details"] = {{"address", nullptr},
                            {"email", customer.at("email")},
                            {"name", customer.at("name")},
                            {"phone", nullptr}};
    c["calculated_statement_descriptor"] = "STRIPELINE EMU";
    c["captured"] = payment.succeeded;
    c["currency"] = b.currency();
    c["customer"] = payment.customer;
    c["description"] = payment.description;
    c["disputed"] = false;
    c["failure_balance_transaction"] = nullptr;
    c["failure_code"] = payment.succeeded ? json::value(nullptr) : json::value("card_declined");
    c["failure_message"] =
        payment.succeeded ? json::value(nullptr) : json::value("Your card was declined.");
    c["fraud_details"] = json::object{};
    c["on_behalf_of"] = nullptr;
    c["outcome"] = {{"network_status", payment.succeeded ? "approved_by_network" : "declined_by_network"},
                    {"reason", payment.succeeded ? json::value(nullptr) : json::value("generic_decline")},
                    {"risk_level", "normal"},
                    {"seller_message", payment.succeeded ? "Payment complete." : "The bank did not return any further details with this decline."},
                    {"type", payment.succeeded ? "authorized" : "issuer_declined"}};
    c["paid"] = payment.succeeded;
    c["payment_intent"] = b.NewId("pi_");
    c["payment_method"] = b.NewId("pm_");
    c["payment_method_details"] = CardDetails(b, b.account().country);
    c["receipt_email"] = nullptr;
    c["receipt_number"] = nullptr;
    c["receipt_url"] = nullptr;
    c["refunded"] = false;
    c["review"] = nullptr;
    c["shipping"] = nullptr;
    c["source_transfer"] = nullptr;
    c["statement_descriptor"] = nullptr;
    c["statement_descriptor_suffix"] = nullptr;
    c["status"] = payment.succeeded ? "succeeded" : "failed";
    c["transfer_data"] = nullptr;
    c["transfer_group"] = nullptr;
    if (payment.succeeded) {
      b.ledger().push_back({txn, Str(c, "id"), "charges", "charge", "charge", payment.description,
                            payment.amount, ProcessingFee(b.currency(), payment.amount),
                            payment.created, payment.created + 2 * kDay, false});
    }
    b.Objects("charges").push_back(std::move(c));
  }
}

void GeneratePaymentIntents(DatasetBuilder& b) {
  for (const json::object& charge : b.Objects("charges")) {
    bool succeeded = charge.at("status").as_string() == "succeeded";
    std::string id = Str(charge, "payment_intent");
    json::object pi = b.NewObject(id, "payment_intent", Int(charge, "created") - 1);
    pi["amount"] = charge.at("amount");
    pi["amount_capturable"] = 0;
    pi["amount_details"] = {{"tip", json::object{}}};
    pi["amount_received"] = succeeded ? charge.at("amount") : json::value(0);
    pi["application"] = nullptr;
    pi["application_fee_amount"] = nullptr;
    pi["automatic_payment_methods"] = nullptr;
    pi["canceled_at"] = nullptr;
    pi["cancellation_reason"] = nullptr;
    pi["capture_method"] = "automatic_async";
    pi["client_secret"] = id + "_secret_" + b.RandomChars(25);
    pi["confirmation_method"] = "automatic";
    pi["currency"] = charge.at("currency");
    pi["customer"] = charge.at("customer");
    pi["description"] = charge.at("description");
    if (succeeded) {
      pi["last_payment_error"] = nullptr;
    } else {
      pi["last_payment_error"] = {{"charge", charge.at("id")},
                                  {"code", "card_declined"},
                                  {"decline_code", "generic_decline"},
                                  {"message", "Your card was declined."},
                                  {"type", "card_error"}};
    }
    pi["latest_charge"] = charge.at("id");
    pi["next_action"] = nullptr;
    pi["on_behalf_of"] = nullptr;
    pi["payment_method"] = succeeded ? charge.at("payment_method") : json::value(nullptr);
    pi["payment_method_options"] = json::object{};
    pi["payment_method_types"] = json::array{"card"};
    pi["processing"] = nullptr;
    pi["receipt_email"] = nullptr;
    pi["review"] = nullptr;
    pi["setup_future_usage"] = nullptr;
    pi["shipping"] = nullptr;
    pi["statement_descriptor"] = nullptr;
    pi["statement_descriptor_suffix"] = nullptr;
    pi["status"] = succeeded ? "succeeded" : "requires_payment_method";
    pi["transfer_data"] = nullptr;
    pi["transfer_group"] = nullptr;
    b.Objects("payment_intents").push_back(std::move(pi));
  }
}

void GenerateRefunds(DatasetBuilder& b) {
  std::vector<json::object>& charges = b.Objects("charges");
  // A full refund of the one-off charge, half of the first subscription payment and a quarter
  // of the newest one that is old enough.
  std::vector<std::pair<size_t, int64_t>> targets;  // charge index, divisor of the amount
  std::vector<size_t> subscription_payments;
  for (size_t i = 0; i < charges.size(); ++i) {
    if (charges[i].at("status").as_string() != "succeeded") continue;
    if (!IsSubscriptionPayment(charges[i])) {
      targets.push_back({i, 1});
    } else if (Int(charges[i], "created") + 40 * kDay < b.now()) {
      subscription_payments.push_back(i);
    }
  }
  if (!subscription_payments.empty()) targets.push_back({subscription_payments.front(), 2});
  if (subscription_payments.size() > 3) targets.push_back({subscription_payments.back(), 4});
  for (auto [index, divisor] : targets) {
    json::object& charge = charges[index];
    int64_t amount = Int(charge, "amount") / divisor;
    // After the charge's funds became available, so the balance never dips below zero.
    int64_t created = Int(charge, "created") + 3 * kDay;
    std::string txn = b.NewId("txn_");
    json::object r = b.NewObject(b.NewId("re_"), "refund", created);
    r.erase("livemode");  // Stripe's refunds have none
    r["amount"] = amount;
    r["balance_transaction"] = txn;
    r["charge"] = charge.at("id");
    r["currency"] = charge.at("currency");
    r["destination_details"] = {
        {"card",
         {{"reference", b.RandomChars(23, true)},
          {"reference_status", "available"},
          {"reference_type", "acquirer_reference_number"},
          {"type", "refund"}}},
        {"type", "card"}};
    r["payment_intent"] = charge.at("payment_intent");
    r["reason"] = "requested_by_customer";
    r["receipt_number"] = nullptr;
    r["source_transfer_reversal"] = nullptr;
    r["status"] = "succeeded";
    r["transfer_reversal"] = nullptr;
    charge["amount_refunded"] = Int(charge, "amount_refunded") + amount;
    charge["refunded"] = Int(charge, "amount_refunded") == Int(charge, "amount");
    b.ledger().push_back({txn, Str(r, "id"), "refunds", "refund", "refund",
                          "REFUND FOR CHARGE (" + Str(charge, "description") + ")", -amount, 0,
                          created, created, false});
    b.Objects("refunds").push_back(std::move(r));
  }
}

void GenerateDisputes(DatasetBuilder& b) {
  // The oldest dispute has been won (and reinstated 30 days later).
  static constexpr std::array<std::string_view, 3> kStatuses = {"won", "under_review",
                                                                "needs_response"};
  size_t made = 0;
  for (json::object& charge : b.Objects("charges")) {
    // Old enough subscription payments that were not refunded.
    if (made == kStatuses.size() || charge.at("status").as_string() != "succeeded" ||
        !IsSubscriptionPayment(charge) || Int(charge, "amount_refunded") != 0 ||
        Int(charge, "created") + (made == 0 ? 45 : 15) * kDay >= b.now()) {
      continue;
    }
    std::string_view status = kStatuses[made++];
    int64_t created = Int(charge, "created") + 10 * kDay;
    int64_t amount = Int(charge, "amount");
    bool answered = status != "needs_response";
    json::object d = b.NewObject(b.NewId("dp_"), "dispute", created);
    d["amount"] = amount;
    d["balance_transactions"] = json::array{};
    d["charge"] = charge.at("id");
    d["currency"] = charge.at("currency");
    d["evidence"] = {{"customer_email_address", nullptr},
                     {"customer_name", nullptr},
                     {"product_description", nullptr},
                     {"receipt", nullptr},
                     {"uncategorized_text", answered ? json::value("Service was delivered.")
                                                     : json::value(nullptr)}};
    d["evidence_details"] = {{"due_by", answered ? created + 21 * kDay : b.now() + 7 * kDay},
                             {"has_evidence", answered},
                             {"past_due", false},
                             {"submission_count", answered ? 1 : 0}};
    d["is_charge_refundable"] = false;
    d["payment_intent"] = charge.at("payment_intent");
    d["payment_method_details"] = {
        {"card", {{"brand", charge.at("payment_method_details").at("card").at("brand")},
                  {"case_type", "chargeback"},
                  {"network_reason_code", "10.4"}}},
        {"type", "card"}};
    d["reason"] = answered ? "fraudulent" : "product_not_received";
    d["status"] = status;
    charge["disputed"] = true;
    std::string id = Str(d, "id");
    b.ledger().push_back({b.NewId("txn_"), id, "disputes", "adjustment", "dispute",
                          "Chargeback withdrawal for " + Str(charge, "id"), -amount, 1500,
                          created, created, true});
    if (status == "won") {
      int64_t reinstated = created + 30 * kDay;
      b.ledger().push_back({b.NewId("txn_"), id, "disputes", "adjustment", "dispute_reversal",
                            "Chargeback reversal for " + Str(charge, "id"), amount, 0,
                            reinstated, reinstated, true});
    }
    b.Objects("disputes").push_back(std::move(d));
  }
}

void GeneratePayouts(DatasetBuilder& b) {
  std::string destination = b.NewId("ba_");
  auto available_at = [&](int64_t t) {
    int64_t sum = 0;
    for (const LedgerEntry& entry : b.ledger()) {
      if (entry.available_on <= t) sum += entry.amount - entry.fee;
    }
    return sum;
  };
  for (int64_t day : {20, 50, 80, 95}) {
    int64_t created = b.epoch() + day * kDay + 9 * kHour;
    // Pay most of what is available, but never so much that a later refund or dispute (all
    // already in the ledger) would take the balance below zero.
    int64_t payable = available_at(created);
    for (const LedgerEntry& entry : b.ledger()) {
      if (entry.available_on > created) payable = std::min(payable, available_at(entry.available_on));
    }
    int64_t amount = payable * 8 / 10;
    if (amount <= 0) continue;
    int64_t arrival = created + 2 * kDay;
    bool arrived = arrival <= b.now();
    std::string txn = b.NewId("txn_");
    json::object p = b.NewObject(b.NewId("po_"), "payout", created);
    p["amount"] = amount;
    p["application_fee"] = nullptr;
    p["application_fee_amount"] = nullptr;
    p["arrival_date"] = arrival;
    p["automatic"] = true;
    p["balance_transaction"] = txn;
    p["currency"] = b.currency();
    p["description"] = "STRIPE PAYOUT";
    p["destination"] = destination;
    p["failure_balance_transaction"] = nullptr;
    p["failure_code"] = nullptr;
    p["failure_message"] = nullptr;
    p["method"] = "standard";
    p["original_payout"] = nullptr;
    p["payout_method"] = nullptr;
    p["reconciliation_status"] = arrived ? "completed" : "in_progress";
    p["reversed_by"] = nullptr;
    p["source_type"] = "card";
    p["statement_descriptor"] = nullptr;
    p["status"] = arrived ? "paid" : "in_transit";
    p["trace_id"] = {{"status", arrived ? "supported" : "pending"},
                     {"value", arrived ? json::value(b.RandomChars(16, true)) : json::value(nullptr)}};
    p["type"] = "bank_account";
    b.ledger().push_back({txn, Str(p, "id"), "payouts", "payout", "payout", "STRIPE PAYOUT",
                          -amount, 0, created, created, false});
    b.Objects("payouts").push_back(std::move(p));
  }
}

void GenerateBalanceTransactions(DatasetBuilder& b) {
  for (const LedgerEntry& entry : b.ledger()) {
    json::object t = b.NewObject(entry.id, "balance_transaction", entry.created);
    t.erase("metadata");
    t.erase("livemode");
    t["amount"] = entry.amount;
    t["available_on"] = entry.available_on;
    t["balance_type"] = "payments";
    t["currency"] = b.currency();
    t["description"] = entry.description;
    t["exchange_rate"] = nullptr;
    t["fee"] = entry.fee;
    json::array fee_details;
    if (entry.fee != 0) {
      fee_details.push_back(json::object{
          {"amount", entry.fee},
          {"application", nullptr},
          {"currency", b.currency()},
          {"description", entry.type == "adjustment" ? "Dispute fee" : "Stripe processing fees"},
          {"type", "stripe_fee"}});
    }
    t["fee_details"] = std::move(fee_details);
    t["net"] = entry.amount - entry.fee;
    t["reporting_category"] = entry.reporting_category;
    t["source"] = entry.source;
    t["status"] = entry.available_on <= b.now() ? "available" : "pending";
    t["type"] = entry.type;
    if (entry.embed_in_source) {
      if (json::object* source = b.Find(entry.source_path, entry.source)) {
        (*source)["balance_transactions"].as_array().push_back(t);
      }
    }
    b.Objects("balance_transactions").push_back(std::move(t));
  }
}

void GenerateCreditNotes(DatasetBuilder& b) {
  int issued = 0;
  for (const json::object& inv : b.Objects("invoices")) {
    if (inv.at("status").as_string() != "paid" || issued == 3) continue;
    ++issued;
    int64_t amount = Int(inv, "total") / 4;
    int64_t created = Int(inv, "created") + 5 * kDay;
    std::string id = b.NewId("cn_");
    json::object line = b.NewObject(b.NewId("cnli_"), "credit_note_line_item", created);
    line.erase("created");
    line["amount"] = amount;
    line["description"] = "Partial credit";
    line["discount_amount"] = 0;
    line["discount_amounts"] = json::array{};
    line["invoice_line_item"] = inv.at("lines").at("data").at(0).at("id");
    line["pretax_credit_amounts"] = json::array{};
    line["quantity"] = 1;
    line["tax_rates"] = json::array{};
    line["taxes"] = json::array{};
    line["type"] = "invoice_line_item";
    line["unit_amount"] = nullptr;
    line["unit_amount_decimal"] = nullptr;

    json::object cn = b.NewObject(id, "credit_note", created);
    cn["amount"] = amount;
    cn["amount_shipping"] = 0;
    cn["currency"] = inv.at("currency");
    cn["customer"] = inv.at("customer");
    cn["customer_balance_transaction"] = nullptr;
    cn["discount_amount"] = 0;
    cn["discount_amounts"] = json::array{};
    cn["effective_at"] = created;
    cn["invoice"] = inv.at("id");
    cn["lines"] = {{"object", "list"},
                   {"data", json::array{line}},
                   {"has_more", false},
                   {"total_count", 1},
                   {"url", "/v1/credit_notes/" + id + "/lines"}};
    cn["memo"] = "Service credit";
    cn["number"] = Str(inv, "number") + "-CN-01";
    // Credited outside Stripe, so no refund or customer balance change to keep consistent.
    cn["out_of_band_amount"] = amount;
    cn["pdf"] = "https://pay.stripe.com/credit_notes/" + b.account().id + "/" + id + "/pdf";
    cn["post_payment_amount"] = amount;
    cn["pre_payment_amount"] = 0;
    cn["pretax_credit_amounts"] = json::array{};
    cn["reason"] = "product_unsatisfactory";
    cn["refunds"] = json::array{};
    cn["shipping_cost"] = nullptr;
    cn["status"] = "issued";
    cn["subtotal"] = amount;
    cn["subtotal_excluding_tax"] = amount;
    cn["total"] = amount;
    cn["total_excluding_tax"] = amount;
    cn["total_taxes"] = json::array{};
    cn["type"] = "post_payment";
    cn["voided_at"] = nullptr;
    b.Objects("credit_notes").push_back(std::move(cn));
  }
}

void GenerateEvents(DatasetBuilder& b) {
  auto add = [&](std::string_view type, const json::object* object, int64_t created,
                 json::value previous_attributes) {
    if (object == nullptr) return;
    json::object e = b.NewObject(b.NewId("evt_"), "event", created);
    e.erase("metadata");
    if (b.account().connected_to) e["account"] = b.account().id;
    e["api_version"] = DatasetBuilder::kApiVersion;
    json::object data{{"object", *object}};
    if (!previous_attributes.is_null()) data["previous_attributes"] = std::move(previous_attributes);
    e["data"] = std::move(data);
    e["pending_webhooks"] = 0;
    bool from_api = type == "customer.updated";
    e["request"] = {{"id", from_api ? json::value("req_" + b.RandomChars(14)) : json::value(nullptr)},
                    {"idempotency_key", nullptr}};
    e["type"] = type;
    b.Objects("events").push_back(std::move(e));
  };
  // The newest object matching, so that every event falls in /v1/events' 30-day window.
  auto newest = [&](std::string_view path, std::string_view field = {},
                    std::string_view value = {}) -> const json::object* {
    const json::object* found = nullptr;
    for (const json::object& o : b.Objects(path)) {
      if (!field.empty() && !(o.at(field).is_string() && o.at(field).as_string() == value)) continue;
      if (found == nullptr || Int(o, "created") >= Int(*found, "created")) found = &o;
    }
    return found;
  };
  if (auto* c = newest("customers")) {
    add("customer.updated", c, b.now() - 2 * kDay,
        json::object{{"email", "old." + Str(*c, "email")}});
  }
  if (auto* s = newest("subscriptions")) add("customer.subscription.created", s, Int(*s, "created") + 1, nullptr);
  if (auto* inv = newest("invoices", "status", "paid")) add("invoice.paid", inv, Int(*inv, "created") + 3631, nullptr);
  if (auto* c = newest("charges", "status", "succeeded")) add("charge.succeeded", c, Int(*c, "created") + 1, nullptr);
  if (const json::object* refund = newest("refunds")) {
    const json::object* charge = b.Find("charges", refund->at("charge").as_string());
    add("charge.refunded", charge, Int(*refund, "created") + 1,
        json::object{{"amount_refunded", 0}, {"refunded", false}});
  }
  if (auto* p = newest("payouts", "status", "paid")) add("payout.paid", p, Int(*p, "arrival_date"), nullptr);
}

}  // namespace stripeline::emulator
