namespace NaiveStrategy.Tests;

internal static class TestData
{
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SymbolFilters Filters(decimal tick = 0.0001m, decimal step = 1m, decimal minNotional = 0m) => new()
    {
        Symbol = "XRPUSDT",
        BaseAsset = "XRP",
        QuoteAsset = "USDT",
        TickSize = tick,
        StepSize = step,
        MinNotional = minNotional,
    };

    public static SymbolSettings Settings(int chunks = 5, decimal budget = 100m, decimal buyDown = 0.01m, decimal profit = 0.01m, decimal rebuy = 0.1m) => new()
    {
        Symbol = "XRPUSDT",
        Chunks = chunks,
        Budget = budget,
        BuyDownInterval = buyDown,
        ProfitInterval = profit,
        RebuyInterval = rebuy,
        Status = SymbolStatus.On,
    };

    public static TraderState Fresh(SymbolSettings? settings = null, SymbolFilters? filters = null, string id = "r-1") =>
        TraderState.Fresh(id, settings ?? Settings(), filters ?? Filters());

    public static TradeEvent Trade(decimal price, long id = 1, decimal quantity = 1000m) => new("XRPUSDT", id, price, quantity, T0.AddSeconds(id));

    public static OrderUpdate Update(TrackedOrder order, OrderStatus status, decimal executed, decimal commission = 0m, string? asset = null) =>
        new("XRPUSDT", order.ClientOrderId, 42, order.Side, order.Price, order.Quantity, executed, status, commission, asset, T0);
}
