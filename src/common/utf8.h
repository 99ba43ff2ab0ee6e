#pragma once
// UTF-8 validity: text that reaches a JSON answer or a log line must be valid UTF-8, whatever
// bytes a client or a file sent. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace stripeline {

// True iff `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF).
bool IsValidUtf8(std::string_view text);
// `text` with every byte sequence that is not well-formed UTF-8 replaced by U+FFFD (one per
// maximal ill-formed subpart, as the Unicode standard recommends); valid text is unchanged.
std::string ValidUtf8(std::string_view text);

}  // namespace stripeline
