using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NaiveStrategy.Engine;

/// <summary>
/// The engine's meter: counters of orders as a projection of its events, gauges and the trade counter
/// read from the pipelines when a listener collects (the hot path only bumps a field), and the
/// tick-to-order histogram, stamped only while someone listens to it.
/// </summary>
internal sealed class EngineMetrics : IObserver<StrategyEvent>, IDisposable
{
    // 1 µs to 1 s: the engine's own latency is microseconds, a slow store or a loaded machine milliseconds.
    private static readonly double[] LatencyBuckets =
        [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly Meter _meter;
    private readonly Counter<long> _placed;
    private readonly Counter<long> _filled;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _guards;
    private readonly Histogram<double> _tickToOrder;

    public EngineMetrics(object scope, Func<IEnumerable<SymbolPipeline>> pipelines)
    {
        _meter = new Meter(new MeterOptions(NaiveStrategyMetrics.MeterName) { Scope = scope });
        _placed = _meter.CreateCounter<long>(NaiveStrategyMetrics.OrdersPlaced, "{order}", "Orders handed to the exchange.");
        _filled = _meter.CreateCounter<long>(NaiveStrategyMetrics.OrdersFilled, "{order}", "Orders filled completely.");
        _rejected = _meter.CreateCounter<long>(NaiveStrategyMetrics.OrdersRejected, "{order}", "Orders the exchange refused for good.");
        _guards = _meter.CreateCounter<long>(NaiveStrategyMetrics.GuardsFired, "{guard}", "Risk guards that fired, by symbol and guard.");
        _tickToOrder = _meter.CreateHistogram(NaiveStrategyMetrics.TickToOrder, "s", "From a market trade or order update entering its symbol's pipeline to the order it made handed to the exchange.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _meter.CreateObservableCounter(NaiveStrategyMetrics.TradesProcessed, () => Each(pipelines(), static p => p.TradesProcessed), "{trade}", "Market trades handled.");
        _meter.CreateObservableGauge(NaiveStrategyMetrics.TradersActive, () => Each(pipelines(), static p => Active(p.State)), "{trader}", "Traders running.");
        // A double at this edge only: metric pipelines (OpenTelemetry, Prometheus) carry no decimal instruments.
        _meter.CreateObservableGauge(NaiveStrategyMetrics.RealizedPnl, () => Each(pipelines(), static p => (double)p.State.RealizedPnl), "{quote}", "Realized PnL in the quote asset.");
    }

    /// <summary>True while someone listens to the latency histogram: only then are trades stamped.</summary>
    public bool TimesTicks => _tickToOrder.Enabled;

    /// <summary>Records the latency of an order made by a trade stamped at <paramref name="receivedAt"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void OrderHandedOver(long receivedAt)
    {
        if (receivedAt != 0)
        {
            _tickToOrder.Record(Stopwatch.GetElapsedTime(receivedAt).TotalSeconds);
        }
    }

    public void OnNext(StrategyEvent value)
    {
        if (!(_placed.Enabled || _filled.Enabled || _rejected.Enabled || _guards.Enabled))
        {
            return; // nobody listens: not even the type test per event
        }

        if (value.Event is GuardTriggered fired)
        {
            _guards.Add(1, new KeyValuePair<string, object?>(NaiveStrategyMetrics.SymbolTag, value.Symbol), new KeyValuePair<string, object?>(NaiveStrategyMetrics.GuardTag, fired.Guard.ToString()));
            return;
        }

        var counter = value.Event switch
        {
            OrderPlaced => _placed,
            OrderFilled { Order.Status: OrderStatus.Filled } => _filled,
            OrderRejected => _rejected,
            _ => null,
        };
        counter?.Add(1, new KeyValuePair<string, object?>(NaiveStrategyMetrics.SymbolTag, value.Symbol));
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    public void Dispose() => _meter.Dispose();

    private static int Active(LeaderState state)
    {
        var running = 0;
        foreach (var t in state.Traders)
        {
            if (t.Outcome is null)
            {
                running++;
            }
        }

        return running;
    }

    private static List<Measurement<T>> Each<T>(IEnumerable<SymbolPipeline> pipelines, Func<SymbolPipeline, T> value)
        where T : struct
    {
        var measurements = new List<Measurement<T>>();
        foreach (var p in pipelines)
        {
            measurements.Add(new Measurement<T>(value(p), new KeyValuePair<string, object?>(NaiveStrategyMetrics.SymbolTag, p.Symbol)));
        }

        return measurements;
    }
}
