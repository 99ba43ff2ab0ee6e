#include "emulator/scaled_dataset.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include "common/text.h"
#include "emulator/object_shapes.h"
#include "emulator/resource_table.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kHour = 3600;
constexpr int64_t kSpanDays = 730;
constexpr int64_t kEventWindow = 30 * kDay;
constexpr uint32_t kNone = 0xffffffffu;

// What a generated collection holds; also salts the hashes and id codecs.
enum Kind : uint8_t {
  kCustomer, kProduct, kPrice, kCoupon, kSubscription, kInvoice, kCharge, kPaymentIntent,
  kRefund, kDispute, kPayout, kTxn, kCreditNote, kEvent,
  kKindCount,
  // Salts of ids that are not collections.
  kSubscriptionItem = 32, kInvoiceLine, kCreditNoteLine, kPaymentMethod, kBankAccount,
};

constexpr std::array<std::string_view, kKindCount> kPaths = {
    "customers", "products", "prices",  "coupons", "subscriptions",        "invoices",
    "charges",   "payment_intents",     "refunds", "disputes",             "payouts",
    "balance_transactions", "credit_notes", "events"};

constexpr std::array<std::string_view, 16> kFirstNames = {
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus",
    "Radia", "Dennis", "Frances", "John", "Sophie", "Tim", "Hedy", "Donald"};
constexpr std::array<std::string_view, 16> kLastNames = {
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Hamilton", "Torvalds",
    "Perlman", "Ritchie", "Allen", "Backus", "Wilson", "Berners-Lee", "Lamarr", "Knuth"};
constexpr std::array<std::string_view, 8> kProductNames = {
    "Starter", "Pro", "Team", "Enterprise", "Analytics add-on", "Storage pack", "Support plan",
    "API access"};

struct TxnEntry {
  int64_t created;
  uint32_t index;  // of the source in its collection
  uint8_t type;    // TxnType
};
enum TxnType : uint8_t { kTxnCharge, kTxnRefund, kTxnDispute, kTxnDisputeReversal, kTxnPayout };

struct EventEntry {
  int64_t created;
  uint32_t position;
  uint8_t kind;
};

struct SubscriptionInfo {
  uint32_t customer;
  int64_t created;
  std::string_view status;
  std::array<uint32_t, 2> prices{};  // price positions
  std::array<int64_t, 2> quantities{};
  int items = 1;
  int64_t period = 30 * kDay;
  int64_t period_start = 0, period_end = 0;
  int64_t canceled_at = 0;  // 0: not canceled
};

// The whole model: counts, the few arrays that fix an order, and the render functions.
class Scale {
 public:
  Scale(const AccountConfig& account, bool livemode, uint64_t seed, int64_t now, int64_t n);

  size_t Count(Kind kind) const { return counts_[kind]; }
  int64_t Created(Kind kind, uint32_t i) const;
  std::string Id(Kind kind, uint32_t i) const { return codecs_[kind].Encode(i); }
  std::optional<uint32_t> Position(Kind kind, std::string_view id) const {
    return codecs_[kind].Decode(id);
  }
  json::object Render(Kind kind, uint32_t i) const;
  json::object Balance() const;
  // The balance transactions payout p settled, its own row included: those that became
  // available after the previous payout's cutoff and by its own (positions, ascending).
  std::vector<uint32_t> PayoutTransactions(uint32_t p) const;

 private:
  uint64_t H(uint64_t salt, uint64_t i) const { return Mix64(key_ ^ Mix64(salt * 0x100000001b3ull + i)); }
  int64_t Uniform(uint64_t salt, uint64_t i, int64_t lo, int64_t hi) const {
    return lo + static_cast<int64_t>(H(salt, i) % static_cast<uint64_t>(hi - lo + 1));
  }
  // Item i of n spread over [from, from + span), strictly increasing in i.
  static int64_t Spread(uint64_t h, uint64_t i, uint64_t n, int64_t from, int64_t span) {
    int64_t step = std::max<int64_t>(1, span / static_cast<int64_t>(n));
    return from + static_cast<int64_t>(i * static_cast<uint64_t>(span) / n) +
           static_cast<int64_t>(h % static_cast<uint64_t>(step));
  }
  std::string Chars(uint64_t salt, uint64_t i, size_t n, bool upper_only = false) const;
  std::string OtherId(Kind salt, std::string_view prefix, uint64_t i) const {
    return IdCodec(std::string(prefix), Mix64(key_ ^ salt)).Encode(static_cast<uint32_t>(i));
  }
  // The facts every object of that position starts with.
  ObjectFacts Header(Kind kind, uint32_t i) const { return {Id(kind, i), Created(kind, i), livemode_}; }

