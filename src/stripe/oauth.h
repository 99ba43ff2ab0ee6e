#pragma once
// Stripe Connect OAuth (stripe-api.md §7): the authorize URL a user is sent to, the token
// endpoint's two grants, and deauthorization. Calls go to the client's connect_base through
// `platform`, the AccountSession of the Connect platform's account with its secret key (Stripe
// counts them against the account whose key makes them): like every request to Stripe, each
// attempt takes a slot from that account's limiter, retries included.
// Errors are StripeErrors parsed from Stripe's OAuth shape
// {"error":"invalid_grant","error_description":"..."}: `code` is the OAuth error
// (invalid_grant, invalid_client, ...), `message` its description.
//
// Thread-safety: pure functions over a thread-safe Client.

#include <string>

#include "stripe/account_session.h"
#include "stripe/client.h"

namespace stripeline::stripe {

// What the token endpoint answers.
struct OAuthToken {
  std::string access_token;   // acts for stripe_user_id, like its secret key
  std::string refresh_token;  // rt_...: mints new access tokens until deauthorization
  std::string scope;          // read_only | read_write
  std::string stripe_user_id;  // acct_...: the connected account
  std::string stripe_publishable_key;
  bool livemode = false;
};

// connect_base + "/oauth/authorize?response_type=code&client_id=..&scope=..&state=..
// &redirect_uri=..", every value percent-encoded.
std::string AuthorizeUrl(const Client& client, const std::string& connect_client_id,
                         const std::string& scope, const std::string& state,
                         const std::string& redirect_uri);

// grant_type=authorization_code, authenticated with the platform's secret key (the session's).
StripeResult<OAuthToken> ExchangeCode(const AccountSession& platform, const std::string& code);

// grant_type=refresh_token, authenticated with the platform's secret key (the "client secret",
// the session's); `connect_client_id` is sent along so a token of another application is
// refused.
StripeResult<OAuthToken> RefreshAccessToken(const AccountSession& platform,
                                            const std::string& connect_client_id,
                                            const std::string& refresh_token);

// POST /oauth/deauthorize: the platform gives up its access to `stripe_user_id`.
StripeResult<std::string> Deauthorize(const AccountSession& platform,
                                      const std::string& connect_client_id,
                                      const std::string& stripe_user_id);

}  // namespace stripeline::stripe
