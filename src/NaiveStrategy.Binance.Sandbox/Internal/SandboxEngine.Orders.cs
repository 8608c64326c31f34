using System.Globalization;
using System.Text.RegularExpressions;
using NaiveStrategy.Mock;

namespace NaiveStrategy.Binance.Sandbox.Internal;

// The order operations: place, query, cancel, each under the gate, with Binance's parameter checks first.
internal sealed partial class SandboxEngine
{
    private const string ClientOrderIdPattern = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";

    private async ValueTask<ApiResult> PlaceOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (request.Get("symbol") is not { } symbol)
        {
            return ApiError.Mandatory("symbol");
        }

        if (!Symbols.ContainsKey(symbol))
        {
            return ApiError.InvalidSymbol();
        }

        if (MarketClosed(symbol) is { } closed)
        {
            return closed;
        }

        OrderSide side;
        switch (request.Get("side"))
        {
            case null: return ApiError.Mandatory("side");
            case "BUY": side = OrderSide.Buy; break;
            case "SELL": side = OrderSide.Sell; break;
            default: return new ApiError(400, -1117, "Invalid side.");
        }

        bool market;
        switch (request.Get("type"))
        {
            case null: return ApiError.Mandatory("type");
            case "LIMIT": market = false; break;
            case "MARKET": market = true; break;
            default: return new ApiError(400, -1116, "Invalid orderType.");
        }

        if ((market ? OrderParameters.MarketError(request) : OrderParameters.LimitError(request)) is { } parameterError)
        {
            return parameterError;
        }

        if (OrderParameters.ParseDecimal(request, "quantity") is not { } quantity)
        {
            return request.Get("quantity") is null ? ApiError.Mandatory("quantity") : ApiError.Illegal("quantity", "^([0-9]{1,20})(\\.[0-9]{1,20})?$");
        }

        // A MARKET order has no price (sending one was refused above): Binance reports 0.
        var price = 0m;
        if (!market)
        {
            if (OrderParameters.ParseDecimal(request, "price") is not { } limitPrice)
            {
                return request.Get("price") is null ? ApiError.Mandatory("price") : ApiError.Illegal("price", "^([0-9]{1,20})(\\.[0-9]{1,20})?$");
            }

            price = limitPrice;
        }

        var clientOrderId = request.Get("newClientOrderId") ?? GeneratedClientOrderId();
        if (!ClientOrderIdRegex().IsMatch(clientOrderId))
        {
            return ApiError.Illegal("newClientOrderId", ClientOrderIdPattern);
        }

        var responseType = request.Get("newOrderRespType") ?? "FULL";
        if (responseType is not ("ACK" or "RESULT" or "FULL"))
        {
            return new ApiError(400, -1177, "Invalid newOrderRespType.");
        }

        // The symbol's allowedSelfTradePreventionModes (exchangeInfo) decide; no mode: its defaultSelfTradePreventionMode.
        var mode = request.Get("selfTradePreventionMode") is { } stp ? BinanceJson.ParseStp(stp) : _options.DefaultSelfTradePreventionMode;
        if (mode is not { } selfTradePrevention || !_options.AllowedSelfTradePreventionModes.Contains(selfTradePrevention))
        {
            return new ApiError(400, -1013, "This symbol does not allow the specified self-trade prevention mode.");
        }

        if ((market ? MarketFilterFailure(Listed(symbol), quantity) : NotionalFailure(Listed(symbol), price, quantity)) is { } filterError)
        {
            return filterError;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var placement = new OrderRequest(symbol, clientOrderId, side, price, quantity) { Type = market ? OrderType.Market : OrderType.Limit };
            // The resting orders this one meets (self-trades) report after its NEW, as on Binance.
            var deferred = _deferred = [];
            ExchangeResult<OrderUpdate> placed;
            try
            {
                placed = market
                    ? await Exchange.PlaceMarketOrderAsync(placement, cancellationToken)
                    : await Exchange.PlaceLimitOrderAsync(placement, selfTradePrevention, cancellationToken);
            }
            finally
            {
                _deferred = null;
            }

            if (!placed.IsSuccess)
            {
                return new ApiError(400, placed.Error.Code, placed.Error.Message);
            }

            var now = NowMs;
            var order = _journal.Add(placed.Value, now, placement.Type, selfTradePrevention, request.ApiKey);
            _broadcaster.Report(order, _journal.NewOrderDelta(order), NowMs);
            var fills = new List<ExecutionDelta>();
            IReadOnlyList<PreventedMatch> prevented = market ? [] : PreventedOf(placed.Value);
            if ((placed.Value.Status != OrderStatus.New || prevented.Count > 0) && _journal.Apply(placed.Value, FillsOf(placed.Value), prevented, now) is { } taken)
            {
                // A taker fill on arrival: its TRADE reports follow the NEW one, and FULL lists it in fills; a
                // prevented self-trade is a TRADE_PREVENTION report.
                fills.AddRange(taken.Deltas.Where(d => d.TradeId >= 0));
                _broadcaster.Reports(order, taken.Deltas, NowMs);
                CountFirstFill(order);
            }

            foreach (var update in deferred.Where(u => u.OrderId != order.OrderId))
            {
                OnExchangeUpdate(update);
            }

            BroadcastAccount(Symbols[symbol]);

            Log.OrderPlaced(_logger, order.OrderId, symbol, clientOrderId);
            return BinanceJson.NewOrder(order, responseType, now, fills, order.PreventedAsTaker);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> QueryOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var found = await FindOrderAsync(request, cancellationToken);
        return found.Order is { } order ? BinanceJson.QueriedOrder(order)
            : found.Error is { } error ? error
            : new ApiError(400, -2013, "Order does not exist.");
    }

