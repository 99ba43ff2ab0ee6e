#pragma once
// Dataset: the demo objects of one account in one mode (test or live), generated
// deterministically from (seed, account id, mode) by the generators of the resource table and
// consistent with each other (charges point at customers, payment intents and balance
// transactions; refunds at charges; ...). DatasetBuilder is what generators write into.
//
// Thread-safety: a Dataset is immutable after Build, so concurrent reads are safe. A
// DatasetBuilder is used by one thread.

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emulator/emulator_config.h"

namespace stripeline::emulator {

class Dataset {
 public:
  // Runs every generator of Resources() in order for `account` in the given mode.
  static Dataset Build(const AccountConfig& account, bool livemode, uint64_t seed);

  // The objects served at /v1/<path>, newest first (created descending; ties keep the reverse
  // generation order, so the order is total and stable). Empty for an unknown path.
  const std::vector<boost::json::object>& Objects(std::string_view path) const;
  // Index into Objects(path) of the object with that id.
  std::optional<size_t> Find(std::string_view path, std::string_view id) const;
  // GET /v1/account and GET /v1/balance.
  const boost::json::object& Account() const { return account_; }
  const boost::json::object& Balance() const { return balance_; }

 private:
  friend class DatasetBuilder;
  struct Collection {
    std::vector<boost::json::object> objects;
    std::unordered_map<std::string, size_t> index;
  };
  std::map<std::string, Collection, std::less<>> collections_;
  boost::json::object account_;
  boost::json::object balance_;
};

// A balance movement recorded by a generator (charge, refund, dispute, payout) and turned into a
// balance_transaction, under an id reserved up front, by the balance_transactions generator.
struct LedgerEntry {
  std::string id;  // the reserved txn_ id, already referenced by the source object
  std::string source;
  std::string source_path;  // resource of the source, e.g. "disputes"
  std::string type;         // "charge", "refund", "adjustment", "payout"
  std::string reporting_category;
  std::string description;
  int64_t amount = 0;  // signed, minor units
  int64_t fee = 0;
  int64_t created = 0;
  int64_t available_on = 0;
  // Also append the full transaction to the source's `balance_transactions` array (disputes).
  bool embed_in_source = false;
};

class DatasetBuilder {
 public:
  static constexpr int64_t kDay = 86400;
  // All demo activity happens between kEpoch (2025-01-01) and kNow, the dataset's fixed
  // "present" (so data never depends on the wall clock).
  static constexpr int64_t kEpoch = 1735689600;
  static constexpr int64_t kNow = kEpoch + 100 * kDay;
  // The API version stamped on events.
  static constexpr std::string_view kApiVersion = "2025-03-31.basil";

  DatasetBuilder(const AccountConfig& account, bool livemode, uint64_t seed);

  const AccountConfig& account() const { return account_; }
  bool livemode() const { return livemode_; }
  const std::string& currency() const { return account_.default_currency; }

  // Deterministic pseudo-random stream of this (seed, account, mode).
  uint64_t Next();
  // Uniform in [lo, hi].
  int64_t Uniform(int64_t lo, int64_t hi);
  // `n` characters of [0-9A-Za-z] (or [0-9A-Z] when upper_only).
  std::string RandomChars(size_t n, bool upper_only = false);
  // prefix + 24 random characters: distinct per account and mode.
  std::string NewId(std::string_view prefix, size_t n = 24);
  // {"id", "object", "created", "livemode", "metadata": {}}: the fields every object starts with.
  boost::json::object NewObject(std::string id, std::string_view object, int64_t created) const;

  // Objects generated so far for a resource, in generation order.
  std::vector<boost::json::object>& Objects(std::string_view path);
  boost::json::object* Find(std::string_view path, std::string_view id);
  std::vector<LedgerEntry>& ledger() { return ledger_; }

  // Sorts, indexes and builds the account and balance objects.
  Dataset Finish() &&;

 private:
  AccountConfig account_;
  bool livemode_;
  uint64_t state_;
  std::map<std::string, std::vector<boost::json::object>, std::less<>> objects_;
  std::vector<LedgerEntry> ledger_;
};

}  // namespace stripeline::emulator
