// `stripeline sync`, `stripeline verify` and `stripeline export`: one sync in the foreground with
// live progress, a comparison of the local tables with Stripe, and a stream written as CSV or
// JSON lines. They act as the local operator, like every command on a data directory.
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/shutdown_signal.h"
#include "sync/stream_table.h"
#include "sync/sync_state.h"
#include "sync/views.h"

namespace stripeline::cli {

namespace {

// Exit codes of `stripeline sync` besides 0 (succeeded, also when some stream lacks a
// permission: that is printed as a warning) and 2 (bad input).
constexpr int kExitRunFailed = 1;
constexpr int kExitRunPaused = 3;       // the key was refused: reconnect, then sync again
constexpr int kExitAlreadyRunning = 4;  // another process (e.g. `serve`) is syncing it now
constexpr int kExitInterrupted = 130;   // Ctrl-C / SIGTERM: stopped after the current page

std::string Fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

// Every stream name, for help texts and errors.
std::string StreamNames() {
  std::string names;
  for (const sync::StreamSpec& stream : sync::Streams()) {
    names += (names.empty() ? "" : ", ") + std::string(stream.name);
  }
  return names;
}

Status CheckStreams(const std::vector<std::string>& streams) {
  for (const std::string& name : streams) {
    if (sync::FindStream(name) == nullptr) {
      return Status::InvalidArgument("Unknown stream '" + name + "'; streams: " + StreamNames(),
                                     "sync_unknown_stream");
    }
  }
  return Status::OK();
}

// Shows a run's progress while it happens. The engine reports from its worker threads after
// every page; this keeps only the latest snapshot and draws it from its own thread at a steady
// pace, so a slow terminal never slows the sync. On a terminal: one bar per stream, redrawn in
// place. Otherwise (a pipe, a log file): a `progress:` line every second while anything
// changes, and a line whenever a stream changes state.
class ProgressDisplay {
 public:
  explicit ProgressDisplay(bool terminal)
      : terminal_(terminal), thread_([this] { Loop(); }) {}
  ~ProgressDisplay() { Finish(); }

  // The engine's ProgressCallback.
  void Update(const sync::SyncProgress& progress) {
    std::lock_guard lock(mu_);
    latest_ = progress;
    changed_ = true;
  }

  // Draws the last snapshot and stops the drawing thread. Idempotent.
  void Finish() {
    {
      std::lock_guard lock(mu_);
      if (done_) return;
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    const auto period = std::chrono::milliseconds(terminal_ ? 200 : 1000);
    std::unique_lock lock(mu_);
    while (true) {
      const bool done = wake_.wait_for(lock, period, [this] { return done_; });
      if (changed_ && latest_) {
        changed_ = false;
        sync::SyncProgress snapshot = *latest_;
        lock.unlock();
        terminal_ ? DrawBars(snapshot) : PrintLines(snapshot);
        lock.lock();
      }
      if (done) return;
    }
  }

  void DrawBars(const sync::SyncProgress& progress) {
    std::ostringstream out;
    if (lines_drawn_ > 0) out << "\x1b[" << lines_drawn_ << "F";  // back to the first line
    out << "\x1b[2K" << "Syncing: " << progress.objects << " objects, " << progress.requests
        << " requests, " << Fixed(progress.objects_per_second, 0) << " objects/s\n";
    for (const sync::StreamProgress& s : progress.streams) {
      constexpr int kWidth = 24;
      double fraction = s.state == sync::StreamState::kSynced ? 1.0
                        : s.slices_total > 0
                            ? static_cast<double>(s.slices_done) / static_cast<double>(s.slices_total)
                            : 0.0;
      int filled = static_cast<int>(fraction * kWidth);
      out << "\x1b[2K  " << std::left << std::setw(22) << s.stream << " ["
          << std::string(filled, '#') << std::string(kWidth - filled, '-') << "] "
          << std::right << std::setw(9) << s.objects << " objects  " << s.slices_done << "/"
          << s.slices_total << " slices  " << sync::Name(s.state)
          << (s.missing_permission ? " (" + *s.missing_permission + ")" : "") << "\n";
    }
    lines_drawn_ = static_cast<int>(progress.streams.size()) + 1;
    std::cout << out.str() << std::flush;
  }

  void PrintLines(const sync::SyncProgress& progress) {
    std::map<std::string, int> by_state;
    for (const sync::StreamProgress& s : progress.streams) {
      const std::string state(sync::Name(s.state));
      ++by_state[state];
      std::string& shown = shown_states_[s.stream];
      if (shown == state) continue;
      if (!shown.empty() || s.state != sync::StreamState::kPending) {
        std::cout << "stream " << s.stream << ": " << state << ", " << s.objects << " objects"
                  << (s.missing_permission ? ", missing " + *s.missing_permission : "") << "\n";
      }
      shown = state;
    }
    std::cout << "progress: " << progress.objects << " objects, " << progress.requests
              << " requests, " << Fixed(progress.objects_per_second, 0) << " objects/s;";
    for (const auto& [state, count] : by_state) std::cout << " " << state << " " << count;
    std::cout << std::endl;
  }

  const bool terminal_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::optional<sync::SyncProgress> latest_;  // guarded by mu_
  bool changed_ = false;                      // guarded by mu_
  bool done_ = false;                         // guarded by mu_
  // Used by the drawing thread only.
  int lines_drawn_ = 0;
  std::map<std::string, std::string> shown_states_;
  std::thread thread_;  // last: starts once everything above exists
};

void PrintRunSummary(const sync::SyncRunResult& run) {
  std::cout << "Sync " << run.run_id << " of " << run.integration_id << ": " << sync::Name(run.status)
            << " (" << sync::Name(run.kind) << ") in " << Fixed(run.seconds, 1) << " s\n"
            << run.objects << " objects, " << run.events << " events, " << run.requests
            << " requests, " << Fixed(run.objects_per_second, 0) << " objects/s\n";
  std::vector<std::vector<std::string>> rows;
  for (const sync::StreamProgress& s : run.streams) {
    std::string note = s.missing_permission ? "missing " + *s.missing_permission : s.error;
    rows.push_back({s.stream, std::string(sync::Name(s.state)), std::to_string(s.objects), note});
  }
  PrintTable({"STREAM", "STATE", "OBJECTS", "NOTE"}, rows);
  if (!run.note.empty()) std::cout << "Note: " << run.note << "\n";
  std::cout << std::flush;
}

// Waits for Ctrl-C / SIGTERM while a foreground run works: the first asks the engine to stop
// after the current page (checkpoints kept, so the next run resumes); a second one quits at
// once, which is safe too since every page is written with its checkpoint in one transaction.
class InterruptWatcher {
 public:
  InterruptWatcher(ShutdownSignal& signals, sync::SyncEngine& engine)
      : thread_([this, &signals, &engine] {
          while (!finished_.load()) {
            if (!signals.WaitFor(std::chrono::milliseconds(200))) continue;
            if (interrupted_.exchange(true)) std::_Exit(kExitInterrupted);
            std::cerr << "\nStopping after the current page; the next sync resumes from here. "
                         "(Ctrl-C again quits at once.)"
                      << std::endl;
            engine.Stop();
          }
        }) {}
  ~InterruptWatcher() {
    finished_.store(true);
    thread_.join();
  }
  bool interrupted() const { return interrupted_.load(); }

