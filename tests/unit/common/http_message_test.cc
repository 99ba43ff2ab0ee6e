// Form encoding, percent-decoding and the header helpers of HttpRequest / HttpResponse.
#include "common/http_message.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace stripeline {
namespace {

TEST(ParseFormEncoded, DecodesPlusAndPercentEscapesAndKeepsRepeatedKeysInOrder) {
  Fields fields = ParseFormEncoded("a=1+2&b=%41%2f%2B&a=3&flag&=x&&c=");
  Fields expected = {{"a", "1 2"}, {"b", "A/+"}, {"a", "3"}, {"flag", ""}, {"", "x"}, {"c", ""}};
  EXPECT_EQ(fields, expected);
}

TEST(ParseFormEncoded, DecodesEscapedSeparatorsInsideKeysAndValues) {
  Fields fields = ParseFormEncoded("k%3Dey=v%26al%3Due");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].first, "k=ey");
  EXPECT_EQ(fields[0].second, "v&al=ue");
}

TEST(ParseFormEncoded, EmptyTextGivesNoFields) { EXPECT_TRUE(ParseFormEncoded("").empty()); }

TEST(EncodeForm, EscapesEverythingOutsideTheUnreservedSet) {
  EXPECT_EQ(EncodeForm({{"a b", "c&d=e"}, {"x[y]", "~._-"}}), "a%20b=c%26d%3De&x%5By%5D=~._-");
}

TEST(EncodeForm, RoundTripsThroughParseFormEncoded) {
  Fields fields = {{"name", "Café & Co + sons"},
                   {"percent", "100%"},
                   {"empty", ""},
                   {"name", "second value"},
                   {"bytes", std::string("\x01\xff/?#", 5)}};
  EXPECT_EQ(ParseFormEncoded(EncodeForm(fields)), fields);
}

TEST(PercentDecode, KeepsStrayPercentSignsAsTheyAre) {
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%zz", false), "%zz");
  EXPECT_EQ(PercentDecode("a%4", false), "a%4");
  EXPECT_EQ(PercentDecode("%%41", false), "%A");
  EXPECT_EQ(PercentDecode("%41", false), "A");
}

TEST(PercentDecode, TreatsPlusAsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a%2Bb", true), "a+b");
}

TEST(HttpRequest, HeaderLookupIgnoresCaseAndReturnsTheFirstMatch) {
  HttpRequest request;
  request.headers = {{"content-type", "application/json"}, {"x-dup", "one"}, {"x-dup", "two"}};
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(request.Header("X-Dup"), "one");
  EXPECT_EQ(request.Header("content-length"), std::nullopt);
}

TEST(HttpRequest, QueryLookupIsCaseSensitive) {
  HttpRequest request;
  request.query = {{"client_id", "cli_1"}};
  EXPECT_EQ(request.Query("client_id"), "cli_1");
  EXPECT_EQ(request.Query("Client_Id"), std::nullopt);
}

TEST(HttpResponse, SetHeaderReplacesAnExistingHeaderWhateverItsCase) {
  HttpResponse response;
  response.headers = {{"Cache-Control", "max-age=60"}, {"X-Other", "1"}};
  response.SetHeader("cache-control", "no-store");
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(response.headers[1].first, "X-Other");
}

TEST(HttpResponse, SetHeaderAddsAHeaderThatIsAbsent) {
  HttpResponse response;
  response.SetHeader("Allow", "GET");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.Header("allow"), "GET");
}

TEST(HttpResponse, JsonSetsStatusContentTypeAndSerialisedBody) {
  HttpResponse response = HttpResponse::Json(201, boost::json::object{{"ok", true}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_EQ(boost::json::parse(response.body), (boost::json::value{{"ok", true}}));
}

TEST(HtmlEscape, EscapesWhatCouldOpenATagOrCloseAnAttribute) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain text"), "plain text");
}

TEST(AppendQuery, AddsToAnExistingQueryOrStartsOne) {
  EXPECT_EQ(AppendQuery("https://x.example/cb", {{"code", "ac_1"}, {"state", "a b&c"}}),
            "https://x.example/cb?code=ac_1&state=a%20b%26c");
  EXPECT_EQ(AppendQuery("https://x.example/cb?from=1", {{"error", "access_denied"}}),
            "https://x.example/cb?from=1&error=access_denied");
  EXPECT_EQ(AppendQuery("https://x.example/cb", {}), "https://x.example/cb");
}


}  // namespace
}  // namespace stripeline
