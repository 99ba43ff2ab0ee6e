#include "emulator/dataset.h"

#include <boost/json.hpp>

#include <algorithm>
#include <numeric>

#include "emulator/object_shapes.h"
#include "emulator/resource_table.h"
#include "emulator/scaled_dataset.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

uint64_t DatasetKey(uint64_t seed, std::string_view account_id, bool livemode) {
  return seed ^ Fnv1a(account_id) ^ (livemode ? 0x6c69766521ull : 0x7465737421ull);
}

json::object AccountObject(const AccountConfig& account) {
  json::object requirements{{"alternatives", json::array{}}, {"current_deadline", nullptr},
                            {"currently_due", json::array{}},  {"disabled_reason", nullptr},
                            {"errors", json::array{}},         {"eventually_due", json::array{}},
                            {"past_due", json::array{}},       {"pending_verification", json::array{}}};
  return json::object{
      {"id", account.id},
      {"object", "account"},
      {"business_profile",
       {{"mcc", "5734"},
        {"name", account.name},
        {"product_description", nullptr},
        {"support_address", nullptr},
        {"support_email", account.email},
        {"support_phone", nullptr},
        {"support_url", nullptr},
        {"url", nullptr}}},
      {"business_type", "company"},
      {"capabilities", {{"card_payments", "active"}, {"transfers", "active"}}},
      {"charges_enabled", true},
      {"controller", {{"type", "account"}}},
      {"country", account.country},
      {"created", account.created},
      {"default_currency", account.default_currency},
      {"details_submitted", true},
      {"email", account.email},
      {"future_requirements", requirements},
      {"metadata", json::object{}},
      {"payouts_enabled", true},
      {"requirements", requirements},
      {"settings",
       {{"branding",
         {{"icon", nullptr}, {"logo", nullptr}, {"primary_color", nullptr},
          {"secondary_color", nullptr}}},
        {"dashboard", {{"display_name", account.name}, {"timezone", "Etc/UTC"}}},
        {"payments", {{"statement_descriptor", nullptr}}},
        {"payouts",
         {{"debit_negative_balances", true},
          {"schedule", {{"delay_days", 2}, {"interval", "daily"}}},
          {"statement_descriptor", nullptr}}}}},
      {"tos_acceptance", {{"date", account.created}}},
      {"type", "standard"},
  };
}

namespace {

// The balance the demo's transactions add up to, per settlement currency.
json::object Balance(const std::vector<json::object>& transactions, bool livemode,
                     const AccountConfig& account) {
  BalanceFacts balance{.livemode = livemode};
  for (const std::string& currency : SettlementCurrencies(account)) {
    balance.currencies.push_back({.currency = currency});
  }
  for (const json::object& txn : transactions) {
    for (CurrencyBalance& c : balance.currencies) {
      if (txn.at("currency").as_string() != c.currency) continue;
      int64_t net = txn.at("net").as_int64();
      (txn.at("status").as_string() == "available" ? c.available : c.pending) += net;
    }
  }
  return BalanceObject(balance);
}

// The demo's itemisation: a map from payout id to positions.
class MapItemisation final : public PayoutItemisation {
 public:
  explicit MapItemisation(std::unordered_map<std::string, std::vector<uint32_t>> items)
      : items_(std::move(items)) {}
  std::vector<uint32_t> Transactions(std::string_view payout) const override {
    auto it = items_.find(std::string(payout));
    return it == items_.end() ? std::vector<uint32_t>{} : it->second;
  }

 private:
  std::unordered_map<std::string, std::vector<uint32_t>> items_;
};

}  // namespace

Settlement SettlementOf(const AccountConfig& account, std::string_view currency) {
  for (const std::string& settled : SettlementCurrencies(account)) {
    if (settled == currency) return {settled, 0};
  }
  return {account.default_currency, ExchangeRate(currency, account.default_currency)};
}

std::vector<std::string> SettlementCurrencies(const AccountConfig& account) {
  std::vector<std::string> currencies{account.default_currency};
  currencies.insert(currencies.end(), account.currencies.begin(), account.currencies.end());
  return currencies;
}

std::unique_ptr<Dataset> Dataset::Build(const AccountConfig& account, bool livemode,
                                        uint64_t seed, int64_t now, int64_t objects) {
  if (objects > 0) return BuildScaledDataset(account, livemode, seed, now, objects);
  DatasetBuilder builder(account, livemode, seed, now);
  for (const ResourceSpec& spec : Resources()) {
    builder.Objects(spec.path);  // every resource exists, even if a generator adds nothing
    spec.generate(builder);
  }
  return std::move(builder).Finish();
}

