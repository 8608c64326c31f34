using System.Text.Json;
using System.Text.Json.Serialization;

namespace NaiveStrategy.AspNetCore;

/// <summary>The JSON the API writes: camelCase names, enums as camelCase strings, nulls left out.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

internal sealed record SettingsView(decimal Budget, int Chunks, decimal BuyDownInterval, decimal ProfitInterval, decimal RebuyInterval, decimal FeeRate)
{
    /// <summary>The risk guards (nulls, left out of the JSON, are off); the action only when a guard is set.</summary>
    public decimal? StopLossPrice { get; init; }

    public decimal? TakeProfitPrice { get; init; }

    public decimal? MaxDrawdown { get; init; }

    public decimal? MaxDailyLoss { get; init; }

    public GuardAction? GuardAction { get; init; }

    public static SettingsView Of(SymbolSettings s) => new(s.Budget, s.Chunks, s.BuyDownInterval, s.ProfitInterval, s.RebuyInterval, s.FeeRate)
    {
        StopLossPrice = s.StopLossPrice,
        TakeProfitPrice = s.TakeProfitPrice,
        MaxDrawdown = s.MaxDrawdown,
        MaxDailyLoss = s.MaxDailyLoss,
        GuardAction = s.HasGuards ? s.GuardAction : null,
    };
}

/// <summary>A risk guard that fired: the symbol stays off until it is started again.</summary>
internal sealed record GuardView(GuardKind Guard, GuardAction Action, DateTimeOffset Time, decimal Price, decimal Figure, decimal Threshold, decimal Sold, decimal Proceeds, bool Done)
{
    public static GuardView? Of(GuardSnapshot g) => g.Fired is { } f ? new(f.Kind, f.Action, f.Time, f.Price, f.Figure, f.Threshold, f.Sold, f.Proceeds, f.Done) : null;
}

internal sealed record OrderView(string ClientOrderId, OrderSide Side, decimal Price, decimal Quantity, OrderStatus Status, decimal ExecutedQuantity, long? OrderId, string? TraderId = null)
{
    public static OrderView Of(OrderSnapshot o, string? traderId = null) => new(o.ClientOrderId, o.Side, o.Price, o.Quantity, o.Status, o.ExecutedQuantity, o.OrderId, traderId);
}

/// <summary>A trader: its phase is <c>waiting</c> (no BUY yet), <c>buying</c>, <c>selling</c> or <c>finished</c>.</summary>
internal sealed record TraderView(string Id, string Phase, decimal Budget, decimal RebuyPrice, bool RebuyNotified, OrderView? BuyOrder, OrderView? SellOrder, TraderOutcome? Outcome)
{
    public static TraderView Of(TraderSnapshot t) => new(
        t.TraderId,
        t.Outcome is not null ? "finished" : t.SellOrder is not null ? "selling" : t.BuyOrder is not null ? "buying" : "waiting",
        t.Budget,
        t.RebuyPrice,
        t.RebuyNotified,
        t.BuyOrder is { } buy ? OrderView.Of(buy) : null,
        t.SellOrder is { } sell ? OrderView.Of(sell) : null,
        t.Outcome);
}

internal sealed record SymbolView(
    string Symbol,
    SymbolStatus Status,
    SettingsView Settings,
    decimal TraderBudget,
    decimal RealizedPnl,
    decimal Dust,
    bool WaitingForFunds,
    int WaitingTraders,
    decimal? FreeQuote,
    string? BaseAsset,
    string? QuoteAsset,
    string? Refusal,
    IReadOnlyList<TraderView> Traders,
    IReadOnlyList<OrderView> OpenOrders)
{
    /// <summary>The guard that fired (null while none has).</summary>
    public GuardView? GuardFired { get; init; }

    public static SymbolView Of(SymbolSnapshot s) => new(
        s.Symbol,
        s.Status,
        SettingsView.Of(s.Settings),
        s.TraderBudget,
        s.RealizedPnl,
        s.Dust,
        s.WaitingForFunds,
        s.WaitingTraders,
        s.FreeQuote,
        s.Filters?.BaseAsset,
        s.Filters?.QuoteAsset,
        s.Refusal,
        [.. s.Traders.Select(TraderView.Of)],
        [.. s.Traders.Where(t => t.OpenOrder is not null).Select(t => OrderView.Of(t.OpenOrder!, t.TraderId))])
    {
        GuardFired = GuardView.Of(s.Guard),
    };

    /// <summary>A configured symbol that was never started.</summary>
    public static SymbolView Configured(SymbolSettings s) =>
        Of(new SymbolSnapshot { Settings = s });
}

