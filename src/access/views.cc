#include "access/views.h"

#include <boost/json.hpp>

namespace stripeline::access {

boost::json::object UserJson(const store::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"role", store::RoleName(user.role)},
          {"disabled", user.disabled},
          {"created_at", user.created_at}};
}

boost::json::object ApiTokenJson(const store::ApiToken& token) {
  return {{"id", token.id},
          {"user_id", token.user_id},
          {"name", token.name},
          {"prefix", token.token_prefix},
          {"created_at", token.created_at},
          {"last_used_at", token.last_used_at ? boost::json::value(*token.last_used_at)
                                              : boost::json::value(nullptr)},
          {"revoked", token.revoked}};
}

}  // namespace stripeline::access
