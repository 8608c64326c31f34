using System.Collections.Concurrent;

namespace NaiveStrategy.Binance.Sandbox;

// Binance changes a symbol's filters now and then (a new tick size, a new lot size): the filters exchangeInfo lists and
// new orders are checked against from now on. The in-memory exchange behind the sandbox keeps the filters it started
// with, so a change the sandbox can model is one the old filters also take (a coarser tick or step, a higher minimum).
public sealed partial class SandboxFaults
{
    private readonly ConcurrentDictionary<string, SymbolFilters> _symbolFilters = new(StringComparer.Ordinal);

    /// <summary>Lists <paramref name="filters"/> for their symbol from now on: exchangeInfo shows them and new orders are checked against them.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> is null.</exception>
    public void SetSymbolFilters(SymbolFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate();
        _symbolFilters[filters.Symbol] = filters;
    }

    // The filters set for the symbol, if any.
    internal SymbolFilters? SymbolFiltersOf(string symbol) => _symbolFilters.GetValueOrDefault(symbol);
}
