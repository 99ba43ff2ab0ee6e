#pragma once
// DataScope: which synced rows an integration owns — those of one Stripe account (the connected
// account it acts for, else its own) in one mode (test or live). Stripe keeps a test and a live
// world per account, with their own objects (ids may repeat across them: the account object
// always does, merchant-chosen coupon codes may), so every table of synced data (`stripe_*`,
// `sync_processed_events`) and everything derived from it (the reports' rollup and subscription
// facts) is keyed by (account_id, livemode), and every read, sweep and removal names a scope
// (docs/schema.md). Integrations with the same scope share rows; a test and a live integration of
// one account never see each other's.
//
// Thread-safety: a plain value.

#include <compare>
#include <string>

#include "store/entities.h"

namespace stripeline::sync {

struct DataScope {
  std::string account_id;  // acct_...; empty while the integration's account is not known
  bool livemode = false;

  friend auto operator<=>(const DataScope&, const DataScope&) = default;
  friend bool operator==(const DataScope&, const DataScope&) = default;

  // "test" or "live".
  std::string ModeName() const { return livemode ? "live" : "test"; }
};

// The scope of `integration`'s rows: its connected account (Stripe-Account) if set, else its
// own account, in its key's mode.
inline DataScope DataScopeOf(const store::Integration& integration) {
  return {integration.account_id.value_or(integration.stripe_account_id), integration.livemode};
}

}  // namespace stripeline::sync
