using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using static NaiveStrategy.Sqlite.Tests.TestData;

namespace NaiveStrategy.Sqlite.Tests;

public sealed class RoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_NewFile_Empty()
    {
        using var store = new SqliteStrategyStore(_dir.File());

        store.Load().Should().BeEmpty();
        store.SchemaVersion.Should().Be(SqliteStrategyStore.LatestSchemaVersion);
        store.BackupPath.Should().BeNull();
    }

    [Fact]
    public void Load_AfterSaveSymbol_TraderNumberingRestoredAndNeverGoesBack()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Buying("a-6")) with { NextTraderNumber = 7 });
            store.SaveSettings(Leader().Settings, SymbolStatus.On);
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        reopened.Load().Should().ContainSingle().Which.NextTraderNumber.Should().Be(7);
    }

    [Fact]
    public void Load_GuardFiredWithAnExitUnderWay_RestoredExactlyAndKeptBySaveSettings()
    {
        var exit = new TrackedOrder("a-x1", OrderSide.Sell, 0m, 100m) { OrderId = 9, Status = OrderStatus.PartiallyFilled, ExecutedQuantity = 40m, Commission = 0.0376m, CommissionAsset = "USDT", QuoteQuantity = 37.6m };
        var guard = GuardSnapshot.Of(new GuardState
        {
            PeakEquity = 101.25m,
            DayStart = new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero),
            DayStartEquity = 99.5m,
            Fired = new FiredGuard(GuardKind.MaxDrawdown, GuardAction.Exit, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), 0.94m, 0.0512m, 0.05m) { ExitOrder = exit, ExitAttempts = 1, Sold = 40m, Proceeds = 37.5624m },
        });
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Selling("a-1") with { Halt = GuardAction.Exit }) with { Status = SymbolStatus.Shutdown, Guard = guard });
            store.SaveSettings(Leader().Settings with { MaxDrawdown = 0.05m, GuardAction = GuardAction.Exit }, SymbolStatus.Shutdown);
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        var loaded = reopened.Load().Should().ContainSingle().Subject;
        loaded.Guard.Should().Be(guard);
        loaded.Traders.Single().Halt.Should().Be(GuardAction.Exit);
        loaded.Settings.MaxDrawdown.Should().Be(0.05m);
    }

    [Fact]
    public void Load_AfterSaveSymbolAndReopen_RecordsEqual()
    {
        var saved = Leader(Selling("a-1"), Buying("a-2"));
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(saved);
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        var symbol = reopened.Load().Should().ContainSingle().Subject;

        symbol.Settings.Should().Be(saved.Settings);
        symbol.Status.Should().Be(SymbolStatus.On);
        symbol.Traders.Should().Equal(saved.Traders);
    }

    [Fact]
    public void Load_StaleBuyRuleAndAReplacedBuy_RestoredExactly()
    {
        var settings = Settings("XRPUSDT") with { MaxBuyWait = TimeSpan.FromMinutes(90), MaxBuyDistance = 0.0150m };
        var trader = Buying("a-3") with
        {
            Settings = settings,
            BuyAttempt = 3,
            BuyPlacedAt = T0.AddMinutes(5),
            BuyPlacedMarketPrice = 0.42210m,
            BuyCancelRequestedAt = T0.AddMinutes(95),
            ReplacedBuyClientOrderId = "a-3-b2",
        };
        var saved = Leader(trader) with { Settings = settings };
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(saved);
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        var symbol = reopened.Load().Should().ContainSingle().Subject;

        symbol.Settings.Should().Be(settings);
        symbol.Traders.Should().Equal(trader);
        symbol.Traders[0].BuyPlacedMarketPrice.ToString(CultureInfo.InvariantCulture).Should().Be("0.42210");
    }

    [Fact]
    public void Load_AfterSaveSymbol_DustAndRealizedPnlRestoredExactly()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Selling("a-1") with { DustTaken = -0.923m }) with { Dust = 0.9230m, RealizedPnl = -1.23456789m });
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        var symbol = reopened.Load().Should().ContainSingle().Subject;

        symbol.Dust.Should().Be(0.9230m);
        symbol.Dust.ToString(CultureInfo.InvariantCulture).Should().Be("0.9230");
        symbol.RealizedPnl.Should().Be(-1.23456789m);
        symbol.Traders.Single().DustTaken.Should().Be(-0.923m);
        reopened.ReadStatus().Symbols.Single().Dust.Should().Be(0.9230m);
    }

    [Fact]
    public void SaveSettings_ExistingSymbol_KeepsDustAndRealizedPnl()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader() with { Dust = 0.5m, RealizedPnl = 2m });

        store.SaveSettings(Settings() with { Chunks = 7 }, SymbolStatus.Off);

        var symbol = store.Load().Single();
        (symbol.Dust, symbol.RealizedPnl, symbol.Settings.Chunks).Should().Be((0.5m, 2m, 7));
    }

    [Fact]
    public void Load_AfterSaveSymbol_DecimalScaleKept()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling()));

        var trader = store.Load().Single().Traders.Single();

        trader.BuyOrder!.Price.ToString(CultureInfo.InvariantCulture).Should().Be("0.43070000");
        trader.Filters.TickSize.ToString(CultureInfo.InvariantCulture).Should().Be("0.00010000");
        trader.BuyOrder.ExecutedQuantity.ToString(CultureInfo.InvariantCulture).Should().Be("77.000");
        trader.Settings.Budget.ToString(CultureInfo.InvariantCulture).Should().Be("100.50");
    }

    [Fact]
    public void SaveSymbol_TraderGone_RowDeletedOthersKeptInOrder()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2"), Buying("a-3")));

        store.SaveSymbol(Leader(Buying("a-3"), Selling("a-1")));

        store.Load().Single().Traders.Select(t => t.TraderId).Should().Equal("a-3", "a-1");
        Query(_dir.File(), "SELECT COUNT(*) FROM traders;").Should().Equal(2L);
    }

    [Fact]
    public void SaveSymbol_OtherSymbol_LeavesFirstAlone()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader("XRPUSDT", SymbolStatus.On, Selling("a-1")));

        store.SaveSymbol(Leader("BTCUSDT", SymbolStatus.Shutdown, Buying("a-2", "BTCUSDT")));

        var symbols = store.Load();
        symbols.Select(s => (s.Settings.Symbol, s.Status, s.Traders.Count)).Should().Equal(("BTCUSDT", SymbolStatus.Shutdown, 1), ("XRPUSDT", SymbolStatus.On, 1));
    }

    [Fact]
    public void SaveSymbol_UnchangedTrader_UpdatedAtKept()
    {
        var time = new FakeTimeProvider(T0);
        using var store = new SqliteStrategyStore(_dir.File(), time);
        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2")));
        time.Advance(TimeSpan.FromMinutes(1));

        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2") with { RebuyNotified = true }));

        var traders = store.ReadStatus().Symbols.Single().Traders;
        traders.Select(t => t.UpdatedAt).Should().Equal(T0, T0.AddMinutes(1));
    }

    [Fact]
    public void SaveSymbol_Decimals_StoredAsTextNotReal()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Selling()));
            store.RecordIntent(Intent());
            store.RecordOrderUpdate(Update());
        }

        Query(_dir.File(), "SELECT typeof(price) || typeof(quantity) FROM intents;").Should().Equal("texttext");
        Query(_dir.File(), "SELECT typeof(price) || typeof(executed_qty) || typeof(commission) FROM order_updates;").Should().Equal("texttexttext");
        Query(_dir.File(), "SELECT json_type(state, '$.BuyOrder.Price') FROM traders;").Should().Equal("text");
        Query(_dir.File(), "SELECT json_extract(state, '$.BuyOrder.Status') FROM traders;").Should().Equal("Filled");
    }

    [Fact]
    public void Load_FilesAsLeftByKill9_CommittedStateRecovered()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2")));
        store.RecordIntent(Intent());
        store.RecordOrderUpdate(Update());

        // The process dies: what is on disk is the database and its WAL, never checkpointed or closed.
        new FileInfo(_dir.File() + "-wal").Length.Should().BeGreaterThan(0);
        using var crashed = new TempDirectory();
        File.Copy(_dir.File(), crashed.File());
        File.Copy(_dir.File() + "-wal", crashed.File() + "-wal");

        using var restarted = new SqliteStrategyStore(crashed.File());
        restarted.Load().Single().Traders.Should().Equal(Selling("a-1"), Buying("a-2"));
        restarted.ReadIntents().Should().Equal(Intent());
        restarted.ReadOrderUpdates().Should().Equal(Update());
    }

    [Fact]
    public void ReadIntents_AfterRecordIntent_EqualRecordsInOrder()
    {
        var first = Intent("a-1-b");
        var second = Intent("a-1-s", 0.4320m) with { Request = Intent("a-1-s", 0.4320m).Request with { Side = OrderSide.Sell } };
        var other = Intent("b-1-b", 20.5m, "BTCUSDT");
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.RecordIntent(first);
            store.RecordIntent(other);
            store.RecordIntent(second);
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        reopened.ReadIntents().Should().Equal(first, other, second);
        reopened.ReadIntents("XRPUSDT").Should().Equal(first, second);
    }

    [Fact]
    public void RecordIntent_SameIntentTwice_RecordedOnce()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.RecordIntent(Intent());

        store.RecordIntent(Intent());

        store.ReadIntents().Should().ContainSingle();
    }

    [Fact]
    public void RecordIntent_ClientOrderIdReusedForOtherOrder_ThrowsAndKeepsFirst()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.RecordIntent(Intent(price: 0.43m));

        var act = () => store.RecordIntent(Intent(price: 0.44m));

        act.Should().Throw<StrategyStoreException>().WithMessage("*a-1-b*already recorded*different order*");
        store.ReadIntents().Single().Request.Price.Should().Be(0.43m);
    }

    [Fact]
    public void ReadOrderUpdates_AfterRecordOrderUpdate_EqualRecordsInOrder()
    {
        var updates = new[] { Update("a-1-b", OrderStatus.New, asset: null), Update("a-1-b", OrderStatus.Filled), Update("a-1-b", OrderStatus.Filled) };
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            foreach (var update in updates)
            {
                store.RecordOrderUpdate(update);
            }
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        reopened.ReadOrderUpdates().Should().Equal(updates);
        reopened.ReadOrderUpdates("BTCUSDT").Should().BeEmpty();
    }

    [Fact]
    public void ReadStatus_TradersAndOpenOrders_Reported()
    {
        using var store = new SqliteStrategyStore(_dir.File());
        store.SaveSymbol(Leader(Selling("a-1"), Buying("a-2"), Fresh("a-3")));

        var status = store.ReadStatus();

        status.Path.Should().Be(_dir.File());
        var symbol = status.Symbols.Should().ContainSingle().Subject;
        symbol.Status.Should().Be(SymbolStatus.On);
        symbol.Traders.Select(t => (t.TraderId, t.Side, t.Price, t.Quantity, t.OrderStatus, t.ExecutedQuantity)).Should().Equal(
            ("a-1", OrderSide.Sell, 0.4320m, 76m, OrderStatus.PendingNew, 0m),
            ("a-2", OrderSide.Buy, 0.4200m, 79m, OrderStatus.PartiallyFilled, 3m),
            ("a-3", (OrderSide?)null, (decimal?)null, (decimal?)null, (OrderStatus?)null, (decimal?)null));
        status.OpenOrders.Select(o => (o.Symbol, o.TraderId, o.Order.ClientOrderId)).Should().Equal(("XRPUSDT", "a-1", "a-1-s"), ("XRPUSDT", "a-2", "a-2-b"));
    }

    [Fact]
    public void SaveSettings_ExistingSymbol_ChangesSettingsAndStatusKeepsTraders()
    {
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SaveSymbol(Leader(Selling("a-1")));
        }

        var changed = Settings() with { Chunks = 7, Budget = 250m };
        using (var cli = new SqliteStrategyStore(_dir.File()))
        {
            cli.SaveSettings(changed, SymbolStatus.Shutdown);
        }

        using var reopened = new SqliteStrategyStore(_dir.File());
        var symbol = reopened.Load().Single();
        symbol.Settings.Should().Be(changed);
        symbol.Status.Should().Be(SymbolStatus.Shutdown);
        symbol.Traders.Should().Equal(Selling("a-1"));
    }

    [Fact]
    public void SaveSettings_NewSymbol_AddedWithNoTraders()
    {
        using var store = new SqliteStrategyStore(_dir.File());

        store.SaveSettings(Settings("ETHUSDT"), SymbolStatus.On);

        store.Load().Should().ContainSingle().Which.Should().BeEquivalentTo(new StoredSymbol(Settings("ETHUSDT"), SymbolStatus.On, []));
    }

    [Fact]
    public void SaveSettings_InvalidSettings_ThrowsNamingFieldAndSavesNothing()
    {
        using var store = new SqliteStrategyStore(_dir.File());

        var act = () => store.SaveSettings(Settings() with { Chunks = 0 }, SymbolStatus.On);

        act.Should().Throw<ArgumentException>().WithMessage("*chunks*0*");
        store.Load().Should().BeEmpty();
    }

    [Fact]
    public void Methods_AfterDispose_ThrowObjectDisposed()
    {
        var store = new SqliteStrategyStore(_dir.File());
        store.Dispose();
        store.Dispose();

        store.Invoking(s => s.Load()).Should().Throw<ObjectDisposedException>();
        store.Invoking(s => s.SaveSymbol(Leader())).Should().Throw<ObjectDisposedException>();
        store.Invoking(s => s.RecordIntent(Intent())).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Constructor_NewFile_WalAndNoLeftovers()
    {
        using var store = new SqliteStrategyStore(_dir.File());

        Query(_dir.File(), "PRAGMA journal_mode;").Should().Equal("wal");
        File.Exists(_dir.File() + ".creating").Should().BeFalse();
    }
}
