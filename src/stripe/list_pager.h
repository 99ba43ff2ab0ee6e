#pragma once
// ListPager: walks a whole Stripe list lazily, one request per page, like stripe-go's Iter.
// Each Next() fetches the page after the last object seen, by `starting_after=<last id>`, until
// a page says has_more=false. When the initial params contain `ending_before`, it walks
// backwards instead (`ending_before=<first id>`), as the SDKs do.
//
//   ListPager pager(client, "/v1/charges", {{"limit", "100"}, {"created[gte]", "1700000000"}},
//                   opts);
//   while (auto page = pager.Next()) {
//     if (!page->ok()) return page->error().ToStatus();   // never silently stops
//     for (const boost::json::object& charge : page->value().data) ...
//   }
//
// An error never ends the walk silently: Next() returns it, and the cursor stays on the page
// that failed, so calling Next() again retries that same page (the Client has already applied
// its retry policy). A page with has_more=true but no usable object id is reported as a kApi
// error (continuing would loop or skip data).
//
// Thread-safety: not thread-safe (it holds a cursor); use one pager per thread. Several pagers
// may share one Client. The Client must outlive the pager.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "stripe/client.h"

namespace stripeline::stripe {

class ListPager {
 public:
  // `params` are sent with every page; a `starting_after` / `ending_before` among them is the
  // starting cursor and is then replaced page by page.
  ListPager(const Client& client, std::string path, Params params, RequestOptions options);

  // The next page, an error, or std::nullopt once a page with has_more=false has been
  // returned. After an error, the next call requests the same page again.
  std::optional<StripeResult<ListPage>> Next();

  // True once the last page (has_more=false) has been returned.
  bool done() const { return done_; }
  // Pages successfully returned so far.
  std::size_t pages() const { return pages_; }

 private:
  const Client& client_;
  const std::string path_;
  Params params_;  // includes the cursor param, kept up to date
  const RequestOptions options_;
  const std::string cursor_key_;  // "starting_after" or "ending_before"
  bool done_ = false;
  std::size_t pages_ = 0;
};

}  // namespace stripeline::stripe
