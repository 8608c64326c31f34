namespace NaiveStrategy.Engine;

internal enum SymbolInputKind : byte
{
    Trade,
    OrderUpdate,
    PlacementFailed,
    Start,
    Restore,
    Stop,
    Shutdown,
    UpdateSettings,
    Event,
    StreamFailed,
    FundsKnown,
    FireGuard,
    FiltersChanged,
}

// A placement the exchange refused for good.
internal sealed record PlacementFailure(string TraderId, string ClientOrderId, ExchangeError Error);

// One entry of a symbol's serialized input stream. A struct, so queuing a market trade allocates nothing.
internal readonly struct SymbolInput
{
    private SymbolInput(SymbolInputKind kind, in TradeEvent trade, object? payload, string? clientOrderId, long receivedAt = 0, bool fromStream = false)
    {
        Kind = kind;
        Trade = trade;
        Payload = payload;
        ClientOrderId = clientOrderId;
        ReceivedAt = receivedAt;
        FromStream = fromStream;
    }

    public SymbolInputKind Kind { get; }

    public TradeEvent Trade { get; }

    public object? Payload { get; }

    public string? ClientOrderId { get; }

    /// <summary>A trade's or order update's <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> as it entered the pipeline, while the tick-to-order histogram is listened to; else 0.</summary>
    public long ReceivedAt { get; }

    /// <summary>An order update from the exchange's order stream (not an answer to a call): the stream delivers.</summary>
    public bool FromStream { get; }

    public static SymbolInput ForTrade(in TradeEvent trade, long receivedAt = 0) => new(SymbolInputKind.Trade, trade, null, null, receivedAt);

    public static SymbolInput ForUpdate(OrderUpdate update, long receivedAt = 0, bool fromStream = false) => new(SymbolInputKind.OrderUpdate, default, update, null, receivedAt, fromStream);

    public static SymbolInput ForFailure(PlacementFailure failure) => new(SymbolInputKind.PlacementFailed, default, failure, failure.ClientOrderId);

    public static SymbolInput ForEvent(TradingEvent e) => new(SymbolInputKind.Event, default, e, null);

    public static SymbolInput Control(SymbolInputKind kind, object? payload = null) => new(kind, default, payload, null);
}

// An input stream failed, and when.
internal sealed record StreamFailure(StreamResubscribed Failure, DateTimeOffset Time);

internal sealed record StartRequest(SymbolSettings Settings, SymbolFilters Filters, decimal? FreeQuote);

internal sealed record RestoreRequest(SymbolSettings Settings, SymbolFilters Filters, StoredSymbol Saved, decimal? FreeQuote);

// The answer to a balance query: the account's free quote (null when the exchange could not say), and when.
internal sealed record FundsReport(decimal? FreeQuote, DateTimeOffset Time);
