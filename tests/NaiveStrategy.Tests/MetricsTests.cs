using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;
using NaiveStrategy.Testing;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

public sealed class MetricsTests
{
    // Listens to one engine's meter only (its scope), so engines of tests running in parallel do not count.
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _gate = new();

        public Recorder(object engine)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == NaiveStrategyMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, engine))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, (decimal)v, tags));
            _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public List<(string Name, decimal Value, string? Symbol)> Measurements { get; } = [];

        public void Collect() => _listener.RecordObservableInstruments();

        public decimal Sum(string name)
        {
            lock (_gate)
            {
                return Measurements.Where(m => m.Name == name).Sum(m => m.Value);
            }
        }

        public decimal Last(string name)
        {
            lock (_gate)
            {
                return Measurements.Last(m => m.Name == name).Value;
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                Measurements.Clear();
            }
        }

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, decimal value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? symbol = null;
            foreach (var tag in tags)
            {
                if (tag.Key == NaiveStrategyMetrics.SymbolTag)
                {
                    symbol = (string?)tag.Value;
                }
            }

            lock (_gate)
            {
                Measurements.Add((instrument.Name, value, symbol));
            }
        }
    }

    private static (InMemoryExchange Exchange, NaiveStrategyEngine Engine) Start(SymbolSettings settings, decimal quote = 1000m)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Filters(minNotional: 1m) }, Balances = { ["USDT"] = quote } });
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        return (exchange, new NaiveStrategyEngine(exchange, exchange, Options.Create(options), new TraderIdGenerator("m"), exchange.Clock));
    }

    [Fact]
    public async Task Collect_AfterACycle_CountsTradesOrdersTradersAndPnlPerSymbol()
    {
        var (exchange, engine) = Start(Settings(chunks: 1, budget: 100m, buyDown: 0.01m, profit: 0.001m, rebuy: 0.5m));
        await using var _ = engine;
        using var recorder = new Recorder(engine);
        await engine.StartAsync();

        // The first trade places the BUY at 0.99, the next fills it (its fill places the SELL), the last fills the SELL.
        exchange.PublishTrade(Trade(1.00m, 1));
        exchange.PublishTrade(Trade(0.98m, 2));
        exchange.PublishTrade(Trade(1.00m, 3));
        recorder.Collect();

        recorder.Sum(NaiveStrategyMetrics.OrdersPlaced).Should().Be(exchange.Orders.Count).And.BeGreaterThanOrEqualTo(3);
        recorder.Sum(NaiveStrategyMetrics.OrdersFilled).Should().Be(2);
        recorder.Sum(NaiveStrategyMetrics.OrdersRejected).Should().Be(0);
        recorder.Last(NaiveStrategyMetrics.TradesProcessed).Should().Be(3);
        recorder.Last(NaiveStrategyMetrics.TradersActive).Should().Be(engine.GetState("XRPUSDT")!.Traders.Count).And.Be(1);
        var pnl = engine.GetState("XRPUSDT")!.RealizedPnl;
        pnl.Should().NotBe(0m, "a cycle completed");
        recorder.Last(NaiveStrategyMetrics.RealizedPnl).Should().Be((decimal)(double)pnl);
        recorder.Measurements.Should().OnlyContain(m => m.Name == NaiveStrategyMetrics.TickToOrder || m.Symbol == "XRPUSDT");
    }

    [Fact]
    public async Task TickToOrder_TradesAndFillsThatPlaceOrders_RecordOneLatencyPerOrder()
    {
        var (exchange, engine) = Start(Settings(chunks: 1, budget: 100m, buyDown: 0.01m, profit: 0.001m, rebuy: 0.5m));
        await using var _ = engine;
        using var recorder = new Recorder(engine);
        await engine.StartAsync();
        var placedAtStart = exchange.Orders.Count;

        exchange.PublishTrade(Trade(1.00m, 1));
        exchange.PublishTrade(Trade(0.98m, 2));
        exchange.PublishTrade(Trade(0.985m, 3)); // changes nothing: no latency

        var latencies = recorder.Measurements.Where(m => m.Name == NaiveStrategyMetrics.TickToOrder).ToList();
        latencies.Should().HaveCount(exchange.Orders.Count - placedAtStart).And.HaveCount(2);
        latencies.Should().OnlyContain(m => m.Value > 0m && m.Value < 60m);
    }

    [Fact]
    public async Task OrdersRejected_ExchangeRefusesEveryOrder_CountsEachRefusal()
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions { Symbols = { Filters(minNotional: 1m) }, Balances = { ["USDT"] = 1000m } });
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(Settings(chunks: 1, budget: 100m, buyDown: 0.01m, profit: 0.001m, rebuy: 0.5m));
        await using var engine = new NaiveStrategyEngine(new RefusingExchange(exchange), exchange, Options.Create(options), new TraderIdGenerator("m"), exchange.Clock);
        using var recorder = new Recorder(engine);
        var events = new List<StrategyEvent>();
        using var sub = engine.Events.Subscribe(events.Add);
        await engine.StartAsync();

        exchange.PublishTrade(Trade(1.00m, 1));

        events.Count(e => e.Event is OrderRejected).Should().BePositive();
        recorder.Sum(NaiveStrategyMetrics.OrdersRejected).Should().Be(events.Count(e => e.Event is OrderRejected));
        recorder.Sum(NaiveStrategyMetrics.OrdersPlaced).Should().Be(events.Count(e => e.Event is OrderPlaced));
    }

    // Refuses every order for good (a filter failure the runner does not retry).
    private sealed class RefusingExchange(InMemoryExchange inner) : DelegatingExchange(inner)
    {
        public override ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ExchangeResult<OrderUpdate>.Failure(new ExchangeError(ExchangeErrorKind.Rejected, -1013, "Filter failure: PRICE_FILTER")));
    }
}
