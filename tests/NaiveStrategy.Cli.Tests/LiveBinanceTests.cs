using NaiveStrategy.Binance;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Cli.Tests;

/// <summary><c>live</c> as a process against the sandbox: several symbols, and a wrong secret.</summary>
public sealed class LiveBinanceTests
{
    private static async Task<BinanceSandboxServer> StartAsync(params string[] symbols)
    {
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(CliProcess.Key, CliProcess.Secret));
        options.Balances["USDT"] = 100_000m;
        foreach (var symbol in symbols)
        {
            options.Symbols.Add(SymbolFilterPresets.XrpUsdt with { Symbol = symbol });
        }

        var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        return server;
    }

    [Fact]
    public async Task Live_TwoSymbolsOneWithItsOwnSettings_TradingPrintedForEachAndBothBuy()
    {
        await using var server = await StartAsync("XRPUSDT", "ADAUSDT");
        var dir = Directory.CreateTempSubdirectory("naive-multi-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "appsettings.json"), "{\"Sample\":{\"Symbols\":{\"ADAUSDT\":{\"Chunks\":2,\"Budget\":40}}}}");
            var environment = new Dictionary<string, string> { ["NAIVE_BINANCE_API_KEY"] = CliProcess.Key, ["NAIVE_BINANCE_SECRET_KEY"] = CliProcess.Secret };
            using var live = CliProcess.StartIn(dir, environment, "live", "--symbol", "XRPUSDT,ADAUSDT", "--state", Path.Combine(dir, "state.db"), "--log-level", "Warning",
                "--chunks", "3", "--budget", "60", "--buy-down", "0.001", "--profit", "0.001", "--rebuy", "0.002",
                "--rest-url", server.RestBaseUrl, "--ws-api-url", server.WebSocketApiUrl, "--stream-url", server.StreamBaseUrl);
            await CliProcess.UntilAsync(() => live.Output.Contains("live: trading", StringComparison.Ordinal) || live.HasExited, "live trades its symbols");
            live.HasExited.Should().BeFalse(live.Error);

            long id = 0;
            await CliProcess.UntilAsync(() =>
            {
                server.PublishTrade(new TradeEvent("XRPUSDT", ++id, 0.5m, 100m, DateTimeOffset.UtcNow));
                server.PublishTrade(new TradeEvent("ADAUSDT", id, 0.5m, 100m, DateTimeOffset.UtcNow));
                return server.Exchange.Orders.Select(o => o.Symbol).Distinct().Count() == 2;
            }, "both symbols place a buy");

            live.Output.Should().Contain("trading XRPUSDT\n").And.Contain("trading ADAUSDT\n");
            server.Exchange.Orders.Where(o => o.Symbol == "ADAUSDT").Should().OnlyContain(o => o.Price * o.Quantity <= 20m, "ADAUSDT's budget 40 in 2 chunks");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Live_WrongSecret_AtMost10WebSocketApiConnectionsIn25Seconds()
    {
        await using var server = await StartAsync("XRPUSDT");
        var state = Path.Combine(Path.GetTempPath(), $"naive-wrong-secret-{Guid.NewGuid():N}.db");
        try
        {
            var environment = new Dictionary<string, string> { ["NAIVE_BINANCE_API_KEY"] = CliProcess.Key, ["NAIVE_BINANCE_SECRET_KEY"] = "wrong-secret" };
            using var live = CliProcess.Start(environment, "live", "--symbol", "XRPUSDT", "--state", state, "--log-level", "Warning",
                "--rest-url", server.RestBaseUrl, "--ws-api-url", server.WebSocketApiUrl, "--stream-url", server.StreamBaseUrl);

            // Real time is the thing tested: how many connections a refused subscription makes in a 25 s window of backoff.
            await Task.Delay(TimeSpan.FromSeconds(25));

            live.HasExited.Should().BeFalse(live.Error);
            // The key is checked by a signed REST call before any symbol starts; a refused key (or a refused
            // subscription) backs off until one is confirmed: no flood of connections either way.
            server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi).Should().BeInRange(0, 10, "a refused key backs off until one is confirmed");
            live.Error.Should().Contain("-1022").And.Contain("API key or signature rejected");
        }
        finally
        {
            File.Delete(state);
        }
    }
}
