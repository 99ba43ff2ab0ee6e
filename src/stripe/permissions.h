#pragma once
// The read permissions Stripeline needs, as data, and the probe that finds which ones a key
// lacks. Stripe has no API listing a restricted key's permissions, and GET /v1/account is
// unreliable for restricted keys, so the probe asks every endpoint we read for one object and
// parses "Having the 'rak_..._read' permission would allow this request to continue." out of
// each 403 (stripe-api.md §1-§2).
//
// Thread-safety: the target table is immutable; all functions may be called concurrently.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stripe/client.h"

namespace stripeline::stripe {

struct ProbeTarget {
  std::string resource;  // "charges"
  std::string path;      // "/v1/charges"
  Params params;         // limit=1 for lists (plus status=all for subscriptions); none for balance
  std::string permission;  // the permission Stripe asks for: "rak_charge_read"
};

// One target per resource Stripeline reads, in a fixed order: balance, customers, products,
// prices, coupons, subscriptions, invoices, credit_notes, charges, refunds, disputes,
// payment_intents, payouts, balance_transactions, events.
const std::vector<ProbeTarget>& ReadProbeTargets();

// The `rak_...` name in a Stripe 403 message ("Having the 'rak_subscription_read' permission
// would allow this request to continue."), or nullopt when there is none (OAuth scopes such as
// 'read_only' are not returned).
std::optional<std::string> ParseMissingPermission(std::string_view stripe_message);

// Whether a Stripe 403 message says the endpoint is closed to restricted keys altogether.
bool IsClosedToRestrictedKeys(std::string_view stripe_message);

// A label a person finds in the Dashboard's restricted-key editor: "rak_subscription_read" →
// "Subscriptions: Read". Unknown names are returned unchanged (the view aliases `rak`).
std::string_view PermissionLabel(std::string_view rak);

struct ProbeReport {
  // Permissions named by 403s, deduplicated, in target order. Empty means everything is readable.
  std::vector<std::string> missing_permissions;
  // Resources (ProbeTarget::resource) that answered 403 for a missing permission or because the
  // endpoint is closed to restricted keys, in target order.
  std::vector<std::string> unreadable_resources;
};

// Probes every ReadProbeTargets() entry (a few at a time, in parallel) with `options`. Pass an
// AccountSession's client (stripe/account_session.h): its limiter then paces the probe's
// requests with every other request to the account. 403
// answers that name a permission or say the endpoint is closed to restricted keys go into the
// report; any other failure (401 bad key, 403 account_invalid, 404, connection, 5xx after
// retries) is returned as the error — the first one in target order. A secret key with full
// access yields an empty report.
StripeResult<ProbeReport> ProbeReadPermissions(const Client& client, const RequestOptions& options);

}  // namespace stripeline::stripe
