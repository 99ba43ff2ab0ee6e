#pragma once
// Private files: the data directory holds password hashes, sealed secrets and every synced
// customer row, so what Stripeline creates there is readable by its own user only — directories
// 0700, files 0600 — whatever the process's umask. Thread-safe (no state).

#include <filesystem>

#include "common/status.h"

namespace stripeline {

// Creates `dir` and its missing parents; the directories it creates get mode 0700. An existing
// directory keeps its mode (it may be shared, e.g. a home directory), but a warning is logged
// when its group or others may enter it.
Status CreatePrivateDirectories(const std::filesystem::path& dir);

// Makes `path` a file only its owner can read and write: creates it empty (0600) when missing,
// and takes group and other permissions away from an existing one.
Status MakePrivateFile(const std::filesystem::path& path);

// Takes group and other permissions away from `path` if it exists (SQLite's -wal and -shm
// files); OK when it does not.
Status RestrictIfExists(const std::filesystem::path& path);

// Logs a warning when group or others may read `path` (the master key file).
void WarnIfReadableByOthers(const std::filesystem::path& path, std::string_view what);

}  // namespace stripeline
