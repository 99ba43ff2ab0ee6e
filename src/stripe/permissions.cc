#include "stripe/permissions.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>

namespace stripeline::stripe {

namespace {

constexpr std::size_t kProbeConcurrency = 4;

ProbeTarget ListTarget(std::string resource, std::string permission, Params extra = {}) {
  ProbeTarget target;
  target.path = "/v1/" + resource;
  target.resource = std::move(resource);
  target.params = {{"limit", "1"}};
  target.params.insert(target.params.end(), extra.begin(), extra.end());
  target.permission = std::move(permission);
  return target;
}

struct Label {
  std::string_view rak;
  std::string_view label;
};

constexpr std::array<Label, 20> kLabels = {{
    {"rak_balance_read", "Balance: Read"},
    {"rak_balance_transaction_source_read", "Balance transaction sources: Read"},
    {"rak_charge_read", "Charges: Read"},
    {"rak_connected_account_read", "Connected accounts: Read"},
    {"rak_coupon_read", "Coupons: Read"},
    {"rak_credit_note_read", "Credit notes: Read"},
    {"rak_customer_read", "Customers: Read"},
    {"rak_dispute_read", "Disputes: Read"},
    {"rak_event_read", "Events: Read"},
    {"rak_invoice_read", "Invoices: Read"},
    {"rak_payment_intent_read", "PaymentIntents: Read"},
    {"rak_payout_read", "Payouts: Read"},
    {"rak_plan_read", "Prices: Read"},
    {"rak_product_read", "Products: Read"},
    {"rak_promotion_code_read", "Promotion codes: Read"},
    {"rak_refund_read", "Refunds: Read"},
    {"rak_subscription_read", "Subscriptions: Read"},
    {"rak_tax_rate_read", "Tax rates: Read"},
    {"rak_webhook_read", "Webhook endpoints: Read"},
    {"rak_webhook_write", "Webhook endpoints: Write"},
}};

}  // namespace

const std::vector<ProbeTarget>& ReadProbeTargets() {
  static const std::vector<ProbeTarget> targets = [] {
    ProbeTarget balance;
    balance.resource = "balance";
    balance.path = "/v1/balance";  // not a list: it rejects `limit`
    balance.permission = "rak_balance_read";
    return std::vector<ProbeTarget>{
        balance,
        ListTarget("customers", "rak_customer_read"),
        ListTarget("products", "rak_product_read"),
        ListTarget("prices", "rak_plan_read"),
        ListTarget("coupons", "rak_coupon_read"),
        // Without status=all the list hides canceled subscriptions; probe what the sync reads.
        ListTarget("subscriptions", "rak_subscription_read", {{"status", "all"}}),
        ListTarget("invoices", "rak_invoice_read"),
        ListTarget("credit_notes", "rak_credit_note_read"),
        ListTarget("charges", "rak_charge_read"),
        ListTarget("refunds", "rak_charge_read"),
        ListTarget("disputes", "rak_dispute_read"),
        ListTarget("payment_intents", "rak_payment_intent_read"),
        ListTarget("payouts", "rak_payout_read"),
        ListTarget("balance_transactions", "rak_balance_read"),
        ListTarget("events", "rak_event_read"),
    };
  }();
  return targets;
}

std::optional<std::string> ParseMissingPermission(std::string_view stripe_message) {
  constexpr std::string_view kMarker = "Having the '";
  for (size_t pos = stripe_message.find(kMarker); pos != std::string_view::npos;
       pos = stripe_message.find(kMarker, pos + 1)) {
    std::string_view rest = stripe_message.substr(pos + kMarker.size());
    size_t end = rest.find('\'');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view name = rest.substr(0, end);
    const bool valid = name.size() > 4 && name.substr(0, 4) == "rak_" &&
                       std::all_of(name.begin(), name.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    if (valid) return std::string(name);
  }
  return std::nullopt;
}

bool IsClosedToRestrictedKeys(std::string_view stripe_message) {
  return stripe_message.find("not available for use by restricted keys") != std::string_view::npos;
}

std::string_view PermissionLabel(std::string_view rak) {
  for (const Label& label : kLabels) {
    if (label.rak == rak) return label.label;
  }
  return rak;
}

StripeResult<ProbeReport> ProbeReadPermissions(const Client& client,
                                               const RequestOptions& options) {
  const std::vector<ProbeTarget>& targets = ReadProbeTargets();
  std::vector<std::optional<StripeError>> errors(targets.size());

  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      StripeResult<ApiResponse> answer =
          client.Request("GET", targets[i].path, targets[i].params, options);
      if (!answer.ok()) errors[i] = std::move(answer).error();
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t n = 0; n < std::min(kProbeConcurrency, targets.size()); ++n) {
    workers.emplace_back(worker);
  }
  for (std::thread& t : workers) t.join();

  ProbeReport report;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!errors[i]) continue;
    const StripeError& error = *errors[i];
    const bool permission_answer = error.kind == ErrorKind::kPermission;
    std::optional<std::string> missing =
        permission_answer ? ParseMissingPermission(error.message) : std::nullopt;
    if (missing) {
      if (std::find(report.missing_permissions.begin(), report.missing_permissions.end(),
                    *missing) == report.missing_permissions.end()) {
        report.missing_permissions.push_back(*missing);
      }
      report.unreadable_resources.push_back(targets[i].resource);
    } else if (permission_answer && IsClosedToRestrictedKeys(error.message)) {
      report.unreadable_resources.push_back(targets[i].resource);
    } else {
      return error;
    }
  }
  return report;
}

}  // namespace stripeline::stripe
