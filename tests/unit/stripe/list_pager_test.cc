#include "stripe/list_pager.h"

#include <gtest/gtest.h>

#include <memory>

#include "fake_transport.h"

namespace stripeline::stripe {
namespace {

using testing::FakeTransport;
using testing::Respond;
using testing::UrlQuery;

std::string Page(std::vector<std::string> ids, bool has_more) {
  std::string body = R"({"object":"list","url":"/v1/charges","data":[)";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) body += ',';
    body += R"({"id":")" + ids[i] + R"(","object":"charge"})";
  }
  body += std::string("],\"has_more\":") + (has_more ? "true" : "false") + "}";
  return body;
}

class ListPagerTest : public ::testing::Test {
 protected:
  ListPagerTest()
      : transport_(std::make_shared<FakeTransport>()),
        client_(Options(), transport_, clock_, [] { return 0.0; }) {
    opts_.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
  }
  static ClientOptions Options() {
    ClientOptions options;
    options.api_base = "http://stripe.test";
    options.retry.max_retries = 0;
    return options;
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_;
  Client client_;
  RequestOptions opts_;
};

TEST_F(ListPagerTest, FollowsStartingAfterUntilHasMoreIsFalse) {
  transport_->Push(Respond(200, Page({"ch_5", "ch_4"}, true)));
  transport_->Push(Respond(200, Page({"ch_3", "ch_2"}, true)));
  transport_->Push(Respond(200, Page({"ch_1"}, false)));
  ListPager pager(client_, "/v1/charges", {{"limit", "2"}, {"created[gte]", "100"}}, opts_);
  std::vector<std::string> ids;
  while (auto page = pager.Next()) {
    ASSERT_TRUE(page->ok()) << page->error().message;
    for (const auto& charge : page->value().data) ids.emplace_back(charge.at("id").as_string());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"ch_5", "ch_4", "ch_3", "ch_2", "ch_1"}));
  EXPECT_TRUE(pager.done());
  EXPECT_EQ(pager.pages(), 3u);
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(UrlQuery(sent[0].url), "limit=2&created[gte]=100");
  EXPECT_EQ(UrlQuery(sent[1].url), "limit=2&created[gte]=100&starting_after=ch_4");
  EXPECT_EQ(UrlQuery(sent[2].url), "limit=2&created[gte]=100&starting_after=ch_2");
  EXPECT_FALSE(pager.Next().has_value());
  EXPECT_EQ(transport_->request_count(), 3u);
}

TEST_F(ListPagerTest, EmptyListIsOneEmptyPage) {
  transport_->Push(Respond(200, Page({}, false)));
  ListPager pager(client_, "/v1/charges", {}, opts_);
  auto page = pager.Next();
  ASSERT_TRUE(page.has_value());
  ASSERT_TRUE(page->ok());
  EXPECT_TRUE(page->value().data.empty());
  EXPECT_FALSE(pager.Next().has_value());
}

TEST_F(ListPagerTest, SurfacesMidListErrorAndRetriesSamePage) {
  transport_->Push(Respond(200, Page({"ch_3", "ch_2"}, true)));
  transport_->Push(Respond(
      403,
      R"({"error":{"type":"invalid_request_error","message":"Having the 'rak_charge_read' permission would allow this request to continue."}})",
      {}, "req_mid"));
  transport_->Push(Respond(200, Page({"ch_1"}, false)));
  ListPager pager(client_, "/v1/charges", {{"limit", "2"}}, opts_);

  auto first = pager.Next();
  ASSERT_TRUE(first && first->ok());
  auto second = pager.Next();
  ASSERT_TRUE(second.has_value()) << "an error must not end the walk silently";
  ASSERT_FALSE(second->ok());
  EXPECT_EQ(second->error().kind, ErrorKind::kPermission);
  EXPECT_EQ(second->error().request_id, "req_mid");
  EXPECT_FALSE(pager.done());

  auto third = pager.Next();
  ASSERT_TRUE(third && third->ok());
  EXPECT_EQ(third->value().data[0].at("id").as_string(), "ch_1");
  auto sent = transport_->requests();
  EXPECT_EQ(UrlQuery(sent[1].url), "limit=2&starting_after=ch_2");
  EXPECT_EQ(UrlQuery(sent[2].url), "limit=2&starting_after=ch_2");
  EXPECT_FALSE(pager.Next().has_value());
}

TEST_F(ListPagerTest, HasMoreWithoutIdsIsAnError) {
  transport_->Push(Respond(200, Page({}, true)));
  ListPager pager(client_, "/v1/charges", {}, opts_);
  auto page = pager.Next();
  ASSERT_TRUE(page.has_value());
  ASSERT_FALSE(page->ok());
  EXPECT_EQ(page->error().kind, ErrorKind::kApi);
  EXPECT_FALSE(pager.done());
}

