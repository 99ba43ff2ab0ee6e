#include "http/json_body.h"

#include <boost/json.hpp>

namespace stripeline::http {

namespace {
Status WrongType(const char* field, const char* type) {
  return Status::InvalidArgument(std::string("Field '") + field + "' must be " + type + ".",
                                 "invalid_field");
}
}  // namespace

Result<boost::json::object> ParseJsonObject(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return boost::json::object{};
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) {
    return Status::InvalidArgument("The request body is not valid JSON: " + ec.message() + ".",
                                   "invalid_json");
  }
  if (!value.is_object()) {
    return Status::InvalidArgument("The request body must be a JSON object.", "invalid_json");
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  const char* field) {
  auto it = object.find(field);
  if (it == object.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string()) return WrongType(field, "a string");
  return std::optional<std::string>(std::string(it->value().get_string()));
}

Result<std::optional<std::optional<std::string>>> NullableString(const boost::json::object& object,
                                                                 const char* field) {
  using Nullable = std::optional<std::optional<std::string>>;
  auto it = object.find(field);
  if (it == object.end()) return Nullable();
  if (it->value().is_null()) return Nullable(std::optional<std::string>());
  if (!it->value().is_string()) return WrongType(field, "a string or null");
  std::string value(it->value().get_string());
  if (value.empty()) return Nullable(std::optional<std::string>());
  return Nullable(std::optional<std::string>(value));
}

Result<std::string> RequiredString(const boost::json::object& object, const char* field) {
  SL_ASSIGN_OR_RETURN(auto value, OptionalString(object, field));
  if (!value) {
    return Status::InvalidArgument(std::string("Field '") + field + "' is required.",
                                   "missing_field");
  }
  return *value;
}

Result<std::optional<bool>> OptionalBool(const boost::json::object& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return WrongType(field, "true or false");
  return std::optional<bool>(it->value().get_bool());
}

}  // namespace stripeline::http
