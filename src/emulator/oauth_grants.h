#pragma once
// OAuthGrants: the emulated Connect OAuth server's memory — authorization codes handed out by
// the authorize page, and the access and refresh tokens they were exchanged for — with Stripe's
// rules (stripe-api.md §7): a code is single-use and expires after kCodeLifetime; redeeming a
// used code fails and revokes every token issued with it; refresh tokens work until the
// account is deauthorized. Errors come back as Stripe's OAuth error (`error`, `error_description`).
//
// It only keeps records; the Emulator makes the keys (KeyRegistry) and random ids.
// Thread-safety: none; the Emulator guards it with its mutex.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "common/http_message.h"

namespace stripeline::emulator {

// Stripe's OAuth error body: {"error": code, "error_description": description}.
struct OAuthError {
  int status = 400;
  std::string code;  // invalid_grant, invalid_client, invalid_request, ...
  std::string description;
};
HttpResponse OAuthErrorResponse(const OAuthError& error);

// What a user approved: the platform's account, the connected account, the scope.
struct Grant {
  std::string platform, account, scope;
};

// Tokens issued for a grant, in one mode.
struct IssuedTokens {
  std::string access_token, refresh_token, publishable_key;
  bool livemode = false;
};

class OAuthGrants {
 public:
  static constexpr int64_t kCodeLifetime = 300;  // seconds, as Stripe's codes

  // Records `code` (ac_...) for `grant`, valid until now + kCodeLifetime.
  void IssueCode(const std::string& code, Grant grant, int64_t now);

  // The grant of an unused, unexpired `code` issued to `platform`; marks it used. A used code
  // answers invalid_grant and puts every token issued with it into `revoke` (the caller
  // revokes those keys).
  std::variant<Grant, OAuthError> Redeem(const std::string& code, const std::string& platform,
                                         int64_t now, std::vector<std::string>& revoke);
  // Records the tokens a redeemed code (or a refresh) produced.
  void RecordTokens(const std::string& code, const Grant& grant, const IssuedTokens& tokens);

  // The grant and mode of a live refresh token issued to `platform`; invalid_grant otherwise.
  std::variant<std::pair<Grant, bool>, OAuthError> Refresh(const std::string& refresh_token,
                                                           const std::string& platform) const;

  // Deauthorization: forgets every refresh token of (platform, account) and returns every
  // access and publishable key issued for it (the caller revokes them).
  std::vector<std::string> RevokeAccount(const std::string& platform, const std::string& account);

 private:
  struct Code {
    Grant grant;
    int64_t expires_at = 0;
    bool used = false;
    std::vector<std::string> keys;  // issued with it
  };
  struct RefreshRecord {
    Grant grant;
    bool livemode = false;
  };
  std::map<std::string, Code> codes_;
  std::map<std::string, RefreshRecord> refresh_tokens_;
  // (platform, account) -> every key issued for it.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> keys_;
};

}  // namespace stripeline::emulator
