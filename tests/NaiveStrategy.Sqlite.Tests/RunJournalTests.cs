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

    [Fact]
    public void Open_Schema5FileWithMarksAndUpdates_MigratedAndReadWithoutSources()
    {
        // A file as schema 5 wrote it (commit b1f70dd): order_updates without source nor reordered, update marks
        // without Source, Reordered nor ExchangeTime in their JSON.
        using (new SqliteStrategyStore(_dir.File(), TimeProvider.System, [.. Migration.All.Take(5)]))
        {
        }

        TestData.Sql(_dir.File(), """
            INSERT INTO order_updates (symbol, client_order_id, order_id, side, price, quantity, status, executed_qty, commission, commission_asset, time, time_ms)
            VALUES ('XRPUSDT', 'a-1-b', 1, 'Buy', '0.5', '20', 'Filled', '20', '0.02', 'XRP', '2024-01-01T00:00:01.0000000Z', 1704067201000);
            INSERT INTO run_marks (symbol, kind, trade_id, market_time_ms, mark, time, time_ms)
            VALUES ('XRPUSDT', 'Update', 42, 1704067200000,
                    '{"Symbol":"XRPUSDT","Kind":"Update","Time":"2024-01-01T00:00:01.2+00:00","TradeId":42,"MarketTime":"2024-01-01T00:00:00+00:00","MarketPrice":"0.5","ClientOrderId":"a-1-b","Status":"Filled"}',
                    '2024-01-01T00:00:01.2000000Z', 1704067201200);
            """);

        using (var store = new SqliteStrategyStore(_dir.File()))
        {
            store.SchemaVersion.Should().Be(SqliteStrategyStore.LatestSchemaVersion);
        }

        using var reader = SqliteStrategyStore.OpenReadOnly(_dir.File());
        var update = reader.ReadOrderUpdates().Should().ContainSingle().Subject;
        (update.ClientOrderId, update.Status, update.ExecutedQuantity, update.Source, update.Reordered).Should().Be(("a-1-b", OrderStatus.Filled, 20m, OrderUpdateSource.Unknown, false));
        var mark = reader.ReadMarks().Should().ContainSingle().Subject;
        (mark.TradeId, mark.Status, mark.Source, mark.Reordered, mark.ExchangeTime).Should().Be((42L, OrderStatus.Filled, (OrderUpdateSource?)null, false, (DateTimeOffset?)null));
    }
}
