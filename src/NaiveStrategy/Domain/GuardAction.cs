namespace NaiveStrategy;

/// <summary>What a symbol does when one of its risk guards fires (<see cref="SymbolSettings.GuardAction"/>).</summary>
public enum GuardAction
{
    /// <summary>Cancel every BUY not yet filled and start no trader; holders keep their SELLs. The symbol stops when the last one is done.</summary>
    Stop,

    /// <summary>Cancel every open order of the symbol, then sell all it holds, dust included, with one MARKET order.</summary>
    Exit,
}
