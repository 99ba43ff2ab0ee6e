// The Database contract: what every backend must do the same way. Runs against each backend of
// store_test_util.h through OpenDatabase(...).

#include <gtest/gtest.h>

#include <stdexcept>

#include "store/open_database.h"
#include "unit/store/store_test_util.h"
#include "unit/store/test_schemas.h"

namespace stripeline::store {
namespace {

using test_util::Backend;
using test_util::TempDir;

class DatabaseContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto opened = OpenDatabase(GetParam().url(dir_.path()), test_util::TestSchemas());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    ASSERT_TRUE(db().ExecuteScript("CREATE TABLE things (id TEXT PRIMARY KEY, n BIGINT, "
                                   "x DOUBLE PRECISION, note TEXT);"
                                   "CREATE TABLE parts (id TEXT PRIMARY KEY, "
                                   "thing_id TEXT NOT NULL REFERENCES things(id));")
                    .ok());
  }
  Database& db() { return *db_; }
  int64_t CountThings() {
    Result<Rows> rows = db().Query("SELECT COUNT(*) FROM things", {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? (*rows)[0].GetInt(0) : -1;
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseContract, PlaceholdersMayRepeatAndComeOutOfOrder) {
  // Typed contexts only: PostgreSQL must infer each parameter's type from its use.
  ASSERT_TRUE(db().Execute("INSERT INTO things (id, note, n) VALUES ($2, $2, $1)",
                           {int64_t{1}, std::string("b")})
                  .ok());
  Result<Rows> rows = db().Query("SELECT id AS joined FROM things WHERE id = $1 AND note = $1",
                                 {std::string("b")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].GetString("joined"), "b");

  ASSERT_TRUE(db().Execute("INSERT INTO things (note, n, id) VALUES ($3, $2, $1)",
                           {std::string("t1"), int64_t{7}, std::string("seven")})
                  .ok());
  Result<Rows> thing = db().Query("SELECT id, n, note FROM things WHERE n = $1 AND id = $2",
                                  {int64_t{7}, std::string("t1")});
  ASSERT_TRUE(thing.ok());
  ASSERT_EQ(thing->size(), 1u);
  EXPECT_EQ((*thing)[0].GetString("note"), "seven");
}

TEST_P(DatabaseContract, ValuesRoundTripWithTheirTypes) {
  const int64_t big = 9'007'199'254'740'993;  // not representable as a double
  ASSERT_TRUE(db().Execute("INSERT INTO things (id, n, x, note) VALUES ($1, $2, $3, $4)",
                           {std::string("t"), big, 2.5, Value{}})
                  .ok());
  Result<Rows> rows = db().Query("SELECT id, n, x, note FROM things", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = (*rows)[0];
  EXPECT_EQ(rows->column_names(), (std::vector<std::string>{"id", "n", "x", "note"}));
  EXPECT_EQ(row.GetInt("n"), big);
  EXPECT_EQ(row.GetInt(1), big);
  EXPECT_DOUBLE_EQ(row.GetDouble("x"), 2.5);
  EXPECT_TRUE(row.IsNull("note"));
  EXPECT_EQ(row.GetOptionalString("note"), std::nullopt);
  EXPECT_EQ(row.GetOptionalString("id"), "t");
  EXPECT_EQ(row.GetOptionalInt("n"), big);
  EXPECT_EQ(row.GetString("note"), "");
  EXPECT_THROW(row.GetString("missing"), std::out_of_range);
  EXPECT_THROW(row.GetString(9), std::out_of_range);
}

TEST_P(DatabaseContract, ExecuteReturnsAffectedRows) {
  for (const char* id : {"a", "b", "c"}) {
    Result<int64_t> n = db().Execute("INSERT INTO things (id, n) VALUES ($1, 1)", {std::string(id)});
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, 1);
  }
  Result<int64_t> updated = db().Execute("UPDATE things SET n = 2 WHERE id <> $1", {std::string("a")});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(*updated, 2);
  Result<int64_t> none = db().Execute("DELETE FROM things WHERE id = $1", {std::string("zz")});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
}

TEST_P(DatabaseContract, QueryWithoutRowsStillHasColumns) {
  Result<Rows> rows = db().Query("SELECT id, n FROM things WHERE id = $1", {std::string("none")});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(rows->column_names(), (std::vector<std::string>{"id", "n"}));
}

TEST_P(DatabaseContract, WrongParameterCountIsAnError) {
  constexpr std::string_view kTwo = "SELECT id FROM things WHERE n = $1 OR n = $2";
  ASSERT_TRUE(db().Execute("INSERT INTO things (id, n) VALUES ($1, $2)", {std::string("a"), int64_t{2}}).ok());
  EXPECT_EQ(db().Query(kTwo, {int64_t{1}}).status().code(), StatusCode::kInternal);
  EXPECT_EQ(db().Query("SELECT id FROM things WHERE n = $1", {int64_t{1}, int64_t{2}}).status().code(),
            StatusCode::kInternal);
  EXPECT_EQ(db().Query("SELECT id FROM things WHERE n = $1 OR n = $3",
                       {int64_t{1}, int64_t{2}, int64_t{3}})
                .status()
                .code(),
            StatusCode::kInternal);
  EXPECT_EQ(db().Query("SELECT id FROM things WHERE n = ?", {int64_t{1}}).status().code(),
            StatusCode::kInternal);
  // The statement stays usable afterwards with the right count.
  Result<Rows> ok = db().Query(kTwo, {int64_t{1}, int64_t{2}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ((*ok)[0].GetString(0), "a");
}

TEST_P(DatabaseContract, ErrorsMapToStatusCodes) {
  ASSERT_TRUE(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")}).ok());
  Status dup = db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")}).status();
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists) << dup.ToString();

  Status fk = db().Execute("INSERT INTO parts (id, thing_id) VALUES ($1, $2)",
                           {std::string("p"), std::string("nope")})
                  .status();
  EXPECT_EQ(fk.code(), StatusCode::kFailedPrecondition) << fk.ToString();

  Status syntax = db().Execute("INSERT INTO no_such_table (id) VALUES ($1)", {std::string("x")})
                      .status();
  EXPECT_EQ(syntax.code(), StatusCode::kInternal);
  EXPECT_NE(syntax.message().find("INSERT INTO no_such_table"), std::string::npos)
      << syntax.message();

  Status two = db().Execute("DELETE FROM things; DELETE FROM parts", {}).status();
  EXPECT_EQ(two.code(), StatusCode::kInternal);
  EXPECT_EQ(CountThings(), 1);
}

TEST_P(DatabaseContract, TransactionCommitsOnOk) {
  Status s = db().Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")}).status());
    return db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("b")}).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(CountThings(), 2);
}

TEST_P(DatabaseContract, TransactionRollsBackOnError) {
  Status s = db().Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")}).status());
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_EQ(CountThings(), 0);
}

TEST_P(DatabaseContract, TransactionRollsBackOnFailedStatement) {
  ASSERT_TRUE(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")}).ok());
  Status s = db().Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("b")}).status());
    return db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")}).status();
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(CountThings(), 1);
}

TEST_P(DatabaseContract, TransactionRollsBackAndRethrowsOnException) {
  EXPECT_THROW((void)db().Transaction([&]() -> Status {
                 (void)db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("a")});
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  EXPECT_EQ(CountThings(), 0);
  // The connection is usable afterwards, outside any transaction.
  ASSERT_TRUE(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("b")}).ok());
  EXPECT_EQ(CountThings(), 1);
}

TEST_P(DatabaseContract, NestedTransactionIsPartOfTheOuterOne) {
  Status s = db().Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("outer")}).status());
    SL_RETURN_IF_ERROR(db().Transaction([&]() -> Status {
      return db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("inner")}).status();
    }));
    return Status::Internal("outer fails after the inner one committed");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(CountThings(), 0);
}

TEST_P(DatabaseContract, FailedNestedTransactionUndoesOnlyItsOwnWork) {
  Status s = db().Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("outer")}).status());
    Status inner = db().Transaction([&]() -> Status {
      SL_RETURN_IF_ERROR(db().Execute("INSERT INTO things (id) VALUES ($1)", {std::string("inner")}).status());
      return Status::NotFound("inner gives up");
    });
    EXPECT_EQ(inner.code(), StatusCode::kNotFound);
    return Status::OK();  // the outer body decides to go on
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  Result<Rows> rows = db().Query("SELECT id FROM things", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].GetString(0), "outer");
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseContract, ::testing::ValuesIn(test_util::Backends()),
                         test_util::BackendName);

}  // namespace
}  // namespace stripeline::store
