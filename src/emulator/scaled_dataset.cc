#include "emulator/scaled_dataset.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

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

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t ProcessingFee(const std::string& currency, int64_t amount) {
  return currency == "gbp" ? amount * 15 / 1000 + 20 : amount * 29 / 1000 + 30;
}

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
  json::object NewObject(Kind kind, uint32_t i) const;

  // Facts shared by several resources.
  bool ChargeSucceeded(uint32_t i) const;
  int64_t ChargeAmount(uint32_t i) const { return Uniform(kCharge, i, 5, 800) * 100 - 1; }
  uint32_t ChargeCustomer(uint32_t i) const;
  std::string CustomerName(uint32_t j) const;
  std::string CustomerEmail(uint32_t j) const;
  bool Refunded(uint32_t i) const;  // has a refund, via RefundOf
  int64_t RefundAmount(uint32_t r) const;
  std::string_view DisputeStatus(uint32_t d) const;
  int64_t PriceAmount(uint32_t q) const;
  SubscriptionInfo Subscription(uint32_t s) const;
  int64_t InvoiceAmount(const SubscriptionInfo& sub) const;

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
      key_(seed ^ Fnv1a(account.id) ^ (livemode ? 0x6c69766521ull : 0x7465737421ull)),
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

  // Payouts: each day pays out 80% of the net of the charges that became available that day.
  std::vector<int64_t> day_net(kSpanDays + 3, 0);
  for (uint32_t i = 0; i < count(kCharge); ++i) {
    if (!ChargeSucceeded(i)) continue;
    int64_t day = (Created(kCharge, i) + 2 * kDay - start_) / kDay;
    int64_t amount = ChargeAmount(i);
    if (day >= 0 && day < static_cast<int64_t>(day_net.size())) {
      day_net[day] += amount - ProcessingFee(account_.default_currency, amount);
    }
  }
  for (int32_t day = 1; day <= kSpanDays; ++day) {
    int64_t created = start_ + day * kDay + 9 * kHour;
    if (created > now_) break;
    if (day_net[day] * 8 / 10 <= 0) continue;
    payout_day_.push_back(day);
    payout_amount_.push_back(day_net[day] * 8 / 10);
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

json::object Scale::NewObject(Kind kind, uint32_t i) const {
  return json::object{{"id", Id(kind, i)},
                      {"object", FindResource(kPaths[kind])->object_name},
                      {"created", Created(kind, i)},
                      {"livemode", livemode_},
                      {"metadata", json::object{}}};
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
  std::string last = Lower(kLastNames[(h >> 8) % 16]);
  last.erase(std::remove(last.begin(), last.end(), '-'), last.end());
  return Lower(kFirstNames[h % 16]) + "." + last + "." + std::to_string(j) + "@example.com";
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

int64_t Scale::InvoiceAmount(const SubscriptionInfo& sub) const {
  int64_t amount = 0;
  for (int k = 0; k < sub.items; ++k) amount += PriceAmount(sub.prices[k]) * sub.quantities[k];
  return amount;
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
  json::object c = NewObject(kCustomer, j);
  c["address"] = nullptr;
  c["balance"] = 0;
  c["currency"] = account_.default_currency;
  c["default_source"] = nullptr;
  bool delinquent = false;
  int64_t invoices = 0;
  if (j % 2 == 0 && j / 2 < counts_[kSubscription]) {
    SubscriptionInfo sub = Subscription(j / 2);
    delinquent = sub.status == "past_due" || sub.status == "unpaid";
    for (uint32_t k = 0; k < 3; ++k) invoices += invoice_position_[(j / 2) * 3 + k] != kNone;
  }
  c["delinquent"] = delinquent;
  c["description"] = nullptr;
  c["discount"] = nullptr;
  c["email"] = CustomerEmail(j);
  c["invoice_prefix"] = Chars(kCustomer, j, 8, true);
  c["invoice_settings"] = {{"custom_fields", nullptr},
                           {"default_payment_method", nullptr},
                           {"footer", nullptr},
                           {"rendering_options", nullptr}};
  c["name"] = CustomerName(j);
  c["next_invoice_sequence"] = invoices + 1;
  c["phone"] = nullptr;
  c["preferred_locales"] = json::array{"en-GB"};
  c["shipping"] = nullptr;
  c["tax_exempt"] = "none";
  c["test_clock"] = nullptr;
  return c;
}

json::object Scale::RenderProduct(uint32_t p) const {
  json::object o = NewObject(kProduct, p);
  o["active"] = H(kProduct, p) % 10 != 0;
  o["default_price"] = Id(kPrice, 2 * p);
  o["description"] = "Plan " + std::to_string(p + 1);
  o["images"] = json::array{};
  o["marketing_features"] = json::array{};
  o["name"] = std::string(kProductNames[p % kProductNames.size()]) +
              (p < kProductNames.size() ? "" : " " + std::to_string(p / kProductNames.size() + 1));
  o["package_dimensions"] = nullptr;
  o["shippable"] = nullptr;
  o["statement_descriptor"] = nullptr;
  o["tax_code"] = nullptr;
  o["type"] = "service";
  o["unit_label"] = nullptr;
  o["updated"] = Created(kProduct, p);
  o["url"] = nullptr;
  return o;
}

json::object Scale::RenderPrice(uint32_t q) const {
  json::object p = NewObject(kPrice, q);
  int64_t amount = PriceAmount(q);
  p["active"] = true;
  p["billing_scheme"] = "per_unit";
  p["currency"] = account_.default_currency;
  p["custom_unit_amount"] = nullptr;
  p["lookup_key"] = nullptr;
  p["nickname"] = nullptr;
  p["product"] = Id(kProduct, q / 2);
  p["recurring"] = {{"interval", q % 2 ? "year" : "month"},
                    {"interval_count", 1},
                    {"meter", nullptr},
                    {"trial_period_days", nullptr},
                    {"usage_type", "licensed"}};
  p["tax_behavior"] = "unspecified";
  p["tiers_mode"] = nullptr;
  p["transform_quantity"] = nullptr;
  p["type"] = "recurring";
  p["unit_amount"] = amount;
  p["unit_amount_decimal"] = std::to_string(amount);
  return p;
}

json::object Scale::RenderCoupon(uint32_t k) const {
  json::object c = NewObject(kCoupon, k);
  bool percent = k % 3 != 1;
  int64_t value = percent ? 5 * (1 + static_cast<int64_t>(k % 6)) : 500 * (1 + static_cast<int64_t>(k % 4));
  static constexpr std::array<std::string_view, 3> kDurations = {"repeating", "once", "forever"};
  std::string_view duration = kDurations[k % 3];
  c["amount_off"] = percent ? json::value(nullptr) : json::value(value);
  c["currency"] = percent ? json::value(nullptr) : json::value(account_.default_currency);
  c["duration"] = duration;
  c["duration_in_months"] = duration == "repeating" ? json::value(3) : json::value(nullptr);
  c["max_redemptions"] = nullptr;
  c["name"] = percent ? std::to_string(value) + "% off" : "Save " + std::to_string(value / 100);
  c["percent_off"] = percent ? json::value(value) : json::value(nullptr);
  c["redeem_by"] = nullptr;
  c["times_redeemed"] = static_cast<int64_t>(H(kCoupon, k) % 200);
  c["valid"] = true;
  return c;
}

json::object Scale::RenderSubscription(uint32_t s) const {
  SubscriptionInfo sub = Subscription(s);
  std::string id = Id(kSubscription, s);
  json::array items;
  for (int k = 0; k < sub.items; ++k) {
    json::object item{{"id", OtherId(kSubscriptionItem, "si_", s * 2 + k)},
                      {"object", "subscription_item"},
                      {"created", sub.created},
                      {"metadata", json::object{}}};
    item["billing_thresholds"] = nullptr;
    item["current_period_end"] = sub.period_end;
    item["current_period_start"] = sub.period_start;
    item["discounts"] = json::array{};
    item["price"] = RenderPrice(sub.prices[k]);
    item["quantity"] = sub.quantities[k];
    item["subscription"] = id;
    item["tax_rates"] = json::array{};
    items.push_back(std::move(item));
  }
  bool trialing = sub.status == "trialing";
  bool canceled = sub.status == "canceled";
  uint32_t latest = kNone;
  for (uint32_t k = 0; k < 3; ++k) {
    if (invoice_position_[s * 3 + k] != kNone) latest = invoice_position_[s * 3 + k];
  }
  json::object o = NewObject(kSubscription, s);
  o["application"] = nullptr;
  o["application_fee_percent"] = nullptr;
  o["automatic_tax"] = {{"disabled_reason", nullptr}, {"enabled", false}, {"liability", nullptr}};
  o["billing_cycle_anchor"] = trialing ? sub.period_end : sub.created;
  o["cancel_at"] = nullptr;
  o["cancel_at_period_end"] = false;
  o["canceled_at"] = canceled ? json::value(sub.canceled_at) : json::value(nullptr);
  o["cancellation_details"] = {{"comment", nullptr},
                               {"feedback", nullptr},
                               {"reason", canceled ? json::value("cancellation_requested")
                                                   : json::value(nullptr)}};
  o["collection_method"] = "charge_automatically";
  o["currency"] = account_.default_currency;
  o["customer"] = Id(kCustomer, sub.customer);
  o["days_until_due"] = nullptr;
  o["default_payment_method"] = nullptr;
  o["default_source"] = nullptr;
  o["default_tax_rates"] = json::array{};
  o["description"] = nullptr;
  o["discounts"] = json::array{};
  o["ended_at"] = canceled ? json::value(sub.canceled_at) : json::value(nullptr);
  o["items"] = {{"object", "list"},
                {"data", std::move(items)},
                {"has_more", false},
                {"total_count", sub.items},
                {"url", "/v1/subscription_items?subscription=" + id}};
  o["latest_invoice"] = latest == kNone ? json::value(nullptr) : json::value(Id(kInvoice, latest));
  o["next_pending_invoice_item_invoice"] = nullptr;
  o["on_behalf_of"] = nullptr;
  o["pause_collection"] = nullptr;
  o["pending_update"] = nullptr;
  o["schedule"] = nullptr;
  o["start_date"] = sub.created;
  o["status"] = sub.status;
  o["test_clock"] = nullptr;
  o["transfer_data"] = nullptr;
  o["trial_end"] = trialing ? json::value(sub.period_end) : json::value(nullptr);
  o["trial_start"] = trialing ? json::value(sub.created) : json::value(nullptr);
  return o;
}

json::object Scale::RenderInvoice(uint32_t v) const {
  uint32_t slot = invoice_slot_[v];
  uint32_t s = slot / 3, k = slot % 3;
  SubscriptionInfo sub = Subscription(s);
  std::string id = Id(kInvoice, v);
  std::string sub_id = Id(kSubscription, s);
  int64_t created = invoice_created_[v];
  int64_t start = created - 60;
  bool latest = k == 2 || invoice_position_[slot + 1] == kNone;
  bool paid = !(latest && (sub.status == "past_due" || sub.status == "unpaid"));
  int64_t amount = InvoiceAmount(sub);
  json::array lines;
  for (int n = 0; n < sub.items; ++n) {
    uint32_t q = sub.prices[n];
    json::object line{{"id", OtherId(kInvoiceLine, "il_", slot * 2 + n)},
                      {"object", "line_item"},
                      {"livemode", livemode_},
                      {"metadata", json::object{}}};
    line["amount"] = PriceAmount(q) * sub.quantities[n];
    line["currency"] = account_.default_currency;
    line["description"] = std::to_string(sub.quantities[n]) + " × subscription";
    line["discount_amounts"] = json::array{};
    line["discountable"] = true;
    line["discounts"] = json::array{};
    line["invoice"] = id;
    line["parent"] = {{"invoice_item_details", nullptr},
                      {"subscription_item_details",
                       {{"invoice_item", nullptr},
                        {"proration", false},
                        {"proration_details", {{"credited_items", nullptr}}},
                        {"subscription", sub_id},
                        {"subscription_item", OtherId(kSubscriptionItem, "si_", s * 2 + n)}}},
                      {"type", "subscription_item_details"}};
    line["period"] = {{"end", start + sub.period}, {"start", start}};
    line["pretax_credit_amounts"] = json::array{};
    line["pricing"] = {{"price_details", {{"price", Id(kPrice, q)}, {"product", Id(kProduct, q / 2)}}},
                       {"type", "price_details"},
                       {"unit_amount_decimal", std::to_string(PriceAmount(q))}};
    line["quantity"] = sub.quantities[n];
    line["taxes"] = json::array{};
    lines.push_back(std::move(line));
  }
  json::object inv = NewObject(kInvoice, v);
  inv["account_country"] = account_.country;
  inv["account_name"] = account_.name;
  inv["amount_due"] = amount;
  inv["amount_paid"] = paid ? amount : 0;
  inv["amount_remaining"] = paid ? 0 : amount;
  inv["amount_shipping"] = 0;
  inv["attempt_count"] = paid ? 1 : 2;
  inv["attempted"] = true;
  inv["auto_advance"] = !paid;
  inv["billing_reason"] = start == sub.created ? "subscription_create" : "subscription_cycle";
  inv["collection_method"] = "charge_automatically";
  inv["currency"] = account_.default_currency;
  inv["customer"] = Id(kCustomer, sub.customer);
  inv["customer_email"] = CustomerEmail(sub.customer);
  inv["customer_name"] = CustomerName(sub.customer);
  inv["default_payment_method"] = nullptr;
  inv["description"] = nullptr;
  inv["discounts"] = json::array{};
  inv["due_date"] = nullptr;
  inv["effective_at"] = created + 3600;
  inv["ending_balance"] = 0;
  inv["footer"] = nullptr;
  inv["hosted_invoice_url"] = nullptr;
  inv["invoice_pdf"] = nullptr;
  inv["issuer"] = {{"type", "self"}};
  inv["lines"] = {{"object", "list"},
                  {"data", std::move(lines)},
                  {"has_more", false},
                  {"total_count", sub.items},
                  {"url", "/v1/invoices/" + id + "/lines"}};
  inv["number"] = Chars(kCustomer, sub.customer, 8, true) + "-000" + std::to_string(k + 1);
  inv["parent"] = {{"quote_details", nullptr},
                   {"subscription_details", {{"metadata", json::object{}}, {"subscription", sub_id}}},
                   {"type", "subscription_details"}};
  inv["period_end"] = start;
  inv["period_start"] = start;
  inv["status"] = paid ? "paid" : "open";
  inv["status_transitions"] = {{"finalized_at", created + 3600},
                               {"marked_uncollectible_at", nullptr},
                               {"paid_at", paid ? json::value(created + 3630) : json::value(nullptr)},
                               {"voided_at", nullptr}};
  inv["subtotal"] = amount;
  inv["subtotal_excluding_tax"] = amount;
  inv["total"] = amount;
  inv["total_discount_amounts"] = json::array{};
  inv["total_excluding_tax"] = amount;
  inv["total_taxes"] = json::array{};
  inv["webhooks_delivered_at"] = created + 3600;
  return inv;
}

json::object Scale::RenderCharge(uint32_t i) const {
  static constexpr std::array<std::string_view, 3> kBrands = {"visa", "mastercard", "amex"};
  static constexpr std::array<std::string_view, 3> kLast4 = {"4242", "4444", "8431"};
  bool succeeded = ChargeSucceeded(i);
  int64_t amount = ChargeAmount(i);
  uint32_t customer = ChargeCustomer(i);
  uint64_t h = H(kCharge + 300, i);
  size_t brand = h % kBrands.size();
  int64_t refunded = 0;
  if (Refunded(i)) refunded = RefundAmount((i - 7) / 20);
  bool disputed = i % 200 == 13 && (i - 13) / 200 < counts_[kDispute];
  json::object c = NewObject(kCharge, i);
  c["amount"] = amount;
  c["amount_captured"] = succeeded ? amount : 0;
  c["amount_refunded"] = refunded;
  c["application"] = nullptr;
  c["application_fee"] = nullptr;
  c["application_fee_amount"] = nullptr;
  c["balance_transaction"] =
      succeeded ? json::value(Id(kTxn, charge_txn_[i])) : json::value(nullptr);
  c["billing_details"] = {{"address", nullptr},
                          {"email", CustomerEmail(customer)},
                          {"name", CustomerName(customer)},
                          {"phone", nullptr}};
  c["calculated_statement_descriptor"] = "STRIPELINE EMU";
  c["captured"] = succeeded;
  c["currency"] = account_.default_currency;
  c["customer"] = Id(kCustomer, customer);
  c["description"] = "Order " + std::to_string(1000 + i);
  c["disputed"] = disputed;
  c["failure_balance_transaction"] = nullptr;
  c["failure_code"] = succeeded ? json::value(nullptr) : json::value("card_declined");
  c["failure_message"] = succeeded ? json::value(nullptr) : json::value("Your card was declined.");
  c["fraud_details"] = json::object{};
  c["on_behalf_of"] = nullptr;
  c["outcome"] = {{"network_status", succeeded ? "approved_by_network" : "declined_by_network"},
                  {"reason", succeeded ? json::value(nullptr) : json::value("generic_decline")},
                  {"risk_level", "normal"},
                  {"seller_message", succeeded ? "Payment complete."
                                               : "The bank did not return any further details "
                                                 "with this decline."},
                  {"type", succeeded ? "authorized" : "issuer_declined"}};
  c["paid"] = succeeded;
  c["payment_intent"] = Id(kPaymentIntent, i);
  c["payment_method"] = OtherId(kPaymentMethod, "pm_", i);
  c["payment_method_details"] = {
      {"card",
       {{"brand", kBrands[brand]},
        {"checks",
         {{"address_line1_check", nullptr},
          {"address_postal_code_check", "pass"},
          {"cvc_check", "pass"}}},
        {"country", account_.country},
        {"exp_month", static_cast<int64_t>(1 + (h >> 8) % 12)},
        {"exp_year", static_cast<int64_t>(2027 + (h >> 16) % 5)},
        {"fingerprint", Chars(kCustomer + 50, customer, 16)},
        {"funding", "credit"},
        {"last4", kLast4[brand]},
        {"network", kBrands[brand]},
        {"three_d_secure", nullptr},
        {"wallet", nullptr}}},
      {"type", "card"}};
  c["receipt_email"] = nullptr;
  c["receipt_number"] = nullptr;
  c["receipt_url"] = nullptr;
  c["refunded"] = refunded != 0 && refunded == amount;
  c["review"] = nullptr;
  c["shipping"] = nullptr;
  c["source_transfer"] = nullptr;
  c["statement_descriptor"] = nullptr;
  c["statement_descriptor_suffix"] = nullptr;
  c["status"] = succeeded ? "succeeded" : "failed";
  c["transfer_data"] = nullptr;
  c["transfer_group"] = nullptr;
  return c;
}

json::object Scale::RenderPaymentIntent(uint32_t i) const {
  bool succeeded = ChargeSucceeded(i);
  int64_t amount = ChargeAmount(i);
  std::string id = Id(kPaymentIntent, i);
  std::string charge = Id(kCharge, i);
  json::object pi = NewObject(kPaymentIntent, i);
  pi["amount"] = amount;
  pi["amount_capturable"] = 0;
  pi["amount_details"] = {{"tip", json::object{}}};
  pi["amount_received"] = succeeded ? amount : 0;
  pi["application"] = nullptr;
  pi["application_fee_amount"] = nullptr;
  pi["automatic_payment_methods"] = nullptr;
  pi["canceled_at"] = nullptr;
  pi["cancellation_reason"] = nullptr;
  pi["capture_method"] = "automatic_async";
  pi["client_secret"] = id + "_secret_" + Chars(kPaymentIntent, i, 25);
  pi["confirmation_method"] = "automatic";
  pi["currency"] = account_.default_currency;
  pi["customer"] = Id(kCustomer, ChargeCustomer(i));
  pi["description"] = "Order " + std::to_string(1000 + i);
  if (succeeded) {
    pi["last_payment_error"] = nullptr;
  } else {
    pi["last_payment_error"] = {{"charge", charge},
                                {"code", "card_declined"},
                                {"decline_code", "generic_decline"},
                                {"message", "Your card was declined."},
                                {"type", "card_error"}};
  }
  pi["latest_charge"] = charge;
  pi["next_action"] = nullptr;
  pi["on_behalf_of"] = nullptr;
  pi["payment_method"] = succeeded ? json::value(OtherId(kPaymentMethod, "pm_", i)) : json::value(nullptr);
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
  return pi;
}

json::object Scale::RenderRefund(uint32_t r) const {
  uint32_t charge = 20 * r + 7;
  json::object o = NewObject(kRefund, r);
  o.erase("livemode");  // Stripe's refunds have none
  o["amount"] = RefundAmount(r);
  o["balance_transaction"] = Id(kTxn, refund_txn_[r]);
  o["charge"] = Id(kCharge, charge);
  o["currency"] = account_.default_currency;
  o["destination_details"] = {{"card",
                               {{"reference", Chars(kRefund, r, 23, true)},
                                {"reference_status", "available"},
                                {"reference_type", "acquirer_reference_number"},
                                {"type", "refund"}}},
                              {"type", "card"}};
  o["payment_intent"] = Id(kPaymentIntent, charge);
  o["reason"] = "requested_by_customer";
  o["receipt_number"] = nullptr;
  o["source_transfer_reversal"] = nullptr;
  o["status"] = "succeeded";
  o["transfer_reversal"] = nullptr;
  return o;
}

json::object Scale::RenderDispute(uint32_t d) const {
  uint32_t charge = 200 * d + 13;
  std::string_view status = DisputeStatus(d);
  bool answered = status != "needs_response";
  int64_t created = Created(kDispute, d);
  json::array transactions{RenderTxn(dispute_txn_[d])};
  if (reversal_txn_[d] != kNone) transactions.push_back(RenderTxn(reversal_txn_[d]));
  static constexpr std::array<std::string_view, 3> kBrands = {"visa", "mastercard", "amex"};
  json::object o = NewObject(kDispute, d);
  o["amount"] = ChargeAmount(charge);
  o["balance_transactions"] = std::move(transactions);
  o["charge"] = Id(kCharge, charge);
  o["currency"] = account_.default_currency;
  o["evidence"] = {{"customer_email_address", nullptr},
                   {"customer_name", nullptr},
                   {"product_description", nullptr},
                   {"receipt", nullptr},
                   {"uncategorized_text",
                    answered ? json::value("Service was delivered.") : json::value(nullptr)}};
  o["evidence_details"] = {{"due_by", created + 21 * kDay},
                           {"has_evidence", answered},
                           {"past_due", false},
                           {"submission_count", answered ? 1 : 0}};
  o["is_charge_refundable"] = false;
  o["payment_intent"] = Id(kPaymentIntent, charge);
  o["payment_method_details"] = {{"card",
                                  {{"brand", kBrands[H(kCharge + 300, charge) % 3]},
                                   {"case_type", "chargeback"},
                                   {"network_reason_code", "10.4"}}},
                                 {"type", "card"}};
  o["reason"] = answered ? "fraudulent" : "product_not_received";
  o["status"] = status;
  return o;
}

json::object Scale::RenderPayout(uint32_t p) const {
  int64_t created = Created(kPayout, p);
  int64_t arrival = created + 2 * kDay;
  bool arrived = arrival <= now_;
  json::object o = NewObject(kPayout, p);
  o["amount"] = payout_amount_[p];
  o["application_fee"] = nullptr;
  o["application_fee_amount"] = nullptr;
  o["arrival_date"] = arrival;
  o["automatic"] = true;
  o["balance_transaction"] = Id(kTxn, payout_txn_[p]);
  o["currency"] = account_.default_currency;
  o["description"] = "STRIPE PAYOUT";
  o["destination"] = OtherId(kBankAccount, "ba_", 0);
  o["failure_balance_transaction"] = nullptr;
  o["failure_code"] = nullptr;
  o["failure_message"] = nullptr;
  o["method"] = "standard";
  o["original_payout"] = nullptr;
  o["payout_method"] = nullptr;
  o["reconciliation_status"] = arrived ? "completed" : "in_progress";
  o["reversed_by"] = nullptr;
  o["source_type"] = "card";
  o["statement_descriptor"] = nullptr;
  o["status"] = arrived ? "paid" : "in_transit";
  o["trace_id"] = {{"status", arrived ? "supported" : "pending"},
                   {"value", arrived ? json::value(Chars(kPayout, p, 16, true)) : json::value(nullptr)}};
  o["type"] = "bank_account";
  return o;
}

json::object Scale::RenderTxn(uint32_t t) const {
  const TxnEntry& entry = txns_[t];
  const std::string& currency = account_.default_currency;
  int64_t amount = 0, fee = 0, available_on = entry.created;
  std::string_view type, category, fee_description = "Stripe processing fees";
  std::string source, description;
  switch (entry.type) {
    case kTxnCharge:
      amount = ChargeAmount(entry.index);
      fee = ProcessingFee(currency, amount);
      available_on = entry.created + 2 * kDay;
      type = category = "charge";
      source = Id(kCharge, entry.index);
      description = "Order " + std::to_string(1000 + entry.index);
      break;
    case kTxnRefund:
      amount = -RefundAmount(entry.index);
      type = category = "refund";
      source = Id(kRefund, entry.index);
      description = "REFUND FOR CHARGE (Order " + std::to_string(1000 + 20 * entry.index + 7) + ")";
      break;
    case kTxnDispute:
    case kTxnDisputeReversal: {
      bool reversal = entry.type == kTxnDisputeReversal;
      uint32_t charge = 200 * entry.index + 13;
      amount = reversal ? ChargeAmount(charge) : -ChargeAmount(charge);
      fee = reversal ? 0 : 1500;
      fee_description = "Dispute fee";
      type = "adjustment";
      category = reversal ? "dispute_reversal" : "dispute";
      source = Id(kDispute, entry.index);
      description = std::string(reversal ? "Chargeback reversal for " : "Chargeback withdrawal for ") +
                    Id(kCharge, charge);
      break;
    }
    case kTxnPayout:
      amount = -payout_amount_[entry.index];
      type = category = "payout";
      source = Id(kPayout, entry.index);
      description = "STRIPE PAYOUT";
      break;
  }
  json::array fee_details;
  if (fee != 0) {
    fee_details.push_back(json::object{{"amount", fee},
                                       {"application", nullptr},
                                       {"currency", currency},
                                       {"description", fee_description},
                                       {"type", "stripe_fee"}});
  }
  return json::object{{"id", Id(kTxn, t)},
                      {"object", "balance_transaction"},
                      {"created", entry.created},
                      {"amount", amount},
                      {"available_on", available_on},
                      {"balance_type", "payments"},
                      {"currency", currency},
                      {"description", description},
                      {"exchange_rate", nullptr},
                      {"fee", fee},
                      {"fee_details", std::move(fee_details)},
                      {"net", amount - fee},
                      {"reporting_category", category},
                      {"source", source},
                      {"status", available_on <= now_ ? "available" : "pending"},
                      {"type", type}};
}

json::object Scale::RenderCreditNote(uint32_t k) const {
  uint32_t v = 100 * k + 50;
  json::object inv = RenderInvoice(v);
  bool paid = inv.at("status").as_string() == "paid";
  int64_t amount = inv.at("total").as_int64() / 4;
  std::string id = Id(kCreditNote, k);
  json::object line{{"id", OtherId(kCreditNoteLine, "cnli_", k)},
                    {"object", "credit_note_line_item"},
                    {"livemode", livemode_},
                    {"metadata", json::object{}}};
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
  json::object cn = NewObject(kCreditNote, k);
  cn["amount"] = amount;
  cn["amount_shipping"] = 0;
  cn["currency"] = account_.default_currency;
  cn["customer"] = inv.at("customer");
  cn["customer_balance_transaction"] = nullptr;
  cn["discount_amount"] = 0;
  cn["discount_amounts"] = json::array{};
  cn["effective_at"] = Created(kCreditNote, k);
  cn["invoice"] = inv.at("id");
  cn["lines"] = {{"object", "list"},
                 {"data", json::array{std::move(line)}},
                 {"has_more", false},
                 {"total_count", 1},
                 {"url", "/v1/credit_notes/" + id + "/lines"}};
  cn["memo"] = "Service credit";
  cn["number"] = std::string(inv.at("number").as_string()) + "-CN-01";
  cn["out_of_band_amount"] = paid ? json::value(amount) : json::value(nullptr);
  cn["pdf"] = "https://pay.stripe.com/credit_notes/" + account_.id + "/" + id + "/pdf";
  cn["post_payment_amount"] = paid ? amount : 0;
  cn["pre_payment_amount"] = paid ? 0 : amount;
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
  cn["type"] = paid ? "post_payment" : "pre_payment";
  cn["voided_at"] = nullptr;
  return cn;
}

json::object Scale::RenderEvent(uint32_t e) const {
  const EventEntry& entry = events_[e];
  auto kind = static_cast<Kind>(entry.kind);
  json::object o{{"id", Id(kEvent, e)}, {"object", "event"}};
  if (account_.connected_to) o["account"] = account_.id;
  o["api_version"] = DatasetBuilder::kApiVersion;
  o["created"] = entry.created;
  o["data"] = {{"object", Render(kind, entry.position)}};
  o["livemode"] = livemode_;
  o["pending_webhooks"] = 0;
  o["request"] = {{"id", nullptr}, {"idempotency_key", nullptr}};
  o["type"] = std::string(FindResource(kPaths[kind])->event_prefix) + ".created";
  return o;
}

json::object Scale::Balance() const {
  int64_t available = 0, pending = 0;
  for (uint32_t t = 0; t < txns_.size(); ++t) {
    const TxnEntry& entry = txns_[t];
    int64_t net = 0;
    bool is_available = true;
    switch (entry.type) {
      case kTxnCharge: {
        int64_t amount = ChargeAmount(entry.index);
        net = amount - ProcessingFee(account_.default_currency, amount);
        is_available = entry.created + 2 * kDay <= now_;
        break;
      }
      case kTxnRefund: net = -RefundAmount(entry.index); break;
      case kTxnDispute: net = -ChargeAmount(200 * entry.index + 13) - 1500; break;
      case kTxnDisputeReversal: net = ChargeAmount(200 * entry.index + 13); break;
      case kTxnPayout: net = -payout_amount_[entry.index]; break;
    }
    (is_available ? available : pending) += net;
  }
  const std::string& currency = account_.default_currency;
  auto amounts = [&](int64_t amount) {
    return json::array{json::object{
        {"amount", amount}, {"currency", currency}, {"source_types", {{"card", amount}}}}};
  };
  return json::object{
      {"object", "balance"},
      {"available", amounts(available)},
      {"connect_reserved", json::array{json::object{{"amount", 0}, {"currency", currency}}}},
      {"livemode", livemode_},
      {"pending", amounts(pending)},
  };
}

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
  return dataset;
}

}  // namespace stripeline::emulator
