#pragma once
// The admin web app's static files (web/app/), embedded in the binary at build time by
// cmake/embed_web_assets.cmake, and WebAssets, which serves them: `/` is the app's page, every
// other file is served at its path under web/app/ (`/assets/app.js`). Every answer carries the
// strict Content-Security-Policy the app is written for (no inline script or style, nothing
// from another origin) and an ETag, so a browser revalidates instead of downloading again.
// Immutable after construction: thread-safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_message.h"

namespace stripeline::http {

struct EmbeddedFile {
  std::string_view path;  // relative to web/app/, e.g. "assets/app.js"
  std::string_view bytes;
};

// Generated at build time (build/generated/web_assets_data.cc).
const std::vector<EmbeddedFile>& EmbeddedWebFiles();

// What the page may load: only its own origin's scripts, styles, images and API.
inline constexpr char kWebContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

class WebAssets {
 public:
  explicit WebAssets(const std::vector<EmbeddedFile>& files = EmbeddedWebFiles());

  // The answer for a GET of one of the app's files, or nullopt when the request is not
  // for one (the API handles it).
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

 private:
  struct Asset {
    std::string_view bytes;
    std::string content_type;
    std::string etag;
  };
  std::map<std::string, Asset, std::less<>> by_url_path_;
};

}  // namespace stripeline::http
