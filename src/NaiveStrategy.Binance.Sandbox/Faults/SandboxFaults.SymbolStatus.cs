using System.Collections.Concurrent;

namespace NaiveStrategy.Binance.Sandbox;

// A symbol's status as exchangeInfo lists it (enums.md, "Symbol status"): TRADING unless set otherwise. In any other
// status new orders are refused with -2010 "Market is closed." (errors.md); cancels and queries are answered.
public sealed partial class SandboxFaults
{
    /// <summary>The statuses Binance documents for a symbol (CANCEL_ONLY since 2026-07).</summary>
    public static IReadOnlyList<string> SymbolStatusValues { get; } = ["TRADING", "END_OF_DAY", "HALT", "BREAK", "CANCEL_ONLY"];

    private readonly ConcurrentDictionary<string, string> _symbolStatuses = new(StringComparer.Ordinal);

    /// <summary>Lists <paramref name="symbol"/> with <paramref name="status"/> from now on (TRADING again ends the fault).</summary>
    /// <exception cref="ArgumentException">The status is not one Binance documents.</exception>
    public void SetSymbolStatus(string symbol, string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        if (!SymbolStatusValues.Contains(status))
        {
            throw new ArgumentException($"Symbol status '{status}' is not one of {string.Join(", ", SymbolStatusValues)}.", nameof(status));
        }

        if (status == "TRADING")
        {
            _symbolStatuses.TryRemove(symbol, out _);
        }
        else
        {
            _symbolStatuses[symbol] = status;
        }
    }

    /// <summary>The status <paramref name="symbol"/> is listed with.</summary>
    public string SymbolStatus(string symbol) => _symbolStatuses.GetValueOrDefault(symbol, "TRADING");

    private void ApplySymbolStatuses(IDictionary<string, string> statuses)
    {
        _symbolStatuses.Clear();
        foreach (var (symbol, status) in statuses)
        {
            SetSymbolStatus(symbol, status);
        }
    }
}
