#include "reports/subscription_facts.h"

#include <boost/json.hpp>

#include <algorithm>

namespace stripeline::reports {

namespace json = boost::json;

namespace {

const json::value* Find(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

std::optional<int64_t> Int(const json::object& o, std::string_view key) {
  const json::value* v = Find(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return std::nullopt;
}

std::optional<double> Real(const json::object& o, std::string_view key) {
  const json::value* v = Find(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_string()) {
    try {
      return std::stod(std::string(v->get_string()));
    } catch (...) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = Find(o, key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_object()) {  // an expanded reference
    const json::value* id = v->get_object().if_contains("id");
    if (id != nullptr && id->is_string()) return std::string(id->get_string());
  }
  return "";
}

const json::object* Object(const json::object& o, std::string_view key) {
  const json::value* v = Find(o, key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

// One month's worth of a price billed every `count` `interval`s, as a factor of the amount.
double MonthlyFactor(std::string_view interval, int64_t count) {
  const double n = static_cast<double>(std::max<int64_t>(count, 1));
  if (interval == "month") return 1.0 / n;
  if (interval == "year") return 1.0 / (12.0 * n);
  if (interval == "week") return 52.0 / (12.0 * n);
  if (interval == "day") return 365.0 / (12.0 * n);
  return 0;
}

// Applies the discount object `d` (with its coupon) to the facts when it is recurring.
void ApplyDiscount(const json::object& d, SubscriptionFacts& facts) {
  const json::object* coupon = Object(d, "coupon");
  if (coupon == nullptr) {
    // basil: discount.source.coupon may be an id only; then its terms are unknown.
    const json::object* source = Object(d, "source");
    if (source != nullptr) coupon = Object(*source, "coupon");
  }
  if (coupon == nullptr) {
    facts.discount_unknown = true;
    return;
  }
  const std::string duration = Text(*coupon, "duration");
  if (duration != "forever" && duration != "repeating") return;  // `once`: not recurring
  facts.discount_percent_off = Real(*coupon, "percent_off");
  facts.discount_amount_off = Int(*coupon, "amount_off");
  if (!facts.discount_percent_off && !facts.discount_amount_off) return;
  const std::string currency = Text(*coupon, "currency");
  if (!currency.empty()) facts.discount_currency = currency;
  facts.discount_start = Int(d, "start").value_or(facts.start);
  facts.discount_end = Int(d, "end");
  if (!facts.discount_end && duration == "repeating") {
    // Stripe sets `end`; without it, the coupon's months from the start (30.44-day months).
    if (std::optional<int64_t> months = Int(*coupon, "duration_in_months")) {
      facts.discount_end = *facts.discount_start + *months * 2'629'746;
    }
  }
}

// [a, b) minus [c, d), as up to two pieces.
std::vector<std::pair<int64_t, int64_t>> Minus(int64_t a, int64_t b, int64_t c, int64_t d) {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (d <= a || c >= b || c >= d) {
    out.emplace_back(a, b);
    return out;
  }
  if (a < c) out.emplace_back(a, c);
  if (d < b) out.emplace_back(d, b);
  return out;
}

}  // namespace

bool StatusNeverCounted(const std::string& status) {
  return status == "incomplete" || status == "incomplete_expired" || status == "unpaid" ||
         status == "paused";
}

SubscriptionFacts FactsFromJson(const sync::DataScope& scope, const json::object& sub) {
  SubscriptionFacts f;
  f.scope = scope;
  f.id = Text(sub, "id");
  f.customer = Text(sub, "customer");
  f.currency = Text(sub, "currency");
  f.status = Text(sub, "status");
  f.start = Int(sub, "start_date").value_or(Int(sub, "created").value_or(0));
  f.end = Int(sub, "ended_at");
  if (!f.end && f.status == "canceled") f.end = Int(sub, "canceled_at");
  f.trial_start = Int(sub, "trial_start");
  f.trial_end = Int(sub, "trial_end");

  bool interval_known = false;
  if (const json::object* items = Object(sub, "items")) {
    const json::value* data = Find(*items, "data");
    if (data != nullptr && data->is_array()) {
      for (const json::value& v : data->get_array()) {
        if (!v.is_object()) continue;
        const json::object& item = v.get_object();
        const json::object* price = Object(item, "price");
        if (price == nullptr) price = Object(item, "plan");  // legacy plans
        if (price == nullptr) continue;
        const json::object* recurring = Object(*price, "recurring");
        std::string interval, usage;
        int64_t count = 1;
        if (recurring != nullptr) {
          interval = Text(*recurring, "interval");
          usage = Text(*recurring, "usage_type");
          count = Int(*recurring, "interval_count").value_or(1);
        } else {  // a plan object carries them at the top
          interval = Text(*price, "interval");
          usage = Text(*price, "usage_type");
          count = Int(*price, "interval_count").value_or(1);
        }
        if (usage == "metered") continue;
        std::optional<double> unit = Real(*price, "unit_amount");
        if (!unit) unit = Real(*price, "amount");
        if (!unit) unit = Real(*price, "unit_amount_decimal");
        const double quantity = static_cast<double>(Int(item, "quantity").value_or(1));
        const double factor = MonthlyFactor(interval, count);
        f.monthly += unit.value_or(0) * quantity * factor;
        if (!interval_known && factor > 0) {
          f.interval_months = 1.0 / factor;
          interval_known = true;
        }
      }
    }
  }

  if (const json::object* d = Object(sub, "discount")) {
    ApplyDiscount(*d, f);
  } else if (const json::value* ds = Find(sub, "discounts"); ds != nullptr && ds->is_array()) {
    for (const json::value& d : ds->get_array()) {
      if (d.is_object()) {
        ApplyDiscount(d.get_object(), f);
        break;  // one recurring discount is applied, as Stripe's MRR does
      }
      if (d.is_string()) f.discount_unknown = true;
    }
  }
  return f;
}

std::vector<Segment> Segments(const SubscriptionFacts& f, const SubscriptionRules& rules) {
  std::vector<Segment> out;
  if (StatusNeverCounted(f.status)) return out;
  if (f.status == "past_due" && !rules.count_past_due) return out;
  const int64_t end = f.end.value_or(kForever);
  std::vector<std::pair<int64_t, int64_t>> counted{{f.start, end}};
  if (!rules.count_trials && f.trial_start && f.trial_end) {
    counted = Minus(f.start, end, *f.trial_start, *f.trial_end);
  }
  // The discounted value, and where it applies.
  double discounted = f.monthly;
  bool has_discount = false;
  if (rules.subtract_discounts && f.discount_start) {
    if (f.discount_percent_off) {
      discounted = f.monthly * (1.0 - *f.discount_percent_off / 100.0);
      has_discount = true;
    } else if (f.discount_amount_off &&
               (!f.discount_currency || *f.discount_currency == f.currency)) {
      discounted = f.monthly - static_cast<double>(*f.discount_amount_off) / f.interval_months;
      has_discount = true;
    }
    discounted = std::max(discounted, 0.0);
  }
  const int64_t ds = has_discount ? *f.discount_start : kForever;
  const int64_t de = has_discount ? f.discount_end.value_or(kForever) : kForever;
  for (auto [a, b] : counted) {
    if (a >= b) continue;
    // Split [a, b) at the discount window.
    const int64_t cut1 = std::clamp(ds, a, b), cut2 = std::clamp(de, a, b);
    if (a < cut1) out.push_back({a, cut1, f.monthly});
    if (cut1 < cut2) out.push_back({cut1, cut2, discounted});
    if (std::max(cut2, cut1) < b) out.push_back({std::max(cut2, cut1), b, f.monthly});
  }
  return out;
}

}  // namespace stripeline::reports
