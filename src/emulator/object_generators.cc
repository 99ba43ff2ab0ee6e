#include "emulator/object_generators.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "common/text.h"
#include "emulator/dataset.h"
#include "emulator/object_shapes.h"

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

// The one-off payments between the subscription payments (see GenerateCharges).
constexpr std::string_view kConsultingDay = "Consulting day";

int64_t Int(const json::object& o, std::string_view key) { return o.at(key).as_int64(); }
std::string Str(const json::object& o, std::string_view key) {
  return std::string(o.at(key).as_string());
}

// A card of the account's country, as the demo's charges are paid with.
CardFacts RandomCard(DatasetBuilder& b) {
  CardFacts card;
  card.brand = CardBrand(b.Next());
  card.country = b.account().country;
  card.exp_month = b.Uniform(1, 12);
  card.exp_year = b.Uniform(2026, 2031);
  card.fingerprint = b.RandomChars(16);
  return card;
}

bool IsSubscriptionPayment(const json::object& charge) {
  return charge.at("description").as_string().starts_with("Subscription");
}

// The customer with that id (generated before whatever refers to it).
const json::object& CustomerById(DatasetBuilder& b, std::string_view id) {
  return *b.Find("customers", id);
}

}  // namespace

// Each generator fills its facts in the order it draws them from the builder's stream: the
// demo's ids and amounts are fixed per seed (docs/emulator.md), and a draw moved changes every
// value after it.

void GenerateCustomers(DatasetBuilder& b) {
  for (int i = 0; i < 5; ++i) {
    std::string_view first = kFirstNames[b.Next() % kFirstNames.size()];
    std::string_view last = kLastNames[b.Next() % kLastNames.size()];
    CustomerFacts c;
    c.created = b.epoch() + i * 4 * kDay + b.Uniform(0, 8 * kHour);
    c.id = b.NewId("cus_", 14);
    c.livemode = b.livemode();
    c.currency = b.currency();
    c.email = ToLower(first) + "." + ToLower(last) + "@example.com";
    c.invoice_prefix = b.RandomChars(8, true);
    c.name = std::string(first) + " " + std::string(last);
    b.Objects("customers").push_back(CustomerObject(c));
  }
}

void GenerateProducts(DatasetBuilder& b) {
  for (size_t i = 0; i < kCatalog.size(); ++i) {
    ProductFacts p;
    p.created = b.epoch() - 30 * kDay + static_cast<int64_t>(i) * kHour + b.Uniform(0, 600);
    p.id = b.NewId("prod_", 14);
    p.livemode = b.livemode();
    p.description = kCatalog[i].description;
    p.name = kCatalog[i].name;
    b.Objects("products").push_back(ProductObject(p));
  }
}

void GeneratePrices(DatasetBuilder& b) {
  std::vector<json::object>& products = b.Objects("products");
  for (size_t i = 0; i < products.size() && i < kCatalog.size(); ++i) {
    PriceFacts p;
    p.id = b.NewId("price_");
    p.created = Int(products[i], "created") + 60;
    p.livemode = b.livemode();
    p.currency = b.currency();
    p.product = Str(products[i], "id");
    p.interval = kCatalog[i].interval;
    p.unit_amount = kCatalog[i].unit_amount;
    products[i]["default_price"] = p.id;
    b.Objects("prices").push_back(PriceObject(p));
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
    CouponFacts c;
    c.created = b.epoch() - 20 * kDay + static_cast<int64_t>(i) * kDay + b.Uniform(0, kHour);
    // Coupon ids are chosen by the merchant in Stripe: short upper-case codes, no prefix.
    c.id = b.RandomChars(8, true);
    c.livemode = b.livemode();
    c.amount_off = seed.amount_off;
    c.currency = b.currency();
    c.duration = seed.duration;
    c.duration_in_months = seed.duration_in_months;
    c.name = seed.name;
    c.percent_off = seed.percent_off;
    c.times_redeemed = static_cast<int64_t>(i);
    b.Objects("coupons").push_back(CouponObject(c));
  }
}

