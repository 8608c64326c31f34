using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace NaiveStrategy.Binance;

// A symbol's filters and trading status from exchangeInfo, kept and refreshed: every FiltersRefreshEvery while the
// symbol trades, every ClosedRecheckEvery while it does not (so it resumes soon after Binance lists it TRADING again),
// at once after Binance refused an order as "Market is closed.", and once after a filter failure (-1013), when the order
// is checked again against the fresh filters. A symbol not TRADING (END_OF_DAY, HALT, BREAK, CANCEL_ONLY) gives no
// filters and takes no new order: a MarketClosed error naming its status, which the engine shows in its readiness while
// the symbol waits to start. Cancels and queries are never held back here: Binance answers them as the status allows.
// Filters found changed reach the engine through SymbolFiltersChanged; while it listens, the symbols asked for are read
// again every FiltersRefreshEvery (100 a request), so a change is known before the next order rather than with it.
public sealed partial class BinanceExchange
{
    private const int SymbolsPerRefresh = 100;
    private readonly ConcurrentDictionary<string, SymbolEntry> _symbols = new(StringComparer.Ordinal);
    private readonly Subject<SymbolFilters> _filtersFound = new();
    private IObservable<SymbolFilters>? _filtersChanged;

    /// <inheritdoc />
    /// <remarks>
    /// Emits when exchangeInfo, read again (every <see cref="BinanceExchangeOptions.FiltersRefreshEvery"/> while someone
    /// listens, or after a filter failure), lists other filters for a symbol that trades.
    /// </remarks>
    public IObservable<SymbolFilters> SymbolFiltersChanged => LazyInitializer.EnsureInitialized(ref _filtersChanged, () => Observable.Create<SymbolFilters>(async (observer, cancellationToken) =>
        {
            using var found = _filtersFound.Subscribe(observer);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            try
            {
                await RefreshFiltersAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Nobody listens any more, or the adapter is disposed.
            }
        })
        .Publish()
        .RefCount());

    /// <summary>How long a symbol found not TRADING keeps that status before exchangeInfo is asked again (tests lower it).</summary>
    internal TimeSpan ClosedRecheckEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async ValueTask<ExchangeResult<SymbolFilters>> GetSymbolFiltersAsync(string symbol, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);

        // A rejected key would refuse every order: the symbol waits with the reason instead of starting to fail.
        if (await _rest.CheckKeyAsync(cancellationToken) is { } keyRejected)
        {
            return keyRejected;
        }

