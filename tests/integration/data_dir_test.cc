// The data directory over real processes: private files, and a lost master key or an emptied
// database refused with a message that says what to restore, instead of passing silently for a
// new installation.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

namespace fs = std::filesystem;
using boost::json::object;

fs::perms Mode(const fs::path& path) { return fs::status(path).permissions() & fs::perms::mask; }

// A stack with one integration, so the database holds sealed credentials; the server stopped.
class DataDir : public ::testing::Test {
 protected:
  void SetUp() override {
    auto added = stack_.api().Post("/api/v1/integrations",
                                   object{{"type", "stripe"},
                                          {"name", "Sealed"},
                                          {"auth_scheme", "api_key"},
                                          {"secret_key", kSecretKey}});
    ASSERT_EQ(added.status, 201) << added.body;
    ASSERT_EQ(stack_.StopServer(), 0);
  }
  CommandResult List() { return RunCli(stack_.CliArgs({"integrations", "list"})); }
  fs::path Key() const { return stack_.data_dir() / "master.key"; }

  Stack stack_;
};

TEST_F(DataDir, AMissingMasterKeyIsRefusedAndNotReplaced) {
  fs::rename(Key(), stack_.data_dir() / "master.key.saved");
  CommandResult refused = List();
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("master.key is missing"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("Restore master.key"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(Key())) << "a new key was created over sealed secrets";

  fs::rename(stack_.data_dir() / "master.key.saved", Key());
  CommandResult restored = List();
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_NE(restored.out.find("Sealed"), std::string::npos) << restored.out;
}

TEST_F(DataDir, AnotherMasterKeyIsRefusedAndNothingIsSealedWithIt) {
  fs::rename(Key(), stack_.data_dir() / "master.key.saved");
  {
    std::ofstream other(Key());
    other << "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=\n";  // 32 bytes, not this database's
  }
  fs::permissions(Key(), fs::perms::owner_read | fs::perms::owner_write);
  CommandResult refused = List();
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("does not open the credentials"), std::string::npos) << refused.err;

  // The same through the environment variable.
  fs::rename(stack_.data_dir() / "master.key.saved", Key());
  CommandResult env_refused =
      RunCli(stack_.CliArgs({"integrations", "list"}), "",
             {{"STRIPELINE_MASTER_KEY", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="}});
  EXPECT_NE(env_refused.exit_code, 0);
  EXPECT_NE(env_refused.err.find("STRIPELINE_MASTER_KEY"), std::string::npos) << env_refused.err;
  EXPECT_EQ(List().exit_code, 0);
}

TEST_F(DataDir, AnEmptiedDatabaseBesideItsKeyIsRefusedUnlessToldToStartAnew) {
  const fs::path db = stack_.data_dir() / "stripeline.db";
  fs::resize_file(db, 0);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
  CommandResult refused = List();
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("looks like a lost database"), std::string::npos) << refused.err;
  EXPECT_EQ(fs::file_size(db), 0u) << "the refused start wrote to the database";

  ChildProcess serve({STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                      stack_.data_dir().string(), "--initialize"},
                     {{"STRIPELINE_ADMIN_PASSWORD", "a-new-long-password"}},
                     stack_.data_dir() / "initialize.log");
  EXPECT_TRUE(serve.WaitForLine("listening on").has_value());
  EXPECT_EQ(serve.Stop(), 0);
  EXPECT_EQ(List().exit_code, 0);
}

TEST(DataDirFiles, WhatStripelineCreatesIsReadableByItsUserOnly) {
  Stack stack;  // its server holds the database open, so the -wal and -shm files exist
  for (const char* name : {"stripeline.db", "stripeline.db-wal", "stripeline.db-shm", "master.key"}) {
    ASSERT_TRUE(fs::exists(stack.data_dir() / name)) << name;
    EXPECT_EQ(Mode(stack.data_dir() / name), fs::perms::owner_read | fs::perms::owner_write)
        << name;
  }
  const fs::path fresh = stack.data_dir() / "fresh" / "data";
  CommandResult created = RunCli({"integrations", "list", "--data-dir", fresh.string()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(Mode(fresh), fs::perms::owner_all);
  EXPECT_EQ(Mode(fresh.parent_path()), fs::perms::owner_all);
}

}  // namespace
}  // namespace stripeline::testing
