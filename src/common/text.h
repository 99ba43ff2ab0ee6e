#pragma once
// ASCII text helpers shared by every subsystem: whitespace trimming and case folding for
// protocol text (header names, key prefixes, emails). Bytes outside ASCII are left as they
// are: none of these is a Unicode case mapping. Pure functions.

#include <string>
#include <string_view>

namespace stripeline {

// `text` without leading and trailing ASCII whitespace (space, \t, \n, \r, \f, \v); a view
// into `text`.
std::string_view Trim(std::string_view text);
// `text` with A-Z mapped to a-z.
std::string ToLower(std::string_view text);
// `text` with a-z mapped to A-Z.
std::string ToUpper(std::string_view text);
// Equal when compared with A-Z mapped to a-z.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);

}  // namespace stripeline
