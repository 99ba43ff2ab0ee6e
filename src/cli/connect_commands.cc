// `stripeline stripe-connect show|set`: the Stripe Connect platform settings that "Connect with
// Stripe" needs (GET/PUT /api/v1/settings/stripe-connect). The platform secret key is read
// from stdin, a hidden prompt or --secret-file, never taken as an argument (`ps` would show it),
// and only ever printed masked.
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/prompt.h"
#include "integrations/views.h"

namespace stripeline::cli {

namespace {

struct ConnectOptions {
  CommonOptions common;
  std::string client_id, redirect_url, scope = "read_only", secret_file;
};

void PrintSettings(const ConnectOptions& options, const integrations::ConnectSettingsView& view,
                   const std::string& message) {
  if (options.common.json) {
    boost::json::object out = integrations::ConnectSettingsJson(view);
    if (!message.empty()) out["message"] = message;
    PrintJson(out);
    return;
  }
  if (!message.empty()) std::cout << message << "\n";
  if (!view.configured) {
    std::cout << "Stripe Connect is not set up: run `stripeline stripe-connect set`.\n";
    return;
  }
  std::cout << "Client ID:     " << view.client_id << "\n"
            << "Secret key:    " << view.secret_key_masked << "\n"
            << "Redirect URL:  " << view.redirect_url << "\n"
            << "Scope:         " << view.scope << "\n"
            << "Platform:      " << view.platform_account_id << "\n";
}

}  // namespace

void AddConnectCommands(CLI::App& app) {
  auto* connect = app.add_subcommand("stripe-connect",
                                     "Stripe Connect (OAuth) platform settings: show, set");
  connect->require_subcommand(1);
  auto options = std::make_shared<ConnectOptions>();
  const auto actor = access::Actor::LocalOperator();

  auto* show = connect->add_subcommand("show", "Show the settings (the key masked)");
  AddCommonOptions(*show, options->common);
  OnRun(show, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto view, runtime.oauth().GetSettings(actor));
    PrintSettings(*options, view, "");
    return Status::OK();
  });

  auto* set = connect->add_subcommand(
      "set", "Save the settings; the platform secret key from stdin or --secret-file, checked "
             "with Stripe first");
  AddCommonOptions(*set, options->common);
  set->add_option("--client-id", options->client_id, "Connect client ID (ca_...)")->required();
  set->add_option("--redirect-url", options->redirect_url,
                  "https://<this server>/oauth/stripe/callback, as registered in Stripe")
      ->required();
  set->add_option("--scope", options->scope, "read_only or read_write")->capture_default_str();
  set->add_option("--secret-file", options->secret_file,
                  "Read the platform secret key from this file instead of stdin");
  OnRun(set, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(std::string secret,
                        ReadSecretOrFile(options->secret_file, "Platform secret key (sk_...)",
                                         "platform secret key", "invalid_secret_key"));
    SL_ASSIGN_OR_RETURN(auto view, runtime.oauth().PutSettings(
                                       actor, {.client_id = options->client_id,
                                               .secret_key = secret,
                                               .redirect_url = options->redirect_url,
                                               .scope = options->scope}));
    PrintSettings(*options, view, "Stripe Connect settings saved");
    return Status::OK();
  });
}

}  // namespace stripeline::cli