void GenerateSubscriptions(DatasetBuilder& b) {
  std::vector<const json::object*> recurring;
  for (const json::object& price : b.Objects("prices")) {
    if (price.at("type").as_string() == "recurring") recurring.push_back(&price);
  }
  if (recurring.empty()) return;
  std::vector<json::object>& customers = b.Objects("customers");
  for (size_t i = 0; i < customers.size() && i < kSubscriptionStatuses.size(); ++i) {
    std::string_view status = kSubscriptionStatuses[i];
    const json::object& price = *recurring[kSubscriptionPlans[i] % recurring.size()];
    int64_t period = IntervalSeconds(price.at("recurring").at("interval").as_string());
    SubscriptionFacts s;
    s.created = status == "trialing" ? b.now() - 5 * kDay + b.Uniform(0, kHour)
                                     : Int(customers[i], "created") + 2 * kHour;
    s.livemode = b.livemode();
    s.status = status;
    s.currency = b.currency();
    s.customer = Str(customers[i], "id");
    int64_t period_start = s.created;
    if (status == "trialing") {
      s.trial_start = s.created;
      s.trial_end = s.created + 14 * kDay;
    } else if (status == "canceled") {
      s.canceled_at = s.created + 20 * kDay;
    } else {
      period_start = s.created + (b.now() - s.created) / period * period;
    }
    if (status == "past_due") customers[i]["delinquent"] = true;

    s.id = b.NewId("sub_");
    SubscriptionItemFacts& item = s.items.emplace_back();
    item.id = b.NewId("si_", 14);
    item.created = s.created;
    item.current_period_start = period_start;
    item.current_period_end = status == "trialing" ? s.trial_end : period_start + period;
    item.price = price;
    item.quantity = 1 + static_cast<int64_t>(i % 3);
    b.Objects("subscriptions").push_back(SubscriptionObject(std::move(s)));
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
    int64_t created = Int(sub, "created");
    // The first invoice, then one for the current period when the subscription has renewed.
    std::vector<std::pair<int64_t, std::string_view>> invoices = {{created, "subscription_create"}};
    if (status != "canceled" && Int(item, "current_period_start") > created) {
      invoices.push_back({Int(item, "current_period_start"), "subscription_cycle"});
    }
    for (size_t n = 0; n < invoices.size(); ++n) {
      auto [start, reason] = invoices[n];
      bool last = n + 1 == invoices.size();
      std::string customer_id = Str(sub, "customer");
      json::object& customer = *b.Find("customers", customer_id);
      int64_t number = ++sequence[customer_id];
      InvoiceFacts inv;
      inv.id = b.NewId("in_");
      inv.created = start + 60;
      inv.livemode = b.livemode();
      inv.account_country = b.account().country;
      inv.account_name = b.account().name;
      inv.billing_reason = reason;
      inv.currency = b.currency();
      inv.customer = customer_id;
      inv.customer_email = customer.at("email").as_string();
      inv.customer_name = customer.at("name").as_string();
      inv.number = InvoiceNumber(customer.at("invoice_prefix").as_string(), number);
      inv.paid = !(status == "past_due" && last);
      inv.period = start;
      inv.subscription = Str(sub, "id");
      InvoiceLineFacts& line = inv.lines.emplace_back();
      line.id = b.NewId("il_");
      line.price = Str(price, "id");
      line.product = Str(price, "product");
      line.subscription_item = Str(item, "id");
      line.unit_amount = Int(price, "unit_amount");
      line.quantity = Int(item, "quantity");
      line.period_start = start;
      line.period_end = start + period;
      json::object object = InvoiceObject(inv);
      sub["latest_invoice"] = inv.id;
      customer["next_invoice_sequence"] = number + 1;
      b.Objects("invoices").push_back(std::move(object));
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
    std::string currency;  // empty: the account's default
    std::string invoice_number;  // the merchant's invoice, in metadata
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
  // Consulting days between the subscription payments, so that every payout window earns more
  // than the disputes take. One-off payments for the merchant's own invoices (their number in
  // metadata): one from a customer abroad, converted; one in the default currency. Then, for an
  // account with a second settlement currency, three in it: two equal ones a day apart (two
  // equal payouts), one referencing its invoice.
  if (customers.size() >= 5) {
    auto customer = [&](size_t i) { return Str(customers[i], "id"); };
    for (int64_t day : {25, 40, 55}) {
      payments.push_back({customer(static_cast<size_t>(day / 5) % 5), 60000,
                          b.epoch() + day * kDay + 10 * kHour, std::string(kConsultingDay), true});
    }
    payments.push_back({customer(2), 19900, b.epoch() + 70 * kDay + 10 * kHour,
                        "Onboarding session (abroad)", true,
                        std::string(ForeignCurrency(b.currency())), "INV-9001"});
    payments.push_back({customer(4), 45000, b.epoch() + 94 * kDay + 10 * kHour, "Website audit",
                        true, "", "INV-9002"});
    if (!b.account().currencies.empty()) {
      const std::string& second = b.account().currencies.front();
      payments.push_back({customer(1), 11900, b.epoch() + 57 * kDay + 10 * kHour, "Workshop",
                          true, second, ""});
      payments.push_back({customer(3), 11900, b.epoch() + 58 * kDay + 10 * kHour, "Workshop",
                          true, second, ""});
      payments.push_back({customer(4), 59500, b.epoch() + 80 * kDay + 10 * kHour,
                          "Consulting day", true, second, "INV-9003"});
    }
  }
  for (const Payment& payment : payments) {
    std::string_view currency = payment.currency.empty() ? b.currency() : payment.currency;
    const json::object& customer = CustomerById(b, payment.customer);
    ChargeFacts c;
    c.id = b.NewId("ch_");
    c.created = payment.created;
    c.livemode = b.livemode();
    c.amount = payment.amount;
    if (payment.succeeded) c.balance_transaction = b.NewId("txn_");
    c.billing_email = customer.at("email").as_string();
    c.billing_name = customer.at("name").as_string();
    c.currency = currency;
    c.customer = payment.customer;
    c.description = payment.description;
    c.invoice_number = payment.invoice_number;
    c.payment_intent = b.NewId("pi_");
    c.payment_method = b.NewId("pm_");
    c.card = RandomCard(b);
    c.succeeded = payment.succeeded;
    if (payment.succeeded) {
      Settlement settlement = SettlementOf(b.account(), currency);
      int64_t settled = settlement.Amount(payment.amount);
      int64_t fee = ProcessingFee(settlement.currency, settled) +
                    (settlement.exchange_rate != 0 ? CurrencyConversionFee(settled) : 0);
      b.ledger().push_back({c.balance_transaction, c.id, "charges", "charge", "charge",
                            payment.description, settled, fee, payment.created,
                            payment.created + 2 * kDay, false, settlement.currency,
                            settlement.exchange_rate});
    }
    b.Objects("charges").push_back(ChargeObject(c));
  }
}

void GeneratePaymentIntents(DatasetBuilder& b) {
  for (const json::object& charge : b.Objects("charges")) {
    PaymentIntentFacts pi;
    pi.id = Str(charge, "payment_intent");
    pi.created = Int(charge, "created") - 1;
    pi.livemode = b.livemode();
    pi.amount = Int(charge, "amount");
    pi.client_secret = b.RandomChars(25);
    pi.currency = charge.at("currency").as_string();
    pi.customer = Str(charge, "customer");
    pi.description = charge.at("description").as_string();
    pi.latest_charge = Str(charge, "id");
    pi.payment_method = Str(charge, "payment_method");
    pi.succeeded = charge.at("status").as_string() == "succeeded";
    b.Objects("payment_intents").push_back(PaymentIntentObject(pi));
  }
}

void GenerateRefunds(DatasetBuilder& b) {
  std::vector<json::object>& charges = b.Objects("charges");
  // A full refund of the one-off charge, a tenth of the first consulting day (paid out with the
  // disputes), half of the first subscription payment and a quarter of the newest one that is
  // old enough.
  std::vector<std::pair<size_t, int64_t>> targets;  // charge index, divisor of the amount
  std::vector<size_t> subscription_payments;
  bool consulting = false;
  for (size_t i = 0; i < charges.size(); ++i) {
    if (charges[i].at("status").as_string() != "succeeded") continue;
    if (!IsSubscriptionPayment(charges[i])) {
      std::string_view description = charges[i].at("description").as_string();
      if (description == kCatalog[3].name) targets.push_back({i, 1});
      if (description == kConsultingDay && !consulting) targets.push_back({i, 10});
      consulting = consulting || description == kConsultingDay;
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
    RefundFacts r;
    r.balance_transaction = b.NewId("txn_");
    r.id = b.NewId("re_");
    r.created = created;
    r.amount = amount;
    r.charge = Str(charge, "id");
    r.currency = charge.at("currency").as_string();
    r.payment_intent = Str(charge, "payment_intent");
    r.reference = b.RandomChars(23, true);
    charge["amount_refunded"] = Int(charge, "amount_refunded") + amount;
    charge["refunded"] = Int(charge, "amount_refunded") == Int(charge, "amount");
    Settlement settlement = SettlementOf(b.account(), r.currency);
    b.ledger().push_back({r.balance_transaction, r.id, "refunds", "refund", "refund",
                          "REFUND FOR CHARGE (" + Str(charge, "description") + ")",
                          -settlement.Amount(amount), 0, created, created, false,
                          settlement.currency, settlement.exchange_rate});
    b.Objects("refunds").push_back(RefundObject(r));
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
    DisputeFacts d;
    d.id = b.NewId("dp_");
    d.created = created;
    d.livemode = b.livemode();
    d.amount = amount;
    d.card_brand = charge.at("payment_method_details").at("card").at("brand").as_string();
    d.charge = Str(charge, "id");
    d.currency = charge.at("currency").as_string();
    d.due_by = status == "needs_response" ? b.now() + 7 * kDay : created + 21 * kDay;
    d.payment_intent = Str(charge, "payment_intent");
    d.status = status;
    json::object dispute = DisputeObject(std::move(d));
    charge["disputed"] = true;
    std::string id = Str(dispute, "id");
    Settlement settlement = SettlementOf(b.account(), charge.at("currency").as_string());
    int64_t settled = settlement.Amount(amount);
    b.ledger().push_back({b.NewId("txn_"), id, "disputes", "adjustment", "dispute",
                          "Chargeback withdrawal for " + Str(charge, "id"), -settled, kDisputeFee,
                          created, created, true, settlement.currency, settlement.exchange_rate});
    if (status == "won") {
      int64_t reinstated = created + 30 * kDay;
      b.ledger().push_back({b.NewId("txn_"), id, "disputes", "adjustment", "dispute_reversal",
                            "Chargeback reversal for " + Str(charge, "id"), settled, 0,
                            reinstated, reinstated, true, settlement.currency,
                            settlement.exchange_rate});
    }
    b.Objects("disputes").push_back(std::move(dispute));
  }
}

void GeneratePayouts(DatasetBuilder& b) {
  // Per settlement currency, automatic payouts on fixed days, each sweeping exactly what became
  // available since the previous one (so the net of its transactions is its amount); a window
  // whose net is not positive pays nothing and carries over. In the default currency the third
  // automatic payout fails (its funds come back, swept by a later one), and an hour before the
  // day-45 and day-75 ones the merchant takes 40% of the available balance by hand: a manual
  // payout, then an instant one (their rows are swept by the automatic payout that follows).
  for (const std::string& currency : SettlementCurrencies(b.account())) {
    const bool main = currency == b.currency();
    std::string destination = b.NewId("ba_");
    std::vector<int64_t> days = main ? std::vector<int64_t>{15, 30, 45, 60, 75, 90, 99}
                                     : std::vector<int64_t>{60, 61, 90};
    int64_t swept_until = INT64_MIN;  // the previous automatic payout's cutoff
    int automatic_made = 0;
    auto in_window = [&](const LedgerEntry& entry, int64_t cutoff) {
      return entry.currency == currency && entry.available_on > swept_until &&
             entry.available_on <= cutoff;
    };
    auto add = [&](PayoutFacts p, int64_t fee) {
      p.balance_transaction = b.NewId("txn_");
      p.id = b.NewId("po_");
      p.livemode = b.livemode();
      p.currency = currency;
      p.destination = destination;
      if (p.arrival_date > b.now()) {
        p.status = PayoutStatus::kInTransit;
      } else if (p.status != PayoutStatus::kFailed) {
        p.status = PayoutStatus::kPaid;
        p.trace_id = b.RandomChars(16, true);
      }
      if (p.status == PayoutStatus::kFailed) p.failure_balance_transaction = b.NewId("txn_");
      std::string_view kind = p.automatic ? "STRIPE PAYOUT" : p.instant ? "INSTANT PAYOUT" : "MANUAL PAYOUT";
      b.ledger().push_back({p.balance_transaction, p.id, "payouts", "payout", "payout",
                            std::string(kind), -p.amount, fee, p.created, p.created, false,
                            currency});
      if (p.status == PayoutStatus::kFailed) {
        // The bank returns it on the day it should have arrived.
        b.ledger().push_back({p.failure_balance_transaction, p.id, "payouts", "payout_failure",
                              "payout_reversal", "STRIPE PAYOUT FAILURE", p.amount, 0,
                              p.arrival_date, p.arrival_date, false, currency});
      }
      b.Objects("payouts").push_back(PayoutObject(p));
      return std::pair{p.id, p.balance_transaction};
    };
    for (int64_t day : days) {
      int64_t cutoff = b.epoch() + day * kDay + 9 * kHour;
      if (cutoff > b.now()) break;
      if (main && (day == 45 || day == 75)) {
        int64_t at = cutoff - kHour, available = 0;
        for (const LedgerEntry& entry : b.ledger()) {
          if (in_window(entry, at)) available += entry.net();
        }
        if (available * 2 / 5 >= 1000) {
          PayoutFacts p;
          p.created = at;
          p.amount = available * 2 / 5;
          p.automatic = false;
          p.instant = day == 75;
          p.arrival_date = p.instant ? at : at + 2 * kDay;
          p.statement_descriptor = p.instant ? "INSTANT" : "MANUAL";
          add(p, p.instant ? InstantPayoutFee(p.amount) : 0);
        }
      }
      std::vector<std::string> items;
      int64_t amount = 0;
      for (const LedgerEntry& entry : b.ledger()) {
        if (!in_window(entry, cutoff)) continue;
        items.push_back(entry.id);
        amount += entry.net();
      }
      if (amount <= 0) continue;
      PayoutFacts p;
      p.created = cutoff;
      p.amount = amount;
      // The second currency's first two payouts arrive together (a bank holiday).
      p.arrival_date = !main && day == 60 ? b.epoch() + 63 * kDay + 9 * kHour : cutoff + 2 * kDay;
      if (main && ++automatic_made == 3) p.status = PayoutStatus::kFailed;
      auto [id, own_row] = add(p, 0);
      items.push_back(own_row);
      b.payout_items()[id] = std::move(items);
      swept_until = cutoff;
    }
  }
}

void GenerateBalanceTransactions(DatasetBuilder& b) {
  for (const LedgerEntry& entry : b.ledger()) {
    BalanceTransactionFacts facts;
    facts.id = entry.id;
    facts.created = entry.created;
    facts.amount = entry.amount;
    facts.available_on = entry.available_on;
    facts.available = entry.available_on <= b.now();
    facts.currency = entry.currency;
    facts.description = entry.description;
    facts.exchange_rate = entry.exchange_rate;
    facts.fee = entry.fee;
    facts.reporting_category = entry.reporting_category;
    facts.source = entry.source;
    facts.type = entry.type;
    json::object t = BalanceTransactionObject(facts);
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
    CreditNoteFacts cn;
    cn.amount = Int(inv, "total") / 4;
    cn.created = Int(inv, "created") + 5 * kDay;
    cn.id = b.NewId("cn_");
    cn.line_id = b.NewId("cnli_");
    cn.livemode = b.livemode();
    cn.account_id = b.account().id;
    cn.currency = inv.at("currency").as_string();
    cn.customer = Str(inv, "customer");
    cn.invoice = Str(inv, "id");
    cn.invoice_line_item = inv.at("lines").at("data").at(0).at("id").as_string();
    cn.invoice_number = inv.at("number").as_string();
    b.Objects("credit_notes").push_back(CreditNoteObject(cn));
  }
}

void GenerateEvents(DatasetBuilder& b) {
  auto add = [&](std::string_view type, const json::object* object, int64_t created,
                 json::value previous_attributes) {
    if (object == nullptr) return;
    EventFacts e;
    e.id = b.NewId("evt_");
    e.created = created;
    e.livemode = b.livemode();
    if (b.account().connected_to) e.account = b.account().id;
    e.object = *object;
    e.previous_attributes = std::move(previous_attributes);
    if (type == "customer.updated") e.request_id = "req_" + b.RandomChars(14);  // from the API
    e.type = type;
    b.Objects("events").push_back(EventObject(std::move(e)));
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
