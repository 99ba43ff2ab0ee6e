#pragma once
// FaultInjectionDatabase: a store::Database decorator that kills the "process" at a chosen
// commit, as LevelDB's FaultInjectionTestEnv does for files. Until `commits` transactions that
// `counts` picks have committed, everything passes through to the wrapped database; from then
// on every write, transaction and script fails with Internal "sync_crash", as if the process
// had been killed right after that commit: nothing more reaches the database, whatever the
// code under test goes on to try (finishing its run, releasing its lease). Reads still pass
// (they change nothing).
//
// So production code needs no crash seam: a test gives the engine this decorator as its
// Database (and a store::Store over it), and checks what the next run finds.
//
// Fault::kDiskFull fails the same writes as the SQLite backend does when the disk is full
// (SQLITE_FULL: Unavailable "storage_full"), until FreeSpace(): the process lives on, and
// whatever it writes after the space is freed reaches the database.
//
// Thread-safety: thread-safe, as the wrapped database. The crash is decided inside the
// transaction that reaches it, and autocommit writes are checked inside a transaction of their
// own, so no other thread's write lands after the crash (the wrapped database serialises
// transactions). One decorator per thread's transaction at a time (the nesting depth is
// per thread).

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>

#include "store/database.h"

namespace stripeline::sync::testing {

// The transaction of a backfill page: its rows and its slice's checkpoint
// (SyncStateStore::CheckpointSlice).
inline bool WritesPageCheckpoint(std::string_view sql) {
  return sql.starts_with("UPDATE sync_slices SET cursor");
}

enum class Fault {
  kCrash,     // every later write fails "sync_crash": the process is gone
  kDiskFull,  // every later write fails "storage_full", until FreeSpace()
};

class FaultInjectionDatabase final : public store::Database {
 public:
  // A transaction counts when one of its statements satisfies `counts`. `commits` 0: writes
  // fail from the first one.
  FaultInjectionDatabase(store::Database& base, int64_t commits,
                         std::function<bool(std::string_view sql)> counts,
                         Fault fault = Fault::kCrash)
      : base_(base),
        commits_(commits),
        counts_(std::move(counts)),
        crashed_(commits <= 0),
        fault_(fault) {}

  // Whether writes fail now (the crash happened, or the disk is full).
  bool crashed() const { return crashed_.load(); }
  // kDiskFull: space was freed; writes pass again, and the fault does not come back.
  void FreeSpace() {
    commits_ = std::numeric_limits<int64_t>::max();
    crashed_ = false;
  }

  Result<int64_t> Execute(std::string_view sql, const std::vector<store::Value>& params) override {
    if (Depth() == 0) {
      Result<int64_t> result = Dead();
      Status done = Transaction([&]() -> Status {
        result = Execute(sql, params);
        return result.status();
      });
      if (!done.ok()) return done;
      return result;
    }
    if (crashed_.load()) return Dead();
    if (counts_(sql)) Matched() = true;
    return base_.Execute(sql, params);
  }

  Result<store::Rows> Query(std::string_view sql,
                            const std::vector<store::Value>& params) override {
    return base_.Query(sql, params);
  }

  Status Transaction(const std::function<Status()>& body) override {
    return Wrap(body, /*durable=*/false);
  }
  Status DurableTransaction(const std::function<Status()>& body) override {
    return Wrap(body, /*durable=*/true);
  }

  Status ExecuteScript(std::string_view sql) override {
    if (crashed_.load()) return Dead();
    return base_.ExecuteScript(sql);
  }

  std::string_view BackendName() const override { return base_.BackendName(); }

 private:
  Status Dead() const {
    if (fault_ == Fault::kDiskFull) {
      // What SqliteDatabase answers for SQLITE_FULL.
      return Status::Unavailable(
          "The disk holding the database is full: nothing of this request was saved. Free "
          "space on it (or move the data directory to a larger disk), then try again.",
          "storage_full");
    }
    return Status::Internal("simulated crash: the process is gone", "sync_crash");
  }
  static int& Depth() {
    static thread_local int depth = 0;
    return depth;
  }
  static bool& Matched() {
    static thread_local bool matched = false;
    return matched;
  }

  Status Wrap(const std::function<Status()>& body, bool durable) {
    if (crashed_.load()) return Dead();
    auto guarded = [&]() -> Status {
      if (crashed_.load()) return Dead();
      const bool outermost = Depth() == 0;
      if (outermost) Matched() = false;
      ++Depth();
      Status status = body();
      --Depth();
      // The crash comes right after this commit: decided before it, under the wrapped
      // database's transaction, so nothing of another thread slips in between.
      if (status.ok() && outermost && Matched() && ++committed_ >= commits_) crashed_ = true;
      return status;
    };
    return durable ? base_.DurableTransaction(guarded) : base_.Transaction(guarded);
  }

  store::Database& base_;
  std::atomic<int64_t> commits_;
  const std::function<bool(std::string_view)> counts_;
  std::atomic<int64_t> committed_{0};
  std::atomic<bool> crashed_;
  const Fault fault_;
};

}  // namespace stripeline::sync::testing
