#include "emulator/list_query.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxLimit = 100;

// The value at a dotted path ("parent.subscription_details.subscription"), or nullptr.
const json::value* At(const json::object& object, std::string_view path) {
  const json::object* current = &object;
  while (true) {
    size_t dot = path.find('.');
    const json::value* value = current->if_contains(path.substr(0, dot));
    if (value == nullptr || dot == std::string_view::npos) return value;
    if (!value->is_object()) return nullptr;
    current = &value->as_object();
    path = path.substr(dot + 1);
  }
}

bool ValueMatches(const json::value& value, std::string_view wanted) {
  if (value.is_string()) {
    std::string_view text = value.as_string();
    if (wanted.size() >= 2 && wanted.substr(wanted.size() - 2) == ".*") {
      return text.starts_with(wanted.substr(0, wanted.size() - 1));  // keeps the '.'
    }
    return text == wanted;
  }
  if (value.is_bool()) return wanted == (value.as_bool() ? "true" : "false");
  if (value.is_int64()) return wanted == std::to_string(value.as_int64());
  return false;
}

}  // namespace

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::variant<ListQuery, ApiError> ListQuery::Parse(const ResourceSpec& spec, const Fields& query) {
  ListQuery q(spec);
  for (const auto& [name, value] : query) {
    if (name == "limit") {
      std::optional<int64_t> limit = ParseInteger(value);
      if (!limit) return errors::InvalidInteger("limit", value);
      if (*limit < 1) return errors::ValueTooSmall("limit", 1);
      if (*limit > kMaxLimit) return errors::ValueTooLarge("limit", kMaxLimit);
      q.limit_ = *limit;
    } else if (name == "starting_after" && !value.empty()) {
      q.starting_after_ = value;
    } else if (name == "ending_before" && !value.empty()) {
      q.ending_before_ = value;
    } else if (name == "created" || (name.starts_with("created[") && name.ends_with("]"))) {
      std::string_view op = std::string_view(name).substr(name == "created" ? 7 : 8);
      if (!op.empty()) op.remove_suffix(1);
      if (!op.empty() && op != "gt" && op != "gte" && op != "lt" && op != "lte") continue;
      std::optional<int64_t> t = ParseInteger(value);
      if (!t) return errors::InvalidInteger(name, value);
      auto raise_min = [&](int64_t v) { q.created_min_ = std::max(q.created_min_.value_or(v), v); };
      auto lower_max = [&](int64_t v) { q.created_max_ = std::min(q.created_max_.value_or(v), v); };
      if (op.empty() || op == "gte") raise_min(*t);
      if (op.empty() || op == "lte") lower_max(*t);
      if (op == "gt") raise_min(*t + 1);
      if (op == "lt") lower_max(*t - 1);
    } else if (name == "payout" && spec.path == "balance_transactions") {
      q.payout_ = value;
    } else if (name == "types[]" && spec.path == "events") {
      q.types_.push_back(value);
    } else if (name == "status" && !spec.hidden_status.empty()) {
      q.status_ = value;
    } else {
      for (const ListFilter& filter : spec.filters) {
        if (filter.param == name) q.filters_.emplace_back(std::string(filter.path), value);
      }
    }
  }
  if (q.starting_after_ && q.ending_before_) {
    return errors::OnlyOneOf("ending_before", "starting_after");
  }
  return q;
}

bool ListQuery::Matches(const json::object& object) const {
  int64_t created = object.at("created").as_int64();
  if (created_min_ && created < *created_min_) return false;
  if (created_max_ && created > *created_max_) return false;
  if (!spec_->hidden_status.empty() && status_ != "all") {
    std::string_view status = object.at("status").as_string();
    if (status_.empty() ? status == spec_->hidden_status : status != status_) return false;
  }
  for (const auto& [path, value] : filters_) {
    const json::value* field = At(object, path);
    if (field == nullptr || !ValueMatches(*field, value)) return false;
  }
  if (!types_.empty()) {
    const json::value* type = object.if_contains("type");
    if (type == nullptr) return false;
    return std::any_of(types_.begin(), types_.end(),
                       [&](const std::string& wanted) { return ValueMatches(*type, wanted); });
  }
  return true;
}

std::variant<std::string, ApiError> ListQuery::Run(const Collection& objects,
                                                   std::optional<int64_t> oldest,
                                                   const std::vector<uint32_t>* only) const {
  std::optional<int64_t> min = created_min_;
  if (oldest) min = std::max(min.value_or(*oldest), *oldest);
  auto [first, last] = objects.CreatedRange(min, created_max_);
  // Positions are oldest first; a cursor splits them into newer (above) and older (below).
  std::optional<uint32_t> cursor;
  for (const auto& [param, id] : {std::pair{"starting_after", &starting_after_},
                                  std::pair{"ending_before", &ending_before_}}) {
    if (!*id) continue;
    cursor = objects.Find(**id);
    if (!cursor || objects.Deleted(*cursor) || (oldest && objects.Created(*cursor) < *oldest)) {
      return errors::NoSuchObject(400, spec_->object_name, **id, param);
    }
  }
  bool backwards = ending_before_.has_value();
  auto wanted = static_cast<size_t>(limit_) + 1;
  std::vector<std::string> page;
  auto visit = [&](uint32_t position) {
    if (objects.Deleted(position)) return;
    if (NeedsObject()) {
      json::object object = objects.Object(position);
      if (Matches(object)) page.push_back(json::serialize(object));
    } else {
      page.push_back(objects.Json(position));
    }
  };
  // The positions after the cursor (paging backwards) or before it, within [first, last); with
  // `only`, indexes into it instead.
  uint32_t low = backwards ? std::max(first, *cursor + 1) : first;
  uint32_t high = backwards || !cursor ? last : std::min(last, *cursor);
  auto position = [&](size_t k) { return only ? (*only)[k] : static_cast<uint32_t>(k); };
  size_t begin = low, end = std::max(low, high);
  if (only != nullptr) {
    begin = std::lower_bound(only->begin(), only->end(), low) - only->begin();
    end = std::max(begin, static_cast<size_t>(std::lower_bound(only->begin(), only->end(), high) -
                                              only->begin()));
  }
  if (backwards) {
    for (size_t k = begin; k < end && page.size() < wanted; ++k) visit(position(k));
  } else {
    for (size_t k = end; k > begin && page.size() < wanted;) visit(position(--k));
  }
  bool has_more = page.size() > static_cast<size_t>(limit_);
  if (has_more) page.pop_back();
  // Paging backwards collected oldest first; a page is always newest first.
  if (backwards) std::reverse(page.begin(), page.end());
  size_t bytes = 64;
  for (const std::string& object : page) bytes += object.size() + 1;
  std::string out;
  out.reserve(bytes);
  out += R"({"object":"list","data":[)";
  for (size_t i = 0; i < page.size(); ++i) {
    if (i > 0) out += ',';
    out += page[i];
  }
  out += R"(],"has_more":)";
  out += has_more ? "true" : "false";
  out += R"(,"url":"/v1/)";
  out += spec_->path;
  out += R"("})";
  return out;
}

}  // namespace stripeline::emulator
