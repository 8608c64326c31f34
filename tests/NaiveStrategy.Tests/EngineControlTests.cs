using System.Reactive.Linq;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NaiveStrategy.Mock;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

/// <summary>What a control API reads from and does to a running engine.</summary>
public sealed class EngineControlTests
{
    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions { Symbols = { Filters(minNotional: 1m) }, Balances = { ["USDT"] = 1000m } });

    private static NaiveStrategyEngine Engine(InMemoryExchange exchange, SymbolSettings settings, IStrategyStore? store = null, IMarketData? marketData = null, TimeProvider? time = null)
    {
        var options = new NaiveStrategyOptions();
        options.Symbols.Add(settings);
        return new NaiveStrategyEngine(exchange, marketData ?? exchange, Options.Create(options), new TraderIdGenerator("c"), time ?? exchange.Clock, null, store);
    }

    [Fact]
    public async Task Readiness_StartedWithWorkingStreamsAndStore_IsReady()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings(), new InMemoryStrategyStore());
        engine.Readiness.IsReady.Should().BeFalse("not started yet");
        engine.Readiness.ToString().Should().Be("not started");

        await engine.StartAsync();

        engine.Readiness.Status.Should().Be(EngineReadinessStatus.Ready);
        engine.Readiness.StoreError.Should().BeNull();
        engine.Readiness.StreamsDown.Should().BeEmpty();
        engine.Readiness.IsReady.Should().BeTrue();
        engine.Readiness.ToString().Should().Be("ready");
    }

    [Fact]
    public async Task Readiness_StoreThrows_NamesTheErrorUntilAWriteSucceeds()
    {
        var exchange = Exchange();
        var store = new FailingStore();
        await using var engine = Engine(exchange, Settings(), store);
        await engine.StartAsync();

        store.Fail = true;
        exchange.PublishTrade(Trade(1.00m, 1));
        engine.Readiness.StoreError.Should().Be("disk full");
        engine.Readiness.IsReady.Should().BeFalse();
        engine.Readiness.ToString().Should().Be("the store cannot write: disk full");

        store.Fail = false;
        exchange.PublishTrade(Trade(1.00m, 2));
        engine.Readiness.StoreError.Should().BeNull();
    }

    [Fact]
    public async Task Readiness_MarketStreamFails_ListsItUntilAnItemArrives()
    {
        var exchange = Exchange();
        var time = new FakeTimeProvider(T0);
        var market = new FlakyMarket();
        await using var engine = Engine(exchange, Settings(), marketData: market, time: time);
        await engine.StartAsync();

        market.Fail(new IOException("connection reset"));
        time.Advance(TimeSpan.FromMinutes(1)); // past the backoff: subscribed again
        engine.Readiness.StreamsDown.Should().Equal("XRPUSDT market trades");
        engine.Readiness.ToString().Should().Be("streams down: XRPUSDT market trades");

        market.Publish(Trade(1.00m, 1));
        engine.Readiness.StreamsDown.Should().BeEmpty();
    }

    [Fact]
    public async Task StartTradingAsync_AfterSettingsChangedAndStop_KeepsTheChangedSettings()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings(chunks: 5));
        await engine.StartAsync();

        engine.UpdateSettings(engine.GetSettings("XRPUSDT")! with { Chunks = 3 });
        engine.StopTrading("XRPUSDT");
        await engine.StartTradingAsync("XRPUSDT");

        engine.GetState("XRPUSDT")!.Settings.Chunks.Should().Be(3);
        engine.GetState("XRPUSDT")!.Status.Should().Be(SymbolStatus.On);
    }

    [Fact]
    public async Task KnownSymbols_ConfiguredButOff_ListsItWithItsConfiguredSettings()
    {
        var exchange = Exchange();
        await using var engine = Engine(exchange, Settings() with { Status = SymbolStatus.Off, Chunks = 4 });
        await engine.StartAsync();

        engine.Symbols.Should().BeEmpty();
        engine.KnownSymbols.Should().Equal("XRPUSDT");
        engine.GetSettings("XRPUSDT")!.Chunks.Should().Be(4);
        engine.GetSettings("BTCUSDT").Should().BeNull();
    }

    private sealed class FailingStore : IStrategyStore
    {
        private readonly InMemoryStrategyStore _inner = new();

        public bool Fail { get; set; }

        public IReadOnlyList<StrategySnapshot> Load() => _inner.Load();

        public void SaveSymbol(SymbolSnapshot state)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }

            _inner.SaveSymbol(state);
        }

        public void RecordIntent(OrderIntent intent) => _inner.RecordIntent(intent);

        public void RecordOrderUpdate(OrderUpdate update) => _inner.RecordOrderUpdate(update);
    }

    // Market data whose current subscription can be failed, as a dropped connection does.
    private sealed class FlakyMarket : IMarketData
    {
        private readonly List<IObserver<TradeEvent>> _observers = [];

        public IObservable<TradeEvent> MarketTrades(string symbol) => Observable.Create<TradeEvent>(o =>
        {
            lock (_observers)
            {
                _observers.Add(o);
            }

            return () =>
            {
                lock (_observers)
                {
                    _observers.Remove(o);
                }
            };
        });

        public void Fail(Exception error)
        {
            foreach (var o in Snapshot())
            {
                o.OnError(error);
            }
        }

        public void Publish(TradeEvent trade)
        {
            foreach (var o in Snapshot())
            {
                o.OnNext(trade);
            }
        }

        private IObserver<TradeEvent>[] Snapshot()
        {
            lock (_observers)
            {
                return [.. _observers];
            }
        }
    }
}
