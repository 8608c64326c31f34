using System.Globalization;
using NaiveStrategy.Backtesting.Parity;
using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Backtesting.Recording;
using NaiveStrategy.Binance;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Tests.Shared;
using Xunit.Abstractions;

namespace NaiveStrategy.Cli.Tests;

/// <summary>
/// <c>live</c> as a process against the sandbox replaying the bundled day (at 200× its pace: about 20 s), its trades
/// recorded beside the state file, then <c>parity</c> on what it wrote: every live order matched or explained.
/// </summary>
public sealed class ParityEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private const double Speed = 200;
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-parity-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<BinanceSandboxServer> SandboxAsync(string? faults = null)
    {
        var options = new SandboxOptions { Port = 0, Faults = SandboxFaultOptions.Parse(faults) };
        options.ApiKeys.Add(new SandboxApiKey(CliProcess.Key, CliProcess.Secret));
        options.Balances["USDT"] = 1_000m;
        options.Symbols.Add(SymbolFilterPresets.XrpUsdt);
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    private string State => Path.Combine(_dir, "naive-state.db");

    private CliProcess Live(BinanceSandboxServer server) => CliProcess.Live(State, (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl));

    private static async Task TradingAsync(CliProcess live)
    {
        await CliProcess.UntilAsync(() => live.Output.Contains("live: trading", StringComparison.Ordinal) || live.HasExited, "live trades");
        live.HasExited.Should().BeFalse(live.Error);
    }

    private async Task<(int Code, string Output, string Error)> ParityAsync(params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["parity", "--state", State, .. extra], output, error);
        log.WriteLine(output.ToString());
        log.WriteLine(error.ToString());
        return (code, output.ToString(), error.ToString());
    }

    // The replay's last trade reached live and its last flush (at least once a second) is on disk.
    // Live has caught up when its journal holds every order the sandbox has, as the sandbox last reported it, and its
    // recording (unless off: last is null) holds the last trade published. A signal, not a fixed wait.
    private Task SettleAsync(BinanceSandboxServer server, TradeEvent? last) =>
        Wait.UntilAsync(() => CaughtUp(server, last), "live's journal and recording caught up with the sandbox", TimeSpan.FromSeconds(60), every: TimeSpan.FromMilliseconds(250));

    private bool CaughtUp(BinanceSandboxServer server, TradeEvent? last)
    {
        try
        {
            var recordings = Path.Combine(_dir, "recordings");
            if (last is { } trade && (!Directory.Exists(recordings) || TradeFileReader.Open([recordings]).LastOrDefault().TradeId != trade.TradeId))
            {
                return false;
            }

            using var store = NaiveStrategy.Sqlite.SqliteStrategyStore.OpenReadOnly(State);
            var journal = store.ReadOrderUpdates().ToLookup(u => u.ClientOrderId, StringComparer.Ordinal);
            return server.Exchange.Orders.All(o => journal[o.ClientOrderId].Any(u => u.Status == o.Status && u.ExecutedQuantity == o.ExecutedQuantity));
        }
        catch (Exception ex) when (ex is TradeFileFormatException or Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
        {
            return false; // a line or a transaction half written: look again
        }
    }

    private static TradeEvent[] Day() => [.. TradeFileReader.Open([CliApp.BundledTrades])];

    [Fact]
    public async Task Parity_LiveAgainstSandboxNoFaults_EveryLiveOrderMatchedOrExplained()
    {
        await using var server = await SandboxAsync();
        using (var live = Live(server))
        {
            await TradingAsync(live);
            var day = Day();
            await server.ReplayAsync(day, Speed);
            await SettleAsync(server, day[^1]);
            live.HasExited.Should().BeFalse(live.Error);
        }

        var recordings = Path.Combine(_dir, "recordings");
        Directory.GetFiles(recordings).Select(Path.GetFileName).Should().Contain("XRPUSDT-trades-2024-01-01.csv");
        TradeFileReader.Open([recordings]).Count().Should().Be(20_000, "every trade the sandbox published reached live and was recorded");
        var csv = Path.Combine(_dir, "parity.csv");
        var png = Path.Combine(_dir, "parity.png");

        var (code, output, error) = await ParityAsync("--trades", recordings, "--out", csv, "--plot", png);

        code.Should().Be(0, error);
        var summary = System.Text.RegularExpressions.Regex.Match(output, @"^parity: (\d+) live orders, (\d+) matched, \d+ diverged(: .*)?\n$");
        summary.Success.Should().BeTrue(output);
        output.Should().NotContain("unexplained");
        int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeGreaterThan(5);
        var rows = File.ReadAllLines(csv);
        rows.Skip(1).Select(r => r.Split(',')[3]).Should().NotContain("unexplained");
        // With no fault, what the backtest gets wrong is when live heard of its fills (or the fill model): nothing else.
        rows.Skip(1).Select(r => r.Split(',')[3]).Where(c => c.Length > 0).Should().OnlyContain(c => c.StartsWith("latency", StringComparison.Ordinal) || c == "fill model");
        new FileInfo(png).Length.Should().BePositive();
    }

    [Fact]
    public async Task ApiParity_RunningLiveWithHttp_LatestSummaryOfItsOwnJournalAndRecording()
    {
        const string token = "parity-token-0123456789";
        await using var server = await SandboxAsync();
        using var live = CliProcess.Live(State, (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl), new Dictionary<string, string> { ["NAIVE_API_TOKEN"] = token }, ["--http", "127.0.0.1:0"]);
        await TradingAsync(live);
        var trades = Day()[..3_000];
        await server.ReplayAsync(trades, Speed);
        await SettleAsync(server, trades[^1]);
        var url = System.Text.RegularExpressions.Regex.Match(live.Output, @"dashboard: (\S+)/").Groups[1].Value;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var body = await http.GetStringAsync(new Uri(url + "/api/parity"));

        log.WriteLine(body);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var summary = json.RootElement.GetProperty("summary").GetString();
        summary.Should().StartWith("parity: ").And.NotContain("unexplained");
        json.RootElement.GetProperty("liveOrders").GetInt32().Should().BePositive();
        live.HasExited.Should().BeFalse(live.Error);
    }

    [Fact]
    public async Task Parity_RestartInTheMiddle_ExplainedAsRestart()
    {
        // Live is killed while its SELLs are open; the sandbox goes on without it (trader 3's SELL at 0.6167 crosses at
        // trade 16,949). Started again at trade 16,960, live finds what filled by reconciliation and starts new traders on
        // the trades after, while the replay, which never saw trades 16,900-16,959, fills them on its own trades.
        var day = Day();
        await using var server = await SandboxAsync();
        using (var first = Live(server))
        {
            await TradingAsync(first);
            await server.ReplayAsync(day[..16_899], Speed);
            await SettleAsync(server, day[16_898]);
            await first.KillAsync();
        }

        await server.ReplayAsync(day[16_899..16_959], Speed);
        using (var second = Live(server))
        {
            await TradingAsync(second);
            await server.ReplayAsync(day[16_959..], Speed);
            await SettleAsync(server, day[^1]);
        }

        var csv = Path.Combine(_dir, "parity.csv");
        var (code, output, error) = await ParityAsync("--out", csv);

        code.Should().Be(0, error);
        output.Should().NotContain("unexplained").And.Contain("restart");
        File.ReadAllLines(csv).Skip(1).Select(r => r.Split(',')[3]).Should().Contain("restart");
        File.ReadAllLines(Path.Combine(_dir, "recordings", "XRPUSDT-gaps.csv")).Should().ContainSingle(r => r.Contains(",16899,", StringComparison.Ordinal) && r.EndsWith(",between runs (the recording started again)", StringComparison.Ordinal), "the trades published while live was down (and until it subscribed again)");
        using var store = NaiveStrategy.Sqlite.SqliteStrategyStore.OpenReadOnly(State);
        store.ReadMarks().Count(m => m.Kind == RunMarkKind.Start).Should().Be(2, "the restart is in the journal, where parity finds it");
    }

    [Fact]
    public async Task Parity_SandboxDropsWebSocketApiAndReorders_LatencyCausesNameTheFaults()
    {
        await using var server = await SandboxAsync("drop-ws-api=1s,reorder");
        using (var live = Live(server))
        {
            await TradingAsync(live);
            var day = Day();
            await server.ReplayAsync(day, Speed);
            await SettleAsync(server, day[^1]);
        }

        var csv = Path.Combine(_dir, "parity.csv");
        var (code, output, error) = await ParityAsync("--out", csv);
        log.WriteLine(File.ReadAllText(csv));

        code.Should().Be(0, error);
        output.Should().NotContain("unexplained");
        var causes = File.ReadAllLines(csv).Skip(1).Select(r => r.Split(',')[3]).Where(c => c.Length > 0).ToArray();
        causes.Should().NotContain("unexplained");

        // The journal kept how live learned of each update: the dropped connections lost stream reports (learned by
        // query after each reconnection), the reorder fault swapped reports or held one back 250 ms.
        using var store = NaiveStrategy.Sqlite.SqliteStrategyStore.OpenReadOnly(State);
        var updates = store.ReadOrderUpdates();
        log.WriteLine(string.Join('\n', updates.Select(u => $"{u.ClientOrderId[(u.ClientOrderId.IndexOf("-XRPUSDT-", StringComparison.Ordinal) + 9)..]} {u.Status} {u.Source}{(u.Reordered ? " reordered" : "")}")));
        updates.Should().Contain(u => u.Source == OrderUpdateSource.Answer).And.Contain(u => u.Source == OrderUpdateSource.Stream);
        updates.Should().Contain(u => u.Source == OrderUpdateSource.Query, "reports sent while the WebSocket API was down are learned by query");

        // What the backtest gets wrong, the causes say why: live learned of a fill by query, or the stream delivered it
        // reordered or late.
        causes.Should().Contain(c => c == "latency (report lost)" || c == "latency (reordered)" || c == "latency (report late)", output);
        output.Should().MatchRegex(@"latency \((report lost|reordered|report late)\)");
    }

    [Fact]
    public async Task Parity_StateWithoutRecording_OneErrorLineNonZero()
    {
        await using var server = await SandboxAsync();
        using (var live = CliProcess.Live(State, (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl), extra: ["--record", "off"]))
        {
            await TradingAsync(live);
            await server.ReplayAsync(Day()[..300], 0);
            await SettleAsync(server, null);
        }

        Directory.Exists(Path.Combine(_dir, "recordings")).Should().BeFalse("--record off");
        var (code, _, error) = await ParityAsync("--trades", _dir);

        code.Should().NotBe(0);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().StartWith("error: ");
    }
}
