// WebAssets: the web app's files at their URLs with the strict Content-Security-Policy and
// ETags; and the embedded app itself: nothing inline the policy would block, and every module
// it imports is embedded.
#include "http/web_assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "unit/http/http_test_util.h"

namespace stripeline::http {
namespace {

using test_util::MakeRequest;

const std::vector<EmbeddedFile> kFiles{
    {"index.html", "<!doctype html><title>App</title>"},
    {"assets/app.js", "export const x = 1;"},
    {"assets/app.css", "body{}"},
};

TEST(WebAssets, ServesTheIndexAtTheRootAndFilesAtTheirPaths) {
  WebAssets web(kFiles);
  auto index = web.Serve(MakeRequest("GET", "/"));
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html><title>App</title>");
  EXPECT_EQ(index->Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->Header("Content-Security-Policy"), kWebContentSecurityPolicy);
  EXPECT_EQ(index->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(index->Header("X-Frame-Options"), "DENY");

  auto script = web.Serve(MakeRequest("GET", "/assets/app.js?v=1"));
  ASSERT_TRUE(script.has_value());
  EXPECT_EQ(script->body, "export const x = 1;");
  EXPECT_EQ(script->Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(web.Serve(MakeRequest("GET", "/assets/app.css"))->Header("Content-Type"),
            "text/css; charset=utf-8");
}

TEST(WebAssets, LeavesEverythingElseToTheApi) {
  WebAssets web(kFiles);
  EXPECT_FALSE(web.Serve(MakeRequest("GET", "/index.html")).has_value());
  EXPECT_FALSE(web.Serve(MakeRequest("GET", "/assets/missing.js")).has_value());
  EXPECT_FALSE(web.Serve(MakeRequest("GET", "/api/v1/integrations")).has_value());
  EXPECT_FALSE(web.Serve(MakeRequest("POST", "/")).has_value());
}

TEST(WebAssets, AnswersNotModifiedToTheCurrentETagOnly) {
  WebAssets web(kFiles);
  auto first = web.Serve(MakeRequest("GET", "/"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->Header("Cache-Control"), "no-cache");
  std::string etag = first->Header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());
  auto again = web.Serve(MakeRequest("GET", "/", {{"If-None-Match", etag}}));
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  auto stale = web.Serve(MakeRequest("GET", "/", {{"If-None-Match", "\"old\""}}));
  EXPECT_EQ(stale->status, 200);
  EXPECT_NE(web.Serve(MakeRequest("GET", "/assets/app.js"))->Header("ETag"), etag);
}

TEST(EmbeddedWebApp, HasItsPageStylesAndScripts) {
  std::set<std::string> paths;
  for (const auto& file : EmbeddedWebFiles()) paths.insert(std::string(file.path));
  for (const char* expected : {"index.html", "assets/app.css", "assets/js/app.js", "assets/icon.svg"}) {
    EXPECT_TRUE(paths.contains(expected)) << expected << " is not embedded";
  }
  WebAssets web;
  auto index = web.Serve(MakeRequest("GET", "/"));
  ASSERT_TRUE(index.has_value());
  EXPECT_NE(index->body.find("<script type=\"module\" src=\"/assets/js/app.js\">"), std::string::npos);
}

TEST(EmbeddedWebApp, HasNothingInlineAndNoHtmlFromData) {
  for (const auto& file : EmbeddedWebFiles()) {
    std::string text(file.bytes);
    if (file.path.ends_with(".html")) {
      EXPECT_EQ(text.find("<style"), std::string::npos) << file.path;
      EXPECT_EQ(text.find("style="), std::string::npos) << file.path;
      EXPECT_FALSE(std::regex_search(text, std::regex(R"(\son[a-z]+=)"))) << file.path << ": inline handler";
      std::regex script("<script([^>]*)>");
      for (std::sregex_iterator it(text.begin(), text.end(), script), end; it != end; ++it) {
        EXPECT_NE((*it)[1].str().find("src="), std::string::npos) << file.path << ": inline script";
      }
    }
    if (file.path.ends_with(".js")) {
      // Pages are built from text nodes (dom.js h()): data never becomes markup.
      EXPECT_EQ(text.find("innerHTML"), std::string::npos) << file.path;
      EXPECT_EQ(text.find("insertAdjacentHTML"), std::string::npos) << file.path;
      EXPECT_EQ(text.find("eval("), std::string::npos) << file.path;
    }
  }
}

TEST(EmbeddedWebApp, EveryImportedModuleIsEmbedded) {
  std::set<std::string> paths;
  for (const auto& file : EmbeddedWebFiles()) paths.insert(std::string(file.path));
  std::regex import_from(R"(from '(\.{1,2}/[^']+)')");
  int imports = 0;
  for (const auto& file : EmbeddedWebFiles()) {
    if (!file.path.ends_with(".js")) continue;
    std::string text(file.bytes);
    std::filesystem::path dir = std::filesystem::path(std::string(file.path)).parent_path();
    for (std::sregex_iterator it(text.begin(), text.end(), import_from), end; it != end; ++it) {
      std::string target = (dir / (*it)[1].str()).lexically_normal().generic_string();
      EXPECT_TRUE(paths.contains(target)) << file.path << " imports " << (*it)[1] << ", not embedded";
      ++imports;
    }
  }
  EXPECT_GT(imports, 10);
}

}  // namespace
}  // namespace stripeline::http