  // Facts shared by several resources.
  bool ChargeSucceeded(uint32_t i) const;
  int64_t ChargeAmount(uint32_t i) const { return Uniform(kCharge, i, 5, 800) * 100 - 1; }
  // Every 50th charge (from the 11th) is paid in a foreign currency and converted; every 10th
  // (from the 3rd) names the merchant's invoice in metadata.
  static bool Foreign(uint32_t i) { return i % 50 == 11; }
  std::string_view ChargeCurrency(uint32_t i) const {
    return Foreign(i) ? ForeignCurrency(account_.default_currency) : account_.default_currency;
  }
  double ChargeRate(uint32_t i) const {
    return Foreign(i) ? ExchangeRate(ChargeCurrency(i), account_.default_currency) : 0;
  }
  // An amount of charge i's currency in the settlement currency.
  int64_t Settled(uint32_t i, int64_t amount) const {
    return Foreign(i) ? Convert(amount, ChargeRate(i)) : amount;
  }
  uint32_t ChargeCustomer(uint32_t i) const;
  std::string CustomerName(uint32_t j) const;
  std::string CustomerEmail(uint32_t j) const;
  bool Refunded(uint32_t i) const;  // has a refund, via RefundOf
  int64_t RefundAmount(uint32_t r) const;
  std::string_view DisputeStatus(uint32_t d) const;
  int64_t PriceAmount(uint32_t q) const;
  SubscriptionInfo Subscription(uint32_t s) const;

  InvoiceFacts Invoice(uint32_t v) const;  // all but the customer's email and name

  json::object RenderCustomer(uint32_t j) const;
  json::object RenderProduct(uint32_t p) const;
  json::object RenderPrice(uint32_t q) const;
  json::object RenderCoupon(uint32_t k) const;
  json::object RenderSubscription(uint32_t s) const;
  json::object RenderInvoice(uint32_t v) const;
  json::object RenderCharge(uint32_t i) const;
  json::object RenderPaymentIntent(uint32_t i) const;
  json::object RenderRefund(uint32_t r) const;
  json::object RenderDispute(uint32_t d) const;
  json::object RenderPayout(uint32_t p) const;
  json::object RenderTxn(uint32_t t) const;
  // What a balance transaction moves: its signed amount, fee and when it becomes available.
  struct TxnMoney {
    int64_t amount = 0;
    int64_t fee = 0;
    int64_t available_on = 0;
  };
  TxnMoney Money(const TxnEntry& entry) const;
  json::object RenderCreditNote(uint32_t k) const;
  json::object RenderEvent(uint32_t e) const;

  AccountConfig account_;
  bool livemode_;
  uint64_t key_;
  int64_t now_;
  int64_t start_;
  std::array<size_t, kKindCount> counts_{};
  std::vector<IdCodec> codecs_;

  // Invoices: three slots per subscription (its last three periods), in created order.
  std::vector<int64_t> invoice_created_;
  std::vector<uint32_t> invoice_slot_;      // position -> subscription * 3 + k
  std::vector<uint32_t> invoice_position_;  // slot -> position, or kNone
  std::vector<int32_t> payout_day_;
  std::vector<int64_t> payout_amount_;
  std::vector<TxnEntry> txns_;
  std::vector<uint32_t> charge_txn_, refund_txn_, dispute_txn_, reversal_txn_, payout_txn_;
  std::vector<EventEntry> events_;
};

