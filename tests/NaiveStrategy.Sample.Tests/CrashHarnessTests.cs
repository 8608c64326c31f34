using System.Diagnostics;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Sqlite;
using Xunit.Abstractions;

namespace NaiveStrategy.Sample.Tests;

/// <summary>
/// Runs the sample in live mode as a separate process against the Binance-compatible sandbox, kills it
/// with SIGKILL at random (seeded) moments while trades flow, restarts it on the same state file, and
/// checks from the server's own records that no order was sent twice, every order is one the engine
/// recorded, no fill was lost, traders never exceeded chunks, and PnL agrees with the engine's journal.
/// </summary>
public sealed class CrashHarnessTests(ITestOutputHelper log) : IDisposable
{
    private const string Key = "crash-key";
    private const string Secret = "crash-secret";
    private const int Chunks = 3;
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Live_KilledAtRandomAndRestarted_NoDuplicateNoLostFill()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("NAIVE_CRASH_KILLS"), out var k) ? k : 50;
        var random = new Random(20261124);
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        options.Balances["USDT"] = 100_000m;
        await using var server = new BinanceSandboxServer(options);
        await server.StartAsync();
        ServerUrls = (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl);
        var state = Path.Combine(_dir, "state.db");
        var maxTraders = 0;

        using var stopTrades = new CancellationTokenSource();
        var feeder = Task.Run(async () =>
        {
            var walk = new Random(7);
            var price = 0.5000m;
            long id = 0;
            while (!stopTrades.IsCancellationRequested)
            {
                price = Math.Clamp(price + (walk.Next(-3, 4) * 0.0005m), 0.4000m, 0.6000m);
                server.PublishTrade(new TradeEvent("XRPUSDT", ++id, price, 1_000m, DateTimeOffset.UtcNow));
                await Task.Delay(15);
            }
        });

        var restarts = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            using var process = StartLive(state);
            restarts++;
            await Task.Delay(random.Next(150, 1500));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            maxTraders = Math.Max(maxTraders, TradersIn(state));
        }

        // A last, undisturbed run reconciles whatever happened during the last kill. It is given time
        // until its journal has seen every fill the exchange made (on a loaded machine start-up is slow).
        using (var last = StartLive(state))
        {
            await Task.Delay(3000);
            stopTrades.Cancel();
            await feeder;
            for (var wait = 0; wait < 60 && !(JournalSeesEveryFill(state, server) && Lost(state, server.Exchange.Orders) == 0); wait++)
            {
                await Task.Delay(500);
            }

            await Task.Delay(1000); // let the decision that follows the last fill be saved before the kill

            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
        }

        maxTraders = Math.Max(maxTraders, TradersIn(state));
        var orders = server.Exchange.Orders;
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        var intents = store.ReadIntents().Select(i => i.Request.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        var duplicates = orders.Count - orders.Select(o => o.ClientOrderId).Distinct().Count();
        var unknown = orders.Count(o => !intents.Contains(o.ClientOrderId));
        var lost = Lost(store, orders);
        var fills = orders.Count(o => o.ExecutedQuantity > 0);
        var journal = store.ReadOrderUpdates().GroupBy(u => u.ClientOrderId).ToDictionary(g => g.Key, g => g.MaxBy(u => u.ExecutedQuantity)!, StringComparer.Ordinal);
        var exchangeCash = orders.Sum(Cash);
        var engineCash = orders.Sum(o => journal.TryGetValue(o.ClientOrderId, out var seen) ? Cash(seen) : 0m);
        var unseenFills = orders.Count(o => o.ExecutedQuantity > 0 && (!journal.TryGetValue(o.ClientOrderId, out var seen) || seen.ExecutedQuantity != o.ExecutedQuantity));

        log.WriteLine($"kills {kills}, restarts {restarts + 1}, orders {orders.Count}, fills {fills}, duplicates {duplicates}, unknown {unknown}, lost {lost}, max traders {maxTraders}, PnL cash exchange {exchangeCash} engine {engineCash}");
        Console.WriteLine($"crash harness: kills {kills}, restarts {restarts + 1}, orders {orders.Count}, fills {fills}, duplicates {duplicates}, lost {lost}");

        orders.Should().NotBeEmpty();
        fills.Should().BePositive();
        duplicates.Should().Be(0);
        unknown.Should().Be(0);
        lost.Should().Be(0);
        unseenFills.Should().Be(0, "after the final reconciliation the engine has seen every fill the exchange made");
        maxTraders.Should().BeLessThanOrEqualTo(Chunks);
        engineCash.Should().Be(exchangeCash, "PnL from the engine's journal equals PnL from the exchange's records");
    }

    // A filled buy is lost when the exchange has no sell for its trader and no saved trader holds the fill.
    private static int Lost(SqliteStrategyStore store, IReadOnlyList<OrderUpdate> orders)
    {
        var running = store.Load().SelectMany(s => s.Traders).ToList();
        return orders.Count(o => o.Side == OrderSide.Buy && o.ExecutedQuantity > 0
            && !orders.Any(s => s.Side == OrderSide.Sell && s.ClientOrderId == o.ClientOrderId[..^2] + "-s")
            && !running.Any(t => t.BuyOrder?.ClientOrderId == o.ClientOrderId && t.BuyOrder.ExecutedQuantity == o.ExecutedQuantity));
    }

    private static int Lost(string state, IReadOnlyList<OrderUpdate> orders)
    {
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        return Lost(store, orders);
    }

    private static bool JournalSeesEveryFill(string state, BinanceSandboxServer server)
    {
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        var seen = store.ReadOrderUpdates().GroupBy(u => u.ClientOrderId).ToDictionary(g => g.Key, g => g.Max(u => u.ExecutedQuantity), StringComparer.Ordinal);
        return server.Exchange.Orders.All(o => o.ExecutedQuantity == 0 || (seen.TryGetValue(o.ClientOrderId, out var executed) && executed == o.ExecutedQuantity));
    }

    private static decimal Cash(OrderUpdate o) => (o.Side == OrderSide.Sell ? 1 : -1) * o.ExecutedQuantity * o.Price;

    private static int TradersIn(string state)
    {
        if (!File.Exists(state))
        {
            return 0;
        }

        using var store = SqliteStrategyStore.OpenReadOnly(state);
        return store.Load().Sum(s => s.Traders.Count);
    }

    private Process StartLive(string state)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NaiveStrategy.Sample.dll"));
        foreach (var arg in new[] { "live", "--symbol", "XRPUSDT", "--state", state, "--log-level", "Warning", "--chunks", Chunks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--budget", "60", "--buy-down", "0.001", "--profit", "0.001", "--rebuy", "0.002" })
        {
            info.ArgumentList.Add(arg);
        }

        var server = ServerUrls;
        info.ArgumentList.Add("--rest-url");
        info.ArgumentList.Add(server.RestUrl);
        info.ArgumentList.Add("--ws-api-url");
        info.ArgumentList.Add(server.WsApi);
        info.ArgumentList.Add("--stream-url");
        info.ArgumentList.Add(server.Streams);
        info.Environment["NAIVE_BINANCE_API_KEY"] = Key;
        info.Environment["NAIVE_BINANCE_SECRET_KEY"] = Secret;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase))
            {
                log.WriteLine(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private (string RestUrl, string WsApi, string Streams) ServerUrls { get; set; }
}
