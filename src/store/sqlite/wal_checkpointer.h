#pragma once
// WalCheckpointer: runs a WAL database's checkpoints on a background thread with a connection
// of its own, instead of inside the commit that crosses SQLite's auto-checkpoint threshold.
//
// Why: a checkpoint copies the WAL into the database file and fsyncs both. Done by SQLite's
// auto-checkpoint, it runs in the committing thread while that thread holds the connection
// (and whatever locks its caller holds), so every writer waits for the fsync. Measured on the
// 2-core dev box, a backfill spent more than half its time waiting for checkpoint fsyncs
// (docs/PERFORMANCE.md). Here the writer only signals; the checkpoint (same work, same fsyncs,
// so the same durability) overlaps with the next commits.
//
// Bound: a PASSIVE checkpoint never blocks the writer, but while commits keep arriving the WAL
// may never be fully checkpointed at the moment a new write begins, which is when SQLite
// rewinds it, so it could grow without end. Once it holds `blocking_frames` frames, the commit
// that notices waits for any background checkpoint, then runs one itself (as auto-checkpoint
// would), so the WAL is rewound by the next write: it never exceeds blocking_frames plus one
// commit.
//
// Thread-safety: the hook runs in the writer's thread, under the writer connection's own
// serialisation; the rest is internal. The writer connection must outlive the checkpointer.

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"

namespace stripeline::store::sqlite {

struct WalCheckpointOptions {
  // WAL frames (pages) after which a background checkpoint starts: SQLite's default
  // auto-checkpoint threshold, about 4 MB of WAL.
  int background_frames = 1000;
  // WAL frames after which the committing thread checkpoints itself (see Bound above).
  int blocking_frames = 16000;
};

class WalCheckpointer {
 public:
  // Opens a second connection to `path` (a WAL-mode database already open as `writer`),
  // installs the commit hook on `writer` (replacing its auto-checkpoint) and starts the thread.
  static Result<std::unique_ptr<WalCheckpointer>> Start(sqlite3* writer, const std::string& path,
                                                        WalCheckpointOptions options = {});
  // Removes the hook, stops the thread and closes its connection (the writer's close does the
  // final checkpoint, as SQLite always does for the last connection).
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Blocks until no background checkpoint is requested or running. For tests.
  void WaitUntilIdle();
  // Checkpoints run by the background thread / by committing threads so far.
  int64_t background_checkpoints() const;
  int64_t blocking_checkpoints() const;

 private:
  WalCheckpointer(sqlite3* writer, WalCheckpointOptions options);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int frames);
  void Loop();

  sqlite3* const writer_;
  const WalCheckpointOptions options_;
  sqlite3* connection_ = nullptr;  // used only by thread_

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;            // guarded by mu_
  bool running_ = false;              // guarded by mu_
  bool stop_ = false;                 // guarded by mu_
  int64_t background_checkpoints_ = 0;  // guarded by mu_
  int64_t blocking_checkpoints_ = 0;    // guarded by mu_
  std::thread thread_;
};

}  // namespace stripeline::store::sqlite