Scale::Scale(const AccountConfig& account, bool livemode, uint64_t seed, int64_t now, int64_t n)
    : account_(account),
      livemode_(livemode),
      key_(DatasetKey(seed, account.id, livemode)),
      now_(now),
      start_(now - kSpanDays * kDay) {
  static constexpr std::array<std::string_view, kKindCount> kPrefixes = {
      "cus_", "prod_", "price_", "", "sub_", "in_", "ch_", "pi_", "re_", "dp_", "po_", "txn_",
      "cn_", "evt_"};
  for (size_t k = 0; k < kKindCount; ++k) {
    // Coupon ids are merchant-chosen codes: 8 characters, no prefix.
    codecs_.emplace_back(std::string(kPrefixes[k]), Mix64(key_ ^ (k + 1)), k == kCoupon ? 2 : 18);
  }
  auto count = [&](Kind k) -> size_t& { return counts_[k]; };
  count(kCharge) = static_cast<size_t>(n);
  count(kPaymentIntent) = count(kCharge);
  count(kCustomer) = std::max<size_t>(5, count(kCharge) / 5);
  count(kProduct) = std::max<size_t>(5, count(kCharge) / 1000);
  count(kPrice) = 2 * count(kProduct);
  count(kCoupon) = 20;
  count(kSubscription) = std::max<size_t>(2, count(kCustomer) / 2);
  // Refunds and disputes: every 20th / 200th charge once old enough (created is increasing).
  for (Kind kind : {kRefund, kDispute}) {
    uint32_t every = kind == kRefund ? 20 : 200, offset = kind == kRefund ? 7 : 13;
    int64_t delay = (kind == kRefund ? 3 : 10) * kDay;
    size_t k = 0;
    while (static_cast<size_t>(every) * k + offset < count(kCharge) &&
           Created(kCharge, every * static_cast<uint32_t>(k) + offset) + delay <= now_) {
      ++k;
    }
    count(kind) = k;
  }

  // Invoices: the last three periods of each subscription (none while trialing).
  size_t subscriptions = count(kSubscription);
  invoice_position_.assign(subscriptions * 3, kNone);
  std::vector<std::pair<int64_t, uint32_t>> invoices;
  for (uint32_t s = 0; s < subscriptions; ++s) {
    SubscriptionInfo sub = Subscription(s);
    if (sub.status == "trialing") continue;
    for (int64_t k = 0; k < 3; ++k) {
      int64_t period_start = sub.period_start - (2 - k) * sub.period;
      if (period_start < sub.created) continue;
      invoices.push_back({period_start + 60, s * 3 + static_cast<uint32_t>(k)});
    }
  }
  std::sort(invoices.begin(), invoices.end());
  for (const auto& [created, slot] : invoices) {
    invoice_position_[slot] = static_cast<uint32_t>(invoice_created_.size());
    invoice_created_.push_back(created);
    invoice_slot_.push_back(slot);
  }
  count(kInvoice) = invoice_created_.size();
  for (size_t k = 0; 100 * k + 50 < count(kInvoice) &&
                     invoice_created_[100 * k + 50] + 5 * kDay <= now_;
       ++k) {
    count(kCreditNote) = k + 1;
  }

  // Payouts: one a day at 09:00 (the cutoff), sweeping exactly the net of every transaction
  // that became available since the previous payout's cutoff; a day whose window nets to zero
  // or less pays nothing and carries over. A transaction available at t falls in the window of
  // the first cutoff at or after t.
  std::vector<int64_t> day_net(kSpanDays + 4, 0);
  auto book = [&](int64_t available_on, int64_t net) {
    int64_t day = (available_on - start_ - 9 * kHour + kDay - 1) / kDay;
    if (available_on <= start_ + 9 * kHour) day = 0;
    if (day >= 0 && day < static_cast<int64_t>(day_net.size())) day_net[day] += net;
  };
  for (uint32_t i = 0; i < count(kCharge); ++i) {
    if (!ChargeSucceeded(i)) continue;
    TxnMoney money = Money({Created(kCharge, i), i, kTxnCharge});
    book(money.available_on, money.amount - money.fee);
  }
  for (uint32_t r = 0; r < count(kRefund); ++r) {
    TxnMoney money = Money({Created(kRefund, r), r, kTxnRefund});
    book(money.available_on, money.amount - money.fee);
  }
  for (uint32_t d = 0; d < count(kDispute); ++d) {
    TxnMoney money = Money({Created(kDispute, d), d, kTxnDispute});
    book(money.available_on, money.amount - money.fee);
    if (DisputeStatus(d) == "won") {
      money = Money({Created(kDispute, d) + 30 * kDay, d, kTxnDisputeReversal});
      book(money.available_on, money.amount - money.fee);
    }
  }
  int64_t carry = day_net[0];  // before the first cutoff: swept by the first payout
  for (int32_t day = 1; day <= kSpanDays; ++day) {
    int64_t created = start_ + day * kDay + 9 * kHour;
    if (created > now_) break;
    carry += day_net[day];
    if (carry <= 0) continue;
    payout_day_.push_back(day);
    payout_amount_.push_back(carry);
    carry = 0;
  }
  count(kPayout) = payout_day_.size();

  // Balance transactions, in created order.
  for (uint32_t i = 0; i < count(kCharge); ++i) {
    if (ChargeSucceeded(i)) txns_.push_back({Created(kCharge, i), i, kTxnCharge});
  }
  for (uint32_t r = 0; r < count(kRefund); ++r) txns_.push_back({Created(kRefund, r), r, kTxnRefund});
  for (uint32_t d = 0; d < count(kDispute); ++d) {
    txns_.push_back({Created(kDispute, d), d, kTxnDispute});
    if (DisputeStatus(d) == "won") {
      txns_.push_back({Created(kDispute, d) + 30 * kDay, d, kTxnDisputeReversal});
    }
  }
  for (uint32_t p = 0; p < count(kPayout); ++p) txns_.push_back({Created(kPayout, p), p, kTxnPayout});
  std::sort(txns_.begin(), txns_.end(), [](const TxnEntry& a, const TxnEntry& b) {
    return std::tie(a.created, a.type, a.index) < std::tie(b.created, b.type, b.index);
  });
  charge_txn_.assign(count(kCharge), kNone);
  refund_txn_.assign(count(kRefund), kNone);
  dispute_txn_.assign(count(kDispute), kNone);
  reversal_txn_.assign(count(kDispute), kNone);
  payout_txn_.assign(count(kPayout), kNone);
  for (uint32_t t = 0; t < txns_.size(); ++t) {
    std::vector<uint32_t>* index[] = {&charge_txn_, &refund_txn_, &dispute_txn_, &reversal_txn_,
                                      &payout_txn_};
    (*index[txns_[t].type])[txns_[t].index] = t;
  }
  count(kTxn) = txns_.size();

  // Events: a "<prefix>.created" for every object of the last 30 days.
  for (size_t k = 0; k < kKindCount; ++k) {
    auto kind = static_cast<Kind>(k);
    const ResourceSpec* spec = FindResource(kPaths[k]);
    if (kind == kEvent || spec == nullptr || spec->event_prefix.empty()) continue;
    for (size_t i = count(kind); i-- > 0;) {
      int64_t created = Created(kind, static_cast<uint32_t>(i));
      if (created < now_ - kEventWindow) break;
      events_.push_back({created, static_cast<uint32_t>(i), static_cast<uint8_t>(kind)});
    }
  }
  std::sort(events_.begin(), events_.end(), [](const EventEntry& a, const EventEntry& b) {
    return std::tie(a.created, a.kind, a.position) < std::tie(b.created, b.kind, b.position);
  });
  count(kEvent) = events_.size();
}