TEST_F(ListPagerTest, ResumesFromGivenStartingAfter) {
  transport_->Push(Respond(200, Page({"ch_2"}, true)));
  transport_->Push(Respond(200, Page({"ch_1"}, false)));
  ListPager pager(client_, "/v1/charges", {{"starting_after", "ch_3"}, {"limit", "1"}}, opts_);
  while (auto page = pager.Next()) ASSERT_TRUE(page->ok());
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(UrlQuery(sent[0].url), "starting_after=ch_3&limit=1");
  EXPECT_EQ(UrlQuery(sent[1].url), "limit=1&starting_after=ch_2");
}

TEST_F(ListPagerTest, WalksBackwardsWithEndingBefore) {
  transport_->Push(Respond(200, Page({"ch_8", "ch_7"}, true)));
  transport_->Push(Respond(200, Page({"ch_10", "ch_9"}, false)));
  ListPager pager(client_, "/v1/charges", {{"ending_before", "ch_6"}, {"limit", "2"}}, opts_);
  while (auto page = pager.Next()) ASSERT_TRUE(page->ok());
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(UrlQuery(sent[1].url), "limit=2&ending_before=ch_8");
}

TEST_F(ListPagerTest, SendsSliceBoundsAndResumesFromAGivenCursor) {
  transport_->Push(Respond(200, Page({"ch_4", "ch_3"}, true)));
  transport_->Push(Respond(200, Page({"ch_2"}, false)));
  ListPager pager(client_, "/v1/charges", {{"limit", "2"}}, opts_,
                  {.created_gte = 100, .created_lt = 200}, "ch_5");
  EXPECT_EQ(pager.cursor(), "ch_5");
  while (auto page = pager.Next()) ASSERT_TRUE(page->ok());
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(UrlQuery(sent[0].url), "limit=2&created[gte]=100&created[lt]=200&starting_after=ch_5");
  EXPECT_EQ(UrlQuery(sent[1].url), "limit=2&created[gte]=100&created[lt]=200&starting_after=ch_3");
  EXPECT_EQ(pager.cursor(), "ch_3");  // the last page moved no cursor
}

TEST_F(ListPagerTest, OpenBoundsAreNotSent) {
  transport_->Push(Respond(200, Page({}, false)));
  ListPager pager(client_, "/v1/charges", {{"limit", "2"}}, opts_, {.created_gte = 7});
  ASSERT_TRUE(pager.Next()->ok());
  EXPECT_EQ(UrlQuery(transport_->requests()[0].url), "limit=2&created[gte]=7");
}

TEST_F(ListPagerTest, SeekMovesBoundsAndCursorEvenAfterTheLastPage) {
  transport_->Push(Respond(200, Page({"ch_9"}, false)));
  transport_->Push(Respond(200, Page({"ch_3"}, false)));
  transport_->Push(Respond(200, Page({"ch_2"}, false)));
  ListPager pager(client_, "/v1/charges", {{"starting_after", "ch_10"}, {"limit", "1"}}, opts_,
                  {.created_gte = 0});
  ASSERT_TRUE(pager.Next()->ok());
  EXPECT_TRUE(pager.done());
  // A slice whose start moved up, resumed from its checkpoint.
  pager.Seek({.created_gte = 50, .created_lt = 90}, "ch_4");
  EXPECT_FALSE(pager.done());
  ASSERT_TRUE(pager.Next()->ok());
  // A slice restarted without a cursor.
  pager.Seek({.created_gte = 50, .created_lt = 60}, std::nullopt);
  ASSERT_TRUE(pager.Next()->ok());
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(UrlQuery(sent[0].url), "starting_after=ch_10&limit=1&created[gte]=0");
  EXPECT_EQ(UrlQuery(sent[1].url), "limit=1&created[gte]=50&created[lt]=90&starting_after=ch_4");
  EXPECT_EQ(UrlQuery(sent[2].url), "limit=1&created[gte]=50&created[lt]=60");
}

TEST_F(ListPagerTest, AFailedPageLeavesTheCursorWhereItWas) {
  transport_->Push(Respond(200, Page({"ch_3"}, true)));
  transport_->Push(Respond(500, R"({"error":{"type":"api_error","message":"boom"}})"));
  ListPager pager(client_, "/v1/charges", {{"limit", "1"}}, opts_, {.created_lt = 10});
  ASSERT_TRUE(pager.Next()->ok());
  ASSERT_FALSE(pager.Next()->ok());
  EXPECT_EQ(pager.cursor(), "ch_3");
  EXPECT_EQ(pager.pages(), 1u);
}

}  // namespace
}  // namespace stripeline::stripe
