#include "stripe/list_pager.h"

#include <algorithm>
#include <utility>

namespace stripeline::stripe {

namespace {

bool HasKey(const Params& params, std::string_view key) {
  return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == key; });
}

}  // namespace

ListPager::ListPager(const Client& client, std::string path, Params params, RequestOptions options,
                     ListBounds bounds, std::optional<std::string> cursor)
    : client_(client),
      path_(std::move(path)),
      params_(std::move(params)),
      options_(std::move(options)),
      cursor_key_(HasKey(params_, "ending_before") ? "ending_before" : "starting_after"),
      bounds_(bounds),
      cursor_(std::move(cursor)) {
  if (cursor_) {
    std::erase_if(params_, [&](const auto& p) { return p.first == cursor_key_; });
    return;
  }
  // A cursor among the params is where the walk starts; it is sent where the caller put it.
  for (const auto& [key, value] : params_) {
    if (key == cursor_key_) {
      cursor_ = value;
      cursor_in_params_ = true;
    }
  }
}

Params ListPager::RequestParams() const {
  Params params = params_;
  if (bounds_.created_gte) params.emplace_back("created[gte]", std::to_string(*bounds_.created_gte));
  if (bounds_.created_lt) params.emplace_back("created[lt]", std::to_string(*bounds_.created_lt));
  if (cursor_ && !cursor_in_params_) params.emplace_back(cursor_key_, *cursor_);
  return params;
}

void ListPager::MoveCursor(std::optional<std::string> cursor) {
  if (cursor_in_params_) {
    std::erase_if(params_, [&](const auto& p) { return p.first == cursor_key_; });
    cursor_in_params_ = false;
  }
  cursor_ = std::move(cursor);
}

void ListPager::Seek(ListBounds bounds, std::optional<std::string> cursor) {
  bounds_ = bounds;
  MoveCursor(std::move(cursor));
  done_ = false;
}

std::optional<StripeResult<ListPage>> ListPager::Next() {
  if (done_) return std::nullopt;
  StripeResult<ListPage> page = client_.ListPage(path_, RequestParams(), options_);
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
    MoveCursor(std::string(id->get_string()));
  } else {
    done_ = true;
  }
  ++pages_;
  return page;
}

}  // namespace stripeline::stripe
