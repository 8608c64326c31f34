using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.Channels;
using HdrHistogram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NaiveStrategy.Binance.Sandbox;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// Tick-to-order latency over loopback: the sandbox (<see cref="BinanceSandboxServer"/> on 127.0.0.1) publishes a
/// trade on its market stream; the real Binance adapter (streams, REST) carries it to the engine and the engine's
/// order back; the clock stops when the sandbox has placed the order (its <c>OrderPlaced</c> log event, written
/// right after its in-memory exchange accepted it). The adapter's own pacing to Binance's limits is lifted.
/// <para>
/// One loop per symbol (one by default; more run side by side), each waiting on events, never on a timer: one trader
/// per symbol (chunks 1, buy_down 1 %, profit 0.1 %) and a cycle of three prices. A trade at 1.0000 makes the fresh
/// trader place its BUY (0.9900); a trade at 0.9800 fills it and the fill report makes it place its SELL (about
/// 0.9930); a trade at 1.0050 fills the SELL, the trader completes and the engine starts its replacement (its
/// <see cref="TraderStarted"/> event). The fill report (user data stream) and the trade (market stream) come on two
/// sockets, so the replacement sees that trade or not: if it does, it places its BUY at 0.9949, else the loop's next
/// trade at 1.0000 makes it place at 0.9900 (and a BUY at 0.9949 rests under 1.0000). The BUY's price says which
/// trade made it, so every order is timed from the trade that caused it. Before the trade that fills a SELL, the loop
/// waits until the engine has handled every trade sent so far (its <c>naive.trades.processed</c> counter): a fill
/// report can overtake its trade, and a late 0.9800 would otherwise make the replacement buy where 0.9800 never fills.
/// </para>
/// </summary>
internal static class TickToOrderSandbox
{
    private const string Key = "bench-key";
    private const string Secret = "bench-secret";
    // About 1,000 warm-up orders in all, at least one and at most 50 per symbol: with 1,000 symbols, 50 each would use up
    // the run before a single order is counted.
    private static int WarmUpOrdersPerSymbol(int symbols) => Math.Clamp(1_000 / symbols, 1, 50);
    private const decimal Place = 1.0000m;
    private const decimal FillBuy = 0.9800m;
    private const decimal FillSell = 1.0050m;
    private const decimal BuyOnPlace = 0.9900m;    // 1.0000 less buy_down 1 %
    private const decimal BuyOnFillSell = 0.9949m; // 1.0050 less buy_down 1 %, floored to the tick
    private const string BuySuffix = "-b";
    private const string SellSuffix = "-s";
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);

    public static async Task<string> ViaSandboxAsync(int orders, TimeSpan limit, int symbolCount)
    {
        var symbols = Enumerable.Range(1, symbolCount).Select(i => new SymbolFilters
        {
            Symbol = $"X{i:D2}USDT", BaseAsset = $"X{i:D2}", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 5m,
        }).ToArray();
        var warmUp = WarmUpOrdersPerSymbol(symbolCount);
        var loops = symbols.ToDictionary(s => s.Symbol, s => new SymbolLoop(s.Symbol, warmUp), StringComparer.Ordinal);
        var stamps = new PlacementStamps(loops);
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(stamps));
        var sandboxOptions = new SandboxOptions { Port = 0, RequestWeightPerMinute = int.MaxValue, OrdersPer10Seconds = int.MaxValue, OrdersPerDay = int.MaxValue, MaxQueuedMessagesPerConnection = 1_000_000 };
        sandboxOptions.ApiKeys.Add(new SandboxApiKey(Key, Secret));
        sandboxOptions.Balances["USDT"] = 1_000_000_000m;
        foreach (var s in symbols)
        {
            sandboxOptions.Symbols.Add(s);
        }

        await using var server = new BinanceSandboxServer(sandboxOptions, loggerFactory);
        await server.StartAsync();

        var services = new ServiceCollection();
        // BENCH_LOG=1: every log line of the engine and the adapter; BENCH_LOG=info: information and above (retries, resyncs).
        services.AddLogging(b => b.SetMinimumLevel(Environment.GetEnvironmentVariable("BENCH_LOG") switch { "1" => LogLevel.Debug, "info" => LogLevel.Information, _ => LogLevel.None }).AddConsole());
        services.AddNaiveStrategy(o =>
            {
                foreach (var s in symbols)
                {
                    o.AddSymbol(s.Symbol, x => x with { Chunks = 1, Budget = 100m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m, RebuyInterval = 0.5m });
                }
            })
            .AddBinanceExchange(o =>
            {
                o.ApiKey = Key;
                o.SecretKey = Secret;
                o.RestBaseUrl = new Uri(server.RestBaseUrl);
                o.WebSocketApiUrl = new Uri(server.WebSocketApiUrl);
                o.StreamBaseUrl = new Uri(server.StreamBaseUrl);
                o.RequestWeightPerMinute = int.MaxValue; // the adapter would pace itself to Binance's limits (100 orders per 10 s):
                o.OrdersPer10Seconds = int.MaxValue;     // the sandbox enforces none here, and the wait is not the engine's latency
            });
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<NaiveStrategyEngine>();
        using var replacements = engine.Events.Subscribe(e =>
        {
            if (e.Event is TraderStarted { Reason: TraderStartReason.Replacement } && loops.TryGetValue(e.Symbol, out var loop))
            {
                loop.Replaced.Writer.TryWrite(true);
            }
        });
        await engine.StartAsync();
        // Streams connected: many symbols share combined-stream connections, the first of each by URL, the rest by
        // SUBSCRIBE batches (a few a second); a trade published before its stream is live is never seen.
        await Task.Delay(TimeSpan.FromMilliseconds(500 + (5 * symbolCount)));

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var recorded = new Counter();
        using var processed = new TradesProcessed();
        using var stop = new CancellationTokenSource(limit);
        await Task.WhenAll(loops.Values.Select(loop => Task.Run(() => loop.RunAsync(server, engine, processed, recorded, orders, symbolCount >= 100, stop.Token))));
        wall.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var trades = loops.Values.Sum(l => l.Trades);
        var tradesPerSecond = trades / wall.Elapsed.TotalSeconds;

        var histogram = new LongHistogram(60 * Stopwatch.Frequency, 3);
        foreach (var loop in loops.Values)
        {
            histogram.Add(loop.Histogram);
        }

        var total = (int)histogram.TotalCount;
        if (total == 0)
        {
            throw new InvalidOperationException($"No order reached the sandbox within {limit.TotalSeconds:F0} s.");
        }

        var stalled = loops.Values.Where(l => l.Stalled is not null).Select(l => l.Stalled!).ToArray();
        var byTrigger = string.Join(", ", loops.Values.Aggregate(new long[3], (sum, l) => [sum[0] + l.ByTrade, sum[1] + l.ByFill, sum[2] + l.ByReplacementTrade]).Select((n, i) => $"{n} {(i == 0 ? "BUYs on a trade" : i == 1 ? "SELLs on a fill report" : "BUYs on the trade that filled the SELL")}"));
        return TickToOrder.Line("via sandbox", histogram, total) + Environment.NewLine
            + string.Create(CultureInfo.InvariantCulture, $"  ({symbolCount} symbols side by side, {wall.Elapsed.TotalSeconds:F1} s, {total / wall.Elapsed.TotalSeconds:F0} orders/s; {byTrigger}; {warmUp} warm-up orders per symbol not counted)") + Environment.NewLine
            + string.Create(CultureInfo.InvariantCulture, $"  connections accepted: {server.ConnectionsAccepted(SandboxSocketKinds.MarketStreams)} market streams, {server.ConnectionsAccepted(SandboxSocketKinds.WebSocketApi)} WebSocket API") + Environment.NewLine
            + string.Create(CultureInfo.InvariantCulture, $"  stalled loops: {stalled.Length} of {symbolCount}{(stalled.Length > 0 ? " (first ones: " + string.Join(" | ", stalled.Take(3)) + ")" : "")}; market data: {trades:N0} trades published, {tradesPerSecond:F0}/s; CPU {cpu.TotalSeconds:F2} s = {cpu.TotalSeconds / wall.Elapsed.TotalSeconds / (tradesPerSecond / 1_000):F3} s of CPU per second per 1,000 trades/s (engine, adapter and sandbox together); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB; thread pool: at most {processed.MaxThreads} threads, {processed.MaxPendingWorkItems} queued items");
    }

    // The engine's count of market trades handled per symbol (its naive.trades.processed counter), sampled every
    // millisecond by one task (every loop recording the instruments itself, under a lock, kept up to 1,000 thread-pool
    // threads blocked on that lock), and the thread pool's queue and size at each sample.
    private sealed class TradesProcessed : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;

        public long MaxPendingWorkItems { get; private set; }

        public int MaxThreads { get; private set; }

        public TradesProcessed()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == NaiveStrategyMetrics.MeterName && instrument.Name == NaiveStrategyMetrics.TradesProcessed)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == NaiveStrategyMetrics.SymbolTag && tag.Value is string symbol)
                    {
                        _counts[symbol] = value;
                    }
                }
            });
            _listener.Start();
            _sampler = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    _listener.RecordObservableInstruments();
                    MaxPendingWorkItems = Math.Max(MaxPendingWorkItems, ThreadPool.PendingWorkItemCount);
                    MaxThreads = Math.Max(MaxThreads, ThreadPool.ThreadCount);
                    await Task.Delay(1);
                }
            });
        }

        // Until the engine has handled `count` trades of `symbol` (most often at once: the trade came before its fill report).
        public async Task UntilAsync(string symbol, long count, CancellationToken stop)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(Stall.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                if (_counts.GetValueOrDefault(symbol) >= count)
                {
                    return;
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new InvalidOperationException($"{symbol}: the engine handled {_counts.GetValueOrDefault(symbol)} of {count} trades within {Stall.TotalSeconds:F0} s.");
                }

                await Task.Delay(1, stop);
            }
        }

        // The engine's count for `symbol` now.
        public long Count(string symbol) => _counts.GetValueOrDefault(symbol);

        public void Dispose()
        {
            _stop.Cancel();
            _sampler.Wait();
            _listener.Dispose();
            _stop.Dispose();
        }
    }

    private sealed class Counter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public int Increment() => Interlocked.Increment(ref _value);
    }

    // One symbol's cycle: the trade that places the BUY, the trade that fills it (the SELL follows its fill report),
    // the trade that fills the SELL (the replacement may place on it), then, if it did not, the trade that places.
    private sealed class SymbolLoop(string symbol, int warmUp)
    {
        private Func<string> _describe = () => "";
        private long _id;
        private long _unseen;
        private int _seen;

        public long Trades => Volatile.Read(ref _id);

        public Channel<(long At, string ClientOrderId)> Placed { get; } = Channel.CreateUnbounded<(long, string)>(new UnboundedChannelOptions { SingleReader = true });

        public Channel<bool> Replaced { get; } = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });

        public LongHistogram Histogram { get; } = new(60 * Stopwatch.Frequency, 3);

        public long ByTrade { get; private set; }

        public long ByFill { get; private set; }

        public long ByReplacementTrade { get; private set; }

        public string? Stalled { get; private set; }

        public async Task RunAsync(BinanceSandboxServer server, NaiveStrategyEngine engine, TradesProcessed processed, Counter recorded, int orders, bool tolerateStalls, CancellationToken stop)
        {
            _describe = () => Describe(server, engine, processed);
            try
            {
                // With many symbols their streams go live over several seconds, and a trade sent before is never seen: the
                // first trade is sent again until the fresh trader has placed its BUY (not counted), and the trades the
                // engine never saw are left out of the count the loop waits for below.
                await FirstBuyAsync(server, processed, stop);
                var buyPending = false;
                while (recorded.Value < orders && !stop.IsCancellationRequested)
                {
                    if (buyPending)
                    {
                        var sent = await SendAsync(server, Place, stop);
                        var (at, cid) = await NextAsync(Placed, stop);
                        Expect(cid, BuySuffix);
                        Record(at - sent, recorded);
                        ByTrade++;
                    }

                    var fillSent = await SendAsync(server, FillBuy, stop);
                    var (sellAt, sellCid) = await NextAsync(Placed, stop);
                    Expect(sellCid, SellSuffix);
                    Record(sellAt - fillSent, recorded);
                    ByFill++;

                    // The fill report may overtake the trade: wait until the trade has reached the engine, so no trade of
                    // this cycle can meet the replacement (a BUY at 0.9702 would never fill at 0.9800).
                    await processed.UntilAsync(symbol, _id - _unseen, stop);
                    var sellFillSent = await SendAsync(server, FillSell, stop);
                    await NextAsync(Replaced, stop);
                    await processed.UntilAsync(symbol, _id - _unseen, stop);
                    var placeSent = 0L;
                    if (engine.GetState(symbol)?.Traders is not [{ BuyOrder: not null }])
                    {
                        placeSent = await SendAsync(server, Place, stop); // the replacement handled the trade before it existed: it places on this one
                    }

                    // Which trade placed the BUY (its state may not have been applied when read above): its price says.
                    var (buyAt, buyCid) = await NextAsync(Placed, stop);
                    Expect(buyCid, BuySuffix);
                    var found = await server.Exchange.GetOrderAsync(symbol, buyCid, stop);
                    var price = found.IsSuccess ? found.Value.Price : 0m;
                    if (price == BuyOnPlace && placeSent != 0)
                    {
                        Record(buyAt - placeSent, recorded);
                        ByTrade++;
                    }
                    else if (price == BuyOnFillSell)
                    {
                        Record(buyAt - sellFillSent, recorded);
                        ByReplacementTrade++;
                    }
                    else
                    {
                        throw new StallException($"{symbol}: BUY {buyCid} at {price} follows no trade of the cycle.");
                    }

                    buyPending = false;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Out of time: what was recorded stands.
            }
            catch (StallException ex) when (tolerateStalls)
            {
                // Many symbols: a stalled loop ends (reported), the others go on.
                Stalled = ex.Message;
            }
        }

        // Publishes without blocking a thread: 1,000 loops blocked in the synchronous PublishTrade would hold the
        // thread-pool threads the sandbox's requests and the adapter need.
        private async Task<long> SendAsync(BinanceSandboxServer server, decimal price, CancellationToken stop)
        {
            var id = ++_id;
            var trade = new TradeEvent(symbol, id, price, 1_000m, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(id));
            var sent = Stopwatch.GetTimestamp();
            await server.PublishTradeAsync(trade, stop);
            return sent;
        }

        private void Record(long ticks, Counter recorded)
        {
            if (++_seen > warmUp)
            {
                Histogram.RecordValue(ticks);
                recorded.Increment();
            }
        }

        private void Expect(string clientOrderId, string suffix)
        {
            if (!clientOrderId.EndsWith(suffix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{symbol}: expected an order ending {suffix}, the sandbox placed {clientOrderId}.");
            }
        }

        // What the engine and the sandbox hold for the symbol when its loop stalls.
        private string Describe(BinanceSandboxServer server, NaiveStrategyEngine engine, TradesProcessed processed)
        {
            var state = engine.GetState(symbol);
            var traders = state is null ? "no state" : string.Join(", ", state.Traders.Select(t =>
                $"{t.TraderId} BUY {t.BuyOrder?.ClientOrderId} {t.BuyOrder?.Status} {t.BuyOrder?.Price} SELL {t.SellOrder?.ClientOrderId} {t.SellOrder?.Status} {t.SellOrder?.Price}"));
            var orders = string.Join(", ", server.Exchange.Orders.Where(o => o.Symbol == symbol).TakeLast(3).Select(o => $"{o.ClientOrderId} {o.Side} {o.Price} {o.Status}"));
            return $"engine handled {processed.Count(symbol)} trades; traders: [{traders}]; sandbox's last orders: [{orders}]";
        }

        private async Task FirstBuyAsync(BinanceSandboxServer server, TradesProcessed processed, CancellationToken stop)
        {
            for (var attempt = 0; attempt < 60; attempt++)
            {
                await SendAsync(server, Place, stop);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    var (_, cid) = await Placed.Reader.ReadAsync(wait.Token);
                    Expect(cid, BuySuffix);
                    await Task.Delay(1_000, stop); // a trade sent again meanwhile reaches the engine (and places nothing)
                    _unseen = _id - processed.Count(symbol);
                    return;
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Not live yet: send it again.
                }
            }

            throw new InvalidOperationException($"{symbol}: no BUY within 30 s of its first trade: its stream never went live.");
        }

        private async Task<T> NextAsync<T>(Channel<T> channel, CancellationToken stop)
        {
            using var stalled = CancellationTokenSource.CreateLinkedTokenSource(stop);
            stalled.CancelAfter(Stall);
            try
            {
                return await channel.Reader.ReadAsync(stalled.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new StallException($"{symbol}: nothing came for {Stall.TotalSeconds:F0} s after trade {_id} (waiting for {(typeof(T) == typeof(bool) ? "the replacement" : "a placement")}): the engine stalled; {_describe()}");
            }
        }
    }

    // Stamps the sandbox's OrderPlaced log events (event 4 of NaiveStrategy.Binance.Sandbox) and hands each to its symbol's loop.
    private sealed class PlacementStamps(Dictionary<string, SymbolLoop> loops) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("NaiveStrategy.Binance.Sandbox", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 4)
            {
                return;
            }

            var at = Stopwatch.GetTimestamp();
            string? symbol = null;
            string? cid = null;
            foreach (var field in state as IReadOnlyList<KeyValuePair<string, object?>> ?? [])
            {
                symbol = field.Key == "Symbol" ? field.Value as string : symbol;
                cid = field.Key == "ClientOrderId" ? field.Value as string : cid;
            }

            if (symbol is not null && cid is not null && loops.TryGetValue(symbol, out var loop))
            {
                loop.Placed.Writer.TryWrite((at, cid));
            }
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>A symbol's loop lost its cycle: the engine did not answer a trade, or answered one the loop did not expect.</summary>
internal sealed class StallException(string message) : InvalidOperationException(message);
