// Status, Result and the early-return macros.
#include "common/status.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"

namespace stripeline {
namespace {

TEST(Status, DefaultIsOkWithoutMessage) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.error_code(), "ok");
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.ToString(), "OK");
  EXPECT_EQ(status, Status::OK());
}

TEST(Status, NamedConstructorsSetCodeDefaultErrorCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
    std::string error_code;
  };
  std::vector<Case> cases = {
      {Status::InvalidArgument("m"), StatusCode::kInvalidArgument, "invalid_argument"},
      {Status::Unauthenticated("m"), StatusCode::kUnauthenticated, "unauthenticated"},
      {Status::PermissionDenied("m"), StatusCode::kPermissionDenied, "forbidden"},
      {Status::NotFound("m"), StatusCode::kNotFound, "not_found"},
      {Status::AlreadyExists("m"), StatusCode::kAlreadyExists, "already_exists"},
      {Status::FailedPrecondition("m"), StatusCode::kFailedPrecondition, "failed_precondition"},
      {Status::ResourceExhausted("m"), StatusCode::kResourceExhausted, "resource_exhausted"},
      {Status::Unavailable("m"), StatusCode::kUnavailable, "unavailable"},
      {Status::DeadlineExceeded("m"), StatusCode::kDeadlineExceeded, "deadline_exceeded"},
      {Status::Internal("m"), StatusCode::kInternal, "internal"},
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(c.status.ok()) << c.error_code;
    EXPECT_EQ(c.status.code(), c.code) << c.error_code;
    EXPECT_EQ(c.status.error_code(), c.error_code);
    EXPECT_EQ(c.status.message(), "m");
    EXPECT_EQ(c.status.ToString(), c.error_code + ": m");
  }
}

TEST(Status, KeepsACustomErrorCode) {
  Status status = Status::InvalidArgument("The secret key is invalid.", "invalid_secret_key");
  EXPECT_EQ(status.error_code(), "invalid_secret_key");
  EXPECT_EQ(status.ToString(), "invalid_secret_key: The secret key is invalid.");
}

TEST(Status, EqualityComparesCodeErrorCodeAndMessage) {
  EXPECT_EQ(Status::NotFound("a"), Status::NotFound("a"));
  EXPECT_FALSE(Status::NotFound("a") == Status::NotFound("b"));
  EXPECT_FALSE(Status::NotFound("a") == Status::NotFound("a", "no_such_thing"));
  EXPECT_FALSE(Status::NotFound("a", "x") == Status::InvalidArgument("a", "x"));
  EXPECT_FALSE(Status::NotFound("a") == Status::OK());
}

TEST(Status, WithContextPrefixesTheMessageAndKeepsTheCodes) {
  Status status = Status::Unavailable("connection refused", "stripe_unreachable");
  Status wrapped = status.WithContext("fetching charges");
  EXPECT_EQ(wrapped.code(), StatusCode::kUnavailable);
  EXPECT_EQ(wrapped.error_code(), "stripe_unreachable");
  EXPECT_EQ(wrapped.message(), "fetching charges: connection refused");
  EXPECT_EQ(status.message(), "connection refused");  // the original is unchanged
}

TEST(Status, WithContextOnOkStaysOk) {
  EXPECT_TRUE(Status::OK().WithContext("anything").ok());
  EXPECT_EQ(Status::OK().WithContext("anything").message(), "");
}

TEST(StatusCodeName, NamesEveryCodeDistinctly) {
  std::set<std::string_view> names;
  for (StatusCode code :
       {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kUnauthenticated,
        StatusCode::kPermissionDenied, StatusCode::kNotFound, StatusCode::kAlreadyExists,
        StatusCode::kFailedPrecondition, StatusCode::kResourceExhausted, StatusCode::kUnavailable,
        StatusCode::kDeadlineExceeded, StatusCode::kInternal}) {
    std::string_view name = StatusCodeName(code);
    EXPECT_NE(name, "unknown");
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 11u);
  EXPECT_EQ(StatusCodeName(StatusCode::kPermissionDenied), "permission_denied");
}

TEST(Result, HoldsAValue) {
  Result<std::string> result = std::string("value");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.status().ok());
  EXPECT_EQ(*result, "value");
  EXPECT_EQ(result->size(), 5u);
}

TEST(Result, HoldsAnError) {
  Result<int> result = Status::NotFound("No user with id 'usr_x'", "user_missing");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(result.status().error_code(), "user_missing");
  EXPECT_EQ(result.status().message(), "No user with id 'usr_x'");
}

TEST(Result, MovesAMoveOnlyValueOut) {
  Result<std::unique_ptr<int>> result = std::make_unique<int>(7);
  std::unique_ptr<int> value = std::move(result).value();
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(*value, 7);
}

Result<int> Twice(Result<int> input, int& evaluated_after) {
  SL_ASSIGN_OR_RETURN(int value, std::move(input));
  ++evaluated_after;
  return value * 2;
}

TEST(AssignOrReturn, AssignsTheValueOnSuccess) {
  int after = 0;
  Result<int> result = Twice(21, after);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 42);
  EXPECT_EQ(after, 1);
}

TEST(AssignOrReturn, ReturnsTheErrorAndSkipsTheRest) {
  int after = 0;
  Result<int> result = Twice(Status::Unavailable("down", "db_down"), after);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status(), Status::Unavailable("down", "db_down"));
  EXPECT_EQ(after, 0);
}

Status Sum(const std::vector<Result<std::unique_ptr<int>>*>& inputs, int& total) {
  for (auto* input : inputs) {
    // Twice in one scope: the macro's temporaries must not collide.
    SL_ASSIGN_OR_RETURN(std::unique_ptr<int> value, std::move(*input));
    total += *value;
  }
  return Status::OK();
}

TEST(AssignOrReturn, WorksWithMoveOnlyValuesAndStopsAtTheFirstError) {
  Result<std::unique_ptr<int>> a = std::make_unique<int>(1);
  Result<std::unique_ptr<int>> b = Status::Internal("broken");
  Result<std::unique_ptr<int>> c = std::make_unique<int>(100);
  int total = 0;
  Status status = Sum({&a, &b, &c}, total);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(total, 1);
}

Status FirstFailure(const std::vector<Status>& steps, int& ran) {
  for (const Status& step : steps) {
    ++ran;
    SL_RETURN_IF_ERROR(step);
  }
  return Status::OK();
}

TEST(ReturnIfError, ReturnsTheFirstFailure) {
  int ran = 0;
  Status status =
      FirstFailure({Status::OK(), Status::NotFound("gone"), Status::Internal("later")}, ran);
  EXPECT_EQ(status, Status::NotFound("gone"));
  EXPECT_EQ(ran, 2);
  ran = 0;
  EXPECT_TRUE(FirstFailure({Status::OK(), Status::OK()}, ran).ok());
  EXPECT_EQ(ran, 2);
}

TEST(Status, RetryAfterIsKeptThroughContextAndIgnoredOnOk) {
  Status busy = Status::Unavailable("busy").WithRetryAfter(std::chrono::seconds(3));
  ASSERT_TRUE(busy.retry_after().has_value());
  EXPECT_EQ(*busy.retry_after(), std::chrono::seconds(3));
  EXPECT_EQ(busy.WithContext("signing in").retry_after(), busy.retry_after());
  EXPECT_EQ(busy.message(), "busy");
  EXPECT_FALSE(Status::Unavailable("busy").retry_after().has_value());
  EXPECT_FALSE(Status::OK().WithRetryAfter(std::chrono::seconds(3)).retry_after().has_value());
}

}  // namespace
}  // namespace stripeline
