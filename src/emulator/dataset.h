#pragma once
// Dataset: the objects of one account in one mode (test or live), generated deterministically
// from (seed, account id, mode) and consistent with each other (charges point at customers,
// payment intents and balance transactions; refunds at charges; ...). DatasetBuilder is what
// the small demo generators write into; the objects' shapes are object_shapes.h's.
//
// Objects are stored in Collections (object_store.h); the admin API mutates them.
//
// Thread-safety: callers hold mutex() (shared to read, exclusive to mutate). A DatasetBuilder is
// used by one thread.

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emulator/emulator_config.h"
#include "emulator/object_shapes.h"
#include "emulator/object_store.h"

namespace stripeline::emulator {

// Which balance transactions each automatic payout settled, for
// GET /v1/balance_transactions?payout=po_... . Implementations are immutable, so thread-safe.
class PayoutItemisation {
 public:
  virtual ~PayoutItemisation() = default;
  // Positions in the balance_transactions collection, ascending (oldest first), of the
  // transactions `payout` settled, its own row (type payout) included; empty for a payout it
  // does not know (one created through the admin API, a manual one).
  virtual std::vector<uint32_t> Transactions(std::string_view payout) const = 0;
};

class Dataset {
 public:
  // The data of `account` in one mode as of `now` (unix seconds): with objects == 0 the few
  // demo objects of the resource table's generators, dated in the 100 days before `now`;
  // otherwise a scaled dataset of `objects` charges and every other resource in proportion,
  // spread over the two years before `now` (scaled_dataset.h). Deterministic for (account,
  // mode, seed, now, objects).
  static std::unique_ptr<Dataset> Build(const AccountConfig& account, bool livemode,
                                        uint64_t seed, int64_t now, int64_t objects = 0);

  Dataset(AccountConfig account, bool livemode);
  Dataset(const Dataset&) = delete;
  Dataset& operator=(const Dataset&) = delete;

  const AccountConfig& account() const { return account_; }
  bool livemode() const { return livemode_; }

  // The objects served at /v1/<path>; nullptr for an unknown path.
  const Collection* Objects(std::string_view path) const;
  // The same, created empty on first use (for builders and mutations).
  Collection& MutableObjects(std::string_view path);

  // GET /v1/account and GET /v1/balance.
  const boost::json::object& Account() const { return account_object_; }
  const boost::json::object& Balance() const { return balance_; }
  void SetAccountObject(boost::json::object account) { account_object_ = std::move(account); }
  void SetBalance(boost::json::object balance) { balance_ = std::move(balance); }

  // What GET /v1/balance_transactions?payout=<payout> lists (see PayoutItemisation); empty
  // when no itemisation was set.
  std::vector<uint32_t> PayoutTransactions(std::string_view payout) const {
    return itemisation_ ? itemisation_->Transactions(payout) : std::vector<uint32_t>{};
  }
  void SetItemisation(std::shared_ptr<const PayoutItemisation> itemisation) {
    itemisation_ = std::move(itemisation);
  }

  // Conveniences for tests and small data: the live objects of `path`, newest first, and the
  // live object with that id.
  std::vector<boost::json::object> All(std::string_view path) const;
  std::optional<boost::json::object> Get(std::string_view path, std::string_view id) const;

  // Guards every collection: readers share it, mutations take it exclusively. Build and the
  // builders run before the dataset is shared and need not lock.
  std::shared_mutex& mutex() const { return mu_; }

 private:
  AccountConfig account_;
  bool livemode_;
  std::map<std::string, Collection, std::less<>> collections_;
  boost::json::object account_object_;
  boost::json::object balance_;
  std::shared_ptr<const PayoutItemisation> itemisation_;
  mutable std::shared_mutex mu_;
};

// The key every generated value of (seed, account, mode) derives from: the demo generators'
// random stream and the scaled dataset's hashes.
uint64_t DatasetKey(uint64_t seed, std::string_view account_id, bool livemode);

// The account object of GET /v1/account.
boost::json::object AccountObject(const AccountConfig& account);

// A balance movement recorded by a generator (charge, refund, dispute, payout) and turned into a
// balance_transaction, under an id reserved up front, by the balance_transactions generator.
struct LedgerEntry {
  std::string id;  // the reserved txn_ id, already referenced by the source object
  std::string source;
  std::string source_path;  // resource of the source, e.g. "disputes"
  std::string type;         // "charge", "refund", "adjustment", "payout", "payout_failure"
  std::string reporting_category;
  std::string description;
  int64_t amount = 0;  // signed, minor units of `currency`
  int64_t fee = 0;
  int64_t created = 0;
  int64_t available_on = 0;
  // Also append the full transaction to the source's `balance_transactions` array (disputes).
  bool embed_in_source = false;
  std::string currency;  // the settlement currency
  double exchange_rate = 0;  // 0: not converted
  int64_t net() const { return amount - fee; }
};

// The settlement of money in `currency` for an account: in that currency when the account
// settles in it, else converted to its default currency at `exchange_rate` (0: not converted).
struct Settlement {
  std::string currency;
  double exchange_rate = 0;
  int64_t Amount(int64_t amount) const {
    return exchange_rate == 0 ? amount : Convert(amount, exchange_rate);
  }
};
Settlement SettlementOf(const AccountConfig& account, std::string_view currency);
// The account's settlement currencies: the default one first, then AccountConfig::currencies.
std::vector<std::string> SettlementCurrencies(const AccountConfig& account);

class DatasetBuilder {
 public:
  static constexpr int64_t kDay = 86400;

  // All demo activity happens between epoch() = now - 100 days and `now`, the dataset's
  // "present" (the emulated clock when the emulator started).
  DatasetBuilder(const AccountConfig& account, bool livemode, uint64_t seed, int64_t now);

  int64_t now() const { return now_; }
  int64_t epoch() const { return now_ - 100 * kDay; }

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

  // Objects generated so far for a resource, in generation order.
  std::vector<boost::json::object>& Objects(std::string_view path);
  boost::json::object* Find(std::string_view path, std::string_view id);
  std::vector<LedgerEntry>& ledger() { return ledger_; }
  // Per automatic payout, the ids of the balance transactions it settled (its own included).
  std::map<std::string, std::vector<std::string>>& payout_items() { return payout_items_; }

  // Sorts, stores and builds the account and balance objects.
  std::unique_ptr<Dataset> Finish() &&;

 private:
  AccountConfig account_;
  bool livemode_;
  uint64_t state_;
  int64_t now_;
  std::map<std::string, std::vector<boost::json::object>, std::less<>> objects_;
  std::vector<LedgerEntry> ledger_;
  std::map<std::string, std::vector<std::string>> payout_items_;
};

}  // namespace stripeline::emulator
