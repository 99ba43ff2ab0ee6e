#pragma once
// AccountSession: one Stripe account as the client's contract, like stripe-go's backend with
// its params — a Client paced by the account's RateLimiter (Client::Paced) and the
// RequestOptions (key, Stripe-Account) that reach the account. Every attempt made through a
// session, the client's retries and permission probes included, takes a slot from the account's
// limiter, which adapts to the pace Stripe grants; callers never pace. Lists are walked with
// Pager() (a resumable ListPager, optionally bounded by `created`).
//
// Thread-safety: immutable after construction; any number of threads may use one session (and
// its client) at once. A ListPager from Pager() refers to the session's client: the session must
// outlive it and must not be moved meanwhile.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "stripe/client.h"
#include "stripe/list_pager.h"
#include "stripe/rate_limiter.h"

namespace stripeline::stripe {

class AccountSession {
 public:
  // `limiter` must be non-null: it paces `client` (copied, then paced) for this session.
  AccountSession(const Client& client, std::shared_ptr<RateLimiter> limiter,
                 RequestOptions options);

  // The session of account `account_id` in live or test mode, paced by its limiter in
  // `limiters`. When `options` has no Stripe-Account the key reaches `account_id` on its own,
  // and is bound to it (RateLimiterRegistry::BindKey), so that requests made with the key
  // before its account is known (a connection check) share the account's limiter.
  static AccountSession Open(const Client& client, RateLimiterRegistry& limiters,
                             const std::string& account_id, bool livemode,
                             RequestOptions options);

  // Client::Request with the session's options.
  StripeResult<ApiResponse> Request(std::string_view method, std::string_view path,
                                    const Params& params = {}) const;
  // Client::ListPage with the session's options: one page.
  StripeResult<stripe::ListPage> ListPage(std::string_view path, Params params) const;
  // A pager over `path` within `bounds`, starting after `cursor` (see list_pager.h).
  ListPager Pager(std::string path, Params params, ListBounds bounds = {},
                  std::optional<std::string> cursor = std::nullopt) const;

  const Client& client() const { return client_; }
  const RequestOptions& options() const { return options_; }
  RateLimiter& limiter() const { return *client_.limiter(); }

 private:
  const Client client_;  // paced
  const RequestOptions options_;
};

}  // namespace stripeline::stripe
