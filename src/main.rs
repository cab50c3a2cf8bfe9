//! The `smm` command: serve the API, migrate the database, or print the OpenAPI document.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use smm::settings::Settings;
use smm::startup::Application;
use smm::store::Store;
use smm::{api, telemetry};

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
