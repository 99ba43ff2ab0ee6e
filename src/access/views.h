#pragma once
// JSON views of users and API tokens, shared by the REST API and the CLI's --json output so both
// show the same shape (docs/openapi.yaml: User, ApiToken). Never a password hash or a token:
// only the token's prefix. Pure functions.

#include <boost/json/object.hpp>

#include "store/entities.h"

namespace stripeline::access {

boost::json::object UserJson(const store::User& user);
boost::json::object ApiTokenJson(const store::ApiToken& token);

}  // namespace stripeline::access
