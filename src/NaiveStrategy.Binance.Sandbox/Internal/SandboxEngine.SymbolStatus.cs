using System.Text.Json.Nodes;

namespace NaiveStrategy.Binance.Sandbox.Internal;

// The symbol status fault (SandboxFaults.SetSymbolStatus) as Binance shows it: in exchangeInfo, and as the refusal of
// a new order while the symbol is not TRADING.
internal sealed partial class SandboxEngine
{
    // The filters exchangeInfo lists and new orders are checked against: those set by SandboxFaults.SetSymbolFilters, else the start's.
    private SymbolFilters Listed(string symbol) => Faults.SymbolFiltersOf(symbol) ?? Symbols[symbol];

    private JsonObject WithStatus(JsonObject symbol)
    {
        symbol["status"] = Faults.SymbolStatus(symbol["symbol"]!.GetValue<string>());
        return symbol;
    }

    private ApiError? MarketClosed(string symbol)
    {
        var status = Faults.SymbolStatus(symbol);
        if (status == "TRADING")
        {
            return null;
        }

        Log.FaultInjected(_logger, $"{symbol} is {status}: Market is closed.");
        return new ApiError(400, -2010, "Market is closed.");
    }
}
