using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

// Fixtures/state-v4.db was written by the store before the snapshot contract, state-v5.db by the store of schema 5
// with a run journal (see Fixtures/README.md).
public sealed class SnapshotMigrationTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, IgnoreReadOnlyProperties = true, Converters = { new JsonStringEnumConverter() } };
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private string CopyOfOldFile()
    {
        var path = _dir.File();
        File.Copy(Fixture("state-v4.db"), path);
        return path;
    }

    // What the old version read from the file, serialized the same way (Fixtures/state-v4.expected.json). Properties
    // order updates gained since (schema 6: how the engine learned of each, whether the stream reordered it) are not in
    // the old file: they read as "not said", and are left out of the comparison.
    private static string Read(SqliteStrategyStore store)
    {
        var updates = store.ReadOrderUpdates();
        updates.Should().OnlyContain(u => u.Source == OrderUpdateSource.Unknown && !u.Reordered, "the old file does not say how each update was learned");
        return JsonSerializer.Serialize(new { Symbols = store.ReadStatus().Symbols, Intents = store.ReadIntents(), Updates = updates }, AsTheOldVersion);
    }

    private static readonly JsonSerializerOptions AsTheOldVersion = new(Json)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    // Added by schema 6: not in files written before.
                    if (info.Type == typeof(OrderUpdate) || info.Type == typeof(RunMark))
                    {
                        foreach (var added in info.Properties.Where(p => p.Name is nameof(OrderUpdate.Source) or nameof(OrderUpdate.Reordered) or nameof(RunMark.ExchangeTime)).ToArray())
                        {
                            info.Properties.Remove(added);
                        }
                    }
                },
            },
        },
    };

    private static string Loaded(SqliteStrategyStore store) => JsonSerializer.Serialize(store.Load(), Json);

    [Fact]
    public void Open_StateFileWrittenBeforeTheSnapshotContract_ReadsTheSameState()
    {
        using var store = new SqliteStrategyStore(CopyOfOldFile());

        store.SchemaVersion.Should().Be(SqliteStrategyStore.LatestSchemaVersion, "schema 4 holds snapshot version 1");
        Read(store).Should().Be(File.ReadAllText(Fixture("state-v4.expected.json")));
    }

    [Fact]
    public void Open_Schema5FileWithARunJournal_ReadsTheSameJournalAndMarks()
    {
        var path = _dir.File();
        File.Copy(Fixture("state-v5.db"), path);

        using (var store = new SqliteStrategyStore(path))
        {
            store.SchemaVersion.Should().Be(SqliteStrategyStore.LatestSchemaVersion, "schema 5 migrates in place");
        }

        using var reader = SqliteStrategyStore.OpenReadOnly(path);
        var (updates, marks) = (reader.ReadOrderUpdates(), reader.ReadMarks());
        updates.Should().OnlyContain(u => u.Source == OrderUpdateSource.Unknown && !u.Reordered, "schema 5 did not keep how updates were learned");
        marks.Should().OnlyContain(m => m.Source == null && !m.Reordered && m.ExchangeTime == null);
        JsonSerializer.Serialize(new { Intents = reader.ReadIntents(), Updates = updates, Marks = marks }, AsTheOldVersion)
            .Should().Be(File.ReadAllText(Fixture("state-v5.expected.json")));
    }

    [Fact]
    public void SaveSymbol_MigratedStateSavedBack_LoadsUnchanged()
    {
        using var store = new SqliteStrategyStore(CopyOfOldFile());
        var before = Loaded(store);
        var saved = store.Load().Single();
        var state = new SymbolSnapshot
        {
            Settings = saved.Settings,
            Status = saved.Status,
            Filters = Filters(),
            Traders = [.. saved.Traders],
            NextTraderNumber = saved.NextTraderNumber,
            Dust = saved.Dust,
            RealizedPnl = saved.RealizedPnl,
            Guard = saved.Guard!,
        };

        store.SaveSymbol(state);

        Loaded(store).Should().Be(before);
    }
}
