#include "stripe/list_pager.h"

#include <algorithm>
#include <utility>

namespace stripeline::stripe {

namespace {

bool HasKey(const Params& params, std::string_view key) {
  return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == key; });
}

}  // namespace

ListPager::ListPager(const Client& client, std::string path, Params params, RequestOptions options)
    : client_(client),
      path_(std::move(path)),
      params_(std::move(params)),
      options_(std::move(options)),
      cursor_key_(HasKey(params_, "ending_before") ? "ending_before" : "starting_after") {}

std::optional<StripeResult<ListPage>> ListPager::Next() {
  if (done_) return std::nullopt;
  StripeResult<ListPage> page = client_.ListPage(path_, params_, options_);
  if (!page.ok()) return page;

  if (page.value().has_more) {
    const auto& data = page.value().data;
    // Backwards walks continue from the first (newest) object, forwards from the last.
    const boost::json::object* edge =
        data.empty() ? nullptr : (cursor_key_ == "ending_before" ? &data.front() : &data.back());
    const boost::json::value* id = edge != nullptr ? edge->if_contains("id") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_string().empty()) {
      StripeError error;
      error.kind = ErrorKind::kApi;
      error.code = "stripe_unexpected_response";
      error.message = "Stripe said " + path_ +
                      " has more objects but the page has no object id to continue from";
      return StripeResult<ListPage>(std::move(error));
    }
    std::string cursor(id->get_string());
    std::erase_if(params_, [&](const auto& p) { return p.first == cursor_key_; });
    params_.emplace_back(cursor_key_, std::move(cursor));
  } else {
    done_ = true;
  }
  ++pages_;
  return page;
}

}  // namespace stripeline::stripe
