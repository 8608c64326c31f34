using System.Reactive.Linq;
using Microsoft.Extensions.Options;
using NaiveStrategy.Engine;
using NaiveStrategy.Mock;
using NaiveStrategy.Reactive;
using NaiveStrategy.Testing;
using static NaiveStrategy.Tests.TestData;

namespace NaiveStrategy.Tests;

/// <summary>
/// A fill learned without its commission (an order query while the update stream was down, a
/// reconciliation after a restart) must not reach a trader until the exchange's fills give the fee:
/// BUY 37 with 0.037 XRP taken as fee leaves 36.963, so the SELL is 36, never 37.
/// </summary>
public sealed class FillCommissionTests
{
    // 18.5 / 0.495 = 37.37 → BUY 37 @ 0.495 after a first trade at 0.5 (buy-down 1 %).
    private static readonly SymbolSettings Setting = Settings(chunks: 1, budget: 18.5m, buyDown: 0.01m, profit: 0.001m, rebuy: 0.05m);

    private static InMemoryExchange Exchange() => new(new InMemoryExchangeOptions
    {
        Symbols = { Filters(minNotional: 1m) },
        Balances = { ["USDT"] = 1000m },
        StartTime = T0,
    });

    private static NaiveStrategyEngine Engine(IExchange exchange, IMarketData marketData, IStrategyStore store, string run)
    {
        var options = new NaiveStrategyOptions { RetryDelay = TimeSpan.FromMilliseconds(5) };
        options.Symbols.Add(Setting);
        return new NaiveStrategyEngine(exchange, marketData, Options.Create(options), new TraderIdGenerator(run), TimeProvider.System, store: store);
    }

    private static Task<OrderUpdate> SellOf(InMemoryExchange exchange) =>
        Wait.ForAsync(() => Task.FromResult(exchange.Orders.FirstOrDefault(o => o.Side == OrderSide.Sell)), "a SELL placed");

    [Fact]
    public async Task StartAsync_RestartLearnsFilledBuyWithoutCommission_SellsWhatIsHeld()
    {
        var exchange = Exchange();
        var store = new InMemoryStrategyStore();
        await using (var first = Engine(exchange, exchange, store, "a"))
        {
            await first.StartAsync();
            exchange.PublishTrade(Trade(0.5m, 1));
            exchange.Orders.Should().ContainSingle().Which.Quantity.Should().Be(37m);
        }

        exchange.PublishTrade(Trade(0.49m, 2)); // the BUY fills while the process is down
        var forgetful = new ForgetfulExchange(exchange, failFills: 2);
        await using var second = Engine(forgetful, exchange, store, "b");
        await second.StartAsync();

        var sell = await SellOf(exchange);
        sell.Quantity.Should().Be(36m);
        forgetful.FillQueries.Should().Be(3, "two failed answers were retried");
        var trader = second.GetState("XRPUSDT")!.Traders.Should().ContainSingle().Subject;
        (trader.BuyOrder!.Commission, trader.BuyOrder.CommissionAsset).Should().Be((0.037m, "XRP"));
    }

    [Fact]
    public async Task PostUpdate_FillWithoutCommissionFromTheStream_NoSellUntilFillsAreKnown()
    {
        var exchange = Exchange();
        var forgetful = new ForgetfulExchange(exchange, failFills: int.MaxValue) { StripStream = true };
        await using var engine = Engine(forgetful, exchange, new InMemoryStrategyStore(), "c");
        await engine.StartAsync();
        exchange.PublishTrade(Trade(0.5m, 1));
        exchange.PublishTrade(Trade(0.49m, 2));

        await Signal.UntilAsync(() => forgetful.FillQueries >= 3, TimeSpan.FromSeconds(10), forgetful.FillQueried);

        exchange.Orders.Should().NotContain(o => o.Side == OrderSide.Sell, "the fee of the BUY is not known yet");
        engine.GetState("XRPUSDT")!.Traders.Single().BuyOrder!.Status.Should().Be(OrderStatus.New);

        forgetful.FailFills = 0;
        (await SellOf(exchange)).Quantity.Should().Be(36m);
    }

