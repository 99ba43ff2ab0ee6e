// `stripeline integrations ...`: the External Integrations flows from the command line. Keys,
// client secrets and refresh tokens are read from stdin, a hidden prompt or a file, never taken
// as arguments.
#include <iostream>
#include <optional>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/clock.h"
#include "cli/prompt.h"
#include "integrations/views.h"
#include "sync/views.h"

namespace stripeline::cli {

namespace {

struct Options {
  CommonOptions common;
  std::string id, name, client, account_id;
  bool inactive = false, new_key = false, yes = false, remove_data = false, key = false;
  // add-oauth
  std::string connect_client_id, client_secret_file, refresh_token_file;
};

Result<std::string> ReadKey() {
  auto key = ReadSecret("Secret or restricted key (sk_... or rk_...)");
  if (!key || key->empty()) {
    return Status::InvalidArgument("No key given: type it at the prompt or pipe it on stdin.",
                                   "invalid_secret_key");
  }
  return *key;
}

std::optional<std::string> NonEmpty(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

// "succeeded, 2026-11-23 10:00 UTC" for the newest sync run (running ones included), or "-".
std::string LastSyncText(const std::optional<sync::SyncRunResult>& run) {
  if (!run) return "-";
  return std::string(sync::Name(run->status)) + ", " +
         FormatUnixTime(run->finished_at.value_or(run->started_at));
}

void PrintIntegration(const store::Integration& i, sync::SyncService& syncs) {
  std::cout << "ID:           " << i.id << "\n"
            << "Name:         " << i.name << "\n"
            << "Client:       " << i.client_id.value_or("(system-wide)") << "\n"
            << "Status:       " << (i.active ? "active" : "inactive") << "\n"
            << "Health:       " << store::HealthName(i.health) << (i.health_reason.empty() ? "" : " — " + i.health_reason)
            << "\n"
            << "Account:      " << (i.stripe_account_id.empty() ? "(unknown)" : i.stripe_account_id)
            << (i.stripe_account_name.empty() ? "" : " \"" + i.stripe_account_name + "\"") << "\n"
            << "Mode:         " << (i.livemode ? "live" : "test") << "\n"
            << "Key:          " << i.secret_key_masked << " (" << i.auth_scheme << ")\n";
  if (i.account_id) std::cout << "Acting for:   " << *i.account_id << "\n";
  if (!i.missing_permissions.empty()) {
    std::cout << "Missing:      ";
    for (const auto& p : i.missing_permissions) std::cout << p << " ";
    std::cout << "\n";
  }
  std::cout << "Last check:   " << FormatUnixTime(i.health_checked_at) << "\n"
            << "Last sync:    " << LastSyncText(syncs.LastRun(i)) << "\n";
}

void PrintSaved(const Options& options, const integrations::Saved& saved,
                sync::SyncService& syncs) {
  if (options.common.json) {
    PrintJson(sync::SavedJson(saved, syncs.LastRun(saved.integration)));
    return;
  }
  std::cout << saved.message << "\n";
  for (const auto& warning : saved.warnings) std::cout << "warning: " << warning << "\n";
  PrintIntegration(saved.integration, syncs);
}

// Prints the check (with --json, as the API answers it: with the integration tested, when it is
// a saved one); a failed check is a failed command (exit 3) so scripts can tell.
Status PrintCheck(const Options& options, const integrations::ConnectionCheck& check,
                  const std::optional<boost::json::object>& integration = std::nullopt) {
  if (options.common.json) {
    boost::json::object body = integrations::ConnectionCheckJson(check);
    if (integration) body["integration"] = *integration;
    PrintJson(body);
  } else {
    std::cout << check.message << "\n";
    if (check.available()) {
      std::cout << "Account: " << check.account_id << " \"" << check.account_name << "\" ("
                << (check.livemode ? "live" : "test") << " mode)\n";
    }
  }
  if (check.available()) return Status::OK();
  return Status::FailedPrecondition(check.message,
                                    std::string(integrations::ConnectionFailureName(check.failure)));
}

}  // namespace

void AddIntegrationCommands(CLI::App& app) {
  auto* integrations = app.add_subcommand("integrations", "Manage Stripe integrations");
  integrations->require_subcommand(1);
  auto options = std::make_shared<Options>();
  const auto actor = access::Actor::LocalOperator();

  auto* add = integrations->add_subcommand("add", "Add a Stripe integration (key from stdin)");
  AddCommonOptions(*add, options->common);
  add->add_option("--name", options->name, "Integration name")->required();
  add->add_option("--client", options->client, "Client id (default: system-wide)");
  add->add_option("--account-id", options->account_id, "Connected account to act for (acct_...)");
  add->add_flag("--inactive", options->inactive, "Save it switched off");
  OnRun(add, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(std::string key, ReadKey());
    integrations::NewIntegration request{.name = options->name,
                                         .secret_key = key,
                                         .active = !options->inactive,
                                         .client_id = NonEmpty(options->client),
                                         .account_id = NonEmpty(options->account_id)};
    SL_ASSIGN_OR_RETURN(auto saved, runtime.integrations().Add(actor, request));
    PrintSaved(*options, saved, runtime.sync_service());
    return Status::OK();
  });

