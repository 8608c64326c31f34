using System.Globalization;
using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using Xunit.Abstractions;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

/// <summary>
/// The guard scenario of the crash harness, in process: a symbol with three traders on the in-memory exchange and a
/// SQLite state file, whose max-drawdown guard fires with <see cref="GuardAction.Exit"/> on a falling market. The
/// process is killed at every save between the guard firing and the exit being over (the step being saved is not
/// durable and nothing it decided leaves), restarted on the same file (and once more after the exit), and the
/// exchange's own records are checked: the exit's MARKET SELL is sent once (0 duplicate sells) and, once filled,
/// less than one step of base is left (0 unsold base).
/// </summary>
public sealed class GuardCrashHarnessTests(ITestOutputHelper output) : IDisposable
{
    private const decimal Step = 1m;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SymbolSettings Guarded() => Settings(chunks: 3, rebuy: 0.004m, profit: 0.001m) with { MaxDrawdown = 0.02m, GuardAction = GuardAction.Exit };

    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters() },
        Balances = { ["USDT"] = 100m },
        StartTime = T0,
    });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, IStrategyStore store, string run)
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Guarded());
        return new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator(run), exchange.Clock, store: store);
    }

    // Wobbles around 1 (so traders buy and some cycles complete), then falls 0.3 % a trade.
    private static List<TradeEvent> Market(int seed)
    {
        var random = new Random(seed);
        var trades = new List<TradeEvent>();
        var price = 1.0m;
        for (var i = 1; i <= 80; i++)
        {
            price = i <= 40 ? Math.Round(1.0m + ((decimal)random.Next(-40, 41) / 10_000m), 4) : Math.Round(price * 0.997m, 4);
            trades.Add(new TradeEvent("XRPUSDT", i, price, 1000m, T0.AddSeconds(i)));
        }

        return trades;
    }

    [Fact]
    public async Task Exit_KilledAtEverySaveDuringTheExit_ZeroDuplicateSellsZeroUnsoldBase()
    {
        var (kills, exits, duplicates, unsold) = (0, 0, 0, 0);
        for (var seed = 1; seed <= 3; seed++)
        {
            var trades = Market(seed);
            var window = await SavesDuringExitAsync(trades);
            window.Should().BeGreaterThan(2, "the exit takes a save to fire, one per cancel answer and one per MARKET SELL update");
            for (var kill = 0; kill < window; kill++)
            {
                var result = await KilledRunAsync(trades, kill, $"{seed}-{kill}");
                kills++;
                exits += result.Exited ? 1 : 0;
                duplicates += result.Duplicates;
                unsold += result.Unsold ? 1 : 0;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"guard crash harness: {kills} kills during exits, {exits} exits finished, {duplicates} duplicate sells, {unsold} unsold base"));
        kills.Should().BeGreaterThan(10);
        exits.Should().Be(kills);
        duplicates.Should().Be(0);
        unsold.Should().Be(0);
    }

    // The saves from the guard firing to the exit being over, in a run nobody kills.
    private async Task<int> SavesDuringExitAsync(List<TradeEvent> trades)
    {
        var exchange = Exchange();
        using var store = new KillableStore(new SqliteStrategyStore(_dir.File("clean-" + Guid.NewGuid().ToString("N") + ".db")));
        await using var engine = Engine(exchange, store, "c");
        await engine.StartAsync();
        foreach (var trade in trades)
        {
            exchange.PublishTrade(trade);
        }

        var saves = store.Saved;
        var first = saves.FindIndex(s => s.Guard.Fired is not null);
        var last = saves.FindIndex(s => s.Guard.Fired is { Done: true });
        first.Should().BeGreaterThanOrEqualTo(0, "the guard fires on the falling market");
        return last - first + 1;
    }

    private async Task<(bool Exited, int Duplicates, bool Unsold)> KilledRunAsync(List<TradeEvent> trades, int kill, string name)
    {
        var exchange = Exchange();
        var path = _dir.File(name + ".db");
        var next = 0;
        using (var store = new KillableStore(new SqliteStrategyStore(path)))
        {
            await using var engine = Engine(exchange, store, "a");
            await engine.StartAsync();
            var fired = -1;
            store.KillWhen = (state, index) =>
            {
                fired = fired < 0 && state.Guard.Fired is not null ? index : fired;
                return fired >= 0 && index - fired >= kill;
            };
            for (; next < trades.Count && !store.Killed; next++)
            {
                exchange.PublishTrade(trades[next]);
            }
        }

        // The market goes on while the process is down, then it restarts on the same file, and once more.
        exchange.PublishTrade(trades[Math.Min(next, trades.Count - 1)] with { TradeId = 1000 + next });
        foreach (var run in new[] { "b", "c" })
        {
            using var store = new SqliteStrategyStore(path);
            await using var engine = Engine(exchange, store, run);
            await engine.StartAsync();
            for (var i = 0; i < 3; i++)
            {
                var last = trades[^1];
                exchange.PublishTrade(last with { TradeId = 2000 + i + (run == "c" ? 10 : 0), Time = last.Time.AddSeconds(100 + i + (run == "c" ? 10 : 0)) });
            }
        }

        using var final = new SqliteStrategyStore(path);
        var guard = final.Load().Single().Guard?.Fired;
        var market = exchange.Orders.Where(o => o.Price == 0m).ToList();
        var held = exchange.GetBalance("XRP") is var b ? b.Free + b.Locked : 0m;
        return (guard is { Done: true }, Math.Max(0, market.Count - 1) + (market.Count - market.Select(o => o.ClientOrderId).Distinct().Count()), held >= Step);
    }

    // A SQLite store that dies at a chosen save: that save and every later one throw, as if the process was gone.
    private sealed class KillableStore(SqliteStrategyStore inner) : IStrategyStore, IDisposable
    {
        public List<SymbolSnapshot> Saved { get; } = [];

        public Func<SymbolSnapshot, int, bool>? KillWhen { get; set; }

        public bool Killed { get; private set; }

        public IReadOnlyList<StrategySnapshot> Load() => inner.Load();

        public void SaveSymbol(SymbolSnapshot state)
        {
            Killed = Killed || KillWhen?.Invoke(state, Saved.Count) == true;
            if (Killed)
            {
                throw new IOException("killed");
            }

            inner.SaveSymbol(state);
            Saved.Add(state);
        }

        public void RecordIntent(OrderIntent intent)
        {
            if (Killed)
            {
                throw new IOException("killed");
            }

            inner.RecordIntent(intent);
        }

        public void RecordOrderUpdate(OrderUpdate update)
        {
            if (Killed)
            {
                throw new IOException("killed");
            }

            inner.RecordOrderUpdate(update);
        }

        public void Dispose() => inner.Dispose();
    }
}
