#include "bench/bench_support.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "access/actor.h"
#include "common/log.h"
#include "reports/report_migrations.h"
#include "store/store_migrations.h"
#include "stripe/curl_transport.h"
#include "sync/sync_migrations.h"

namespace stripeline::bench {

Result<std::unique_ptr<EmulatorProcess>> EmulatorProcess::Start(const EmulatorFlags& flags) {
  std::vector<std::string> argv = {STRIPELINE_BINARY,
                                   "emulator",
                                   "--listen=127.0.0.1:0",
                                   "--log-level=error",
                                   "--objects=" + std::to_string(flags.objects),
                                   "--latency-ms=" + std::to_string(flags.latency_ms),
                                   "--rate-limit-live=" + std::to_string(flags.rate_limit_live),
                                   "--rate-limit-test=" + std::to_string(flags.rate_limit_test)};
  SL_ASSIGN_OR_RETURN(std::unique_ptr<ServerProcess> server, ServerProcess::Start(std::move(argv)));
  std::unique_ptr<EmulatorProcess> process(new EmulatorProcess());
  process->server_ = std::move(server);
  return process;
}

Result<boost::json::object> EmulatorProcess::Stats(bool livemode) const {
  stripe::CurlTransport transport;
  stripe::TransportRequest request;
  request.method = "GET";
  request.url = base_url() + "/_emulator/stats?account=" + kDemoAccount +
                "&livemode=" + (livemode ? "true" : "false");
  SL_ASSIGN_OR_RETURN(stripe::TransportResponse response, transport.Send(request));
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  if (ec || response.status != 200 || !body.is_object()) {
    return Status::Internal("unexpected /_emulator/stats answer: " + response.body);
  }
  return std::move(body.get_object());
}

int64_t BackfillObjects(const boost::json::object& stats) {
  int64_t total = 1;  // the account object
  for (const auto& [resource, count] : stats.at("objects").as_object()) {
    total += count.to_number<int64_t>();
  }
  return total;
}

Result<std::unique_ptr<BackfillRun>> BackfillRun::Open(const std::string& api_base,
                                                       const BackfillSetup& setup) {
  // Figures, not the engine's info log (warnings and errors still show).
  SL_RETURN_IF_ERROR(InitLogging({.level = "warn"}));
  std::unique_ptr<BackfillRun> run(new BackfillRun());
  run->dir_ = std::filesystem::temp_directory_path() /
              ("stripeline-bench-" + std::to_string(getpid()) + "-" +
               std::to_string(std::random_device{}()));
  cli::RuntimeOptions options;
  options.data_dir = run->dir_.string();
  options.stripe_api_base = api_base;
  options.stripe_connect_base = api_base;
  options.rate_limits = setup.limits;
  options.sync = setup.sync;
  SL_ASSIGN_OR_RETURN(run->runtime_, cli::Runtime::Open(options));
  integrations::NewIntegration request;
  request.name = "Benchmark";
  request.secret_key = setup.api_key;
  SL_ASSIGN_OR_RETURN(integrations::Saved saved,
                      run->runtime_->integrations().Add(access::Actor::LocalOperator(), request));
  run->integration_id_ = saved.integration.id;
  run->livemode_ = saved.integration.livemode;
  return run;
}

BackfillRun::~BackfillRun() {
  runtime_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Result<MeasuredSync> BackfillRun::Sync(const EmulatorProcess& emulator,
                                       const sync::ProgressCallback& progress) {
  SL_ASSIGN_OR_RETURN(boost::json::object before, emulator.Stats(livemode_));
  SL_ASSIGN_OR_RETURN(sync::SyncRunResult result,
                      runtime_->sync().Run(integration_id_, progress));
  SL_ASSIGN_OR_RETURN(boost::json::object after, emulator.Stats(livemode_));
  if (result.status != sync::RunStatus::kSucceeded) {
    return Status::Internal("the sync ended " + std::string(sync::Name(result.status)) + ": " +
                            result.error);
  }
  auto count = [](const boost::json::object& stats, const std::string& stream) -> int64_t {
    if (stream == "account") return 1;
    return stats.at("objects").as_object().at(stream).to_number<int64_t>();
  };
  for (const sync::StreamProgress& stream : result.streams) {
    const int64_t most = count(before, stream.stream);
    const int64_t least = stream.stream == "events" ? count(after, stream.stream) : most;
    if (stream.objects < least || stream.objects > most) {
      return Status::Internal("the sync wrote " + std::to_string(stream.objects) + " " +
                              stream.stream + ", the emulator holds " + std::to_string(most));
    }
  }
  MeasuredSync measured{.result = std::move(result)};
  auto delta = [&](const char* counter) {
    return after.at(counter).to_number<int64_t>() - before.at(counter).to_number<int64_t>();
  };
  measured.requests = delta("requests");
  measured.rate_limited = delta("rate_limited");
  return measured;
}

ProcessMemory ReadProcessMemory(pid_t pid) {
  std::ifstream status(pid == 0 ? std::string("/proc/self/status")
                                : "/proc/" + std::to_string(pid) + "/status");
  ProcessMemory memory;
  std::string line;
  while (std::getline(status, line)) {
    auto value = [&] { return std::stoll(line.substr(line.find(':') + 1)); };
    if (line.starts_with("VmRSS:")) memory.rss_kb = value();
    if (line.starts_with("VmHWM:")) memory.peak_rss_kb = value();
  }
  return memory;
}

stripe::RateLimiterOptions UnlimitedRate() {
  const stripe::RateLimit unlimited{.requests_per_second = 1e9, .burst = 1'000'000};
  return {.live = unlimited, .test = unlimited};
}

std::vector<const store::SchemaOwner*> AllSchemas() {
  return {&store::StoreSchema(), &sync::SyncSchema(), &reports::ReportSchema()};
}

}  // namespace stripeline::bench
