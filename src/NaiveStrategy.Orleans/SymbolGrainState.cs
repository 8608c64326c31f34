using System.Text.Json;

namespace NaiveStrategy.Orleans;

/// <summary>
/// What grain storage holds for a symbol: the Leader's state (settings, status, traders, numbering, dust, PnL) and
/// the journal of order intents, each written before its order is sent. The journal keeps every intent whose order a
/// trader still has open, and the latest <see cref="NaiveStrategyOrleansOptions.JournalLength"/> others.
/// </summary>
internal sealed record SymbolGrainState
{
    public StrategySnapshot? Symbol { get; init; }

    public IReadOnlyList<OrderIntent> Intents { get; init; } = [];
}

/// <summary>
/// The record grain storage writes: <see cref="SymbolGrainState"/> as our own JSON (exact decimals, enums by name, an
/// unknown property refused), wrapped in a type every storage provider's serializer handles as is. Providers serialize
/// state their own way (Redis, ADO.NET and Azure with Newtonsoft.Json by default), which cannot rebuild the core's
/// immutable records; a string it can.
/// </summary>
[GenerateSerializer]
internal sealed class SymbolStateDocument
{
    /// <summary>
    /// The version of <see cref="Json"/>'s layout; a newer one than this build knows is refused. 1: the Leader's state
    /// as the core's records wrote it; 2: as a <see cref="StrategySnapshot"/> (version 1 of which is that same layout,
    /// so a version 1 document reads as a snapshot of version 1).
    /// </summary>
    public const int CurrentVersion = 2;

    [Id(0)]
    public int Version { get; set; } = CurrentVersion;

    [Id(1)]
    public string? Json { get; set; }

    public static SymbolStateDocument Of(SymbolGrainState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var stored = new Stored { Symbol = state.Symbol, Intents = state.Intents };
        return new() { Json = JsonSerializer.Serialize(stored, NaiveStrategySerialization.Json) };
    }

    /// <summary>The state this holds (empty for a symbol never saved).</summary>
    /// <exception cref="InvalidDataException">The record is from a newer version or is not a symbol's state.</exception>
    public SymbolGrainState Read(string symbol)
    {
        if (Version > CurrentVersion)
        {
            throw new InvalidDataException($"The saved state of {symbol} is version {Version}, newer than this build reads ({CurrentVersion}); run the newer version.");
        }

        if (string.IsNullOrEmpty(Json))
        {
            return new SymbolGrainState();
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(Json, NaiveStrategySerialization.Json);
            return stored is null ? new SymbolGrainState() : new SymbolGrainState { Symbol = stored.Symbol?.EnsureReadable(), Intents = stored.Intents };
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The saved state of {symbol} is not readable ({ex.Message}); it is left as it is.", ex);
        }
    }

    // What Json holds: the symbol's snapshot and its intent journal (version 1 wrote the same property names).
    private sealed record Stored
    {
        public StrategySnapshot? Symbol { get; init; }

        public IReadOnlyList<OrderIntent> Intents { get; init; } = [];
    }
}
