#pragma once
// Actor: who is asking, as every service call sees it — a signed-in user, a program with an API
// token, or the local operator running the CLI against the data directory. Role checks live
// here so the REST API and the CLI enforce the same rules. Value type.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/entities.h"

namespace stripeline::access {

struct Actor {
  std::string user_id;  // empty for the local operator
  std::string email;    // shown in the audit log
  store::Role role = store::Role::kViewer;
  // Clients a member or viewer has been given; admins see every client.
  std::vector<std::string> client_ids;

  // Whoever runs the CLI owns the data directory, so acts as an administrator.
  static Actor LocalOperator();

  bool IsAdmin() const { return role == store::Role::kAdmin; }
  // Admins see everything; others see system-wide things (no client) and their own clients'.
  bool CanSeeClient(const std::optional<std::string>& client_id) const;
};

// PermissionDenied ("Only administrators can <action>. ...") unless the actor is an admin.
Status RequireAdmin(const Actor& actor, std::string_view action);
// PermissionDenied unless the actor is an admin or a member (viewers only read).
Status RequireMember(const Actor& actor, std::string_view action);

}  // namespace stripeline::access
