#include "http/web_assets.h"

#include "common/secrets.h"

namespace stripeline::http {

namespace {

std::string ContentTypeFor(std::string_view path) {
  auto ends = [&](std::string_view suffix) { return path.ends_with(suffix); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json") || ends(".webmanifest")) return "application/manifest+json";
  return "application/octet-stream";
}

void SetSecurityHeaders(HttpResponse& response) {
  response.SetHeader("Content-Security-Policy", kWebContentSecurityPolicy);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
}

}  // namespace

WebAssets::WebAssets(const std::vector<EmbeddedFile>& files) {
  for (const EmbeddedFile& file : files) {
    std::string url_path = file.path == "index.html" ? "/" : "/" + std::string(file.path);
    by_url_path_[url_path] = Asset{.bytes = file.bytes,
                                   .content_type = ContentTypeFor(file.path),
                                   .etag = "\"" + Sha256Hex(file.bytes).substr(0, 32) + "\""};
  }
}

std::optional<HttpResponse> WebAssets::Serve(const HttpRequest& request) const {
  if (request.method != "GET") return std::nullopt;
  auto found = by_url_path_.find(request.path);
  if (found == by_url_path_.end()) return std::nullopt;
  const Asset& asset = found->second;
  HttpResponse response;
  SetSecurityHeaders(response);
  // Names carry no content hash, so the browser must ask each time; the ETag makes that a 304.
  response.SetHeader("Cache-Control", "no-cache");
  response.SetHeader("ETag", asset.etag);
  if (request.Header("if-none-match") == asset.etag) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.SetHeader("Content-Type", asset.content_type);
  response.body = std::string(asset.bytes);
  return response;
}

}  // namespace stripeline::http