internal sealed record StatusView(string Symbol, SymbolStatus Status);

/// <summary>One strategy event on <c>/api/events</c>: its type (camelCase record name) and its figures.</summary>
internal sealed record EventView(
    string Type,
    string Symbol,
    DateTimeOffset Time,
    string? TraderId = null,
    OrderSide? Side = null,
    decimal? Price = null,
    decimal? Quantity = null,
    decimal? ExecutedQuantity = null,
    OrderStatus? OrderStatus = null,
    string? ClientOrderId = null,
    string? Reason = null,
    string? Detail = null,
    decimal? Amount = null)
{
    public static EventView Of(StrategyEvent e)
    {
        var type = JsonNamingPolicy.CamelCase.ConvertName(e.Event.GetType().Name);
        var view = new EventView(type, e.Symbol, e.Time);
        return e.Event switch
        {
            OrderPlaced p => view with { TraderId = p.TraderId, Side = p.Request.Side, Price = p.Request.Price, Quantity = p.Request.Quantity, ClientOrderId = p.Request.ClientOrderId },
            OrderFilled f => view with { TraderId = f.TraderId, Side = f.Order.Side, Price = f.Order.Price, Quantity = f.Order.Quantity, ExecutedQuantity = f.Order.ExecutedQuantity, OrderStatus = f.Order.Status, ClientOrderId = f.Order.ClientOrderId },
            OrderRejected r => view with { TraderId = r.TraderId, ClientOrderId = r.ClientOrderId, Detail = r.Error.ToString() },
            OrderNotSent n => view with { TraderId = n.TraderId, Side = n.Side, Price = n.Price, Quantity = n.Quantity, Reason = n.Filter },
            TraderStarted s => view with { TraderId = s.TraderId, Reason = JsonNamingPolicy.CamelCase.ConvertName(s.Reason.ToString()), Amount = s.Budget },
            TraderFinished f => view with { TraderId = f.TraderId, Reason = JsonNamingPolicy.CamelCase.ConvertName(f.Outcome.ToString()), Detail = f.Detail },
            RebuyTriggered r => view with { TraderId = r.TraderId, Price = r.Price },
            AllTradersStarted a => view with { TraderId = a.TraderId },
            UnknownTraderNotified u => view with { TraderId = u.TraderId },
            TraderCrashed c => view with { TraderId = c.TraderId, Detail = c.Exception.Message },
            SettingsRefused r => view with { TraderId = r.TraderId, Reason = r.Filter, Detail = r.Message },
            WaitingForFunds w => view with { Amount = w.Available, Detail = $"needs {w.Needed} {w.Asset}, {w.Available} available" },
            FundsReturned f => view with { Amount = f.Available },
            SymbolStopped s => view with { Reason = JsonNamingPolicy.CamelCase.ConvertName(s.Reason.ToString()), Detail = s.Detail },
            SymbolRestored r => view with { Amount = r.TraderCount, Reason = JsonNamingPolicy.CamelCase.ConvertName(r.Status.ToString()) },
            StreamResubscribed r => view with { Reason = JsonNamingPolicy.CamelCase.ConvertName(r.Stream.ToString()), Detail = r.Error?.Message },
            UnknownOrderUpdate u => view with { ClientOrderId = u.Update.ClientOrderId, OrderStatus = u.Update.Status },
            _ => view,
        };
    }
}
