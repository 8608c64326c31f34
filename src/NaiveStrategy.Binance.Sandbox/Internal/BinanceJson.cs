using System.Globalization;
using System.Text.Json.Nodes;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>Binance's JSON shapes: numbers as strings with 8 decimals, enums in upper case.</summary>
internal static class BinanceJson
{
    public static string Number(decimal value) => value.ToString("F8", CultureInfo.InvariantCulture);

    public static string Side(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";

    public static string Status(OrderStatus status) => status switch
    {
        OrderStatus.New or OrderStatus.PendingNew => "NEW",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        OrderStatus.Filled => "FILLED",
        OrderStatus.PendingCancel => "PENDING_CANCEL",
        OrderStatus.Canceled => "CANCELED",
        OrderStatus.Rejected => "REJECTED",
        _ => "EXPIRED",
    };

    public static string Stp(SelfTradePreventionMode mode) => mode switch
    {
        SelfTradePreventionMode.ExpireTaker => "EXPIRE_TAKER",
        SelfTradePreventionMode.ExpireMaker => "EXPIRE_MAKER",
        SelfTradePreventionMode.ExpireBoth => "EXPIRE_BOTH",
        SelfTradePreventionMode.Decrement => "DECREMENT",
        _ => "NONE",
    };

    /// <summary>A mode by Binance's name; null for any other text (TRANSFER included: it needs trade groups, which the sandbox has not).</summary>
    public static SelfTradePreventionMode? ParseStp(string name) => name switch
    {
        "NONE" => SelfTradePreventionMode.None,
        "EXPIRE_TAKER" => SelfTradePreventionMode.ExpireTaker,
        "EXPIRE_MAKER" => SelfTradePreventionMode.ExpireMaker,
        "EXPIRE_BOTH" => SelfTradePreventionMode.ExpireBoth,
        "DECREMENT" => SelfTradePreventionMode.Decrement,
        _ => null,
    };

    // preventedMatchId and preventedQuantity: only on an order self-trade prevention expired some of.
    private static JsonObject WithPrevented(JsonObject json, OrderRecord order)
    {
        if (order.PreventedQuantity > 0)
        {
            json["preventedMatchId"] = order.PreventedMatchId;
            json["preventedQuantity"] = Number(order.PreventedQuantity);
        }

        return json;
    }

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>The <c>trade</c> stream payload (no b/a fields since 2024).</summary>
    public static JsonObject Trade(in TradeEvent trade, long eventTime) => new()
    {
        ["e"] = "trade",
        ["E"] = eventTime,
        ["s"] = trade.Symbol,
        ["t"] = trade.TradeId,
        ["p"] = Number(trade.Price),
        ["q"] = Number(trade.Quantity),
        ["T"] = Ms(trade.Time),
        ["m"] = trade.IsBuyerMaker,
        ["M"] = true,
    };

    /// <summary>POST /api/v3/order (and order.place) answers: ACK, RESULT or FULL.</summary>
    public static JsonObject NewOrder(OrderRecord order, string responseType, long transactTime, IReadOnlyList<ExecutionDelta> fills, IReadOnlyList<PreventedMatch> preventedMatches)
    {
        var json = new JsonObject
        {
            ["symbol"] = order.Symbol,
            ["orderId"] = order.OrderId,
            ["orderListId"] = -1,
            ["clientOrderId"] = order.ClientOrderId,
            ["transactTime"] = transactTime,
        };
        if (responseType == "ACK")
        {
            return json;
        }

        json["price"] = Number(order.Price);
        json["origQty"] = Number(order.Quantity);
        json["executedQty"] = Number(order.Executed);
        json["origQuoteOrderQty"] = Number(0);
        json["cummulativeQuoteQty"] = Number(order.CumulativeQuote);
        json["status"] = order.StatusName;
        json["timeInForce"] = "GTC";
        json["type"] = order.TypeName;
        json["side"] = Side(order.Side);
        json["workingTime"] = order.CreatedMs;
        json["selfTradePreventionMode"] = Stp(order.Mode);
        if (responseType == "FULL")
        {
            if (preventedMatches.Count > 0)
            {
                // Binance's STP FAQ: each side's prevented quantity only where that side expired.
                json["preventedMatches"] = new JsonArray(preventedMatches.Select(m =>
                {
                    var match = new JsonObject { ["preventedMatchId"] = m.PreventedMatchId, ["makerOrderId"] = m.MakerOrderId, ["price"] = Number(m.Price) };
                    if (m.TakerPreventedQuantity is { } taker)
                    {
                        match["takerPreventedQuantity"] = Number(taker);
                    }

                    if (m.MakerPreventedQuantity is { } maker)
                    {
                        match["makerPreventedQuantity"] = Number(maker);
                    }

                    return (JsonNode)match;
                }).ToArray());
            }

            // The taker fills on arrival (none for an order that rests).
            json["fills"] = new JsonArray(fills.Select(f => (JsonNode)new JsonObject
            {
                ["price"] = Number(f.LastPrice),
                ["qty"] = Number(f.LastQuantity),
                ["commission"] = Number(f.LastCommission),
                ["commissionAsset"] = f.CommissionAsset,
                ["tradeId"] = f.TradeId,
            }).ToArray());
        }

        return WithPrevented(json, order);
    }

    /// <summary>GET /api/v3/order, openOrders entries (and order.status).</summary>
    public static JsonObject QueriedOrder(OrderRecord order) => WithPrevented(new()
    {
        ["symbol"] = order.Symbol,
        ["orderId"] = order.OrderId,
        ["orderListId"] = -1,
        ["clientOrderId"] = order.ClientOrderId,
        ["price"] = Number(order.Price),
        ["origQty"] = Number(order.Quantity),
        ["executedQty"] = Number(order.Executed),
        ["cummulativeQuoteQty"] = Number(order.CumulativeQuote),
        ["status"] = order.StatusName,
        ["timeInForce"] = "GTC",
        ["type"] = order.TypeName,
        ["side"] = Side(order.Side),
        ["stopPrice"] = Number(0),
        ["icebergQty"] = Number(0),
        ["time"] = order.CreatedMs,
        ["updateTime"] = order.UpdatedMs,
        ["isWorking"] = true,
        ["workingTime"] = order.CreatedMs,
        ["origQuoteOrderQty"] = Number(0),
        ["selfTradePreventionMode"] = Stp(order.Mode),
    }, order);

    /// <summary>DELETE /api/v3/order (and order.cancel).</summary>
    public static JsonObject CanceledOrder(OrderRecord order, long transactTime) => WithPrevented(new()
    {
        ["symbol"] = order.Symbol,
        ["origClientOrderId"] = order.ClientOrderId,
        ["orderId"] = order.OrderId,
        ["orderListId"] = -1,
        ["clientOrderId"] = order.CancelClientOrderId ?? order.ClientOrderId,
        ["transactTime"] = transactTime,
        ["price"] = Number(order.Price),
        ["origQty"] = Number(order.Quantity),
        ["executedQty"] = Number(order.Executed),
        ["origQuoteOrderQty"] = Number(0),
        ["cummulativeQuoteQty"] = Number(order.CumulativeQuote),
        ["status"] = order.StatusName,
        ["timeInForce"] = "GTC",
        ["type"] = order.TypeName,
        ["side"] = Side(order.Side),
        ["selfTradePreventionMode"] = Stp(order.Mode),
    }, order);

    public static JsonObject MyTrade(OwnTrade trade) => new()
    {
        ["symbol"] = trade.Symbol,
        ["id"] = trade.Id,
        ["orderId"] = trade.OrderId,
        ["orderListId"] = -1,
        ["price"] = Number(trade.Price),
        ["qty"] = Number(trade.Quantity),
        ["quoteQty"] = Number(trade.Price * trade.Quantity),
        ["commission"] = Number(trade.Commission),
        ["commissionAsset"] = trade.CommissionAsset,
        ["time"] = trade.TimeMs,
        ["isBuyer"] = trade.IsBuyer,
        ["isMaker"] = trade.IsMaker,
        ["isBestMatch"] = true,
    };

    /// <summary>The executionReport user data event.</summary>
    public static JsonObject ExecutionReport(OrderRecord order, ExecutionDelta delta, long eventTime) => WithPrevention(new()
    {
        ["e"] = "executionReport",
        ["E"] = eventTime,
        ["s"] = order.Symbol,
        ["c"] = delta.ExecutionType == "CANCELED" ? order.CancelClientOrderId ?? order.ClientOrderId : order.ClientOrderId,
        ["S"] = Side(order.Side),
        ["o"] = order.TypeName,
        ["f"] = "GTC",
        ["q"] = Number(order.Quantity),
        ["p"] = Number(order.Price),
        ["P"] = Number(0),
        ["F"] = Number(0),
        ["g"] = -1,
        ["C"] = delta.ExecutionType == "CANCELED" ? order.ClientOrderId : string.Empty,
        ["x"] = delta.ExecutionType,
        ["X"] = order.StatusName,
        ["r"] = "NONE",
        ["i"] = order.OrderId,
        ["l"] = Number(delta.LastQuantity),
        ["z"] = Number(order.Executed),
        ["L"] = Number(delta.LastPrice),
        ["n"] = Number(delta.LastCommission),
        ["N"] = delta.CommissionAsset,
        ["T"] = delta.TransactTime,
        ["t"] = delta.TradeId,
        ["I"] = delta.EventId,
        ["w"] = order.Status is OrderStatus.New or OrderStatus.PartiallyFilled,
        ["m"] = delta.IsMaker,
        ["M"] = false,
        ["O"] = order.CreatedMs,
        ["Z"] = Number(order.CumulativeQuote),
        ["Y"] = Number(delta.LastQuantity * delta.LastPrice),
        ["Q"] = Number(0),
        ["W"] = order.CreatedMs,
        ["V"] = Stp(order.Mode),
    }, order, delta);

    // A TRADE_PREVENTION report's conditional fields (user-data-stream.md): the prevented match id, the order's prevented
    // quantity and this event's, the trade group (-1: the account is in none), the counter order and symbol, and the
    // execution that was prevented (quantity, price, quote).
    private static JsonObject WithPrevention(JsonObject json, OrderRecord order, ExecutionDelta delta)
    {
        if (delta.Prevented is not { } match)
        {
            return json;
        }

        var counter = match.TakerOrderId == order.OrderId ? match.MakerOrderId : match.TakerOrderId;
        var quantity = Math.Min(match.TakerPreventedQuantity ?? decimal.MaxValue, match.MakerPreventedQuantity ?? decimal.MaxValue);
        json["v"] = match.PreventedMatchId;
        json["A"] = Number(order.PreventedQuantity);
        json["B"] = Number(delta.LastPrevented);
        json["u"] = -1;
        json["U"] = counter;
        json["Cs"] = match.Symbol;
        json["pl"] = Number(quantity);
        json["pL"] = Number(match.Price);
        json["pY"] = Number(quantity * match.Price);
        return json;
    }

    /// <summary>The outboundAccountPosition user data event: the balances an event changed.</summary>
    public static JsonObject AccountPosition(IEnumerable<Balance> balances, long eventTime) => new()
    {
        ["e"] = "outboundAccountPosition",
        ["E"] = eventTime,
        ["u"] = eventTime,
        ["B"] = new JsonArray(balances.Select(b => (JsonNode)new JsonObject { ["a"] = b.Asset, ["f"] = Number(b.Free), ["l"] = Number(b.Locked) }).ToArray()),
    };

    public static JsonObject Symbol(SymbolFilters f, SelfTradePreventionMode defaultMode, IReadOnlySet<SelfTradePreventionMode> allowedModes)
    {
        JsonObject notional = f.NotionalFilterName == "MIN_NOTIONAL"
            ? new() { ["filterType"] = "MIN_NOTIONAL", ["minNotional"] = Number(f.MinNotional), ["applyToMarket"] = true, ["avgPriceMins"] = 5 }
            : new()
            {
                ["filterType"] = "NOTIONAL",
                ["minNotional"] = Number(f.MinNotional),
                ["applyMinToMarket"] = true,
                ["maxNotional"] = Number(f.MaxNotional > 0 ? f.MaxNotional : 9_000_000m),
                ["applyMaxToMarket"] = false,
                ["avgPriceMins"] = 5,
            };
        return new JsonObject
        {
            ["symbol"] = f.Symbol,
            ["status"] = "TRADING",
            ["baseAsset"] = f.BaseAsset,
            ["baseAssetPrecision"] = 8,
            ["quoteAsset"] = f.QuoteAsset,
            ["quotePrecision"] = 8,
            ["quoteAssetPrecision"] = 8,
            ["baseCommissionPrecision"] = 8,
            ["quoteCommissionPrecision"] = 8,
            ["orderTypes"] = new JsonArray("LIMIT", "MARKET"),
            ["icebergAllowed"] = false,
            ["ocoAllowed"] = false,
            ["otoAllowed"] = false,
            ["quoteOrderQtyMarketAllowed"] = false,
            ["allowTrailingStop"] = false,
            ["cancelReplaceAllowed"] = false,
            ["amendAllowed"] = false,
            ["isSpotTradingAllowed"] = true,
            ["isMarginTradingAllowed"] = false,
            ["filters"] = new JsonArray(
                new JsonObject { ["filterType"] = "PRICE_FILTER", ["minPrice"] = Number(f.MinPrice), ["maxPrice"] = Number(f.MaxPrice), ["tickSize"] = Number(f.TickSize) },
                new JsonObject { ["filterType"] = "LOT_SIZE", ["minQty"] = Number(f.MinQuantity), ["maxQty"] = Number(f.MaxQuantity), ["stepSize"] = Number(f.StepSize) },
                new JsonObject
                {
                    ["filterType"] = "MARKET_LOT_SIZE",
                    ["minQty"] = Number(f.MarketMinQuantity),
                    ["maxQty"] = Number(f.MarketMaxQuantity > 0 ? f.MarketMaxQuantity : f.MaxQuantity),
                    ["stepSize"] = Number(f.MarketStepSize),
                },
                notional),
            ["permissions"] = new JsonArray(),
            ["permissionSets"] = new JsonArray(new JsonArray("SPOT")),
            ["defaultSelfTradePreventionMode"] = Stp(defaultMode),
            ["allowedSelfTradePreventionModes"] = new JsonArray(Enum.GetValues<SelfTradePreventionMode>().Where(allowedModes.Contains).Select(m => (JsonNode)Stp(m)).ToArray()),
        };
    }

    // Today's (since 2026-04-02): RAW_REQUESTS is 300,000 per 5 minutes.
    public static JsonArray RateLimits(int weightLimit, int ordersPer10Seconds, int ordersPerDay) => new(
        new JsonObject { ["rateLimitType"] = "REQUEST_WEIGHT", ["interval"] = "MINUTE", ["intervalNum"] = 1, ["limit"] = weightLimit },
        new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "SECOND", ["intervalNum"] = 10, ["limit"] = ordersPer10Seconds },
        new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "DAY", ["intervalNum"] = 1, ["limit"] = ordersPerDay },
        new JsonObject { ["rateLimitType"] = "RAW_REQUESTS", ["interval"] = "MINUTE", ["intervalNum"] = 5, ["limit"] = 300_000 });
}