int64_t Scale::Created(Kind kind, uint32_t i) const {
  int64_t span = kSpanDays * kDay;
  switch (kind) {
    case kCustomer:
      return Spread(H(kCustomer, i), i, counts_[kCustomer], start_ - 30 * kDay,
                    span + 30 * kDay - 120);
    case kProduct:
      return Spread(H(kProduct, i), i, counts_[kProduct], start_ - 60 * kDay, 30 * kDay - kHour);
    case kPrice:
      return Created(kProduct, i / 2) + 60 + i % 2;
    case kCoupon:
      return start_ - 20 * kDay + i * kDay + static_cast<int64_t>(H(kCoupon, i) % kHour);
    case kSubscription:
      return Created(kCustomer, 2 * i) + 60;
    case kInvoice:
      return invoice_created_[i];
    case kCharge:
      return Spread(H(kCharge, i), i, counts_[kCharge], start_, span);
    case kPaymentIntent:
      return Created(kCharge, i) - 1;
    case kRefund:
      return Created(kCharge, 20 * i + 7) + 3 * kDay;
    case kDispute:
      return Created(kCharge, 200 * i + 13) + 10 * kDay;
    case kPayout:
      return start_ + payout_day_[i] * kDay + 9 * kHour;
    case kTxn:
      return txns_[i].created;
    case kCreditNote:
      return invoice_created_[100 * i + 50] + 5 * kDay;
    case kEvent:
      return events_[i].created;
    default:
      return 0;
  }
}

std::string Scale::Chars(uint64_t salt, uint64_t i, size_t n, bool upper_only) const {
  static constexpr std::string_view kChars =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  uint64_t h = H(salt * 31 + 7, i);
  std::string out(n, '0');
  for (size_t k = 0; k < n; ++k) {
    if (k % 10 == 9) h = Mix64(h);
    out[k] = kChars[h % (upper_only ? 36 : 62)];
    h /= 62;
  }
  return out;
}

bool Scale::ChargeSucceeded(uint32_t i) const {
  if (i % 20 == 7 || i % 200 == 13) return true;  // refund and dispute targets
  return H(kCharge + 100, i) % 100 >= 3;
}

uint32_t Scale::ChargeCustomer(uint32_t i) const {
  // Only customers created before the charge (see the customer spread in Created).
  uint64_t before = static_cast<uint64_t>(i) * counts_[kCustomer] / std::max<size_t>(1, counts_[kCharge]);
  return static_cast<uint32_t>(H(kCharge + 200, i) % std::max<uint64_t>(1, before));
}

std::string Scale::CustomerName(uint32_t j) const {
  uint64_t h = H(kCustomer + 100, j);
  return std::string(kFirstNames[h % 16]) + " " + std::string(kLastNames[(h >> 8) % 16]);
}

std::string Scale::CustomerEmail(uint32_t j) const {
  uint64_t h = H(kCustomer + 100, j);
  std::string last = ToLower(kLastNames[(h >> 8) % 16]);
  last.erase(std::remove(last.begin(), last.end(), '-'), last.end());
  return ToLower(kFirstNames[h % 16]) + "." + last + "." + std::to_string(j) + "@example.com";
}

bool Scale::Refunded(uint32_t i) const {
  return i % 20 == 7 && (i - 7) / 20 < counts_[kRefund];
}

int64_t Scale::RefundAmount(uint32_t r) const {
  int64_t amount = ChargeAmount(20 * r + 7);
  return H(kRefund, r) % 2 ? amount : amount / 2;
}

std::string_view Scale::DisputeStatus(uint32_t d) const {
  int64_t age = now_ - Created(kDispute, d);
  if (age < 7 * kDay) return "needs_response";
  if (age < 30 * kDay) return "under_review";
  switch (H(kDispute, d) % 4) {
    case 0:
      return "lost";
    case 1:
      return "warning_closed";
    default:
      return "won";
  }
}

int64_t Scale::PriceAmount(uint32_t q) const {
  int64_t monthly = Uniform(kPrice, q / 2, 5, 99) * 100;
  return q % 2 ? monthly * 10 : monthly;
}

