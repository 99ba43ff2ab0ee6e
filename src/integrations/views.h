#pragma once
// JSON views of integrations and related records (clients, audit entries, connection checks,
// the catalog, Connect settings), shared by the REST API and the CLI's --json output so both
// show the same shape (documented in docs/openapi.yaml). Never includes a secret: only the
// masked key. Pure functions. Users' and tokens' views are access/views.h's.

#include <boost/json/object.hpp>

#include "integrations/catalog.h"
#include "integrations/connection_check.h"
#include "integrations/oauth_service.h"
#include "store/entities.h"

namespace stripeline::integrations {

boost::json::object IntegrationJson(const store::Integration& integration);
boost::json::object ConnectionCheckJson(const ConnectionCheck& check);
boost::json::object IntegrationTypeJson(const IntegrationType& type);
boost::json::object AuditEntryJson(const store::AuditEntry& entry);
boost::json::object ClientJson(const store::Client& client);
// The Stripe Connect platform settings: {"configured": false}, or every field, the key masked.
boost::json::object ConnectSettingsJson(const ConnectSettingsView& view);
// A started authorization: {"authorize_url", "expires_at"} (the binding goes in a cookie).
boost::json::object StartedOAuthJson(const StartedOAuth& started);

}  // namespace stripeline::integrations
