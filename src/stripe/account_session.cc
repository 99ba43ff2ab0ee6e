#include "stripe/account_session.h"

#include <utility>

namespace stripeline::stripe {

AccountSession::AccountSession(const Client& client, std::shared_ptr<RateLimiter> limiter,
                               RequestOptions options)
    : client_(client.Paced(std::move(limiter))), options_(std::move(options)) {}

AccountSession AccountSession::Open(const Client& client, RateLimiterRegistry& limiters,
                                    const std::string& account_id, bool livemode,
                                    RequestOptions options) {
  if (!options.stripe_account || options.stripe_account->empty()) {
    limiters.BindKey(options.api_key, account_id);
  }
  return AccountSession(client, limiters.ForAccount(account_id, livemode), std::move(options));
}

StripeResult<ApiResponse> AccountSession::Request(std::string_view method, std::string_view path,
                                                  const Params& params) const {
  return client_.Request(method, path, params, options_);
}

StripeResult<stripe::ListPage> AccountSession::ListPage(std::string_view path,
                                                        Params params) const {
  return client_.ListPage(path, std::move(params), options_);
}

ListPager AccountSession::Pager(std::string path, Params params, ListBounds bounds,
                                std::optional<std::string> cursor) const {
  return ListPager(client_, std::move(path), std::move(params), options_, bounds,
                   std::move(cursor));
}

}  // namespace stripeline::stripe
