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
// Thread-safety: thread-safe, as the wrapped database. The crash is decided inside the
// transaction that reaches it, and autocommit writes are checked inside a transaction of their
// own, so no other thread's write lands after the crash (the wrapped database serialises
// transactions). One decorator per thread's transaction at a time (the nesting depth is
// per thread).

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>

#include "store/database.h"

namespace stripeline::sync::testing {

// The transaction of a backfill page: its rows and its slice's checkpoint
// (SyncStateStore::CheckpointSlice).
inline bool WritesPageCheckpoint(std::string_view sql) {
  return sql.starts_with("UPDATE sync_slices SET cursor");
}

class FaultInjectionDatabase final : public store::Database {
 public:
  // A transaction counts when one of its statements satisfies `counts`.
  FaultInjectionDatabase(store::Database& base, int64_t commits,
                         std::function<bool(std::string_view sql)> counts)
      : base_(base), commits_(commits), counts_(std::move(counts)) {}

  bool crashed() const { return crashed_.load(); }

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
  static Status Dead() {
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
  const int64_t commits_;
  const std::function<bool(std::string_view)> counts_;
  std::atomic<int64_t> committed_{0};
  std::atomic<bool> crashed_{false};
};

}  // namespace stripeline::sync::testing
