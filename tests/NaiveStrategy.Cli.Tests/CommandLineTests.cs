using System.Text.RegularExpressions;
using static NaiveStrategy.Cli.Tests.CliRun;

namespace NaiveStrategy.Cli.Tests;

// The command line on System.CommandLine: per-command help, --opt=value, --version, exit codes 0 / 1 / 2.
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("backtest", "--trades", "--max-buy-wait")]
    [InlineData("sweep", "--chunks", "--partial-fills")]
    [InlineData("sandbox", "--port", "--faults")]
    [InlineData("paper", "--symbol", "--stream-url")]
    [InlineData("live", "--state", "--rest-url")]
    [InlineData("status", "--state", "--state")]
    [InlineData("generate", "--count", "--drift")]
    [InlineData("silo", "--redis", "--gateway-port")]
    [InlineData("sweep", "--cluster", "--cluster-id")]
    public async Task RunAsync_CommandHelp_Exit0WithTheCommandsOwnOptionsEachDescribed(string command, string option, string other)
    {
        var (code, output, error) = await Run(command, "--help");

        code.Should().Be(0);
        error.Should().BeEmpty();
        output.Should().Contain($"naive {command} [options]").And.Contain(option).And.Contain(other);
        var optionLines = output.Split('\n').Where(l => Regex.IsMatch(l, @"^\s+--[a-z]")).ToList();
        optionLines.Should().NotBeEmpty().And.OnlyContain(l => Regex.IsMatch(l, @"^\s+--[a-z-]+( <[A-Z:]+>)?\s{2,}\S"), "every option has a description");
    }

    [Fact]
    public async Task RunAsync_HelpWithCommand_SameAsCommandHelp()
    {
        (await Run("help", "sweep")).Should().Be(await Run("sweep", "-h"));
    }

    [Fact]
    public async Task RunAsync_OptionEqualsValue_TakenLikeTwoArguments()
    {
        var (code, output, _) = await Run("backtest", "--chunks=3", "--log-level=None");

        code.Should().Be(0);
        output.Should().Contain("Settings: chunks 3,");
    }

    [Fact]
    public async Task RunAsync_Version_Exit0WithTheInformationalVersion()
    {
        var (code, output, _) = await Run("--version");

        code.Should().Be(0);
        output.Should().MatchRegex(@"^naive \d+\.\d+\.\d+");
    }

    [Theory]
    [InlineData(new[] { "backtest", "--chunks" }, "error: --chunks needs a value.")]
    [InlineData(new[] { "backtest", "--bogus=1" }, "error: unknown option '--bogus'.")]
    [InlineData(new[] { "backtest", "stray" }, "error: unexpected argument 'stray'.")]
    [InlineData(new[] { "frobnicate" }, "error: unknown command 'frobnicate'.")]
    [InlineData(new[] { "silo", "--symbol", "XRPUSDT" }, "error: --redis is required, e.g. --redis 127.0.0.1:6379.")]
    [InlineData(new[] { "silo", "--redis", "127.0.0.1:6379,password=hunter2,bogus=1" }, "error: --redis is not HOST:PORT or a Redis configuration string")]
    [InlineData(new[] { "silo", "--redis", "127.0.0.1:6379", "--symbol", "XRPUSDT,xrpusdt" }, "error: --symbol 'XRPUSDT,xrpusdt' must name each symbol once")]
    [InlineData(new[] { "sweep", "--redis", "127.0.0.1:6379" }, "error: --redis, --redis-wait and --cluster-id go with --cluster.")]
    [InlineData(new[] { "silo", "--redis", "127.0.0.1:6379", "--address", "my-host" }, "error: --address 'my-host' is not an IP address")]
    public async Task RunAsync_UsageError_Exit2NamingTheProblem(string[] args, string expected)
    {
        var (code, _, error) = await Run(args);

        code.Should().Be(2);
        error.Should().StartWith(expected).And.NotContain("hunter2", "a Redis password is never echoed");
    }

    // Orleans alone would wait its join time (minutes) for a Redis nobody runs, then fail with a trace.
    [Fact]
    public async Task SweepCluster_RedisNotRunning_Exit1NamingTheServerAfterTheWait()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nobody listens on: connections are refused

        var (code, _, error) = await Run("sweep", "--cluster", "--redis", $"127.0.0.1:{port},password=hunter2", "--redis-wait", "1", "--chunks", "1,2");

        code.Should().Be(1);
        error.Should().StartWith($"error: Redis at 127.0.0.1:{port} did not answer for 1 s (").And.Contain("is it running").And.NotContain("hunter2");
    }

    // Logs go to stderr: `backtest > report.txt` keeps only the report.
    [Fact]
    public async Task Backtest_AsAProcess_StdoutHoldsOnlyTheReportAndLogsGoToStderr()
    {
        using var sample = CliProcess.Start(new Dictionary<string, string>(), "backtest");

        (await sample.WaitForExitAsync()).Should().Be(0);

        sample.Output.Should().Contain("Backtest over XRPUSDT-trades-2024-01-01.csv").And.NotContain("info:").And.NotContain("is placing a BUY order");
        sample.Error.Should().Contain("is placing a BUY order");
    }

    // The generic Host's order: appsettings.json, then the environment, then the command line.
    [Fact]
    public async Task Backtest_SettingsFromAppsettingsAndEnvironment_CommandLineWins()
    {
        var dir = Directory.CreateTempSubdirectory("naive-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "appsettings.json"), """{ "Sample": { "Chunks": 3, "Budget": 50, "Rebuy": 0.002, "MaxBuyWait": "30m", "LogLevel": "None" } }""");
            using var sample = CliProcess.StartIn(dir, new Dictionary<string, string> { ["Sample__Budget"] = "60", ["Sample__Rebuy"] = "0.003" }, "backtest", "--rebuy", "0.004");

            (await sample.WaitForExitAsync()).Should().Be(0, sample.Error);

            sample.Output.Should().Contain("Settings: chunks 3, budget 60 per symbol, buy_down 0.0001, profit -0.0012, rebuy 0.004, fee 0.001, max_buy_wait 30m");
            sample.Error.Should().NotContain("is placing", "the log level came from appsettings.json");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Backtest_MalformedAppsettings_Exit1NamingTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("naive-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "appsettings.json"), "{ \"Sample\": { \"Chunks\": ");
            using var sample = CliProcess.StartIn(dir, new Dictionary<string, string>(), "backtest");

            (await sample.WaitForExitAsync()).Should().Be(1);

            sample.Error.Should().StartWith("error: ").And.Contain("appsettings.json").And.NotContain("   at ");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Backtest_FlagFromConfigurationNotABoolean_Exit2NamingTheKey()
    {
        var (code, _, error) = await RunWith(new Dictionary<string, string?> { ["Sample:PartialFills"] = "sometimes" }, "backtest");

        code.Should().Be(2);
        error.Should().StartWith("error: Sample:PartialFills (configuration, for --partial-fills): 'sometimes' is not true or false.");
    }

    [Fact]
    public async Task Backtest_InvalidValueFromConfiguration_ErrorSaysWhereItCameFrom()
    {
        var (code, _, error) = await RunWith(new Dictionary<string, string?> { ["Sample:Chunks"] = "0" }, "backtest");

        code.Should().Be(2);
        error.Should().StartWith("error: --chunks: 0 is not a whole number from 1 to 1000 (from Sample:Chunks in appsettings.json or the environment).");
    }
}
