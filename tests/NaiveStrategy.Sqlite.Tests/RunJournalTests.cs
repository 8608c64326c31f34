namespace NaiveStrategy.Sqlite.Tests;

public sealed class RunJournalTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadMarks_AfterRecordMark_SameMarksInOrderAlsoReadOnly()
    {
        var t0 = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        RunMark[] marks =
        [
            new("XRPUSDT", RunMarkKind.Start, t0) { Settings = TestData.Settings() with { Budget = 100.50m }, Filters = TestData.Filters() },
            new("XRPUSDT", RunMarkKind.Intent, t0.AddSeconds(1)) { TradeId = 42, MarketTime = t0.AddMilliseconds(900), MarketPrice = 0.43070000m, ClientOrderId = "a-1-b" },
            new("ADAUSDT", RunMarkKind.Update, t0.AddSeconds(2)) { TradeId = 7, MarketTime = t0, MarketPrice = 1m, ClientOrderId = "a-2-b", Status = OrderStatus.Filled, Source = OrderUpdateSource.Query, Reordered = true, ExchangeTime = t0.AddSeconds(1.5) },
        ];
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            foreach (var mark in marks)
            {
                store.RecordMarks([mark]);
            }

            store.ReadMarks().Should().Equal(marks);
            store.ReadMarks("ADAUSDT").Should().Equal(marks[2]);
        }

        using var reader = SqliteStrategyStore.OpenReadOnly(_dir.File());
        reader.ReadMarks().Should().Equal(marks);
        reader.ReadMarks()[1].MarketPrice.ToString().Should().Be("0.43070000");
    }

    [Fact]
    public void RecordOrderUpdate_SourceAndReordered_ReadBack()
    {
        OrderUpdate[] updates =
        [
            TestData.Update("a-1-b", OrderStatus.New) with { Source = OrderUpdateSource.Answer },
            TestData.Update("a-1-b") with { Source = OrderUpdateSource.Stream, Reordered = true },
            TestData.Update("a-2-b") with { Source = OrderUpdateSource.Query },
        ];
        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            foreach (var update in updates)
            {
                store.RecordOrderUpdate(update);
            }
        }

        using var reader = SqliteStrategyStore.OpenReadOnly(_dir.File());
        reader.ReadOrderUpdates().Should().Equal(updates);
    }
}
