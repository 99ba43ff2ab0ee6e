// The sync's state machines: every enumerator's name reads back as itself, and the names are
// the strings the database and the JSON API have always held.
#include "sync/sync_types.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stripeline::sync {
namespace {

template <typename Enum, typename ParseFn>
void ExpectNames(const std::vector<std::pair<Enum, std::string>>& expected, ParseFn parse) {
  for (const auto& [value, name] : expected) {
    EXPECT_EQ(Name(value), name);
    auto parsed = parse(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(parsed.value(), value) << name;
  }
  auto unknown = parse("Synced");  // names are exact, lower case
  EXPECT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().error_code(), "sync_unknown_state");
}

TEST(SyncTypes, StreamStatesReadBackAsThemselves) {
  ExpectNames<StreamState>({{StreamState::kPending, "pending"},
                            {StreamState::kRunning, "running"},
                            {StreamState::kSynced, "synced"},
                            {StreamState::kFailed, "failed"},
                            {StreamState::kMissingPermission, "missing_permission"},
                            {StreamState::kPaused, "paused"},
                            {StreamState::kUnavailableToKey, "unavailable_to_key"}},
                           ParseStreamState);
}

TEST(SyncTypes, RunStatusesReadBackAsThemselves) {
  ExpectNames<RunStatus>({{RunStatus::kRunning, "running"},
                          {RunStatus::kSucceeded, "succeeded"},
                          {RunStatus::kSucceededWithErrors, "succeeded_with_errors"},
                          {RunStatus::kFailed, "failed"},
                          {RunStatus::kPaused, "paused"}},
                         ParseRunStatus);
}

TEST(SyncTypes, RunKindsReadBackAsThemselves) {
  ExpectNames<RunKind>({{RunKind::kBackfill, "backfill"}, {RunKind::kIncremental, "incremental"}},
                       ParseRunKind);
}

TEST(SyncTypes, VerificationStatesReadBackAsThemselves) {
  ExpectNames<VerificationState>({{VerificationState::kQueued, "queued"},
                                  {VerificationState::kRunning, "running"},
                                  {VerificationState::kSucceeded, "succeeded"},
                                  {VerificationState::kFailed, "failed"},
                                  {VerificationState::kCanceled, "canceled"}},
                                 ParseVerificationState);
  EXPECT_TRUE(IsActive(VerificationState::kQueued));
  EXPECT_TRUE(IsActive(VerificationState::kRunning));
  EXPECT_FALSE(IsActive(VerificationState::kSucceeded));
  EXPECT_FALSE(IsActive(VerificationState::kCanceled));
}

}  // namespace
}  // namespace stripeline::sync
