using Microsoft.Extensions.DependencyInjection;
using NaiveStrategy.Binance;
using Orleans.Serialization;

namespace NaiveStrategy.Orleans.Tests;

public sealed class GrainStrategyStoreTests : IDisposable
{
    private static readonly SymbolSettings Settings = new() { Symbol = "XRPUSDT", Chunks = 3, Budget = 60m, MaxBuyWait = TimeSpan.FromMinutes(30) };
    private static readonly SymbolFilters SandboxFilters = SymbolFilterPresets.XrpUsdt;
    private readonly ServiceProvider _services;
    private readonly SharedGrainStorage.Table _table = new();
    private readonly SharedGrainStorage _storage;
    private readonly GrainId _grain = GrainId.Create("leader", "XRPUSDT");
    private readonly NaiveStrategyOrleansOptions _options = new() { JournalLength = 2 };

    public GrainStrategyStoreTests()
    {
        var services = new ServiceCollection();
        NaiveStrategySerialization.Add(services);
        _services = services.BuildServiceProvider();
        _storage = new SharedGrainStorage(_table, _services.GetRequiredService<Serializer>());
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task SaveSymbol_ThenReadByAnotherActivation_RestoresTradersAndMoneyExactly()
    {
        var store = await ReadAsync();
        var state = new SymbolSnapshot { Settings = Settings, Dust = 0.618m, RealizedPnl = -1.2300m };
        var trader = Trader("run1-XRPUSDT-1") with
        {
            BuyPlacedAt = DateTimeOffset.UnixEpoch.AddMinutes(3),
            BuyPlacedMarketPrice = 0.5030m,
            BuyOrder = new OrderSnapshot("run1-XRPUSDT-1-b", OrderSide.Buy, 0.5012m, 39m) { Status = OrderStatus.New, OrderId = 7 },
        };
        store.SaveSymbol(state with { Traders = [trader], NextTraderNumber = 2 });

        var saved = (await ReadAsync()).Load().Should().ContainSingle().Subject;
        saved.Settings.Should().Be(Settings);
        saved.Traders.Should().ContainSingle().Which.Should().BeEquivalentTo(trader);
        saved.NextTraderNumber.Should().Be(2);
        saved.Dust.Should().Be(0.618m);
        saved.RealizedPnl.Should().Be(-1.2300m);
        saved.RealizedPnl.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("-1.2300", "the scale survives the wire");
    }

    [Fact]
    public void SymbolStateDocument_ThroughOrleansDefaultJsonStorageSerializer_RestoresTheStateExactly()
    {
        // Redis, ADO.NET and Azure storage serialize with this (Newtonsoft.Json) unless told otherwise.
        var serializer = new global::Orleans.Storage.JsonGrainStorageSerializer(new OrleansJsonSerializer(Microsoft.Extensions.Options.Options.Create(new OrleansJsonSerializerOptions())));
        var trader = Trader("run1-XRPUSDT-1") with { BuyOrder = new OrderSnapshot("run1-XRPUSDT-1-b", OrderSide.Buy, 0.5012m, 39m) { Status = OrderStatus.PartiallyFilled, ExecutedQuantity = 3m } };
        var state = new SymbolGrainState
        {
            Symbol = new StrategySnapshot { Settings = Settings, Status = SymbolStatus.On, Traders = [trader], NextTraderNumber = 2, Dust = 0.618m, RealizedPnl = -1.2300m },
            Intents = [Intent("run1-XRPUSDT-1-b")],
        };

        var back = serializer.Deserialize<SymbolStateDocument>(serializer.Serialize(SymbolStateDocument.Of(state)))!.Read("XRPUSDT");

        back.Should().BeEquivalentTo(state);
        back.Symbol!.RealizedPnl.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("-1.2300");
    }

    [Fact]
    public void Read_DocumentFromANewerVersion_RefusedNamingTheSymbol()
    {
        var document = new SymbolStateDocument { Version = SymbolStateDocument.CurrentVersion + 1, Json = "{}" };

        document.Invoking(d => d.Read("XRPUSDT")).Should().Throw<InvalidDataException>().WithMessage("*XRPUSDT*newer*");
    }

    [Fact]
    public async Task Write_AfterAnotherActivationWrote_IsRefusedAndFencesTheStore()
    {
        var old = await ReadAsync();
        var taker = await ReadAsync();
        taker.SaveSymbol(new SymbolSnapshot { Settings = Settings });

        var act = () => old.RecordIntent(Intent("run1-XRPUSDT-1-b"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*taken over by another activation*");
        old.Fenced.Should().NotBeNull();
        (await ReadAsync()).State.Intents.Should().BeEmpty("the refused intent was never written, so its order is never sent");
        old.Invoking(s => s.SaveSymbol(new SymbolSnapshot { Settings = Settings })).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task RecordIntent_SameRequestTwice_KeepsOne()
    {
        var store = await ReadAsync();
        store.RecordIntent(Intent("a-b"));
        store.RecordIntent(Intent("a-b"));

        (await ReadAsync()).State.Intents.Should().ContainSingle();
    }

    [Fact]
    public async Task SaveSymbol_JournalLongerThanAllowed_KeepsOpenOrdersAndTheNewestOthers()
    {
        var store = await ReadAsync();
        foreach (var id in new[] { "t1-b", "t2-b", "t3-b", "t4-b" })
        {
            store.RecordIntent(Intent(id));
        }

        var open = Trader("t1") with { BuyOrder = new OrderSnapshot("t1-b", OrderSide.Buy, 0.5m, 40m) { Status = OrderStatus.New } };
        store.SaveSymbol(new SymbolSnapshot { Settings = Settings } with { Traders = [open] });

        (await ReadAsync()).State.Intents.Select(i => i.Request.ClientOrderId).Should().Equal("t1-b", "t3-b", "t4-b");
    }

    private static TraderSnapshot Trader(string id) => new() { TraderId = id, Settings = Settings, Filters = SandboxFilters, Budget = 20m };

    private static OrderIntent Intent(string clientOrderId) =>
        new("XRPUSDT", clientOrderId[..^2], new OrderRequest("XRPUSDT", clientOrderId, OrderSide.Buy, 0.5m, 40m), DateTimeOffset.UnixEpoch);

    private Task<GrainStrategyStore> ReadAsync() => GrainStrategyStore.ReadAsync(_storage, "naive-leader", _grain, _options, CancellationToken.None);
}
