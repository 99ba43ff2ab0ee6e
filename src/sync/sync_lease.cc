#include "sync/sync_lease.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/log.h"

namespace stripeline::sync {

namespace {

std::string BootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// Field 22 of /proc/<pid>/stat (the start time in clock ticks after boot), or "" when the
// process does not exist. The command name (field 2) may hold spaces and parentheses, so the
// fields are counted after its last ')'.
std::string StartTicks(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return "";
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int number = 3; fields >> field; ++number) {
    if (number == 22) return field;
  }
  return "";
}

std::string ProcessStart(int64_t pid) {
  const std::string ticks = StartTicks(pid);
  return ticks.empty() ? "" : BootId() + ":" + ticks;
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

LeaseHolder LeaseHolder::ForThisProcess() {
  static std::atomic<int64_t> instances{0};
  LeaseHolder holder;
  holder.host = HostName();
  holder.pid = static_cast<int64_t>(getpid());
  holder.process_start = ProcessStart(holder.pid);
  holder.id = holder.host + "/" + std::to_string(holder.pid) + "/" + holder.process_start + "/" +
              std::to_string(++instances);
  return holder;
}

bool LeaseHolder::ProcessAlive(int64_t pid, const std::string& process_start) {
  return !process_start.empty() && ProcessStart(pid) == process_start;
}

SyncLeases::SyncLeases(store::Database& db, Clock& clock, std::chrono::seconds ttl)
    : db_(db), clock_(clock), ttl_(ttl), holder_(LeaseHolder::ForThisProcess()) {}

Status SyncLeases::Acquire(const std::string& integration_id) {
  return db_.Transaction([&]() -> Status {
    const int64_t now = clock_.NowUnix();
    SL_ASSIGN_OR_RETURN(store::Rows rows,
                        db_.Query("SELECT holder, host, pid, process_start, acquired_at, "
                                  "expires_at FROM sync_leases WHERE integration_id = $1",
                                  {integration_id}));
    if (!rows.empty()) {
      const store::Row& lease = rows[0];
      const std::string holder = lease.GetString("holder");
      const bool ours = holder == holder_.id;
      const bool expired = lease.GetInt("expires_at") <= now;
      const bool holder_gone = lease.GetString("host") == holder_.host &&
                               !LeaseHolder::ProcessAlive(lease.GetInt("pid"),
                                                          lease.GetString("process_start"));
      if (!ours && !expired && !holder_gone) {
        return Status::FailedPrecondition(
            "A sync of integration " + integration_id + " is already running in another " +
                "Stripeline process (pid " + std::to_string(lease.GetInt("pid")) + " on " +
                lease.GetString("host") + ", since " +
                FormatUnixTime(lease.GetInt("acquired_at")) + ")",
            "sync_running");
      }
      if (!ours) {
        log::Info("sync.lease_taken_over", {{"integration", integration_id},
                                            {"previous_pid", lease.GetInt("pid")},
                                            {"previous_host", lease.GetString("host")},
                                            {"reason", expired ? "expired" : "holder exited"}});
      }
    }
    return db_
        .Execute(
            "INSERT INTO sync_leases (integration_id, holder, host, pid, process_start, "
            "acquired_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (integration_id) DO UPDATE SET holder = excluded.holder, "
            "host = excluded.host, pid = excluded.pid, process_start = excluded.process_start, "
            "acquired_at = excluded.acquired_at, expires_at = excluded.expires_at",
            {integration_id, holder_.id, holder_.host, holder_.pid, holder_.process_start, now,
             now + ttl_.count()})
        .status();
  });
}

Status SyncLeases::Release(const std::string& integration_id) {
  return db_
      .Execute("DELETE FROM sync_leases WHERE integration_id = $1 AND holder = $2",
               {integration_id, holder_.id})
      .status();
}

Status SyncLeases::RenewAll() {
  return db_
      .Execute("UPDATE sync_leases SET expires_at = $1 WHERE holder = $2",
               {clock_.NowUnix() + ttl_.count(), holder_.id})
      .status();
}

LeaseKeeper::LeaseKeeper(SyncLeases& leases, std::function<bool()> has_leases)
    : leases_(leases), has_leases_(std::move(has_leases)), thread_([this] { Loop(); }) {}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  thread_.join();
}

void LeaseKeeper::Loop() {
  const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(leases_.ttl()) / 3;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, period, [this] { return stop_; })) {
    lock.unlock();
    if (has_leases_()) {
      if (Status renewed = leases_.RenewAll(); !renewed.ok()) {
        log::Warn("sync.lease_renewal_failed", {{"error", renewed.ToString()}});
      }
    }
    lock.lock();
  }
}

}  // namespace stripeline::sync
