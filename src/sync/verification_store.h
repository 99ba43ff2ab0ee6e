#pragma once
// VerificationStore: the repository of verifications (sync_verifications and
// sync_verification_streams, sync migration 4; docs/schema.md). A verification row names the
// process that runs it (a LeaseHolder, as sync_leases do), which is how one per integration is
// kept across processes and how a verification whose process died is told from one in progress.
//
// Thread-safety: thread-safe (the Database is; Begin runs in one transaction).

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/status.h"
#include "store/database.h"
#include "sync/sync_lease.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

class VerificationStore {
 public:
  explicit VerificationStore(store::Database& db) : db_(db) {}

  // Records `verification` (queued, held by `holder`) unless another verification of its
  // integration has not ended: returns that one instead (nullopt when recorded). Active rows of
  // the integration whose holder ran on this host and is gone are marked interrupted first.
  Result<std::optional<Verification>> Begin(const Verification& verification,
                                            const LeaseHolder& holder, int64_t now);
  // Sets the state of a verification that has not ended (queued -> running).
  Status SetState(const std::string& id, VerificationState state);
  // Writes the end of a verification: state, finished_at, error and the report's streams.
  Status Finish(const Verification& verification);
  // Every verification left queued or running by a process of `this_host` that no longer runs
  // becomes failed ("interrupted"); returns how many.
  Result<int64_t> MarkInterrupted(const std::string& this_host, int64_t now);
  // The newest verification of the integration (its report included), if any.
  Result<std::optional<Verification>> Latest(const std::string& integration_id);
  // Removes the integration's verifications (its synced data is being deleted).
  Status DeleteIntegration(const std::string& integration_id);

 private:
  Result<std::optional<Verification>> Get(const std::string& id);
  Status Interrupt(const std::string& id, int64_t now);

  store::Database& db_;
};

}  // namespace stripeline::sync
