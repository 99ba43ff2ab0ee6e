#pragma once
// The stream table: every Stripe resource Stripeline syncs, described as data (Airbyte manifest
// / stripe/sync-engine style), so one generic engine loop serves them all. A row names the
// stream, its endpoint and list filters, the event object type that changes it, whether a
// backfill can split it into `created` time slices, the permission a restricted key needs, and
// the typed columns pulled out of each object next to its raw JSON.
//
// Every stream is stored in table `stripe_<name>` (sync migrations 1 and 3, docs/schema.md),
// keyed by (account_id, livemode, id): one account's test and live objects are apart
// (sync/data_scope.h). SQL identifiers are only ever taken from this table, never from input.
//
// Thread-safety: immutable static data.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "stripe/client.h"

namespace stripeline::sync {

enum class ColumnType {
  kInteger,  // BIGINT: amounts in minor units, unix times
  kText,     // TEXT: ids, enums, currencies
  kReal,     // DOUBLE PRECISION: percent_off, exchange_rate
  kBoolean,  // INTEGER 0/1
};

struct Column {
  std::string_view name;  // SQL column name
  // Dotted JSON path inside the object ("recurring.interval"). Alternatives separated by '|' are
  // tried in order, the first present non-null one wins ("parent.subscription_details.
  // subscription|subscription"). An expanded object found where an id is expected yields its id.
  std::string_view path;
  ColumnType type;
};

enum class StreamKind {
  kList,       // GET /v1/<x>, paged, sliceable by created
  kSingleton,  // GET /v1/account: one object, no paging
  kEvents,     // GET /v1/events: sliceable, but the stored objects are the events themselves
};

struct StreamSpec {
  std::string_view name;         // "charges"
  std::string_view endpoint;     // "/v1/charges"
  std::string_view table;        // "stripe_charges"
  std::string_view object_type;  // the object's `object` ("charge"); events `charge.*` apply here
  StreamKind kind = StreamKind::kList;
  // Extra list parameters sent with every page (e.g. status=all for subscriptions).
  std::vector<std::pair<std::string_view, std::string_view>> list_params;
  // The restricted-key permission that reads the stream (stripe-api.md §2).
  std::string_view permission;
  std::vector<Column> columns;  // typed columns, in table order (after the common ones)

  bool sliceable() const { return kind != StreamKind::kSingleton; }
};

// Every stream, in the order a sync plans them: account, customers, products, prices, coupons,
// subscriptions, invoices, charges, refunds, disputes, payment_intents, payouts,
// balance_transactions, credit_notes, events.
const std::vector<StreamSpec>& Streams();
// The stream named `name`, or nullptr.
const StreamSpec* FindStream(std::string_view name);
// The stream whose objects have `object` == object_type, or nullptr ("plan" maps to prices,
// since Stripe's plans are prices).
const StreamSpec* FindStreamByObjectType(std::string_view object_type);

// The columns every stream table has before its typed columns, in table order.
// account_id, id, livemode, created, deleted, version, last_event_id, synced_at, raw.
const std::vector<std::string_view>& CommonColumns();

// The value at a Column's path in `object`, converted to the column's type: NULL when absent,
// null or of an unusable type; booleans as 0/1; an expanded object's id for text columns.
store::Value ExtractColumn(const boost::json::object& object, const Column& column);

// The list parameters of one page of `stream`: limit, the stream's list_params, then any
// `extra` (cursor, created bounds).
stripe::Params ListParams(const StreamSpec& stream, int limit, const stripe::Params& extra = {});

}  // namespace stripeline::sync
