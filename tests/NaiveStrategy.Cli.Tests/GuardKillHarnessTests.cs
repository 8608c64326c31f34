using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;
using NaiveStrategy.Sqlite;
using NaiveStrategy.Tests.Shared;
using Xunit.Abstractions;

namespace NaiveStrategy.Cli.Tests;

/// <summary>
/// The guard scenario of the crash harness with real processes: the sample's <c>live</c> on the sandbox with
/// <c>--stop-loss 0.47 --guard-action exit</c> and three traders. Each round, once a BUY has filled, the market falls
/// under the stop; the process is killed with SIGKILL the moment the sandbox cancels one of its orders (the cancel
/// phase), restarted on the same state file, killed again the moment the sandbox accepts its exit's MARKET SELL (before
/// the answer leaves), and restarted once more to finish. Then the exchange's own records are checked: one MARKET SELL
/// per exit and no order sent twice (0 duplicate sells), and less than one step of base left (0 unsold base). Bounded:
/// at most <see cref="MaxRounds"/> rounds, none started after <see cref="Budget"/>.
/// </summary>
public sealed class GuardKillHarnessTests(ITestOutputHelper log) : IDisposable
{
    private const string Symbol = "XRPUSDT";
    private const int MaxRounds = 4;
    private const int MinRounds = 2;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-guard-kill-").FullName;
    private int _cancelPhase;
    private int _marketPhase;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Live_KilledDuringTheExitsCancelsAndItsMarketSell_ZeroDuplicateSellsZeroUnsoldBase()
    {
        var clock = Stopwatch.StartNew();
        var (rounds, kills, exits, duplicates, unsold) = (0, 0, 0, 0, 0);
        while (rounds < MaxRounds && (rounds < MinRounds || clock.Elapsed < Budget))
        {
            var round = await RoundAsync(rounds);
            rounds++;
            kills += round.Kills;
            exits += round.Exited ? 1 : 0;
            duplicates += round.Duplicates;
            unsold += round.Unsold ? 1 : 0;
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"guard crash harness (kill -9): {kills} kills during exits, {exits} exits finished, {duplicates} duplicate sells, {unsold} unsold base ({_cancelPhase} in the cancel phase, {_marketPhase} with the MARKET SELL sent; {rounds} rounds, {clock.Elapsed.TotalSeconds:F0} s)"));
        kills.Should().BeGreaterThanOrEqualTo(MinRounds, "kills are aimed at the cancel phase and at the MARKET SELL of every round");
        exits.Should().Be(rounds);
        duplicates.Should().Be(0);
        unsold.Should().Be(0);
    }

    private async Task<(int Kills, bool Exited, int Duplicates, bool Unsold)> RoundAsync(int round)
    {
        var market = new FallingMarket();
        // The market falls the moment the sandbox accepts a trader's SELL: the exit then has that SELL to cancel.
        var placements = new MarketSellWatch { SellPlaced = market.Fall };
        using var loggers = LoggerFactory.Create(b => b.AddProvider(placements).SetMinimumLevel(LogLevel.Debug));
        var options = new SandboxOptions { Port = 0 };
        options.ApiKeys.Add(new SandboxApiKey(CliProcess.Key, CliProcess.Secret));
        options.Balances["USDT"] = 1_000m;
        await using var server = new BinanceSandboxServer(options, loggers);
        await server.StartAsync();
        var urls = (server.RestBaseUrl, server.WebSocketApiUrl, server.StreamBaseUrl);
        var state = Path.Combine(_dir, $"state-{round}.db");
        // A profit target the oscillation never reaches: SELLs rest until the fall, so the exit has them to cancel.
        string[] guard = ["--stop-loss", "0.47", "--guard-action", "exit", "--profit", "0.05"];
        using var stop = new CancellationTokenSource();
        var feeder = Task.Run(() => market.FeedAsync(server, stop.Token));
        var canceled = new CancelWatch();
        using var cancels = server.Exchange.OrderUpdates.Subscribe(canceled.OnUpdate);

        var kills = 0;
        CliProcess? current = null;
        try
        {
            // First life: trade until a SELL rests, then the market falls under the stop; killed at the exit's first cancel
            // (or, when it had nothing to cancel, as soon as the guard fired).
            using (var first = CliProcess.Live(state, urls, extra: guard))
            {
                current = first;
                var killed = canceled.KillAtFirst(first);
                await UntilAsync(() => market.Fallen || first.HasExited, "a BUY fills and its SELL is placed");
                // Gone already is fine only when killed at the exit's first cancel (the fall, guard and cancel can all come
                // between two looks); gone on its own is a failure.
                (first.HasExited && !killed.IsCompleted).Should().BeFalse(first.Error);
                // The kill, or (with nothing to cancel) no kill within Wait: the round goes on either way.
                await ((Task)killed).WaitAsync(Wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
                canceled.Disarm();
                kills += await KilledDuringExitAsync(first, state);
            }

            // Second life: it asks again for the cancels, then sends the MARKET SELL; killed the moment the sandbox has it
            // (unless the first life got that far: then it finds the MARKET SELL by its client order id).
            using (var second = CliProcess.Live(state, urls, extra: guard))
            {
                current = second;
                var killed = placements.KillAtMarketSell(second);
                await UntilAsync(() => killed.IsCompleted || ExitDone(state) || second.HasExited, "the MARKET SELL is sent or the exit is over");
                placements.Disarm();
                kills += await KilledDuringExitAsync(second, state);
            }

            // Third life: finds the MARKET SELL by its client order id, and the exit ends once it filled.
            using (var third = CliProcess.Live(state, urls, extra: guard))
            {
                current = third;
                await UntilAsync(() => ExitDone(state) || third.HasExited, "the exit is over");
                await third.KillAsync();
            }
        }
        catch (Exception) when (current is not null)
        {
            // What the process said and what the exchange holds, for the failure's report.
            log.WriteLine(current.Output);
            log.WriteLine(current.Error);
            log.WriteLine(string.Join("\n", server.Exchange.Orders));
            if (File.Exists(state))
            {
                using var saved = SqliteStrategyStore.OpenReadOnly(state);
                foreach (var symbol in saved.Load())
                {
                    log.WriteLine($"saved: {symbol.Status}, dust {symbol.Dust}, traders {symbol.Traders.Count}, guard {symbol.Guard?.Fired}, exit {symbol.Guard?.Fired?.ExitOrder}");
                }
            }

            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await feeder;
        }

        var orders = server.Exchange.Orders;
        var sells = orders.Count(o => o.Symbol == Symbol && o.Side == OrderSide.Sell && o.ClientOrderId.Contains("-x", StringComparison.Ordinal));
        var held = server.Exchange.GetBalance("XRP") is var b ? b.Free + b.Locked : 0m;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {orders.Count} orders, {sells} MARKET SELL(s), {held} XRP left, {kills} kills"));
        return (kills, ExitDone(state), Math.Max(0, sells - 1) + OrderAudit.Duplicates(orders), held >= 1m);
    }

    // Kills the process (if the aimed kill has not), and says whether it died with the exit under way: the guard fired
    // and saved, its action not over.
    private async Task<int> KilledDuringExitAsync(CliProcess process, string state)
    {
        await process.KillAsync();
        using var store = SqliteStrategyStore.OpenReadOnly(state);
        if (store.Load().SingleOrDefault()?.Guard?.Fired is not { Done: false } fired)
        {
            return 0;
        }

        if (fired.ExitOrder is null)
        {
            _cancelPhase++;
        }
        else
        {
            _marketPhase++;
        }

        return 1;
    }

    private static bool ExitDone(string state)
    {
        if (!File.Exists(state))
        {
            return false;
        }

        using var store = SqliteStrategyStore.OpenReadOnly(state);
        return store.Load().SingleOrDefault()?.Guard?.Fired is { Done: true };
    }

    private static Task UntilAsync(Func<bool> condition, string what) =>
        NaiveStrategy.Tests.Shared.Wait.UntilAsync(condition, what, Wait, every: TimeSpan.FromMilliseconds(50));

    // Around 0.5, then, once told, at 0.455-0.464: under the stop.
    private sealed class FallingMarket
    {
        private volatile bool _fallen;

        public bool Fallen => _fallen;

        public void Fall() => _fallen = true;

        public async Task FeedAsync(BinanceSandboxServer server, CancellationToken stop)
        {
            long id = 0;
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10)); // a live market: a trade every 10 ms
            while (!stop.IsCancellationRequested)
            {
                id++;
                // A triangle wave of 20 trades whose troughs fall 0.0002 a period down to 0.48: a BUY under any price seen fills.
                var trough = Math.Max(0.48m, 0.495m - (0.0002m * (id / 20)));
                var price = _fallen ? 0.455m + ((id % 10) / 1000m) : trough + (Math.Abs((id % 20) - 10) / 1000m);
                server.PublishTrade(new TradeEvent(Symbol, id, price, 10_000m, DateTimeOffset.UtcNow));
                await pace.WaitForNextTickAsync(CancellationToken.None);
            }
        }
    }

    // Kills the process from inside the exchange's own event, before its answer leaves.
    private abstract class Killer
    {
        private readonly Lock _gate = new();
        private CliProcess? _victim;
        private TaskCompletionSource<bool>? _killed;

        protected Task<bool> Arm(CliProcess victim)
        {
            lock (_gate)
            {
                _victim = victim;
                _killed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _killed.Task;
            }
        }

        protected void Happened()
        {
            lock (_gate)
            {
                if (_victim is null)
                {
                    return;
                }

                try
                {
                    _ = _victim.KillAsync();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                _victim = null;
                _killed!.TrySetResult(true);
            }
        }

        public void Disarm()
        {
            lock (_gate)
            {
                _victim = null;
                _killed?.TrySetResult(false);
            }
        }
    }

    private sealed class CancelWatch : Killer
    {
        public Task<bool> KillAtFirst(CliProcess victim) => Arm(victim);

        public void OnUpdate(OrderUpdate update)
        {
            if (update.Status == OrderStatus.Canceled)
            {
                Happened();
            }
        }
    }

    // The sandbox logs every order it accepts (its event 4) right after the order exists, before the answer is written.
    private sealed class MarketSellWatch : Killer, ILoggerProvider, ILogger
    {
        public Action? SellPlaced { get; init; }

        public Task<bool> KillAtMarketSell(CliProcess victim) => Arm(victim);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!SandboxPlacements.IsPlacement(eventId, state, out _, out var clientOrderId))
            {
                return;
            }

            if (clientOrderId.Contains("-x", StringComparison.Ordinal))
            {
                Happened();
            }
            else if (clientOrderId.EndsWith("-s", StringComparison.Ordinal))
            {
                SellPlaced?.Invoke();
            }
        }

        public void Dispose()
        {
        }
    }
}
