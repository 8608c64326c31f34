using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace NaiveStrategy.Orleans.Tests;

// Fixtures/grain-state-v1.json was written by the grain store before the snapshot contract (see Fixtures/README.md).
public sealed class SnapshotMigrationTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, IgnoreReadOnlyProperties = true, Converters = { new JsonStringEnumConverter() } };
    private readonly ServiceProvider _services;
    private readonly SharedGrainStorage _storage;
    private readonly GrainId _grain = GrainId.Create("naive-leader", "XRPUSDT");

    public SnapshotMigrationTests()
    {
        var services = new ServiceCollection();
        NaiveStrategySerialization.Add(services);
        _services = services.BuildServiceProvider();
        _storage = new SharedGrainStorage(new SharedGrainStorage.Table(), _services.GetRequiredService<Serializer>());
    }

    public void Dispose() => _services.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    // The old version's document, put in grain storage as Orleans serializes it.
    private async Task StoreOldDocumentAsync()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Fixture("grain-state-v1.json")));
        var document = new SymbolStateDocument { Version = file.RootElement.GetProperty("Version").GetInt32(), Json = file.RootElement.GetProperty("Json").GetString() };
        await _storage.WriteStateAsync("naive-leader", _grain, new GrainState<SymbolStateDocument>(document));
    }

    private Task<GrainStrategyStore> ReadAsync() => GrainStrategyStore.ReadAsync(_storage, "naive-leader", _grain, new NaiveStrategyOrleansOptions(), CancellationToken.None);

    // What the old version loaded from the document, serialized the same way and in its layout (Fixtures/grain-state-v1.expected.json).
    private static string Loaded(GrainStrategyStore store) =>
        JsonSerializer.Serialize(new { Symbols = store.Load().Select(s => new OldLayout(s.Settings, s.Status, s.Traders, s.NextTraderNumber, s.Dust, s.RealizedPnl, s.Guard)), store.State.Intents }, Json);

    [Fact]
    public async Task ReadAsync_GrainStateWrittenAsDocumentVersion1_LoadsTheSameState()
    {
        await StoreOldDocumentAsync();

        var store = await ReadAsync();

        Loaded(store).Should().Be(File.ReadAllText(Fixture("grain-state-v1.expected.json")));
    }

    [Fact]
    public async Task SaveSymbol_AfterReadingVersion1_WritesTheSnapshotAsVersion2AndLoadsTheSame()
    {
        await StoreOldDocumentAsync();
        var store = await ReadAsync();
        var saved = store.Load().Single();
        var state = new SymbolSnapshot
        {
            Settings = saved.Settings,
            Status = saved.Status,
            Filters = saved.Traders[0].Filters,
            Traders = [.. saved.Traders],
            NextTraderNumber = saved.NextTraderNumber,
            Dust = saved.Dust,
            RealizedPnl = saved.RealizedPnl,
            Guard = saved.Guard!,
        };

        store.SaveSymbol(state);

        var written = new GrainState<SymbolStateDocument>(new SymbolStateDocument());
        await _storage.ReadStateAsync("naive-leader", _grain, written);
        var document = written.State!;
        document.Version.Should().Be(2);
        document.Json!.Should().Contain("\"Version\":1", "the snapshot names its own version");
        Loaded(await ReadAsync()).Should().Be(File.ReadAllText(Fixture("grain-state-v1.expected.json")));
    }

    // The layout the old version loaded a symbol in (its StoredSymbol), property for property.
    private sealed record OldLayout(SymbolSettings Settings, SymbolStatus Status, IReadOnlyList<TraderSnapshot> Traders, long NextTraderNumber, decimal Dust, decimal RealizedPnl, GuardSnapshot? Guard);
}
