//! The `smm` command: serve the API, migrate the database, or print the OpenAPI document.

// Commands print their JSON result on stdout.
#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use smm::service::tenants;
use smm::settings::Settings;
use smm::startup::Application;
use smm::store::Store;
use smm::{api, telemetry};

/// The database, migrated, for a one-off operator command; logs go to stderr so that stdout
/// carries only the command's JSON.
async fn operator_store() -> anyhow::Result<Store> {
    let settings = Settings::from_env()?;
    telemetry::init(settings.log_format, "warn");
    Store::migrate(settings.database_url()).await?;
    Store::connect(settings.database_url(), 2).await
}

/// A use case's refusal, said as a command line says it: invalid fields as `--field: message`.
fn operator_error(error: smm::service::Error) -> anyhow::Error {
    match error {
        smm::service::Error::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| format!("--{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::Error::new(other),
    }
}

/// Places client organisations on social media strategy and maturity models.
/// Configured by SMM_* environment variables (see the README).
#[derive(Parser)]
#[command(name = "smm", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Manage tenants.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage platform operators' API clients (scope platform:admin).
    PlatformClient {
        #[command(subcommand)]
        command: PlatformClientCommand,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant and its first admin client; prints {tenant_id, client_id, client_secret}.
    Create {
        /// The tenant's display name.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum PlatformClientCommand {
    /// Create a platform operator's client; prints {client_id, client_secret}.
    Create {
        /// What the client is for.
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("smm: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", api::openapi_json()?);
            Ok(())
        }
        Command::Migrate => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, &settings.log_filter);
            let applied = Store::migrate(settings.database_url()).await?;
            tracing::info!(?applied, "migrations applied");
            Ok(())
        }
        Command::Tenant {
            command: TenantCommand::Create { name },
        } => {
            let store = operator_store().await?;
            let (tenant, admin) = tenants::create(&store, None, &name)
                .await
                .map_err(operator_error)?;
            println!(
                "{}",
                serde_json::json!({
                    "tenant_id": tenant.id.0,
                    "client_id": admin.client.id.0,
                    "client_secret": admin.secret.reveal(),
                })
            );
            store.close().await
        }
        Command::PlatformClient {
            command: PlatformClientCommand::Create { name },
        } => {
            let store = operator_store().await?;
            let issued = tenants::create_platform_client(&store, &name)
                .await
                .map_err(operator_error)?;
            println!(
                "{}",
                serde_json::json!({
                    "client_id": issued.client.id.0,
                    "client_secret": issued.secret.reveal(),
                })
            );
            store.close().await
        }
        Command::Serve => {
            let settings = Settings::from_env()?;
            telemetry::init(settings.log_format, &settings.log_filter);
            let application = Application::build(&settings).await?;
            tracing::info!(
                address = %settings.listen_addr.ip(),
                port = application.port(),
                "smm is listening"
            );
            application.run_until_stopped().await
        }
    }
}
