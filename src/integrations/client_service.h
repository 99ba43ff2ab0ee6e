#pragma once
// ClientService: an agency's clients, each with its own data sources (integrations), and which
// members and viewers work on which client. Admins manage clients; others see the clients they
// are given. Thread-safe: no mutable state of its own.

#include <string>
#include <vector>

#include "access/actor.h"
#include "common/clock.h"
#include "common/result.h"
#include "store/store.h"

namespace stripeline::integrations {

class ClientService {
 public:
  ClientService(store::Store& store, Clock& clock = Clock::Real());

  Result<store::Client> Create(const access::Actor& actor, const std::string& name);
  Result<std::vector<store::Client>> List(const access::Actor& actor);
  Result<store::Client> Get(const access::Actor& actor, const std::string& id);
  Result<store::Client> Rename(const access::Actor& actor, const std::string& id,
                               const std::string& name);
  // Refused while the client still has integrations (delete or move them first).
  Status Delete(const access::Actor& actor, const std::string& id);
  // The users given access to the client (administrators only).
  Result<std::vector<store::User>> Members(const access::Actor& actor, const std::string& id);
  // Gives a member or viewer access to a client (by email), or takes it away.
  Status AddMember(const access::Actor& actor, const std::string& client_id,
                   const std::string& user_email);
  Status RemoveMember(const access::Actor& actor, const std::string& client_id,
                      const std::string& user_email);

 private:
  Status Audit(const access::Actor& actor, const std::string& action, std::string summary);

  store::Store& store_;
  Clock& clock_;
};

}  // namespace stripeline::integrations