  // Manual OAuth entry, as POST /api/v1/integrations with auth_scheme "oauth": the refresh
  // token is exchanged with Stripe before anything is saved.
  auto* add_oauth = integrations->add_subcommand(
      "add-oauth",
      "Add a Stripe Connect OAuth integration by hand: the client secret, then the refresh token, "
      "from stdin (or files)");
  AddCommonOptions(*add_oauth, options->common);
  add_oauth->add_option("--name", options->name, "Integration name")->required();
  add_oauth->add_option("--connect-client-id", options->connect_client_id,
                        "The Connect application's client ID (ca_...)")
      ->required();
  add_oauth->add_option("--client", options->client, "Client id (default: system-wide)");
  add_oauth->add_option("--client-secret-file", options->client_secret_file,
                        "Read the client secret (the platform's sk_...) from this file");
  add_oauth->add_option("--refresh-token-file", options->refresh_token_file,
                        "Read the refresh token (rt_...) from this file");
  add_oauth->add_flag("--inactive", options->inactive, "Save it switched off");
  OnRun(add_oauth, options->common, [options, actor](Runtime& runtime) -> Status {
    integrations::ManualOAuth request{.name = options->name,
                                      .client_id = NonEmpty(options->client),
                                      .active = !options->inactive,
                                      .connect_client_id = options->connect_client_id};
    SL_ASSIGN_OR_RETURN(request.client_secret,
                        ReadSecretOrFile(options->client_secret_file,
                                         "Client secret (the platform's sk_...)", "client secret",
                                         "invalid_secret_key"));
    SL_ASSIGN_OR_RETURN(request.refresh_token,
                        ReadSecretOrFile(options->refresh_token_file, "Refresh token (rt_...)",
                                         "refresh token", "invalid_refresh_token"));
    SL_ASSIGN_OR_RETURN(auto saved, runtime.oauth().AddManual(actor, request));
    PrintSaved(*options, saved, runtime.sync_service());
    return Status::OK();
  });

