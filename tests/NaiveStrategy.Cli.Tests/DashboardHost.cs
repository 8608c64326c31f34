using System.Diagnostics;
using System.Text.RegularExpressions;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Cli.Tests;

/// <summary>The sandbox, a market fed into it, and the sample's <c>live</c> on it with <c>--http 127.0.0.1:0</c>.</summary>
internal sealed partial class DashboardHost : IAsyncDisposable
{
    public const string Token = "dashboard-test-token-0123456789";

    private readonly BinanceSandboxServer _server;
    private readonly CancellationTokenSource _stopMarket = new();
    private readonly Task _market;
    private readonly string _dir;

    private DashboardHost(BinanceSandboxServer server, CliProcess live, Uri dashboard, string dir, bool feed)
    {
        _server = server;
        Live = live;
        Dashboard = dashboard;
        _dir = dir;
        _market = feed ? Task.Run(() => FeedAsync(_stopMarket.Token)) : Task.CompletedTask;
    }

    public CliProcess Live { get; }

    /// <summary>live's state file.</summary>
    public string State => Path.Combine(_dir, "state.db");

    /// <summary>The address live printed as <c>dashboard: …</c>.</summary>
    public Uri Dashboard { get; }

    public static IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal) { ["NAIVE_API_TOKEN"] = Token };

    public static async Task<DashboardHost> StartAsync(bool feedMarket, IReadOnlyDictionary<string, string>? environment = null)
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(CliProcess.Key, CliProcess.Secret));
        options.Balances["USDT"] = 100_000m;
        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        var dir = Directory.CreateTempSubdirectory("naive-dashboard-").FullName;
        var live = CliProcess.Live(Path.Combine(dir, "state.db"), (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl), environment ?? Environment, ["--http", "127.0.0.1:0"]);
        Match? match = null;
        await CliProcess.UntilAsync(() => (match = DashboardLine().Match(live.Output)).Success || live.HasExited, "live prints its dashboard's address");
        await CliProcess.UntilAsync(() => live.Output.Contains("live: trading", StringComparison.Ordinal) || live.HasExited, "live has started its symbol");
        live.HasExited.Should().BeFalse(live.Error);
        return new DashboardHost(server, live, new Uri(match!.Groups[1].Value), dir, feedMarket);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopMarket.CancelAsync();
        await _market;
        Live.Dispose();
        await _server.DisposeAsync();
        _stopMarket.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // A wave around 0.5 of period 3 s whose swing grows by a quarter each period: BUYs fill in its troughs,
    // SELLs at its peaks, and every resting order fills at last (a SELL placed above the last peak is passed by
    // a later one), so traders keep cycling however slow the machine is and the page always has events to show.
    private async Task FeedAsync(CancellationToken stop)
    {
        long id = 0;
        var clock = Stopwatch.StartNew();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20)); // a live market: a trade every 20 ms
        while (!stop.IsCancellationRequested)
        {
            var periods = clock.ElapsedMilliseconds / 3000.0;
            var phase = periods % 1;
            var wave = phase < 0.5 ? 1 - (4 * phase) : (4 * phase) - 3; // 1 → -1 → 1
            var swing = 0.004 * (1 + (0.25 * Math.Min(periods, 100)));
            _server.PublishTrade(new TradeEvent("XRPUSDT", ++id, Math.Round(0.5m + (decimal)(swing * wave), 4), 1_000m, DateTimeOffset.UtcNow));
            await pace.WaitForNextTickAsync(CancellationToken.None);
        }
    }

    [GeneratedRegex(@"^dashboard: (http://127\.0\.0\.1:\d+/)$", RegexOptions.Multiline)]
    private static partial Regex DashboardLine();
}
