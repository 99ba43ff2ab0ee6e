#include "access/actor.h"

#include <algorithm>

namespace stripeline::access {

Actor Actor::LocalOperator() {
  Actor actor;
  actor.email = "cli";
  actor.role = store::Role::kAdmin;
  return actor;
}

bool Actor::CanSeeClient(const std::optional<std::string>& client_id) const {
  if (IsAdmin() || !client_id) return true;
  return std::find(client_ids.begin(), client_ids.end(), *client_id) != client_ids.end();
}

Status RequireAdmin(const Actor& actor, std::string_view action) {
  if (actor.IsAdmin()) return Status::OK();
  return Status::PermissionDenied("Only administrators can " + std::string(action) +
                                  ". Your role is '" + std::string(store::RoleName(actor.role)) +
                                  "'; ask an administrator.");
}

Status RequireMember(const Actor& actor, std::string_view action) {
  if (actor.role != store::Role::kViewer) return Status::OK();
  return Status::PermissionDenied("Viewers can only read; " + std::string(action) +
                                  " needs the member or administrator role.");
}

}  // namespace stripeline::access
