#pragma once
// The resources the emulator serves, described as data (Airbyte-manifest style): one row per
// resource names its URL path, Stripe object type, id prefix, the restricted-key permission that
// reads it, the list filters it accepts and the generator of its demo objects. One generic
// list/retrieve implementation (list_query.h, emulator.cc) serves every row.
//
// Thread-safety: the table is immutable static data.

#include <string>
#include <string_view>
#include <vector>

namespace stripeline::emulator {

class DatasetBuilder;

// Adds one resource's objects to a dataset being built; may read (and, to keep references
// consistent, amend) the objects of resources generated before it.
using ObjectGenerator = void (*)(DatasetBuilder&);

// An equality filter of a list endpoint: `?param=value` keeps objects whose field at the dotted
// `path` equals value (strings, numbers, booleans as "true"/"false"); a value ending in ".*"
// matches by prefix (events' `type=charge.*`).
struct ListFilter {
  std::string_view param;
  std::string_view path;
};

// How the admin API deletes an object of a resource, as Stripe does.
enum class Deletion {
  kRefused,  // not deletable (charges, invoices, ...): 400
  kDelete,   // gone: retrieve answers 404, lists omit it, a "<prefix>.deleted" event
  kArchive,  // prices: Stripe archives them (active=false), a "<prefix>.updated" event
};

struct ResourceSpec {
  std::string_view path;         // "charges": served at /v1/charges and /v1/charges/<id>
  std::string_view object_name;  // "charge": the object's `object`, named in "No such charge"
  std::string_view id_prefix;    // "ch_"
  std::string_view permission;   // "rak_charge_read": what a restricted key needs to read it
  std::vector<ListFilter> filters;
  // When not empty, lists omit objects with this status unless `status=all` or
  // `status=<it>` is asked for (Stripe hides canceled subscriptions by default).
  std::string_view hidden_status;
  ObjectGenerator generate = nullptr;
  // Events about this resource are "<event_prefix>.created|updated|deleted"
  // ("customer.subscription", "charge.dispute"); empty: the admin API cannot mutate it and it
  // has no events (balance transactions, events themselves).
  std::string_view event_prefix;
  // What DELETE /_emulator/objects/<path>/<id> does.
  Deletion deletion = Deletion::kRefused;
};

// Every resource, in generation order (a resource comes after those it references).
const std::vector<ResourceSpec>& Resources();
// The row served at /v1/<path>, or nullptr.
const ResourceSpec* FindResource(std::string_view path);

// Permissions of the singleton endpoints.
inline constexpr std::string_view kBalancePermission = "rak_balance_read";

// Every read permission the emulator checks, sorted, without duplicates.
std::vector<std::string> AllReadPermissions();

}  // namespace stripeline::emulator