SubscriptionInfo Scale::Subscription(uint32_t s) const {
  SubscriptionInfo sub;
  sub.customer = 2 * s < counts_[kCustomer] ? 2 * s : s % static_cast<uint32_t>(counts_[kCustomer]);
  sub.created = Created(kSubscription, s);
  uint64_t h = H(kSubscription, s);
  uint64_t roll = h % 100;
  sub.status = roll < 8 ? "past_due" : roll < 28 ? "canceled" : roll < 30 ? "unpaid" : "active";
  if (sub.status == "active" && sub.created > now_ - 14 * kDay) sub.status = "trialing";
  auto products = static_cast<uint32_t>(counts_[kProduct]);
  bool yearly = (h >> 8) % 10 == 0;
  sub.prices[0] = 2 * static_cast<uint32_t>((h >> 16) % products) + (yearly ? 1 : 0);
  sub.quantities[0] = 1 + static_cast<int64_t>((h >> 24) % 3);
  if ((h >> 32) % 5 == 0) {
    sub.items = 2;
    sub.prices[1] = 2 * static_cast<uint32_t>((h >> 40) % products) + (yearly ? 1 : 0);
    if (sub.prices[1] == sub.prices[0]) sub.prices[1] = (sub.prices[0] + 2) % (2 * products);
    sub.quantities[1] = 1;
  }
  sub.period = yearly ? 365 * kDay : 30 * kDay;
  int64_t until = now_;
  if (sub.status == "canceled") {
    sub.canceled_at = sub.created + 1 + static_cast<int64_t>((h >> 48) % 1000) *
                                            std::max<int64_t>(1, now_ - sub.created - 1) / 1000;
    until = sub.canceled_at;
  }
  if (sub.status == "trialing") {
    sub.period_start = sub.created;
    sub.period_end = sub.created + 14 * kDay;
  } else {
    sub.period_start = sub.created + (until - sub.created) / sub.period * sub.period;
    sub.period_end = sub.period_start + sub.period;
  }
  return sub;
}

json::object Scale::Render(Kind kind, uint32_t i) const {
  switch (kind) {
    case kCustomer: return RenderCustomer(i);
    case kProduct: return RenderProduct(i);
    case kPrice: return RenderPrice(i);
    case kCoupon: return RenderCoupon(i);
    case kSubscription: return RenderSubscription(i);
    case kInvoice: return RenderInvoice(i);
    case kCharge: return RenderCharge(i);
    case kPaymentIntent: return RenderPaymentIntent(i);
    case kRefund: return RenderRefund(i);
    case kDispute: return RenderDispute(i);
    case kPayout: return RenderPayout(i);
    case kTxn: return RenderTxn(i);
    case kCreditNote: return RenderCreditNote(i);
    case kEvent: return RenderEvent(i);
    default: return {};
  }
}

json::object Scale::RenderCustomer(uint32_t j) const {
  CustomerFacts c{Header(kCustomer, j)};
  c.currency = account_.default_currency;
  int64_t invoices = 0;
  if (j % 2 == 0 && j / 2 < counts_[kSubscription]) {
    SubscriptionInfo sub = Subscription(j / 2);
    c.delinquent = sub.status == "past_due" || sub.status == "unpaid";
    for (uint32_t k = 0; k < 3; ++k) invoices += invoice_position_[(j / 2) * 3 + k] != kNone;
  }
  c.email = CustomerEmail(j);
  c.invoice_prefix = Chars(kCustomer, j, 8, true);
  c.name = CustomerName(j);
  c.next_invoice_sequence = invoices + 1;
  return CustomerObject(c);
}

json::object Scale::RenderProduct(uint32_t p) const {
  ProductFacts o{Header(kProduct, p)};
  std::string description = "Plan " + std::to_string(p + 1);
  o.active = H(kProduct, p) % 10 != 0;
  o.default_price = Id(kPrice, 2 * p);
  o.description = description;
  o.name = std::string(kProductNames[p % kProductNames.size()]) +
           (p < kProductNames.size() ? "" : " " + std::to_string(p / kProductNames.size() + 1));
  return ProductObject(o);
}

json::object Scale::RenderPrice(uint32_t q) const {
  PriceFacts p{Header(kPrice, q)};
  p.currency = account_.default_currency;
  p.product = Id(kProduct, q / 2);
  p.interval = q % 2 ? "year" : "month";
  p.unit_amount = PriceAmount(q);
  return PriceObject(p);
}

