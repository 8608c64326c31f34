using Microsoft.Extensions.Options;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Backtesting.Parity;

// The replay: the recorded trades through a fresh engine on an in-memory exchange with the live run's first settings,
// its settings changes where live made them and, timed as live, the fills at the trade live heard them.
internal sealed partial class SymbolRun
{
    public async Task<BacktestResult> ReplayAsync(bool timed, CancellationToken cancellationToken)
    {
        var exchange = new InMemoryExchange(new InMemoryExchangeOptions
        {
            Symbols = { _filters },
            Balances = { [_filters.QuoteAsset] = _settings.Budget },
            FeeRate = _settings.FeeRate,
            TakerFeeRate = _settings.FeeRate,
            PartialFills = _options.FillModel == FillModel.Partial,
            StartTime = _trades[0].Time,
        });
        var engineOptions = new NaiveStrategyOptions();
        engineOptions.Symbols.Add(_settings with { Status = SymbolStatus.On });
        using var timing = timed ? new LiveTiming(exchange, Heard()) : null;
        await using var engine = new NaiveStrategyEngine(timing ?? (IExchange)exchange, timing ?? (IMarketData)exchange, Options.Create(engineOptions), new TraderIdGenerator("replay"), exchange.Clock);
        using var session = new BacktestSession(engine, exchange);
        await session.StartAsync(cancellationToken);
        var changes = new Queue<RunMark>(_marks.Where(m => m.Kind == RunMarkKind.Settings && m.Settings is not null && m.TradeId is not null));
        var published = 0; // trades the exchange has published; the engine takes them in order, at most as far
        for (var i = 0; i < _trades.Count; i++)
        {
            // A change made after trade N was received applies from the trade after N.
            while (changes.TryPeek(out var change) && change.TradeId < _trades[i].TradeId)
            {
                engine.UpdateSettings(changes.Dequeue().Settings!);
            }

            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (timing is null)
            {
                session.Replay(_trades[i]);
                continue;
            }

            if (i > 0 && timing.AnyFillHeardAt(_trades[i - 1].TradeId))
            {
                published = await RunAheadAsync(exchange, timing, session, i, published, cancellationToken);
            }

            timing.Before(_trades[i].TradeId);
            if (published <= i)
            {
                session.Replay(_trades[i]);
                published = i + 1;
            }

            timing.Feed(_trades[i]);
        }

        timing?.Flush();
        await engine.WaitUntilIdleAsync(cancellationToken);
        return session.Complete();
    }

    // Live took a fill having received trade i-1 only: when the replay's order has not filled yet, the exchange publishes
    // the trades up to the one that fills it (within the decision tolerance) before the engine takes trade i.
    private async Task<int> RunAheadAsync(InMemoryExchange exchange, LiveTiming timing, BacktestSession session, int i, int published, CancellationToken cancellationToken)
    {
        var heardAt = _trades[i - 1];
        var open = await exchange.GetOpenOrdersAsync(_symbol, cancellationToken);
        if (!open.IsSuccess)
        {
            return published;
        }

        var until = -1;
        foreach (var order in open.Value!.Where(o => timing.HeardFillBy(o, heardAt.TradeId)))
        {
            for (var j = Math.Max(i, published); j < _trades.Count && _trades[j].Time - heardAt.Time <= _options.DecisionTolerance; j++)
            {
                if (order.Side == OrderSide.Buy ? _trades[j].Price < order.Price : _trades[j].Price > order.Price)
                {
                    until = Math.Max(until, j);
                    break;
                }
            }
        }

        for (var j = Math.Max(i, published); j <= until; j++)
        {
            session.Replay(_trades[j]);
            published = j + 1;
        }

        return published;
    }

    // Per live order: the status of each update it took and the trade it had received then.
    private Dictionary<(string Key, OrderSide Side, decimal Price, decimal Quantity), List<(OrderStatus Status, long TradeId)>> Heard()
    {
        var heard = new Dictionary<(string, OrderSide, decimal, decimal), List<(OrderStatus, long)>>();
        var updates = _marks.Where(m => m.Kind == RunMarkKind.Update && m.Status is not null && m.TradeId is not null)
            .ToLookup(m => m.ClientOrderId!, m => (m.Status!.Value, m.TradeId!.Value), StringComparer.Ordinal);
        foreach (var live in _live)
        {
            var r = live.Intent.Request;
            heard.TryAdd((ParityReport.KeyOf(r.ClientOrderId), r.Side, r.Price, r.Quantity), [.. updates[r.ClientOrderId]]);
        }

        return heard;
    }
}
