using Microsoft.Extensions.Logging;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Cli;

/// <summary>The <c>naive</c> command line: the dispatch of its commands, exit codes, help and version.</summary>
public static partial class CliApp
{
    /// <summary>The data file used when <c>--trades</c> is not given (generated, see the README).</summary>
    public static readonly string BundledTrades = Path.Combine(AppContext.BaseDirectory, "data", "XRPUSDT-trades-2024-01-01.csv");

    /// <summary>Runs the app; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        CliConfiguration.BeginRun();
        try
        {
            return args switch
            {
                ["backtest", .. var rest] => await BacktestAsync(rest, output, error, cancellationToken),
                ["sweep", .. var rest] => await SweepAsync(rest, output, error, cancellationToken),
                ["generate", .. var rest] => Generate(rest, output),
                ["download", .. var rest] => await DataCommands.DownloadAsync(rest, output, error, cancellationToken),
                ["catalog", .. var rest] => await DataCommands.CatalogAsync(rest, output, cancellationToken),
                ["sandbox", .. var rest] => await LiveCommands.SandboxAsync(rest, output, cancellationToken),
                ["paper", .. var rest] => await LiveCommands.PaperAsync(rest, output, cancellationToken),
                ["live", .. var rest] => await LiveCommands.LiveAsync(rest, output, cancellationToken),
                ["status", .. var rest] => LiveCommands.Status(rest, output),
                ["parity", .. var rest] => await ParityCommand.RunAsync(rest, output, cancellationToken),
                ["silo", .. var rest] => await SiloCommand.RunAsync(rest, output, cancellationToken),
                ["ctl", .. var rest] => await ControlClient.RunAsync(rest, output, error, cancellationToken),
                ["--help" or "-h" or "-?" or "help"] => Help(output),
                ["help", var command] => await RunAsync([command, "--help"], output, error, cancellationToken),
                ["--version"] => Version(output),
                ["completion", .. var rest] => Completion.Script(rest, output),
                _ when Completion.IsRequest(args) => Completion.Suggest(args, output),
                [] => throw new UsageException("a command is required."),
                [var command, ..] => throw new UsageException($"unknown command '{command}'."),
            };
        }
        catch (HelpRequestedException help)
        {
            await output.WriteLineAsync(help.Message);
            return 0;
        }
        catch (UsageException ex)
        {
            // One line naming the problem, then where the command's options are described: no page of usage.
            await error.WriteLineAsync($"error: {CliConfiguration.Explain(ex.Message)}");
            await error.WriteLineAsync(args is [var command, ..] && CliOptions.Commands.ContainsKey(command) ? $"see 'naive {command} --help'" : "see 'naive --help'");
            return 2;
        }
        catch (Exception ex) when (ex is TradeFileFormatException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or NaiveStrategy.Sqlite.StrategyStoreException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        output.WriteLine("Each command's own options: naive <command> --help. Options take --name value or --name=value.");
        return 0;
    }

    /// <summary>The sample's console logging: one line per entry, every level on stderr so stdout carries only results.</summary>
    internal static ILoggingBuilder AddSampleConsole(this ILoggingBuilder builder, LogLevel level) =>
        builder.SetMinimumLevel(level).AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    // The informational version: the package version and the commit it was built from.
    private static int Version(TextWriter output)
    {
        var assembly = typeof(CliApp).Assembly;
        var version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        output.WriteLine($"naive {version}");
        return 0;
    }

    // Bounds of the market options: far beyond any Binance symbol, small enough to keep decimal arithmetic
    // (≈ 7.9e28 at most) from overflowing. Prices share the trade readers' bound (below 1e14).
    internal static readonly CommandLine.Bounds TickRange = new(0m, false, 1_000_000m);
    internal static readonly CommandLine.Bounds StepRange = new(0m, false, 1_000_000_000m);
    internal static readonly CommandLine.Bounds MinNotionalRange = new(0m, true, 1_000_000_000_000m);
    internal static readonly CommandLine.Bounds PriceRange = new(0m, false, 10_000_000_000_000m);

    // Per-trade log-return figures of the generator: beyond these the random walk leaves any sane price at once.
    internal static readonly CommandLine.Bounds VolatilityRange = new(0m, true, 0.1m);
    internal static readonly CommandLine.Bounds DriftRange = new(-0.01m, true, 0.01m);
    internal const long MaxGeneratedTrades = 1_000_000_000;


    /// <summary>backtest and sweep: replay every trade instead of jumping over the quiet ones (same result, for comparison).</summary>
    internal const string NoSkipFlag = "no-skip";

    /// <summary>The fill model's flag, shared by backtest, sweep, paper and sandbox.</summary>
    internal const string PartialFillsFlag = "partial-fills";

    internal static LogLevel ParseLevel(string text) =>
        Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new UsageException($"--log-level '{text}' is not one of {string.Join(", ", Enum.GetNames<LogLevel>())}.");
}
