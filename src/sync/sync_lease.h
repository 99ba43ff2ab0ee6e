#pragma once
// SyncLeases: which process may sync an integration right now. Without it, `stripeline serve`'s
// scheduler and a `stripeline sync` from the CLI (or two servers on one database) would run the
// same integration at once: twice the requests against the account's rate limit, and two runs
// racing over the same checkpoints.
//
// A lease is a row of sync_leases (migration 4): the integration, its holder and an expiry.
// The holder names a SyncLeases instance: host, pid, the process's start time (so a reused pid
// is never taken for the holder) and an instance number. Acquire takes a lease that is free,
// expired, already its own, or held by a process of this host that no longer exists — a
// process killed with -9 must not block the resume for a whole TTL. Holders renew their leases
// (RenewAll, every ttl/3 from the engine), so a long run keeps its lease; a crashed holder on
// another host loses it when it expires.
//
// Thread-safety: thread-safe (the Database is; Acquire runs in one transaction).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "store/database.h"

namespace stripeline::sync {

// A process, as leases name it.
struct LeaseHolder {
  std::string id;             // host/pid/process_start/instance: unique per SyncLeases
  std::string host;
  int64_t pid = 0;
  std::string process_start;  // boot id and start time in clock ticks (/proc/<pid>/stat)

  // A new holder for this process (a new instance number each call).
  static LeaseHolder ForThisProcess();
  // Whether the process `pid` started at `process_start` still runs on this host.
  static bool ProcessAlive(int64_t pid, const std::string& process_start);
};

class SyncLeases {
 public:
  SyncLeases(store::Database& db, Clock& clock, std::chrono::seconds ttl);

  // Takes the integration's lease. FailedPrecondition "sync_running" when another holder has
  // it, naming the holder (host, pid) and since when.
  Status Acquire(const std::string& integration_id);
  // Gives the lease back (only if still ours).
  Status Release(const std::string& integration_id);
  // Extends every lease of this holder by the TTL from now.
  Status RenewAll();

  const LeaseHolder& holder() const { return holder_; }
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  store::Database& db_;
  Clock& clock_;
  const std::chrono::seconds ttl_;
  const LeaseHolder holder_;
};

// LeaseKeeper: the thread that renews a SyncLeases' leases (RenewAll) every ttl/3 while
// `has_leases` says the holder has any, so a long run keeps its lease. It waits on real time
// (wiring; the renewal itself is SyncLeases'). A failed renewal is logged: the next one may
// succeed before the lease expires.
//
// Thread-safety: the destructor stops and joins the thread; `leases` must outlive it and
// `has_leases` must stay callable until then.
class LeaseKeeper {
 public:
  LeaseKeeper(SyncLeases& leases, std::function<bool()> has_leases);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

 private:
  void Loop();

  SyncLeases& leases_;
  const std::function<bool()> has_leases_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;  // last: it starts in the constructor and uses the members above
};

}  // namespace stripeline::sync