json::object Scale::RenderCoupon(uint32_t k) const {
  static constexpr std::array<std::string_view, 3> kDurations = {"repeating", "once", "forever"};
  CouponFacts c{Header(kCoupon, k)};
  bool percent = k % 3 != 1;
  int64_t value = percent ? 5 * (1 + static_cast<int64_t>(k % 6)) : 500 * (1 + static_cast<int64_t>(k % 4));
  (percent ? c.percent_off : c.amount_off) = value;
  c.currency = account_.default_currency;
  c.duration = kDurations[k % 3];
  c.duration_in_months = c.duration == "repeating" ? 3 : 0;
  c.name = percent ? std::to_string(value) + "% off" : "Save " + std::to_string(value / 100);
  c.times_redeemed = static_cast<int64_t>(H(kCoupon, k) % 200);
  return CouponObject(c);
}

json::object Scale::RenderSubscription(uint32_t s) const {
  SubscriptionInfo sub = Subscription(s);
  SubscriptionFacts o{Header(kSubscription, s)};
  for (int k = 0; k < sub.items; ++k) {
    o.items.push_back({.id = OtherId(kSubscriptionItem, "si_", s * 2 + k),
                       .created = sub.created,
                       .current_period_start = sub.period_start,
                       .current_period_end = sub.period_end,
                       .price = RenderPrice(sub.prices[k]),
                       .quantity = sub.quantities[k]});
  }
  uint32_t latest = kNone;
  for (uint32_t k = 0; k < 3; ++k) {
    if (invoice_position_[s * 3 + k] != kNone) latest = invoice_position_[s * 3 + k];
  }
  o.currency = account_.default_currency;
  o.customer = Id(kCustomer, sub.customer);
  o.canceled_at = sub.canceled_at;
  if (latest != kNone) o.latest_invoice = Id(kInvoice, latest);
  o.status = sub.status;
  if (sub.status == "trialing") {
    o.trial_start = sub.created;
    o.trial_end = sub.period_end;
  }
  return SubscriptionObject(std::move(o));
}

InvoiceFacts Scale::Invoice(uint32_t v) const {
  uint32_t slot = invoice_slot_[v];
  uint32_t s = slot / 3, k = slot % 3;
  SubscriptionInfo sub = Subscription(s);
  InvoiceFacts inv{Header(kInvoice, v)};
  int64_t start = inv.created - 60;
  bool latest = k == 2 || invoice_position_[slot + 1] == kNone;
  for (int n = 0; n < sub.items; ++n) {
    uint32_t q = sub.prices[n];
    inv.lines.push_back({.id = OtherId(kInvoiceLine, "il_", slot * 2 + n),
                         .price = Id(kPrice, q),
                         .product = Id(kProduct, q / 2),
                         .subscription_item = OtherId(kSubscriptionItem, "si_", s * 2 + n),
                         .unit_amount = PriceAmount(q),
                         .quantity = sub.quantities[n],
                         .period_start = start,
                         .period_end = start + sub.period});
  }
  inv.account_country = account_.country;
  inv.account_name = account_.name;
  inv.billing_reason = start == sub.created ? "subscription_create" : "subscription_cycle";
  inv.currency = account_.default_currency;
  inv.customer = Id(kCustomer, sub.customer);
  inv.number = InvoiceNumber(Chars(kCustomer, sub.customer, 8, true), k + 1);
  inv.paid = !(latest && (sub.status == "past_due" || sub.status == "unpaid"));
  inv.period = start;
  inv.subscription = Id(kSubscription, s);
  return inv;
}

json::object Scale::RenderInvoice(uint32_t v) const {
  InvoiceFacts inv = Invoice(v);
  uint32_t customer = Subscription(invoice_slot_[v] / 3).customer;
  std::string email = CustomerEmail(customer), name = CustomerName(customer);
  inv.customer_email = email;
  inv.customer_name = name;
  return InvoiceObject(inv);
}

json::object Scale::RenderCharge(uint32_t i) const {
  uint32_t customer = ChargeCustomer(i);
  uint64_t h = H(kCharge + 300, i);
  std::string email = CustomerEmail(customer), name = CustomerName(customer);
  ChargeFacts c{Header(kCharge, i)};
  c.amount = ChargeAmount(i);
  if (Refunded(i)) c.amount_refunded = RefundAmount((i - 7) / 20);
  c.succeeded = ChargeSucceeded(i);
  if (c.succeeded) c.balance_transaction = Id(kTxn, charge_txn_[i]);
  c.billing_email = email;
  c.billing_name = name;
  c.currency = ChargeCurrency(i);
  c.customer = Id(kCustomer, customer);
  c.description = "Order " + std::to_string(1000 + i);
  if (i % 10 == 3) c.invoice_number = "INV-" + std::to_string(100000 + i);
  c.disputed = i % 200 == 13 && (i - 13) / 200 < counts_[kDispute];
  c.payment_intent = Id(kPaymentIntent, i);
  c.payment_method = OtherId(kPaymentMethod, "pm_", i);
  c.card = {.brand = CardBrand(h),
            .country = account_.country,
            .exp_month = static_cast<int64_t>(1 + (h >> 8) % 12),
            .exp_year = static_cast<int64_t>(2027 + (h >> 16) % 5),
            .fingerprint = Chars(kCustomer + 50, customer, 16)};
  return ChargeObject(c);
}

