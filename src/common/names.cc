#include "common/names.h"

#include <cstdint>
#include <vector>

#include "common/utf8.h"

namespace stripeline {

namespace {

// A code point of well-formed UTF-8 (checked by the caller) and where it starts.
struct CodePoint {
  char32_t value;
  size_t offset;
};

std::vector<CodePoint> CodePoints(std::string_view text) {
  std::vector<CodePoint> out;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<uint8_t>(text[i]);
    const int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < length; ++k) c = (c << 6) | (static_cast<uint8_t>(text[i + k]) & 0x3F);
    out.push_back({c, i});
    i += static_cast<size_t>(length);
  }
  return out;
}

// Spaces and invisible formatting characters: trimmed at the ends, not visible anywhere.
bool IsBlank(char32_t c) {
  return c == 0x20 || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         c == 0x180E || (c >= 0x2000 && c <= 0x200D) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x2060 || c == 0x3000 || c == 0xFEFF;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

}  // namespace

Result<std::string> CleanName(std::string_view name, std::string_view what,
                              std::size_t max_characters) {
  const std::string subject = "The " + std::string(what) + "'s name";
  if (!IsValidUtf8(name)) {
    return Status::InvalidArgument(subject + " is not valid UTF-8 text.", "invalid_name");
  }
  const std::vector<CodePoint> points = CodePoints(name);
  size_t begin = 0, end = points.size();
  while (begin < end && IsBlank(points[begin].value)) ++begin;
  while (end > begin && IsBlank(points[end - 1].value)) --end;
  if (begin == end) {
    return Status::InvalidArgument("Enter a name for the " + std::string(what) + ".",
                                   "invalid_name");
  }
  for (size_t i = begin; i < end; ++i) {
    if (IsControl(points[i].value)) {
      return Status::InvalidArgument(
          subject + " contains a control character (a tab, line break or NUL); use plain text.",
          "invalid_name");
    }
  }
  if (end - begin > max_characters) {
    return Status::InvalidArgument(subject + " is longer than " + std::to_string(max_characters) +
                                       " characters.",
                                   "invalid_name");
  }
  const size_t byte_end = end < points.size() ? points[end].offset : name.size();
  return std::string(name.substr(points[begin].offset, byte_end - points[begin].offset));
}

}  // namespace stripeline
