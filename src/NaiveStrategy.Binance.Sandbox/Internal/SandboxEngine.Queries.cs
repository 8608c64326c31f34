using System.Globalization;
using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

// The read operations: time, exchangeInfo, open orders, account, own trades.
internal sealed partial class SandboxEngine
{
    private const string SymbolsPattern = "^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$";

    private JsonObject Time() => new() { ["serverTime"] = NowMs };

    private ApiResult ExchangeInfo(ApiRequest request)
    {
        IEnumerable<SymbolFilters> selected = Symbols.Keys.Order(StringComparer.Ordinal).Select(Listed);
        if (request.Get("symbol") is { } one)
        {
            if (!Symbols.ContainsKey(one))
            {
                return ApiError.InvalidSymbol();
            }

            selected = [Listed(one)];
        }
        else if (request.Get("symbols") is { } many)
        {
            if (OrderParameters.ParseSymbolList(many) is not { } names)
            {
                return ApiError.Illegal("symbols", SymbolsPattern);
            }

            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            {
                return new ApiError(400, -1151, "Symbol is present multiple times in the list.");
            }

            if (names.Any(n => !Symbols.ContainsKey(n)))
            {
                return ApiError.InvalidSymbol();
            }

            selected = names.Select(Listed);
        }

        return new JsonObject
        {
            ["timezone"] = "UTC",
            ["serverTime"] = NowMs,
            ["rateLimits"] = BinanceJson.RateLimits(_options.RequestWeightPerMinute, _options.OrdersPer10Seconds, _options.OrdersPerDay),
            ["exchangeFilters"] = new JsonArray(),
            ["symbols"] = new JsonArray(selected.Select(s => (JsonNode)WithStatus(BinanceJson.Symbol(s, _options.DefaultSelfTradePreventionMode, _stpModes))).ToArray()),
        };
    }

    private async ValueTask<ApiResult> OpenOrdersAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var symbol = request.Get("symbol");
        if (symbol is not null && !Symbols.ContainsKey(symbol))
        {
            return ApiError.InvalidSymbol();
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return new JsonArray(_journal.Open(symbol).Select(o => (JsonNode)BinanceJson.QueriedOrder(o)).ToArray());
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> AccountAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var omitZero = request.Get("omitZeroBalances") == "true";
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var balances = (await Exchange.GetBalancesAsync(cancellationToken)).Value
                .Where(b => !omitZero || b.Free != 0 || b.Locked != 0)
                .Select(b => (JsonNode)new JsonObject { ["asset"] = b.Asset, ["free"] = BinanceJson.Number(b.Free), ["locked"] = BinanceJson.Number(b.Locked) });
            var (maker, taker) = (_options.FeeRate, _options.TakerFeeRate ?? _options.FeeRate);
            return new JsonObject
            {
                ["makerCommission"] = (int)(maker * 10_000),
                ["takerCommission"] = (int)(taker * 10_000),
                ["buyerCommission"] = 0,
                ["sellerCommission"] = 0,
                ["commissionRates"] = new JsonObject { ["maker"] = BinanceJson.Number(maker), ["taker"] = BinanceJson.Number(taker), ["buyer"] = BinanceJson.Number(0), ["seller"] = BinanceJson.Number(0) },
                ["canTrade"] = true,
                ["canWithdraw"] = true,
                ["canDeposit"] = true,
                ["brokered"] = false,
                ["requireSelfTradePrevention"] = false,
                ["preventSor"] = false,
                ["updateTime"] = NowMs,
                ["accountType"] = "SPOT",
                ["balances"] = new JsonArray(balances.ToArray()),
                ["permissions"] = new JsonArray("SPOT"),
                ["uid"] = 1,
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<ApiResult> MyTradesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (request.Get("symbol") is not { } symbol)
        {
            return ApiError.Mandatory("symbol");
        }

        if (!Symbols.ContainsKey(symbol))
        {
            return ApiError.InvalidSymbol();
        }

        long? orderId = null;
        if (request.Get("orderId") is { } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return ApiError.Illegal("orderId", "^[0-9]{1,20}$");
            }

            orderId = id;
        }

        var limit = 500;
        if (request.Get("limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
            {
                return ApiError.Illegal("limit", "^[0-9]{1,4}$");
            }

            limit = Math.Clamp(l, 1, 1000);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return new JsonArray(_journal.Trades(symbol, orderId).TakeLast(limit).Select(t => (JsonNode)BinanceJson.MyTrade(t)).ToArray());
        }
        finally
        {
            _gate.Release();
        }
    }
}
