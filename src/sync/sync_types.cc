#include "sync/sync_types.h"

#include <array>

namespace stripeline::sync {

namespace {

// Parse tries every enumerator's Name: Name's switch is the one list of names (-Wswitch checks
// it is complete), these arrays only enumerate the values (sync_types_test checks round trips).
constexpr std::array kStreamStates{StreamState::kPending,           StreamState::kRunning,
                                   StreamState::kSynced,            StreamState::kFailed,
                                   StreamState::kMissingPermission, StreamState::kPaused,
                                   StreamState::kUnavailableToKey};
constexpr std::array kRunStatuses{RunStatus::kRunning, RunStatus::kSucceeded,
                                  RunStatus::kSucceededWithErrors, RunStatus::kFailed,
                                  RunStatus::kPaused};
constexpr std::array kRunKinds{RunKind::kBackfill, RunKind::kIncremental};
constexpr std::array kVerificationStates{
    VerificationState::kQueued, VerificationState::kRunning, VerificationState::kSucceeded,
    VerificationState::kFailed, VerificationState::kCanceled};

template <typename Enum, size_t N>
Result<Enum> ParseIn(const std::array<Enum, N>& values, std::string_view text,
                     std::string_view what) {
  for (Enum value : values) {
    if (Name(value) == text) return value;
  }
  return Status::InvalidArgument("Unknown " + std::string(what) + " '" + std::string(text) + "'",
                                 "sync_unknown_state");
}

}  // namespace

std::string_view Name(StreamState state) {
  switch (state) {
    case StreamState::kPending: return "pending";
    case StreamState::kRunning: return "running";
    case StreamState::kSynced: return "synced";
    case StreamState::kFailed: return "failed";
    case StreamState::kMissingPermission: return "missing_permission";
    case StreamState::kPaused: return "paused";
    case StreamState::kUnavailableToKey: return "unavailable_to_key";
  }
  return "unknown";  // not an enumerator: a cast gone wrong
}

std::string_view Name(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return "running";
    case RunStatus::kSucceeded: return "succeeded";
    case RunStatus::kSucceededWithErrors: return "succeeded_with_errors";
    case RunStatus::kFailed: return "failed";
    case RunStatus::kPaused: return "paused";
  }
  return "unknown";
}

std::string_view Name(RunKind kind) {
  switch (kind) {
    case RunKind::kBackfill: return "backfill";
    case RunKind::kIncremental: return "incremental";
  }
  return "unknown";
}

std::string_view Name(VerificationState state) {
  switch (state) {
    case VerificationState::kQueued: return "queued";
    case VerificationState::kRunning: return "running";
    case VerificationState::kSucceeded: return "succeeded";
    case VerificationState::kFailed: return "failed";
    case VerificationState::kCanceled: return "canceled";
  }
  return "unknown";
}

bool IsActive(VerificationState state) {
  return state == VerificationState::kQueued || state == VerificationState::kRunning;
}

Result<StreamState> ParseStreamState(std::string_view name) {
  return ParseIn(kStreamStates, name, "stream state");
}
Result<RunStatus> ParseRunStatus(std::string_view name) {
  return ParseIn(kRunStatuses, name, "run status");
}
Result<RunKind> ParseRunKind(std::string_view name) {
  return ParseIn(kRunKinds, name, "run kind");
}
Result<VerificationState> ParseVerificationState(std::string_view name) {
  return ParseIn(kVerificationStates, name, "verification state");
}

}  // namespace stripeline::sync