        var listed = await SymbolAsync(symbol, refresh: false, cancellationToken);
        return !listed.IsSuccess ? listed.Error
            : listed.Value.IsTrading ? listed.Value.Filters
            : Closed(listed.Value);
    }

    private static ExchangeError Closed(BinanceSymbol symbol) => new(
        ExchangeErrorKind.MarketClosed,
        0,
        $"Binance lists {symbol.Filters.Symbol} as {symbol.Status}, not TRADING: no new orders until it trades again{(symbol.Status == BinanceSymbol.CancelOnly ? " (cancels are taken)" : "")}.");

    private async ValueTask<ExchangeResult<BinanceSymbol>> SymbolAsync(string symbol, bool refresh, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var cached = _symbols.GetValueOrDefault(symbol);
        if (!refresh && cached is not null && now < cached.FetchedAt + (cached.Symbol.IsTrading ? _options.FiltersRefreshEvery : ClosedRecheckEvery))
        {
            return cached.Symbol;
        }

        var answer = await _rest.SendAsync(HttpMethod.Get, "/api/v3/exchangeInfo", [new("symbol", symbol)], signed: false, weight: 20, placesOrder: false, cancellationToken);
        if (!answer.IsSuccess)
        {
            // Filters a little old are better than none while Binance does not answer.
            return cached is not null ? cached.Symbol : answer.Error;
        }

        _rest.Limits.Read(answer.Value);
        BinanceSymbol listed;
        try
        {
            if (!BinanceExchangeInfo.ParseSymbols(answer.Value.GetRawText()).TryGetValue(symbol, out listed!))
            {
                return new ExchangeError(ExchangeErrorKind.Rejected, -1121, "Invalid symbol.");
            }
        }
        catch (FormatException ex)
        {
            return cached is not null ? cached.Symbol : new ExchangeError(ExchangeErrorKind.Transient, 0, ex.Message);
        }

        Remember(listed, cached, now);
        return listed;
    }

    private void Remember(BinanceSymbol listed, SymbolEntry? cached, DateTimeOffset now)
    {
        var symbol = listed.Filters.Symbol;
        _symbols[symbol] = new SymbolEntry(listed, now);
        if ((cached?.Symbol.Status ?? BinanceSymbol.Trading) != listed.Status)
        {
            Log.SymbolStatus(_logger, symbol, listed.Status, listed.IsTrading ? "orders are placed again" : "no new orders until it is TRADING again");
        }

        if (cached is not null && cached.Symbol.Filters != listed.Filters)
        {
            Log.FiltersChanged(_logger, symbol);
            if (listed.IsTrading)
            {
                _filtersFound.OnNext(listed.Filters);
            }
        }
    }

    // Every FiltersRefreshEvery, the trading symbols read more than half that period ago, 100 per exchangeInfo request
    // (weight 20 each, whatever the count). A failed read keeps the filters known and is tried at the next period.
    private async Task RefreshFiltersAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(_options.FiltersRefreshEvery, _time, cancellationToken);
            var due = _time.GetUtcNow() - (_options.FiltersRefreshEvery / 2);
            var symbols = _symbols.Where(s => s.Value.Symbol.IsTrading && s.Value.FetchedAt <= due).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray();
            foreach (var batch in symbols.Chunk(SymbolsPerRefresh))
            {
                var list = "[" + string.Join(',', batch.Select(s => "\"" + s + "\"")) + "]";
                var answer = await _rest.SendAsync(HttpMethod.Get, "/api/v3/exchangeInfo", [new("symbols", list)], signed: false, weight: 20, placesOrder: false, cancellationToken);
                if (!answer.IsSuccess)
                {
                    continue;
                }

                IReadOnlyDictionary<string, BinanceSymbol> listed;
                try
                {
                    _rest.Limits.Read(answer.Value);
                    listed = BinanceExchangeInfo.ParseSymbols(answer.Value.GetRawText());
                }
                catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException or System.Text.Json.JsonException)
                {
                    // An answer we cannot read changes nothing: the filters known stay, read again next period.
                    continue;
                }

                var now = _time.GetUtcNow();
                foreach (var symbol in batch)
                {
                    if (listed.TryGetValue(symbol, out var fresh))
                    {
                        Remember(fresh, _symbols.GetValueOrDefault(symbol), now);
                    }
                }
            }
        }
    }

    // A placement Binance refused: "Market is closed." makes the next call read the symbol's status again; a filter
    // failure refreshes the filters once and checks the order against them: sent again when they take it (Binance's
    // filters changed under us), refused with the failing filter's name when they do not.
    private async ValueTask<ExchangeResult<OrderUpdate>> AfterRefusalAsync(
        OrderRequest request,
        SymbolFilters used,
        ExchangeError error,
        Func<OrderRequest, SymbolFilters, CancellationToken, Task<ExchangeResult<OrderUpdate>>> send,
        CancellationToken cancellationToken)
    {
        if (error.Kind == ExchangeErrorKind.MarketClosed && _symbols.TryGetValue(request.Symbol, out var entry))
        {
            _symbols.TryUpdate(request.Symbol, entry with { FetchedAt = DateTimeOffset.MinValue }, entry);
            return error;
        }

        if (error.Code != -1013 || !error.Message.Contains("Filter failure", StringComparison.OrdinalIgnoreCase))
        {
            return error;
        }

        var fresh = await SymbolAsync(request.Symbol, refresh: true, cancellationToken);
        if (!fresh.IsSuccess || fresh.Value.Filters == used)
        {
            return error;
        }

        if (!fresh.Value.IsTrading)
        {
            return Closed(fresh.Value);
        }

        var filters = fresh.Value.Filters;
        var failure = request.Type == OrderType.Market ? filters.FindMarketFilterFailure(0m, request.Quantity) : filters.FindFilterFailure(request.Price, request.Quantity);
        return failure is null
            ? await send(request, filters, cancellationToken)
            : new ExchangeError(ExchangeErrorKind.Rejected, error.Code, $"{error.Message} (Binance's filters were read again: {failure} refuses the order)");
    }

    private sealed record SymbolEntry(BinanceSymbol Symbol, DateTimeOffset FetchedAt);
}
