#include "store/sqlite/wal_checkpointer.h"

#include "common/log.h"

namespace stripeline::store::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(sqlite3* writer,
                                                                const std::string& path,
                                                                WalCheckpointOptions options) {
  std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(writer, options));
  const int rc = sqlite3_open_v2(path.c_str(), &checkpointer->connection_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    return Status::Internal("Cannot open a checkpoint connection to " + path + ": " +
                            sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(checkpointer->connection_, kBusyTimeoutMs);
  // A connection only learns that the file is in WAL mode when it first reads it; until then
  // its checkpoints are silent no-ops.
  char* error = nullptr;
  if (sqlite3_exec(checkpointer->connection_, "SELECT count(*) FROM sqlite_master", nullptr,
                   nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status::Internal("Cannot read " + path + " for checkpoints: " + message);
  }
  // Replaces the writer's auto-checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(writer, &WalCheckpointer::OnCommit, checkpointer.get());
  checkpointer->thread_ = std::thread([raw = checkpointer.get()] { raw->Loop(); });
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(sqlite3* writer, WalCheckpointOptions options)
    : writer_(writer), options_(options) {}

WalCheckpointer::~WalCheckpointer() {
  if (thread_.joinable()) {
    sqlite3_wal_hook(writer_, nullptr, nullptr);
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      cv_.notify_all();
    }
    thread_.join();
  }
  sqlite3_close_v2(connection_);
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int frames) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  if (frames >= checkpointer.options_.blocking_frames) {
    // What SQLite's own auto-checkpoint does from this hook, after any background checkpoint
    // ends (only one may run at a time, the other would just answer BUSY). No commit can
    // request another meanwhile: this is the writer's thread, inside its commit.
    std::unique_lock lock(checkpointer.mu_);
    checkpointer.cv_.wait(lock, [&] { return !checkpointer.running_; });
    checkpointer.requested_ = false;
    lock.unlock();
    const int rc = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                             nullptr);
    lock.lock();
    if (rc == SQLITE_OK) ++checkpointer.blocking_checkpoints_;
  } else if (frames >= checkpointer.options_.background_frames) {
    std::lock_guard lock(checkpointer.mu_);
    if (!checkpointer.requested_) {
      checkpointer.requested_ = true;
      checkpointer.cv_.notify_all();
    }
  }
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return requested_ || stop_; });
    if (stop_) return;
    requested_ = false;
    running_ = true;
    lock.unlock();
    const int rc =
        sqlite3_wal_checkpoint_v2(connection_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      // Not fatal: the WAL keeps every commit, and the bound above still rewinds it.
      log::Warn("sqlite.checkpoint_failed", {{"error", sqlite3_errmsg(connection_)}});
    }
    lock.lock();
    running_ = false;
    if (rc == SQLITE_OK) ++background_checkpoints_;
    cv_.notify_all();
  }
}

void WalCheckpointer::WaitUntilIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !requested_ && !running_; });
}

int64_t WalCheckpointer::background_checkpoints() const {
  std::lock_guard lock(mu_);
  return background_checkpoints_;
}

int64_t WalCheckpointer::blocking_checkpoints() const {
  std::lock_guard lock(mu_);
  return blocking_checkpoints_;
}

}  // namespace stripeline::store::sqlite
