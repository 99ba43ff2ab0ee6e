#pragma once
// ListPager: walks a whole Stripe list lazily, one request per page, like stripe-go's Iter.
// Each Next() fetches the page after the last object seen, by `starting_after=<last id>`, until
// a page says has_more=false. When the initial params contain `ending_before`, it walks
// backwards instead (`ending_before=<first id>`), as the SDKs do.
//
//   ListPager pager(session.client(), "/v1/charges", {{"limit", "100"}}, session.options(),
//                   {.created_gte = 1700000000, .created_lt = 1700086400});
//   while (auto page = pager.Next()) {
//     if (!page->ok()) return page->error().ToStatus();   // never silently stops
//     for (const boost::json::object& charge : page->value().data) ...
//   }
//
// Resuming: a walk is a list, optional `created` bounds (a backfill's time slice) and a cursor.
// Construct the pager with a checkpointed cursor, or Seek() to new bounds and cursor between
// pages (a slice whose start moved, a slice restarted below a deleted cursor object); cursor()
// is what to checkpoint after a page.
//
// An error never ends the walk silently: Next() returns it, and the cursor stays on the page
// that failed, so calling Next() again asks for that same page (the Client has already applied
// its retry policy, and paced every attempt when it is an AccountSession's). A page with
// has_more=true but no usable object id is reported as a kApi error (continuing would loop or
// skip data).
//
// Thread-safety: not thread-safe (it holds a cursor); use one pager per thread. Several pagers
// may share one Client. The Client must outlive the pager.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stripe/client.h"

namespace stripeline::stripe {

// A slice of a list by creation time, sent as created[gte] / created[lt] (stripe-api.md §3).
struct ListBounds {
  std::optional<int64_t> created_gte;
  std::optional<int64_t> created_lt;
};

class ListPager {
 public:
  // `params` are sent with every page, then the bounds, then the cursor. The cursor is
  // `cursor` when given, else a `starting_after` / `ending_before` among `params`; either way
  // it is replaced page by page (its key says the direction).
  ListPager(const Client& client, std::string path, Params params, RequestOptions options,
            ListBounds bounds = {}, std::optional<std::string> cursor = std::nullopt);

  // The next page, an error, or std::nullopt once a page with has_more=false has been
  // returned. After an error, the next call requests the same page again.
  std::optional<StripeResult<ListPage>> Next();

  // Continues the walk within `bounds` after `cursor` (from the first page when nullopt):
  // the next Next() asks for that page, even after the last page was returned.
  void Seek(ListBounds bounds, std::optional<std::string> cursor);

  // The id the next page continues from (nullopt before the first page of a walk without one).
  const std::optional<std::string>& cursor() const { return cursor_; }
  const ListBounds& bounds() const { return bounds_; }
  // True once the last page (has_more=false) has been returned.
  bool done() const { return done_; }
  // Pages successfully returned so far.
  std::size_t pages() const { return pages_; }

 private:
  Params RequestParams() const;
  void MoveCursor(std::optional<std::string> cursor);

  const Client& client_;
  const std::string path_;
  Params params_;  // holds the cursor param only while cursor_in_params_
  const RequestOptions options_;
  const std::string cursor_key_;  // "starting_after" or "ending_before"
  ListBounds bounds_;
  std::optional<std::string> cursor_;
  bool cursor_in_params_ = false;  // the starting cursor, still sent where the caller put it
  bool done_ = false;
  std::size_t pages_ = 0;
};

}  // namespace stripeline::stripe
