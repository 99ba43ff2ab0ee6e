#include "integrations/client_service.h"

#include "access/user_service.h"
#include "common/names.h"
#include "common/secrets.h"

namespace stripeline::integrations {

ClientService::ClientService(store::Store& store, Clock& clock) : store_(store), clock_(clock) {}

Status ClientService::Audit(const access::Actor& actor, const std::string& action,
                            std::string summary) {
  store::AuditEntry entry{.id = 0,
                          .at = clock_.NowUnix(),
                          .actor = actor.email,
                          .action = action,
                          .integration_id = std::nullopt,
                          .summary = std::move(summary),
                          .details_json = "{}"};
  auto appended = store_.AppendAudit(entry);
  return appended.ok() ? Status::OK() : appended.status();
}

Result<store::Client> ClientService::Create(const access::Actor& actor, const std::string& name) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "add clients"));
  SL_ASSIGN_OR_RETURN(std::string clean, CleanName(name, "client"));
  store::Client client{.id = NewId("cli"), .name = clean, .created_at = clock_.NowUnix()};
  SL_RETURN_IF_ERROR(store_.CreateClient(client));
  SL_RETURN_IF_ERROR(Audit(actor, "client.added", "Added client '" + clean + "'"));
  return client;
}

Result<std::vector<store::Client>> ClientService::List(const access::Actor& actor) {
  SL_ASSIGN_OR_RETURN(auto all, store_.ListClients());
  std::vector<store::Client> visible;
  for (auto& client : all) {
    if (actor.CanSeeClient(client.id)) visible.push_back(std::move(client));
  }
  return visible;
}

Result<store::Client> ClientService::Get(const access::Actor& actor, const std::string& id) {
  if (!actor.CanSeeClient(id)) {
    return Status::NotFound("There is no client with id '" + id + "'.");
  }
  return store_.GetClient(id);
}

Result<store::Client> ClientService::Rename(const access::Actor& actor, const std::string& id,
                                            const std::string& name) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "rename clients"));
  SL_ASSIGN_OR_RETURN(std::string clean, CleanName(name, "client"));
  SL_ASSIGN_OR_RETURN(store::Client client, store_.GetClient(id));
  std::string old_name = client.name;
  client.name = clean;
  SL_RETURN_IF_ERROR(store_.UpdateClient(client));
  SL_RETURN_IF_ERROR(
      Audit(actor, "client.renamed", "Renamed client '" + old_name + "' to '" + clean + "'"));
  return client;
}

Status ClientService::Delete(const access::Actor& actor, const std::string& id) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "delete clients"));
  SL_ASSIGN_OR_RETURN(store::Client client, store_.GetClient(id));
  SL_RETURN_IF_ERROR(store_.DeleteClient(id));
  return Audit(actor, "client.deleted", "Deleted client '" + client.name + "'");
}

Result<std::vector<store::User>> ClientService::Members(const access::Actor& actor,
                                                        const std::string& id) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "see who has access to clients"));
  SL_ASSIGN_OR_RETURN(store::Client client, store_.GetClient(id));
  return store_.ListClientMembers(client.id);
}

Status ClientService::AddMember(const access::Actor& actor, const std::string& client_id,
                                const std::string& user_email) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "give users access to clients"));
  SL_ASSIGN_OR_RETURN(store::Client client, store_.GetClient(client_id));
  SL_ASSIGN_OR_RETURN(store::User user, store_.FindUserByEmail(access::NormalizeEmail(user_email)));
  SL_RETURN_IF_ERROR(store_.AddClientMember(client.id, user.id));
  return Audit(actor, "client.member_added",
               "Gave " + user.email + " access to client '" + client.name + "'");
}

Status ClientService::RemoveMember(const access::Actor& actor, const std::string& client_id,
                                   const std::string& user_email) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "take away access to clients"));
  SL_ASSIGN_OR_RETURN(store::Client client, store_.GetClient(client_id));
  SL_ASSIGN_OR_RETURN(store::User user, store_.FindUserByEmail(access::NormalizeEmail(user_email)));
  SL_RETURN_IF_ERROR(store_.RemoveClientMember(client.id, user.id));
  return Audit(actor, "client.member_removed",
               "Took away " + user.email + "'s access to client '" + client.name + "'");
}

}  // namespace stripeline::integrations