Dataset::Dataset(AccountConfig account, bool livemode)
    : account_(std::move(account)), livemode_(livemode) {
  for (const ResourceSpec& spec : Resources()) collections_[std::string(spec.path)];
  account_object_ = AccountObject(account_);
}

const Collection* Dataset::Objects(std::string_view path) const {
  auto it = collections_.find(path);
  return it == collections_.end() ? nullptr : &it->second;
}

Collection& Dataset::MutableObjects(std::string_view path) {
  auto it = collections_.find(path);
  if (it == collections_.end()) it = collections_.emplace(std::string(path), Collection{}).first;
  return it->second;
}

std::vector<json::object> Dataset::All(std::string_view path) const {
  std::vector<json::object> out;
  const Collection* objects = Objects(path);
  if (objects == nullptr) return out;
  for (size_t i = objects->size(); i-- > 0;) {
    if (!objects->Deleted(static_cast<uint32_t>(i))) {
      out.push_back(objects->Object(static_cast<uint32_t>(i)));
    }
  }
  return out;
}

std::optional<json::object> Dataset::Get(std::string_view path, std::string_view id) const {
  const Collection* objects = Objects(path);
  if (objects == nullptr) return std::nullopt;
  std::optional<uint32_t> at = objects->Find(id);
  if (!at || objects->Deleted(*at)) return std::nullopt;
  return objects->Object(*at);
}

DatasetBuilder::DatasetBuilder(const AccountConfig& account, bool livemode, uint64_t seed,
                               int64_t now)
    : account_(account),
      livemode_(livemode),
      state_(DatasetKey(seed, account.id, livemode)),
      now_(now) {}

uint64_t DatasetBuilder::Next() {
  // splitmix64: tiny, fast and the same on every platform (std distributions are not).
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int64_t DatasetBuilder::Uniform(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
}

std::string DatasetBuilder::RandomChars(size_t n, bool upper_only) {
  static constexpr std::string_view kChars =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  size_t range = upper_only ? 36 : kChars.size();
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kChars[Next() % range]);
  return out;
}

std::string DatasetBuilder::NewId(std::string_view prefix, size_t n) {
  return std::string(prefix) + RandomChars(n);
}

std::vector<json::object>& DatasetBuilder::Objects(std::string_view path) {
  auto it = objects_.find(path);
  if (it == objects_.end()) it = objects_.emplace(std::string(path), std::vector<json::object>{}).first;
  return it->second;
}

json::object* DatasetBuilder::Find(std::string_view path, std::string_view id) {
  for (json::object& object : Objects(path)) {
    if (object.at("id").as_string() == id) return &object;
  }
  return nullptr;
}

std::unique_ptr<Dataset> DatasetBuilder::Finish() && {
  auto dataset = std::make_unique<Dataset>(account_, livemode_);
  for (auto& entry : objects_) {
    // Named, not bound: Clang 14 (the fuzz build's) cannot capture a structured binding.
    const std::string& path = entry.first;
    std::vector<json::object>& objects = entry.second;
    // Oldest first; at equal `created` the later-generated object counts as newer.
    std::vector<size_t> order(objects.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return objects[a].at("created").as_int64() < objects[b].at("created").as_int64();
    });
    Collection& collection = dataset->MutableObjects(path);
    for (size_t i : order) {
      collection.Append(std::string(objects[i].at("id").as_string()),
                        objects[i].at("created").as_int64(), json::serialize(objects[i]));
    }
  }
  dataset->SetBalance(Balance(objects_["balance_transactions"], livemode_, account_));
  std::unordered_map<std::string, std::vector<uint32_t>> items;
  const Collection& transactions = *dataset->Objects("balance_transactions");
  for (const auto& [payout, ids] : payout_items_) {
    std::vector<uint32_t>& positions = items[payout];
    for (const std::string& id : ids) {
      if (std::optional<uint32_t> at = transactions.Find(id)) positions.push_back(*at);
    }
    std::sort(positions.begin(), positions.end());
  }
  dataset->SetItemisation(std::make_shared<MapItemisation>(std::move(items)));
  return dataset;
}

}  // namespace stripeline::emulator
