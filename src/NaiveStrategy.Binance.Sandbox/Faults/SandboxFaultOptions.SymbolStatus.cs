namespace NaiveStrategy.Binance.Sandbox;

// symbol-status=XRPUSDT:HALT: a symbol listed with another status than TRADING from the start.
public sealed partial class SandboxFaultOptions
{
    /// <summary>Symbols listed in exchangeInfo with a status other than TRADING (see <see cref="SandboxFaults.SetSymbolStatus"/>).</summary>
    public IDictionary<string, string> SymbolStatuses { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    private void AddSymbolStatus(string? value)
    {
        var parts = value?.Split(':') ?? [];
        if (parts.Length != 2 || parts[0].Length == 0 || !SandboxFaults.SymbolStatusValues.Contains(parts[1]))
        {
            throw new FormatException($"Fault 'symbol-status' needs SYMBOL:STATUS with a status of {string.Join(", ", SandboxFaults.SymbolStatusValues)}, got '{value}'.");
        }

        SymbolStatuses[parts[0]] = parts[1];
    }
}
