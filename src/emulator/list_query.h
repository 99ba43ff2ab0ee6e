#pragma once
// ListQuery: the one generic implementation of Stripe's list endpoints (`GET /v1/<resource>`)
// for every row of the resource table: `limit` (1..100, default 10), `starting_after` /
// `ending_before` cursors, `created` / `created[gt|gte|lt|lte]`, the row's equality filters and
// its hidden status (canceled subscriptions). (The generic retrieve is Emulator::HandleApi.)
//
// Thread-safety: immutable after Parse; Run only reads the Collection (the caller holds the
// dataset's lock, shared).

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/http_message.h"
#include "emulator/api_error.h"
#include "emulator/object_store.h"
#include "emulator/resource_table.h"

namespace stripeline::emulator {

class ListQuery {
 public:
  // Validates the query parameters of a list request; unknown parameters are ignored. Errors
  // are Stripe's 400s with `param` set (e.g. limit out of range, a non-integer created bound,
  // both cursors given).
  static std::variant<ListQuery, ApiError> Parse(const ResourceSpec& spec, const Fields& query);

  // The serialized page `{"object":"list","data":[...],"has_more":bool,"url":"/v1/<path>"}`,
  // newest first. Objects created before `oldest` (when given: the events' 30-day window) and
  // deleted ones are invisible. A cursor naming no visible object of this resource (in this
  // account and mode) is a 400 resource_missing with the cursor's name as param.
  // Cost: O(log n) to position, then O(limit) for an unfiltered page; equality filters scan
  // (and render) objects until the page is full.
  // `only` (when given: positions, ascending) restricts the page to those positions, as the
  // balance transactions of one payout (`?payout=`); cursors and bounds apply within them.
  std::variant<std::string, ApiError> Run(const Collection& objects,
                                          std::optional<int64_t> oldest = std::nullopt,
                                          const std::vector<uint32_t>* only = nullptr) const;

  // The payout of `GET /v1/balance_transactions?payout=po_...`, for the caller to resolve into
  // `only`; nullopt when not asked.
  const std::optional<std::string>& payout() const { return payout_; }

 private:
  explicit ListQuery(const ResourceSpec& spec) : spec_(&spec) {}
  bool Matches(const boost::json::object& object) const;
  bool NeedsObject() const {
    return !filters_.empty() || !types_.empty() || (!spec_->hidden_status.empty() && status_ != "all");
  }

  const ResourceSpec* spec_;
  int64_t limit_ = 10;
  std::optional<std::string> starting_after_;
  std::optional<std::string> ending_before_;
  std::optional<int64_t> created_min_;  // inclusive bounds
  std::optional<int64_t> created_max_;
  std::vector<std::pair<std::string, std::string>> filters_;  // dotted path, value
  std::string status_;  // for resources with a hidden status: "" (default), "all" or a status
  std::vector<std::string> types_;  // events' types[]: any of them (wildcards allowed)
  std::optional<std::string> payout_;  // balance transactions' payout
};

// Parses a base-10 integer the way Stripe's form decoder does; nullopt when `text` is not one.
std::optional<int64_t> ParseInteger(std::string_view text);

}  // namespace stripeline::emulator