 private:
  std::atomic<bool> finished_{false}, interrupted_{false};
  std::thread thread_;  // last
};

struct SyncCommandOptions {
  CommonOptions common;
  std::string integration;
  std::vector<std::string> streams;
};

int RunSync(SyncCommandOptions& options) {
  ShutdownSignal signals;  // before any thread starts, so every thread leaves the signals to us
  if (Status valid = CheckStreams(options.streams); !valid.ok()) {
    return Fail(valid, options.common.json);
  }
  options.common.runtime.sync.streams = options.streams;
  std::unique_ptr<Runtime> runtime = OpenRuntime(options.common);
  if (!runtime) return 1;
  sync::SyncEngine& engine = runtime->sync();

  std::optional<Result<sync::SyncRunResult>> result;
  bool interrupted = false;
  {
    std::optional<ProgressDisplay> display;
    if (!options.common.json) display.emplace(isatty(STDOUT_FILENO) == 1);
    InterruptWatcher watcher(signals, engine);
    result.emplace(engine.Run(options.integration, [&display](const sync::SyncProgress& progress) {
      if (display) display->Update(progress);
    }));
    if (display) display->Finish();
    interrupted = watcher.interrupted();
  }
  if (!result->ok()) {
    Fail(result->status(), options.common.json);
    return result->status().error_code() == "sync_running" ? kExitAlreadyRunning : 1;
  }
  const sync::SyncRunResult& run = result->value();
  if (options.common.json) {
    PrintJson(sync::SyncRunJson(run));
  } else {
    PrintRunSummary(run);
  }
  if (run.status == sync::RunStatus::kSucceeded) return 0;
  if (run.status == sync::RunStatus::kSucceededWithErrors) {
    std::cerr << "warning: " << run.error << "\n";
    return 0;
  }
  std::cerr << "error: " << run.error << "\n";
  if (interrupted) return kExitInterrupted;
  return run.status == sync::RunStatus::kPaused ? kExitRunPaused : kExitRunFailed;
}

void PrintVerifyReport(const sync::VerifyReport& report) {
  std::vector<std::vector<std::string>> rows;
  for (const sync::StreamVerification& v : report.streams) {
    std::string note = v.error;
    auto some = [](const std::vector<std::string>& ids) {
      std::string out;
      for (size_t i = 0; i < ids.size() && i < 3; ++i) out += (i ? ", " : "") + ids[i];
      return ids.size() > 3 ? out + ", ..." : out;
    };
    if (!v.missing_locally.empty()) note += "missing here: " + some(v.missing_locally);
    if (!v.extra_locally.empty()) {
      note += std::string(note.empty() ? "" : "; ") + "not in Stripe: " + some(v.extra_locally);
    }
    bool unreadable = v.result == "unreadable";
    rows.push_back({v.stream, v.result, unreadable ? "-" : std::to_string(v.local_count),
                    unreadable ? "-" : std::to_string(v.remote_count), note});
  }
  PrintTable({"STREAM", "RESULT", "LOCAL", "STRIPE", "NOTE"}, rows);
  std::cout << (report.equal ? "Every readable stream is equal to Stripe.\n"
                             : "Differences found.\n")
            << std::flush;
}

}  // namespace

void AddSyncCommands(CLI::App& app) {
  auto sync_options = std::make_shared<SyncCommandOptions>();
  auto* sync_command = app.add_subcommand(
      "sync", "Sync an integration's Stripe data now, in the foreground, with progress");
  AddCommonOptions(*sync_command, sync_options->common);
  AddSyncTuningOptions(*sync_command, sync_options->common.runtime);
  sync_command->add_option("--integration", sync_options->integration, "Integration id")
      ->required();
  sync_command->add_option("--stream", sync_options->streams,
                           "Only this stream (repeatable; default: every stream): " +
                               StreamNames());
  sync_command->footer(
      "Exit status: 0 succeeded (streams lacking a permission are named in a warning), 1 failed, "
      "2 bad input, 3 paused (Stripe refused the key: reconnect, then sync again), 4 already "
      "running (another process, e.g. `stripeline serve`, is syncing this integration), 130 "
      "interrupted (Ctrl-C; the next sync resumes from the checkpoints).");
  sync_command->callback([sync_options] {
    if (int code = RunSync(*sync_options); code != 0) throw CLI::RuntimeError(code);
  });

  auto verify_options = std::make_shared<CommonOptions>();
  auto verify_integration = std::make_shared<std::string>();
  auto* verify = app.add_subcommand(
      "verify", "Compare an integration's synced tables with Stripe (ids and counts per stream)");
  AddCommonOptions(*verify, *verify_options);
  AddSyncTuningOptions(*verify, verify_options->runtime);
  verify->add_option("--integration", *verify_integration, "Integration id")->required();
  verify->footer("Exit status: 0 every readable stream equal, 1 differences found or an error.");
  OnRun(verify, *verify_options, [verify_options, verify_integration](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(sync::VerifyReport report, runtime.sync().Verify(*verify_integration));
    if (verify_options->json) {
      PrintJson(sync::VerifyReportJson(report));
    } else {
      PrintVerifyReport(report);
    }
    if (report.equal) return Status::OK();
    return Status::FailedPrecondition(
        "The local tables differ from Stripe; `stripeline sync` brings them up to date.",
        "verify_different");
  });

  struct ExportOptions {
    CommonOptions common;
    std::string integration, stream, format = "csv", output;
  };
  auto export_options = std::make_shared<ExportOptions>();
  auto* export_command = app.add_subcommand(
      "export", "Write one synced stream as CSV or JSON lines (current rows, oldest first)");
  AddCommonOptions(*export_command, export_options->common);
  export_command->add_option("--integration", export_options->integration, "Integration id")
      ->required();
  export_command->add_option("--stream", export_options->stream, "Stream: " + StreamNames())
      ->required();
  export_command->add_option("--format", export_options->format,
                             "csv (typed columns) or jsonl (Stripe's objects)")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
  export_command->add_option("--output", export_options->output,
                             "Write to this file (default: standard output)");
  OnRun(export_command, export_options->common, [export_options](Runtime& runtime) -> Status {
    SL_RETURN_IF_ERROR(CheckStreams({export_options->stream}));
    const sync::ExportFormat format = export_options->format == "jsonl"
                                          ? sync::ExportFormat::kJsonLines
                                          : sync::ExportFormat::kCsv;
    if (export_options->output.empty()) {
      return runtime.sync().Export(export_options->integration, export_options->stream, format,
                                   std::cout);
    }
    // Written beside the target and renamed into place, so a failed export never leaves a
    // truncated file where a complete one is expected.
    const std::filesystem::path target = export_options->output;
    std::filesystem::path partial = target;
    partial += ".partial";
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      if (!out) {
        return Status::InvalidArgument("Cannot write '" + partial.string() + "'",
                                       "export_failed");
      }
      Status written = runtime.sync().Export(export_options->integration,
                                             export_options->stream, format, out);
      out.close();
      if (!written.ok() || !out) {
        std::filesystem::remove(partial);
        return written.ok() ? Status::Internal("Writing '" + partial.string() + "' failed",
                                               "export_failed")
                            : written;
      }
    }
    std::error_code ec;
    std::filesystem::rename(partial, target, ec);
    if (ec) {
      return Status::Internal("Cannot rename the export into '" + target.string() +
                                  "': " + ec.message(),
                              "export_failed");
    }
    return Status::OK();
  });
}

}  // namespace stripeline::cli
