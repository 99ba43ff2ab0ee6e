#include "emulator/oauth_grants.h"

#include <boost/json.hpp>

namespace stripeline::emulator {

HttpResponse OAuthErrorResponse(const OAuthError& error) {
  return HttpResponse::Json(error.status, boost::json::object{
                                              {"error", error.code},
                                              {"error_description", error.description}});
}

void OAuthGrants::IssueCode(const std::string& code, Grant grant, int64_t now) {
  codes_[code] = Code{std::move(grant), now + kCodeLifetime, false, {}};
}

std::variant<Grant, OAuthError> OAuthGrants::Redeem(const std::string& code,
                                                    const std::string& platform, int64_t now,
                                                    std::vector<std::string>& revoke) {
  auto it = codes_.find(code);
  if (it == codes_.end() || it->second.grant.platform != platform) {
    return OAuthError{400, "invalid_grant", "Authorization code does not exist: " + code};
  }
  Code& found = it->second;
  if (found.used) {
    // Stripe's answer to a replayed code: it also revokes what the first exchange produced.
    revoke.insert(revoke.end(), found.keys.begin(), found.keys.end());
    for (auto rt = refresh_tokens_.begin(); rt != refresh_tokens_.end();) {
      bool issued_here = false;
      for (const std::string& key : found.keys) issued_here = issued_here || key == rt->first;
      rt = issued_here ? refresh_tokens_.erase(rt) : std::next(rt);
    }
    found.keys.clear();
    return OAuthError{400, "invalid_grant",
                      "This authorization code has already been used. All tokens issued with "
                      "this code have been revoked."};
  }
  if (now >= found.expires_at) {
    return OAuthError{400, "invalid_grant", "Authorization code expired: " + code};
  }
  found.used = true;
  return found.grant;
}

void OAuthGrants::RecordTokens(const std::string& code, const Grant& grant,
                               const IssuedTokens& tokens) {
  std::vector<std::string>& issued = keys_[{grant.platform, grant.account}];
  issued.push_back(tokens.access_token);
  issued.push_back(tokens.publishable_key);
  if (auto it = codes_.find(code); it != codes_.end()) {
    it->second.keys.push_back(tokens.access_token);
    it->second.keys.push_back(tokens.publishable_key);
    it->second.keys.push_back(tokens.refresh_token);
  }
  refresh_tokens_[tokens.refresh_token] = RefreshRecord{grant, tokens.livemode};
}

std::variant<std::pair<Grant, bool>, OAuthError> OAuthGrants::Refresh(
    const std::string& refresh_token, const std::string& platform) const {
  auto it = refresh_tokens_.find(refresh_token);
  if (it == refresh_tokens_.end() || it->second.grant.platform != platform) {
    return OAuthError{400, "invalid_grant", "Invalid refresh token: " + refresh_token};
  }
  return std::pair{it->second.grant, it->second.livemode};
}

std::vector<std::string> OAuthGrants::RevokeAccount(const std::string& platform,
                                                    const std::string& account) {
  for (auto it = refresh_tokens_.begin(); it != refresh_tokens_.end();) {
    bool match = it->second.grant.platform == platform && it->second.grant.account == account;
    it = match ? refresh_tokens_.erase(it) : std::next(it);
  }
  auto it = keys_.find({platform, account});
  if (it == keys_.end()) return {};
  std::vector<std::string> keys = std::move(it->second);
  keys_.erase(it);
  return keys;
}

}  // namespace stripeline::emulator