    private async ValueTask<ApiResult> CancelOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var cancelId = request.Get("newClientOrderId") ?? GeneratedClientOrderId();
        if (!ClientOrderIdRegex().IsMatch(cancelId))
        {
            return ApiError.Illegal("newClientOrderId", ClientOrderIdPattern);
        }

        var found = await FindOrderAsync(request, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (found.Order is not { } order || order.Status.IsTerminal())
            {
                return new ApiError(400, -2011, "Unknown order sent.");
            }

            order.CancelClientOrderId = cancelId;
            var canceled = await Exchange.CancelOrderAsync(order.Symbol, order.ClientOrderId, cancellationToken);
            return canceled.IsSuccess ? BinanceJson.CanceledOrder(order, NowMs) : new ApiError(400, canceled.Error.Code, canceled.Error.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<(OrderRecord? Order, ApiError? Error)> FindOrderAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (request.Get("symbol") is not { } symbol)
        {
            return (null, ApiError.Mandatory("symbol"));
        }

        if (!Symbols.ContainsKey(symbol))
        {
            return (null, ApiError.InvalidSymbol());
        }

        long? orderId = null;
        if (request.Get("orderId") is { } idText)
        {
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (null, ApiError.Illegal("orderId", "^[0-9]{1,20}$"));
            }

            orderId = id;
        }

        var clientOrderId = request.Get("origClientOrderId");
        if (orderId is null && clientOrderId is null)
        {
            return (null, new ApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Binance: both ids sent and the order with that orderId has another client id is -2039, not "does not exist".
            if (orderId is { } both && clientOrderId is not null && _journal.Find(symbol, both, null) is { } byId && byId.ClientOrderId != clientOrderId)
            {
                return (null, new ApiError(400, -2039, "Client order ID is not correct for this order ID."));
            }

            return (_journal.Find(symbol, orderId, clientOrderId), null);
        }
        finally
        {
            _gate.Release();
        }
    }

    // A MARKET order's filters: LOT_SIZE, MARKET_LOT_SIZE, then NOTIONAL / MIN_NOTIONAL (applied to MARKET orders) at
    // the last market trade's price — Binance uses the average price of the last avgPriceMins minutes; before any trade
    // the notional is not checked.
    private ApiError? MarketFilterFailure(SymbolFilters filters, decimal quantity)
    {
        var lastPrice = _lastPrices.TryGetValue(filters.Symbol, out var p) ? p : 0m;
        try
        {
            return filters.FindMarketFilterFailure(lastPrice, quantity) is { } failure ? new ApiError(400, -1013, "Filter failure: " + failure) : null;
        }
        catch (OverflowException)
        {
            return new ApiError(400, -1013, "Filter failure: " + filters.NotionalFilterName);
        }
    }

    // The exchange multiplies price by quantity (filters, locked balance with the fee): a product beyond decimal's
    // range is a notional filter failure, as no notional filter could pass it, not an OverflowException.
    private ApiError? NotionalFailure(SymbolFilters filters, decimal price, decimal quantity)
    {
        try
        {
            if (filters.FindFilterFailure(price, quantity) is { } failure)
            {
                return new ApiError(400, -1013, "Filter failure: " + failure);
            }

            _ = price * quantity * (1 + Math.Max(Math.Abs(_options.FeeRate), Math.Abs(_options.TakerFeeRate ?? 0))) * 2;
            return null;
        }
        catch (OverflowException)
        {
            return new ApiError(400, -1013, "Filter failure: " + filters.NotionalFilterName);
        }
    }

    private static string GeneratedClientOrderId() => "sandbox" + Guid.NewGuid().ToString("N")[..22];

    [GeneratedRegex(ClientOrderIdPattern)]
    private static partial Regex ClientOrderIdRegex();
}
