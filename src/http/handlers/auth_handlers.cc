// Sign in and out of the web page: a session cookie plus the CSRF token the page sends back.
#include <boost/json.hpp>

#include "access/views.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/request_bodies.h"

namespace stripeline::http {

namespace {

std::string SessionCookie(const std::string& value, int64_t max_age, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + value +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

void RegisterAuthRoutes(ApiRoutes& routes) {
  routes.Public("POST", "/api/v1/auth/login",
                [&routes](const HttpRequest& request, const PathParams&) -> Result<HttpResponse> {
                  SL_ASSIGN_OR_RETURN(auto body, ParseJsonObject(request.body));
                  SL_ASSIGN_OR_RETURN(Login login, ReadLogin(body));
                  SL_ASSIGN_OR_RETURN(access::NewSession session,
                                      routes.services().users.Login(login.email, login.password,
                                                                     request.remote_address));
                  HttpResponse response =
                      JsonAnswer(200, {{"user", access::UserJson(session.user)},
                                       {"csrf_token", session.csrf_token}});
                  response.headers.emplace_back(
                      "Set-Cookie",
                      SessionCookie(session.token, routes.options().session_idle_timeout.count(),
                                    routes.options().secure_cookies));
                  return response;
                });
  routes.Authenticated("GET", "/api/v1/auth/session",
                       [&routes](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(store::User user,
                                             routes.services().users.CurrentUser(call.actor));
                         boost::json::object body{{"user", access::UserJson(user)}};
                         std::string session = CookieValue(call.request, kSessionCookie);
                         if (!session.empty()) {
                           SL_ASSIGN_OR_RETURN(body["csrf_token"],
                                               routes.services().users.SessionCsrfToken(session));
                         }
                         return JsonAnswer(200, std::move(body));
                       });
  routes.Authenticated("POST", "/api/v1/auth/logout",
                       [&routes](const Call& call) -> Result<HttpResponse> {
                         std::string session = CookieValue(call.request, kSessionCookie);
                         if (!session.empty()) {
                           SL_RETURN_IF_ERROR(routes.services().users.Logout(session));
                         }
                         HttpResponse response = JsonAnswer(200, {{"message", "Signed out"}});
                         response.headers.emplace_back(
                             "Set-Cookie", SessionCookie("", 0, routes.options().secure_cookies));
                         return response;
                       });
}

}  // namespace stripeline::http
