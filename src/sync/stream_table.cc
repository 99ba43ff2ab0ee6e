#include "sync/stream_table.h"

#include <boost/json.hpp>

#include <cmath>

namespace stripeline::sync {

namespace json = boost::json;

namespace {

using enum ColumnType;

const json::value* FindPath(const json::object& object, std::string_view path) {
  const json::object* current = &object;
  const json::value* found = nullptr;
  while (true) {
    size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    found = current->if_contains(key);
    if (found == nullptr || dot == std::string_view::npos) return found;
    if (!found->is_object()) return nullptr;
    current = &found->get_object();
    path.remove_prefix(dot + 1);
  }
}

store::Value Convert(const json::value& value, ColumnType type) {
  switch (type) {
    case kInteger:
      if (value.is_int64()) return value.get_int64();
      if (value.is_uint64()) return static_cast<int64_t>(value.get_uint64());
      if (value.is_double()) return static_cast<int64_t>(std::llround(value.get_double()));
      if (value.is_bool()) return int64_t{value.get_bool() ? 1 : 0};
      return std::monostate{};
    case kBoolean:
      if (value.is_bool()) return int64_t{value.get_bool() ? 1 : 0};
      if (value.is_int64()) return int64_t{value.get_int64() != 0 ? 1 : 0};
      return std::monostate{};
    case kReal:
      if (value.is_double()) return value.get_double();
      if (value.is_int64()) return static_cast<double>(value.get_int64());
      if (value.is_uint64()) return static_cast<double>(value.get_uint64());
      if (value.is_string()) {
        // Stripe sends some decimals as strings (e.g. unit_amount_decimal).
        try {
          return std::stod(std::string(value.get_string()));
        } catch (...) {
          return std::monostate{};
        }
      }
      return std::monostate{};
    case kText:
      if (value.is_string()) return std::string(value.get_string());
      if (value.is_object()) {
        // An expanded reference: keep its id.
        const json::value* id = value.get_object().if_contains("id");
        if (id != nullptr && id->is_string()) return std::string(id->get_string());
        return std::monostate{};
      }
      if (value.is_int64()) return std::to_string(value.get_int64());
      if (value.is_bool()) return std::string(value.get_bool() ? "true" : "false");
      return std::monostate{};
  }
  return std::monostate{};
}

std::vector<StreamSpec> BuildStreams() {
  std::vector<StreamSpec> s;
  s.push_back({"account", "/v1/account", "stripe_account", "account", StreamKind::kSingleton, {},
               "",  // closed to restricted keys (stripe-api.md §1)
               {{"email", "email", kText},
                {"country", "country", kText},
                {"default_currency", "default_currency", kText},
                {"type", "type", kText},
                {"business_name", "business_profile.name", kText},
                {"charges_enabled", "charges_enabled", kBoolean},
                {"payouts_enabled", "payouts_enabled", kBoolean}}});
  s.push_back({"customers", "/v1/customers", "stripe_customers", "customer", StreamKind::kList,
               {}, "rak_customer_read",
               {{"email", "email", kText},
                {"name", "name", kText},
                {"currency", "currency", kText},
                {"balance", "balance", kInteger},
                {"delinquent", "delinquent", kBoolean}}});
  s.push_back({"products", "/v1/products", "stripe_products", "product", StreamKind::kList, {},
               "rak_product_read",
               {{"name", "name", kText},
                {"active", "active", kBoolean},
                {"type", "type", kText},
                {"default_price", "default_price", kText}}});
  s.push_back({"prices", "/v1/prices", "stripe_prices", "price", StreamKind::kList, {},
               "rak_plan_read",
               {{"product", "product", kText},
                {"active", "active", kBoolean},
                {"currency", "currency", kText},
                {"unit_amount", "unit_amount", kInteger},
                {"type", "type", kText},
                {"recurring_interval", "recurring.interval", kText},
                {"recurring_interval_count", "recurring.interval_count", kInteger},
                {"recurring_usage_type", "recurring.usage_type", kText}}});
  s.push_back({"coupons", "/v1/coupons", "stripe_coupons", "coupon", StreamKind::kList, {},
               "rak_coupon_read",
               {{"name", "name", kText},
                {"percent_off", "percent_off", kReal},
                {"amount_off", "amount_off", kInteger},
                {"currency", "currency", kText},
                {"duration", "duration", kText},
                {"duration_in_months", "duration_in_months", kInteger},
                {"valid", "valid", kBoolean}}});
  s.push_back({"subscriptions", "/v1/subscriptions", "stripe_subscriptions", "subscription",
               StreamKind::kList, {{"status", "all"}}, "rak_subscription_read",
               {{"customer", "customer", kText},
                {"status", "status", kText},
                {"currency", "currency", kText},
                {"start_date", "start_date", kInteger},
                {"canceled_at", "canceled_at", kInteger},
                {"ended_at", "ended_at", kInteger},
                {"cancel_at", "cancel_at", kInteger},
                {"cancel_at_period_end", "cancel_at_period_end", kBoolean},
                {"trial_start", "trial_start", kInteger},
                {"trial_end", "trial_end", kInteger}}});
  s.push_back({"invoices", "/v1/invoices", "stripe_invoices", "invoice", StreamKind::kList, {},
               "rak_invoice_read",
               {{"customer", "customer", kText},
                {"subscription", "parent.subscription_details.subscription|subscription", kText},
                {"number", "number", kText},
                {"status", "status", kText},
                {"currency", "currency", kText},
                {"amount_due", "amount_due", kInteger},
                {"amount_paid", "amount_paid", kInteger},
                {"amount_remaining", "amount_remaining", kInteger},
                {"subtotal", "subtotal", kInteger},
                {"total", "total", kInteger},
                {"period_start", "period_start", kInteger},
                {"period_end", "period_end", kInteger},
                {"due_date", "due_date", kInteger}}});
  s.push_back({"charges", "/v1/charges", "stripe_charges", "charge", StreamKind::kList, {},
               "rak_charge_read",
               {{"customer", "customer", kText},
                {"amount", "amount", kInteger},
                {"amount_captured", "amount_captured", kInteger},
                {"amount_refunded", "amount_refunded", kInteger},
                {"currency", "currency", kText},
                {"status", "status", kText},
                {"paid", "paid", kBoolean},
                {"captured", "captured", kBoolean},
                {"refunded", "refunded", kBoolean},
                {"disputed", "disputed", kBoolean},
                {"payment_intent", "payment_intent", kText},
                {"balance_transaction", "balance_transaction", kText},
                {"failure_code", "failure_code", kText}}});
  s.push_back({"refunds", "/v1/refunds", "stripe_refunds", "refund", StreamKind::kList, {},
               "rak_charge_read",
               {{"charge", "charge", kText},
                {"payment_intent", "payment_intent", kText},
                {"amount", "amount", kInteger},
                {"currency", "currency", kText},
                {"status", "status", kText},
                {"reason", "reason", kText},
                {"balance_transaction", "balance_transaction", kText}}});
  s.push_back({"disputes", "/v1/disputes", "stripe_disputes", "dispute", StreamKind::kList, {},
               "rak_dispute_read",
               {{"charge", "charge", kText},
                {"payment_intent", "payment_intent", kText},
                {"amount", "amount", kInteger},
                {"currency", "currency", kText},
                {"status", "status", kText},
                {"reason", "reason", kText}}});
  s.push_back({"payment_intents", "/v1/payment_intents", "stripe_payment_intents",
               "payment_intent", StreamKind::kList, {}, "rak_payment_intent_read",
               {{"customer", "customer", kText},
                {"amount", "amount", kInteger},
                {"amount_received", "amount_received", kInteger},
                {"currency", "currency", kText},
                {"status", "status", kText},
                {"latest_charge", "latest_charge", kText}}});
  s.push_back({"payouts", "/v1/payouts", "stripe_payouts", "payout", StreamKind::kList, {},
               "rak_payout_read",
               {{"amount", "amount", kInteger},
                {"currency", "currency", kText},
                {"status", "status", kText},
                {"arrival_date", "arrival_date", kInteger},
                {"automatic", "automatic", kBoolean},
                {"method", "method", kText},
                {"type", "type", kText},
                {"balance_transaction", "balance_transaction", kText}}});
  s.push_back({"balance_transactions", "/v1/balance_transactions", "stripe_balance_transactions",
               "balance_transaction", StreamKind::kList, {}, "rak_balance_read",
               {{"amount", "amount", kInteger},
                {"fee", "fee", kInteger},
                {"net", "net", kInteger},
                {"currency", "currency", kText},
                {"type", "type", kText},
                {"reporting_category", "reporting_category", kText},
                {"source", "source", kText},
                {"status", "status", kText},
                {"available_on", "available_on", kInteger},
                {"exchange_rate", "exchange_rate", kReal}}});
  s.push_back({"credit_notes", "/v1/credit_notes", "stripe_credit_notes", "credit_note",
               StreamKind::kList, {}, "rak_credit_note_read",
               {{"customer", "customer", kText},
                {"invoice", "invoice", kText},
                {"number", "number", kText},
                {"status", "status", kText},
                {"type", "type", kText},
                {"reason", "reason", kText},
                {"currency", "currency", kText},
                {"amount", "amount", kInteger},
                {"total", "total", kInteger}}});
  s.push_back({"events", "/v1/events", "stripe_events", "event", StreamKind::kEvents, {},
               "rak_event_read",
               {{"type", "type", kText},
                {"object_id", "data.object.id", kText},
                {"object_type", "data.object.object", kText},
                {"api_version", "api_version", kText},
                {"request_id", "request.id", kText},
                {"event_account", "account", kText}}});
  return s;
}

}  // namespace

const std::vector<StreamSpec>& Streams() {
  static const std::vector<StreamSpec> kStreams = BuildStreams();
  return kStreams;
}

const StreamSpec* FindStream(std::string_view name) {
  for (const StreamSpec& stream : Streams()) {
    if (stream.name == name) return &stream;
  }
  return nullptr;
}

const StreamSpec* FindStreamByObjectType(std::string_view object_type) {
  if (object_type == "plan") object_type = "price";
  for (const StreamSpec& stream : Streams()) {
    if (stream.object_type == object_type) return &stream;
  }
  return nullptr;
}

const std::vector<std::string_view>& CommonColumns() {
  static const std::vector<std::string_view> kColumns = {
      "account_id", "id", "livemode", "created", "deleted",
      "version", "last_event_id", "synced_at", "raw"};
  return kColumns;
}

store::Value ExtractColumn(const json::object& object, const Column& column) {
  std::string_view paths = column.path;
  while (!paths.empty()) {
    size_t bar = paths.find('|');
    std::string_view path = paths.substr(0, bar);
    paths = bar == std::string_view::npos ? std::string_view() : paths.substr(bar + 1);
    const json::value* value = FindPath(object, path);
    if (value == nullptr || value->is_null()) continue;
    store::Value converted = Convert(*value, column.type);
    if (!std::holds_alternative<std::monostate>(converted)) return converted;
  }
  return std::monostate{};
}

stripe::Params ListParams(const StreamSpec& stream, int limit, const stripe::Params& extra) {
  stripe::Params params{{"limit", std::to_string(limit)}};
  for (const auto& [key, value] : stream.list_params) {
    params.emplace_back(std::string(key), std::string(value));
  }
  params.insert(params.end(), extra.begin(), extra.end());
  return params;
}

}  // namespace stripeline::sync