  auto* list = integrations->add_subcommand("list", "List integrations");
  AddCommonOptions(*list, options->common);
  list->add_option("--client", options->client, "Only this client's");
  OnRun(list, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto all, runtime.integrations().List(actor, NonEmpty(options->client)));
    if (options->common.json) {
      boost::json::array data;
      for (const auto& i : all) {
        data.push_back(sync::IntegrationJson(i, runtime.sync_service().LastRun(i)));
      }
      PrintJsonList(std::move(data));
      return Status::OK();
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : all) {
      rows.push_back({i.id, i.name, i.client_id.value_or("-"),
                      i.stripe_account_id.empty() ? "-" : i.stripe_account_id,
                      i.livemode ? "live" : "test", i.active ? "active" : "inactive",
                      std::string(store::HealthName(i.health)), i.secret_key_masked,
                      LastSyncText(runtime.sync_service().LastRun(i))});
    }
    PrintTable({"ID", "NAME", "CLIENT", "ACCOUNT", "MODE", "STATUS", "HEALTH", "KEY", "LAST SYNC"},
               rows);
    return Status::OK();
  });

  auto* show = integrations->add_subcommand("show", "Show an integration's details");
  AddCommonOptions(*show, options->common);
  show->add_option("id", options->id, "Integration id")->required();
  OnRun(show, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto integration, runtime.integrations().Get(actor, options->id));
    if (options->common.json) {
      PrintJson(boost::json::object{
          {"integration",
           sync::IntegrationJson(integration, runtime.sync_service().LastRun(integration))}});
    } else {
      PrintIntegration(integration, runtime.sync_service());
    }
    return Status::OK();
  });

  auto* edit = integrations->add_subcommand("edit", "Change name, key, account or switch");
  AddCommonOptions(*edit, options->common);
  edit->add_option("id", options->id, "Integration id")->required();
  edit->add_option("--name", options->name, "New name");
  edit->add_option("--account-id", options->account_id, "Connected account ('' to clear)");
  edit->add_flag("--new-key", options->new_key, "Read a new key from stdin (reconnect)");
  OnRun(edit, options->common, [options, actor, edit](Runtime& runtime) -> Status {
    integrations::IntegrationEdit change;
    if (edit->count("--name") > 0) change.name = options->name;
    if (edit->count("--account-id") > 0) change.account_id = NonEmpty(options->account_id);
    if (options->new_key) {
      SL_ASSIGN_OR_RETURN(change.secret_key, ReadKey());
    }
    SL_ASSIGN_OR_RETURN(auto saved, runtime.integrations().Edit(actor, options->id, change));
    PrintSaved(*options, saved, runtime.sync_service());
    return Status::OK();
  });

  auto* remove = integrations->add_subcommand("delete", "Delete an integration (asks first)");
  AddCommonOptions(*remove, options->common);
  remove->add_option("id", options->id, "Integration id")->required();
  remove->add_flag("--yes,-y", options->yes, "Do not ask for confirmation");
  remove->add_flag("--remove-data", options->remove_data,
                   "Also remove its synced data (kept by default)");
  OnRun(remove, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto integration, runtime.integrations().Get(actor, options->id));
    if (!options->yes &&
        !Confirm("Delete integration '" + integration.name + "' (" + integration.id + ")" +
                 (options->remove_data ? " and its synced data?" : "? Its synced data is kept."))) {
      return Status::FailedPrecondition(
          "Not deleted: confirm at the prompt, or pass --yes.", "not_confirmed");
    }
    SL_ASSIGN_OR_RETURN(std::string message,
                        runtime.removal().Delete(actor, options->id, !options->remove_data));
    if (options->common.json) {
      PrintJson(boost::json::object{
          {"message", message}, {"id", options->id}, {"data_kept", !options->remove_data}});
    } else {
      std::cout << message << "\n";
    }
    return Status::OK();
  });

  for (bool active : {true, false}) {
    auto* toggle = integrations->add_subcommand(active ? "activate" : "deactivate",
                                                active ? "Switch an integration on"
                                                       : "Switch an integration off (kept, never called)");
    AddCommonOptions(*toggle, options->common);
    toggle->add_option("id", options->id, "Integration id")->required();
    OnRun(toggle, options->common, [options, actor, active](Runtime& runtime) -> Status {
      SL_ASSIGN_OR_RETURN(auto saved, runtime.integrations().SetActive(actor, options->id, active));
      PrintSaved(*options, saved, runtime.sync_service());
      return Status::OK();
    });
  }

  auto* test = integrations->add_subcommand(
      "test", "Test a saved integration, or with --key a key from stdin before saving");
  AddCommonOptions(*test, options->common);
  test->add_option("id", options->id, "Integration id");
  test->add_flag("--key", options->key, "Test a key read from stdin instead");
  test->add_option("--account-id", options->account_id, "With --key: connected account");
  OnRun(test, options->common, [options, actor](Runtime& runtime) -> Status {
    if (options->key) {
      SL_ASSIGN_OR_RETURN(std::string key, ReadKey());
      SL_ASSIGN_OR_RETURN(auto check, runtime.integrations().TestCredentials(
                                          actor, {.secret_key = key,
                                                  .account_id = NonEmpty(options->account_id)}));
      return PrintCheck(*options, check);
    }
    if (options->id.empty()) {
      return Status::InvalidArgument("Name an integration id, or pass --key.", "missing_id");
    }
    SL_ASSIGN_OR_RETURN(auto check, runtime.integrations().Test(actor, options->id));
    SL_ASSIGN_OR_RETURN(auto integration, runtime.integrations().Get(actor, options->id));
    return PrintCheck(*options, check,
                      sync::IntegrationJson(integration,
                                            runtime.sync_service().LastRun(integration)));
  });

  auto* audit = integrations->add_subcommand("audit", "Who changed an integration, when, what");
  AddCommonOptions(*audit, options->common);
  audit->add_option("id", options->id, "Integration id")->required();
  OnRun(audit, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto entries, runtime.integrations().Audit(actor, options->id));
    if (options->common.json) {
      boost::json::array data;
      for (const auto& entry : entries) data.push_back(integrations::AuditEntryJson(entry));
      PrintJsonList(std::move(data));
      return Status::OK();
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& entry : entries) {
      rows.push_back({FormatUnixTime(entry.at), entry.actor, entry.action, entry.summary});
    }
    PrintTable({"WHEN", "WHO", "ACTION", "WHAT"}, rows);
    return Status::OK();
  });
}

}  // namespace stripeline::cli
