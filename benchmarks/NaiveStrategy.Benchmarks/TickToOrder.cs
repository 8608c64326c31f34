using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using NaiveStrategy.Testing;

namespace NaiveStrategy.Benchmarks;

/// <summary>
/// Tick-to-order latency in process: the time from a market trade handed to the engine's market data
/// (the in-memory exchange publishing it) to the order request reaching <see cref="IExchange.PlaceLimitOrderAsync"/>,
/// for every trade that makes a trader place an order. The market alternates 1.0000 and 0.9800; with
/// buy_down 1 % and profit 0.1 % (fees 0.1 % a side) the BUY rests at 0.9900 and fills at 0.9800, where
/// the trader places its SELL at about 0.9930, which fills at 1.0000, where the Leader's replacement
/// places its BUY at 0.9900 again: every trade places one order. (With buy_down below profit plus fees,
/// each cycle's SELL would sit above the price that started it, and a fixed market would stall.)
/// </summary>
internal static class TickToOrder
{
    // Tiered compilation (with PGO) takes the first ~100,000 orders here to settle; a bot runs for weeks, so the
    // figure is the steady state after it (BENCHMARKS.md: with 20,000, the next 50,000 orders still ran tier-0 code).
    private const int WarmUpOrders = 200_000;

    public static async Task<string> InProcessAsync(int orders)
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var filters = new SymbolFilters { Symbol = "XRPUSDT", BaseAsset = "XRP", QuoteAsset = "USDT", TickSize = 0.0001m, StepSize = 1m, MinNotional = 5m };
        // A bounded order history, as a long paper run keeps: an exchange that keeps every order grows the heap by
        // ~600 bytes per order, and on this VM every fresh page the heap touches is a ~10 µs fault (BENCHMARKS.md).
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { filters }, Balances = { ["USDT"] = 1_000_000_000m }, StartTime = start, FinishedOrdersKept = 1_000 });
        var timed = new TimedExchange(exchange);
        var options = new NaiveStrategyOptions();
        options.AddSymbol("XRPUSDT", s => s with { Chunks = 1, Budget = 100m, BuyDownInterval = 0.01m, ProfitInterval = 0.001m, RebuyInterval = 0.5m });
        await using var engine = new NaiveStrategyEngine(timed, exchange, Options.Create(options), new TraderIdGenerator("lat"), exchange.Clock);
        await engine.StartAsync();

        var histogram = new LongHistogram(60 * Stopwatch.Frequency, 3); // up to a minute (a pause must not throw), 3 significant digits
        long id = 0;
        var recorded = 0;
        long allocatedAtStart = 0;
        var buys = new LongHistogram(60 * Stopwatch.Frequency, 3);
        var sells = new LongHistogram(60 * Stopwatch.Frequency, 3);
        var gcAtStart = 0;
        while (recorded < orders)
        {
            if (id > 10L * (orders + WarmUpOrders))
            {
                throw new InvalidOperationException($"Only {timed.Placements} orders after {id} trades: the market no longer makes the trader place orders.");
            }

            var price = (id & 1) == 0 ? 1.0000m : 0.9800m;
            var trade = new TradeEvent("XRPUSDT", ++id, price, 1_000m, start.AddMilliseconds(id));
            var before = timed.Placements;
            timed.Arm();
            var sent = Stopwatch.GetTimestamp();
            exchange.PublishTrade(trade);
            if (timed.Placements == before)
            {
                continue;
            }

            if (timed.Placements - before > 1 || timed.Placements <= WarmUpOrders)
            {
                continue; // warm-up (tiered JIT), or a trade that placed two orders: only single hand-offs count
            }

            if (recorded == 0)
            {
                allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
                gcAtStart = GC.CollectionCount(0);
            }

            histogram.RecordValue(timed.FirstPlacementAt - sent);
            if (timed.FirstSide == OrderSide.Buy) { buys.RecordValue(timed.FirstPlacementAt - sent); } else { sells.RecordValue(timed.FirstPlacementAt - sent); }
            recorded++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart;
        static string Us(double ticks) => (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture);
        return Line("in process", histogram, recorded) + Environment.NewLine + string.Create(
            CultureInfo.InvariantCulture,
            $"  (p90 {Us(histogram.GetValueAtPercentile(90))} µs, p99.9 {Us(histogram.GetValueAtPercentile(99.9))} µs; {allocated / (double)recorded:F0} bytes allocated per order, all work of the order's cycle included; {GC.CollectionCount(0) - gcAtStart} gen-0 collections)") + Environment.NewLine + Line("buys", buys, (int)buys.TotalCount) + Environment.NewLine + Line("sells", sells, (int)sells.TotalCount)
            + Environment.NewLine + Control(orders, histogram.GetValueAtPercentile(50));
    }

    // The machine's noise floor: a fixed piece of work as long as the median order, allocation-free, timed the same
    // way as often. Its p99 is what preemption and cold caches alone add on this machine at this moment.
    private static string Control(int count, long medianTicks)
    {
        var step = 1.0001m;
        var rounds = 1;
        while (Fastest(rounds, step) < medianTicks && rounds < 1 << 20)
        {
            rounds *= 2;
        }

        var histogram = new LongHistogram(60 * Stopwatch.Frequency, 3);
        for (var i = 0; i < count; i++)
        {
            histogram.RecordValue(Time(rounds, step));
        }

        return Line("control (fixed work, no engine)", histogram, count);

        static long Fastest(int rounds, decimal step)
        {
            var fastest = long.MaxValue;
            for (var i = 0; i < 200; i++)
            {
                fastest = Math.Min(fastest, Time(rounds, step));
            }

            return fastest;
        }

        static long Time(int rounds, decimal step)
        {
            var start = Stopwatch.GetTimestamp();
            var x = 1m;
            for (var r = 0; r < rounds; r++)
            {
                x = (x * step) % 7m;
            }

            var ticks = Stopwatch.GetTimestamp() - start;
            return x == -1m ? 0 : ticks; // keeps the work
        }
    }

    internal static string Line(string path, HistogramBase histogram, int orders)
    {
        static string Us(long ticks) => (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture);
        return $"tick-to-order {path}: p50 {Us(histogram.GetValueAtPercentile(50))} µs, p99 {Us(histogram.GetValueAtPercentile(99))} µs, max {Us(histogram.GetMaxValue())} µs over {orders.ToString(CultureInfo.InvariantCulture)} orders";
    }

    // Stamps the moment an order request reaches the exchange interface; everything else passes through.
    private sealed class TimedExchange(IExchange inner) : DelegatingExchange(inner)
    {
        private bool _armed;

        public int Placements { get; private set; }

        /// <summary>When the first order request after <see cref="Arm"/> arrived.</summary>
        public long FirstPlacementAt { get; private set; }

        public void Arm() => _armed = true;

        public OrderSide FirstSide { get; private set; }

        public override ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default)
        {
            if (_armed)
            {
                FirstPlacementAt = Stopwatch.GetTimestamp();
                FirstSide = request.Side;
                _armed = false;
            }

            Placements++;
            return InnerExchange.PlaceLimitOrderAsync(request, cancellationToken);
        }
    }
}
