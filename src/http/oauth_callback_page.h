#pragma once
// The browser's return from Stripe Connect (GET /oauth/stripe/callback): what its query string
// and binding cookie carry, and the small server-rendered page that answers it ("Integration
// added", or what went wrong), in the web app's look. Everything that came from the browser or
// from Stripe is HTML-escaped. Pure functions; thread-safe.

#include "common/http_message.h"
#include "common/result.h"
#include "integrations/oauth_service.h"

namespace stripeline::http {

// Ties a `state` to the browser that started it. SameSite=Lax, unlike the session cookie:
// Stripe's redirect back is a cross-site navigation, on which Strict cookies are not sent.
inline constexpr char kBindingCookie[] = "sl_oauth_binding";

// state, code, error and error_description of the query (empty when absent) and the binding
// cookie.
integrations::OAuthCallback ReadOAuthCallback(const HttpRequest& request);

// 200 naming the connected account, or the failure: 400 for a refused or denied authorization,
// the status's own HTTP status otherwise; internal errors say only "see the server log".
HttpResponse OAuthCallbackPage(const Result<integrations::Saved>& outcome);

}  // namespace stripeline::http
