using System.Text.RegularExpressions;

namespace NaiveStrategy.Cli.Tests;

/// <summary><c>live --http</c> and <c>ctl</c> as processes: the API beside a live engine on the sandbox, driven from the command line.</summary>
public sealed class ControlApiTests
{
    private static async Task<CliProcess> CtlAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var ctl = CliProcess.Start(environment, ["ctl", .. args]);
        await ctl.WaitForExitAsync();
        return ctl;
    }

    [Fact]
    public async Task Ctl_AgainstLiveWithHttp_ListsStopsAndChangesSettings()
    {
        await using var host = await DashboardHost.StartAsync(feedMarket: false);
        var url = host.Dashboard.ToString();

        using var symbols = await CtlAsync(DashboardHost.Environment, "--url", url, "symbols");
        symbols.ExitCode.Should().Be(0, symbols.Error);
        symbols.Output.Should().StartWith("XRPUSDT on: budget 60, chunks 3, buy_down 0.001, profit 0.001, rebuy 0.002; traders 1, open orders ");
        symbols.Output.Should().MatchRegex(@"\n  trader [a-z0-9]+-XRPUSDT-1 (waiting|buying): ");

        using var stop = await CtlAsync(DashboardHost.Environment, "--url", url, "stop", "xrpusdt");
        stop.Output.Should().Be("XRPUSDT: off\n");

        using var set = await CtlAsync(DashboardHost.Environment, "--url", url, "set", "XRPUSDT", "--chunks", "2", "--budget", "80");
        set.Output.Should().Be("XRPUSDT settings: budget 80, chunks 2, buy_down 0.001, profit 0.001, rebuy 0.002\n");
        using var status = CliProcess.Start(new Dictionary<string, string>(), "status", "--state", host.State);
        (await status.WaitForExitAsync()).Should().Be(0, status.Error);
        status.Output.Should().Contain("XRPUSDT Off: chunks 2, budget 80,", "the state file keeps the new settings");

        using var start = await CtlAsync(DashboardHost.Environment, "--url", url, "start", "XRPUSDT");
        start.Output.Should().Be("XRPUSDT: on\n");
        using var after = await CtlAsync(DashboardHost.Environment, "--url", url, "symbols");
        after.Output.Should().StartWith("XRPUSDT on: budget 80, chunks 2,");
    }

    [Fact]
    public async Task Ctl_BadSettingOrWrongToken_ExitsOneNamingTheProblem()
    {
        await using var host = await DashboardHost.StartAsync(feedMarket: false);
        var url = host.Dashboard.ToString();

        using var bad = await CtlAsync(DashboardHost.Environment, "--url", url, "set", "XRPUSDT", "--profit", "5");
        bad.ExitCode.Should().Be(1);
        bad.Error.Should().Be("error: 400 profitInterval: XRPUSDT: profit_interval must be in (-1, 1), got 5.\n", "what the running process refuses is relayed as it says it");

        using var wrong = await CtlAsync(new Dictionary<string, string> { ["NAIVE_API_TOKEN"] = "not-the-token-0123456789" }, "--url", url, "symbols");
        wrong.ExitCode.Should().Be(1);
        wrong.Error.Should().Be($"error: {url} refused the token in NAIVE_API_TOKEN.\n");
    }

    [Fact]
    public async Task Paper_ShortApiToken_OneErrorLineNoStackTrace()
    {
        using var paper = CliProcess.Start(new Dictionary<string, string> { ["NAIVE_API_TOKEN"] = "short" }, "paper", "--symbol", "XRPUSDT", "--stream-url", "ws://127.0.0.1:9/", "--http", "127.0.0.1:0");

        (await paper.WaitForExitAsync()).Should().Be(1);
        paper.Error.Should().Be("error: the API token (NAIVE_API_TOKEN) must be at least 16 characters, got 5.\n");
    }

    [Fact]
    public async Task Ctl_NoToken_ExitsTwoNamingTheVariable()
    {
        using var ctl = await CtlAsync(new Dictionary<string, string> { ["NAIVE_API_TOKEN"] = "" }, "--url", "http://127.0.0.1:9/", "symbols");

        ctl.ExitCode.Should().Be(2);
        ctl.Error.Should().StartWith("error: ctl needs the API token in the environment variable NAIVE_API_TOKEN.\n");
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("example.invalid:80")]
    public async Task Live_BadHttpAddress_ExitsTwoNamingTheOption(string address)
    {
        using var live = CliProcess.Live(Path.Combine(Path.GetTempPath(), "never-created.db"), extra: ["--http", address]);

        (await live.WaitForExitAsync()).Should().Be(2);
        live.Error.Should().StartWith($"error: --http '{address}' is not ADDRESS:PORT, e.g. 127.0.0.1:8080 (port 0 = any free port).\n");
    }

    [Fact]
    public async Task Live_HttpWithoutToken_PrintsAGeneratedTokenOnce()
    {
        await using var host = await DashboardHost.StartAsync(feedMarket: false, new Dictionary<string, string> { ["NAIVE_API_TOKEN"] = "" });

        Regex.Matches(host.Live.Output, "api token: ([0-9a-f]{48}) \\(open http://127\\.0\\.0\\.1:\\d+/#token=\\1\\)\n").Should().ContainSingle();
        host.Live.Output.Should().Contain($"dashboard: {host.Dashboard}\n");
    }

    [Theory]
    [InlineData("127.0.0.1:0", "127.0.0.1:0")]
    [InlineData("8080", "127.0.0.1:8080")]
    [InlineData(":8080", "127.0.0.1:8080")]
    [InlineData("localhost:9000", "127.0.0.1:9000")]
    [InlineData("0.0.0.0:80", "0.0.0.0:80")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    public void ParseHttp_AddressAndPort_BindsThere(string text, string expected)
    {
        ControlApi.Parse(text).ToString().Should().Be(expected);
    }

    [Fact]
    public async Task Paper_WithHttpOnSandboxStreams_PrintsTheDashboardAndServesTheApi()
    {
        var options = new NaiveStrategy.Binance.Sandbox.SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new NaiveStrategy.Binance.Sandbox.SandboxApiKey(CliProcess.Key, CliProcess.Secret));
        await using var server = new NaiveStrategy.Binance.Sandbox.BinanceSandboxServer(options);
        await server.StartAsync();
        using var paper = CliProcess.Start(DashboardHost.Environment, "paper", "--symbol", "XRPUSDT", "--stream-url", server.StreamBaseUrl, "--log-level", "Warning", "--http", "127.0.0.1:0");
        Match? line = null;
        await CliProcess.UntilAsync(() => (line = Regex.Match(paper.Output, @"^dashboard: (http://127\.0\.0\.1:\d+/)$", RegexOptions.Multiline)).Success || paper.HasExited, "paper prints its dashboard");
        await CliProcess.UntilAsync(() => paper.Output.Contains("paper (fill model: full): trading XRPUSDT", StringComparison.Ordinal) || paper.HasExited, "paper starts trading");
        paper.HasExited.Should().BeFalse(paper.Error);

        using var symbols = await CtlAsync(DashboardHost.Environment, "--url", line!.Groups[1].Value, "symbols");

        symbols.Output.Should().StartWith("XRPUSDT on: budget 100, chunks 5,");
    }
}