json::object Scale::RenderPaymentIntent(uint32_t i) const {
  std::string description = "Order " + std::to_string(1000 + i);
  PaymentIntentFacts pi{Header(kPaymentIntent, i)};
  pi.amount = ChargeAmount(i);
  pi.client_secret = Chars(kPaymentIntent, i, 25);
  pi.currency = ChargeCurrency(i);
  pi.customer = Id(kCustomer, ChargeCustomer(i));
  pi.description = description;
  pi.latest_charge = Id(kCharge, i);
  pi.succeeded = ChargeSucceeded(i);
  if (pi.succeeded) pi.payment_method = OtherId(kPaymentMethod, "pm_", i);
  return PaymentIntentObject(pi);
}

json::object Scale::RenderRefund(uint32_t r) const {
  uint32_t charge = 20 * r + 7;
  RefundFacts o{Header(kRefund, r)};
  o.amount = RefundAmount(r);
  o.balance_transaction = Id(kTxn, refund_txn_[r]);
  o.charge = Id(kCharge, charge);
  o.currency = ChargeCurrency(charge);
  o.payment_intent = Id(kPaymentIntent, charge);
  o.reference = Chars(kRefund, r, 23, true);
  return RefundObject(o);
}

json::object Scale::RenderDispute(uint32_t d) const {
  uint32_t charge = 200 * d + 13;
  DisputeFacts o{Header(kDispute, d)};
  o.amount = ChargeAmount(charge);
  o.balance_transactions.push_back(RenderTxn(dispute_txn_[d]));
  if (reversal_txn_[d] != kNone) o.balance_transactions.push_back(RenderTxn(reversal_txn_[d]));
  o.card_brand = CardBrand(H(kCharge + 300, charge));
  o.charge = Id(kCharge, charge);
  o.currency = ChargeCurrency(charge);
  o.due_by = o.created + 21 * kDay;
  o.payment_intent = Id(kPaymentIntent, charge);
  o.status = DisputeStatus(d);
  return DisputeObject(std::move(o));
}

json::object Scale::RenderPayout(uint32_t p) const {
  PayoutFacts o{Header(kPayout, p)};
  o.amount = payout_amount_[p];
  o.arrival_date = o.created + 2 * kDay;
  o.status = o.arrival_date <= now_ ? PayoutStatus::kPaid : PayoutStatus::kInTransit;
  o.balance_transaction = Id(kTxn, payout_txn_[p]);
  o.currency = account_.default_currency;
  o.destination = OtherId(kBankAccount, "ba_", 0);
  if (o.status == PayoutStatus::kPaid) o.trace_id = Chars(kPayout, p, 16, true);
  return PayoutObject(o);
}

Scale::TxnMoney Scale::Money(const TxnEntry& entry) const {
  uint32_t disputed = 200 * entry.index + 13;
  switch (entry.type) {
    case kTxnCharge: {
      int64_t amount = Settled(entry.index, ChargeAmount(entry.index));
      int64_t fee = ProcessingFee(account_.default_currency, amount) +
                    (Foreign(entry.index) ? CurrencyConversionFee(amount) : 0);
      return {amount, fee, entry.created + 2 * kDay};
    }
    case kTxnRefund: {
      uint32_t charge = 20 * entry.index + 7;
      return {-Settled(charge, RefundAmount(entry.index)), 0, entry.created};
    }
    case kTxnDispute: return {-Settled(disputed, ChargeAmount(disputed)), kDisputeFee, entry.created};
    case kTxnDisputeReversal: return {Settled(disputed, ChargeAmount(disputed)), 0, entry.created};
    case kTxnPayout: return {-payout_amount_[entry.index], 0, entry.created};
  }
  return {};
}

json::object Scale::RenderTxn(uint32_t t) const {
  const TxnEntry& entry = txns_[t];
  TxnMoney money = Money(entry);
  BalanceTransactionFacts f{Header(kTxn, t)};
  std::string source, description;  // what the facts view
  f.amount = money.amount;
  f.available_on = money.available_on;
  f.available = money.available_on <= now_;
  f.currency = account_.default_currency;
  f.fee = money.fee;
  switch (entry.type) {
    case kTxnCharge:
      f.type = f.reporting_category = "charge";
      f.exchange_rate = ChargeRate(entry.index);
      source = Id(kCharge, entry.index);
      description = "Order " + std::to_string(1000 + entry.index);
      break;
    case kTxnRefund:
      f.type = f.reporting_category = "refund";
      source = Id(kRefund, entry.index);
      description = "REFUND FOR CHARGE (Order " + std::to_string(1000 + 20 * entry.index + 7) + ")";
      break;
    case kTxnDispute:
    case kTxnDisputeReversal: {
      bool reversal = entry.type == kTxnDisputeReversal;
      uint32_t charge = 200 * entry.index + 13;
      f.type = "adjustment";
      f.reporting_category = reversal ? "dispute_reversal" : "dispute";
      source = Id(kDispute, entry.index);
      description = std::string(reversal ? "Chargeback reversal for " : "Chargeback withdrawal for ") +
                    Id(kCharge, charge);
      break;
    }
    case kTxnPayout:
      f.type = f.reporting_category = "payout";
      source = Id(kPayout, entry.index);
      description = "STRIPE PAYOUT";
      break;
  }
  f.source = source;
  f.description = description;
  return BalanceTransactionObject(f);
}