    [Fact]
    public void Commission_FillsShortOfExecuted_Unknown()
    {
        OrderFill Fill(long id, decimal qty, decimal fee, string asset) => new("XRPUSDT", id, 7, 0.5m, qty, fee, asset, T0);

        FillCommissions.Commission([Fill(1, 10m, 0.01m, "XRP")], 37m, "XRP").Should().BeNull();
        FillCommissions.Commission([Fill(2, 27m, 0.027m, "XRP"), Fill(1, 10m, 0.01m, "XRP")], 37m, "XRP").Should().Be((0.037m, "XRP"));
        FillCommissions.Commission([Fill(1, 10m, 0.01m, "XRP"), Fill(2, 27m, 0.001m, "BNB")], 37m, "XRP").Should().Be((0.01m, "XRP"), "only the base part decides what can be sold");
        FillCommissions.Commission([Fill(1, 10m, 0.01m, "XRP"), Fill(2, 27m, 0.027m, "XRP"), Fill(3, 5m, 0.005m, "XRP")], 37m, "XRP").Should().Be((0.037m, "XRP"), "fills after the update are not its own");
    }

    // An exchange whose order answers carry no commission (as Binance's REST order endpoints), and
    // whose trade history fails a number of times first.
    private sealed class ForgetfulExchange(InMemoryExchange inner, int failFills) : DelegatingExchange(inner)
    {
        private readonly ObserverSet<int> _fillQueried = new();
        private int _fillQueries;

        public int FailFills { get; set; } = failFills;

        public bool StripStream { get; init; }

        public int FillQueries => Volatile.Read(ref _fillQueries);

        /// <summary>Each fill query, as it is asked.</summary>
        public IObservable<object?> FillQueried => _fillQueried.AsObservable().Select(q => (object?)q);

        public override IObservable<OrderUpdate> OrderUpdates => StripStream ? new StrippedUpdates(InnerExchange.OrderUpdates) : InnerExchange.OrderUpdates;

        public override async ValueTask<ExchangeResult<OrderUpdate>> PlaceLimitOrderAsync(OrderRequest request, CancellationToken cancellationToken = default) => Strip(await InnerExchange.PlaceLimitOrderAsync(request, cancellationToken));

        public override async ValueTask<ExchangeResult<OrderUpdate>> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) => Strip(await InnerExchange.GetOrderAsync(symbol, clientOrderId, cancellationToken));

        public override ValueTask<ExchangeResult<IReadOnlyList<OrderFill>>> GetOrderFillsAsync(string symbol, long orderId, CancellationToken cancellationToken = default)
        {
            var query = Interlocked.Increment(ref _fillQueries);
            _fillQueried.OnNext(query);
            return query <= FailFills
                ? new(new ExchangeError(ExchangeErrorKind.Transient, -1003, "Too many requests."))
                : InnerExchange.GetOrderFillsAsync(symbol, orderId, cancellationToken);
        }

        private static ExchangeResult<OrderUpdate> Strip(ExchangeResult<OrderUpdate> result) => result.IsSuccess ? Strip(result.Value) : result;

        private static OrderUpdate Strip(OrderUpdate u) => u.ExecutedQuantity == 0 ? u : u with { Commission = 0m, CommissionAsset = null, CommissionKnown = false };

        private sealed class StrippedUpdates(IObservable<OrderUpdate> source) : IObservable<OrderUpdate>
        {
            public IDisposable Subscribe(IObserver<OrderUpdate> observer) => source.Subscribe(new Observer(observer));

            private sealed class Observer(IObserver<OrderUpdate> target) : IObserver<OrderUpdate>
            {
                public void OnNext(OrderUpdate value) => target.OnNext(Strip(value));

                public void OnError(Exception error) => target.OnError(error);

                public void OnCompleted() => target.OnCompleted();
            }
        }
    }
}