json::object Scale::RenderCreditNote(uint32_t k) const {
  uint32_t v = 100 * k + 50;
  InvoiceFacts inv = Invoice(v);
  CreditNoteFacts cn{Header(kCreditNote, k)};
  cn.account_id = account_.id;
  cn.amount = InvoiceTotal(inv) / 4;
  cn.currency = account_.default_currency;
  cn.customer = std::move(inv.customer);
  cn.invoice = std::move(inv.id);
  cn.invoice_line_item = inv.lines.at(0).id;
  cn.invoice_number = inv.number;
  cn.line_id = OtherId(kCreditNoteLine, "cnli_", k);
  cn.post_payment = inv.paid;
  return CreditNoteObject(cn);
}

json::object Scale::RenderEvent(uint32_t e) const {
  const EventEntry& entry = events_[e];
  auto kind = static_cast<Kind>(entry.kind);
  EventFacts o{Header(kEvent, e)};
  if (account_.connected_to) o.account = account_.id;
  o.object = Render(kind, entry.position);
  o.type = std::string(FindResource(kPaths[kind])->event_prefix) + ".created";
  return EventObject(std::move(o));
}

json::object Scale::Balance() const {
  CurrencyBalance funds{.currency = account_.default_currency};
  for (const TxnEntry& entry : txns_) {
    TxnMoney money = Money(entry);
    (money.available_on <= now_ ? funds.available : funds.pending) += money.amount - money.fee;
  }
  return BalanceObject({.currencies = {funds}, .livemode = livemode_});
}

std::vector<uint32_t> Scale::PayoutTransactions(uint32_t p) const {
  int64_t cutoff = Created(kPayout, p);
  int64_t previous = p > 0 ? Created(kPayout, p - 1) : INT64_MIN;
  // available_on is created + at most 2 days, so the window's transactions were created in
  // (previous - 2 days, cutoff].
  int64_t from = previous == INT64_MIN ? INT64_MIN : previous - 2 * kDay;
  auto first = std::upper_bound(txns_.begin(), txns_.end(), from,
                                [](int64_t t, const TxnEntry& e) { return t < e.created; });
  std::vector<uint32_t> positions;
  for (auto it = first; it != txns_.end() && it->created <= cutoff; ++it) {
    int64_t available_on = Money(*it).available_on;
    if (available_on > previous && available_on <= cutoff) {
      positions.push_back(static_cast<uint32_t>(it - txns_.begin()));
    }
  }
  return positions;
}

// The payouts of a Scale, itemised.
class ScaledItemisation final : public PayoutItemisation {
 public:
  explicit ScaledItemisation(std::shared_ptr<const Scale> scale) : scale_(std::move(scale)) {}
  std::vector<uint32_t> Transactions(std::string_view payout) const override {
    std::optional<uint32_t> p = scale_->Position(kPayout, payout);
    if (!p || *p >= scale_->Count(kPayout)) return {};
    return scale_->PayoutTransactions(*p);
  }

 private:
  std::shared_ptr<const Scale> scale_;
};

// One resource of a Scale, as a Collection's source.
class ScaledObjects final : public GeneratedObjects {
 public:
  ScaledObjects(std::shared_ptr<const Scale> scale, Kind kind) : scale_(std::move(scale)), kind_(kind) {}
  size_t size() const override { return scale_->Count(kind_); }
  int64_t Created(uint32_t position) const override { return scale_->Created(kind_, position); }
  std::string Id(uint32_t position) const override { return scale_->Id(kind_, position); }
  std::optional<uint32_t> Position(std::string_view id) const override {
    return scale_->Position(kind_, id);
  }
  json::object Render(uint32_t position) const override { return scale_->Render(kind_, position); }

 private:
  std::shared_ptr<const Scale> scale_;
  Kind kind_;
};

}  // namespace

std::unique_ptr<Dataset> BuildScaledDataset(const AccountConfig& account, bool livemode,
                                            uint64_t seed, int64_t now, int64_t charges) {
  auto scale = std::make_shared<const Scale>(account, livemode, seed, now, charges);
  auto dataset = std::make_unique<Dataset>(account, livemode);
  for (size_t k = 0; k < kKindCount; ++k) {
    dataset->MutableObjects(kPaths[k]).SetGenerated(
        std::make_shared<ScaledObjects>(scale, static_cast<Kind>(k)));
  }
  dataset->SetBalance(scale->Balance());
  dataset->SetItemisation(std::make_shared<ScaledItemisation>(scale));
  return dataset;
}

}  // namespace stripeline::emulator
