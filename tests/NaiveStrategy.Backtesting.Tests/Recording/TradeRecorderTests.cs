using NaiveStrategy.Backtesting.PublicData;
using NaiveStrategy.Backtesting.Recording;

namespace NaiveStrategy.Backtesting.Tests.Recording;

public sealed class TradeRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Evening = new(2024, 1, 1, 23, 59, 59, 500, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-recorder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TradeEvent Trade(long id, decimal price, DateTimeOffset time) => new("XRPUSDT", id, price, 12.5m, time, IsBuyerMaker: id % 2 == 0);

    [Fact]
    public async Task Record_TradesAcrossUtcMidnight_OneFilePerDayThatTheReaderReadsBackExactly()
    {
        TradeEvent[] trades = [Trade(1, 0.5123m, Evening), Trade(2, 0.5124m, Evening.AddMilliseconds(400)), Trade(3, 0.5125m, Evening.AddSeconds(1)), Trade(4, 0.5126m, Evening.AddSeconds(2))];
        await using (var recorder = new TradeRecorder(_dir))
        {
            foreach (var t in trades)
            {
                recorder.Record(t).Should().BeTrue();
            }
        }

        Directory.GetFiles(_dir).Select(Path.GetFileName).Should().BeEquivalentTo("XRPUSDT-trades-2024-01-01.csv", "XRPUSDT-trades-2024-01-02.csv");
        TradeFileReader.Open([_dir]).ToArray().Should().Equal(trades);
    }

    [Fact]
    public async Task Record_From2025_MicrosecondTimesKept()
    {
        var t0 = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1230);
        TradeEvent[] trades = [Trade(10, 1.1m, t0), Trade(11, 1.2m, t0.AddTicks(10))];
        await using (var recorder = new TradeRecorder(_dir))
        {
            recorder.Record(trades[0]);
            recorder.Record(trades[1]);
        }

        File.ReadAllLines(Path.Combine(_dir, "XRPUSDT-trades-2025-03-04.csv"))[0].Should().Be("10,1.1,12.5,13.75,1741064767000123,True,True");
        TradeFileReader.Open([_dir]).ToArray().Should().Equal(trades);
    }

    [Fact]
    public async Task Record_TradeIdsJump_GapRowBesideTradesAndNoTradeInvented()
    {
        await using (var recorder = new TradeRecorder(_dir))
        {
            recorder.Record(Trade(1, 0.5m, Evening.AddHours(-1)));
            recorder.Record(Trade(2, 0.5m, Evening.AddHours(-1).AddSeconds(1)));
            recorder.Record(Trade(7, 0.5m, Evening.AddHours(-1).AddSeconds(9)));
            recorder.Record(Trade(7, 0.5m, Evening.AddHours(-1).AddSeconds(9))); // the same trade again (a handover)
        }

        TradeFileReader.Open([_dir]).Select(t => t.TradeId).Should().Equal(1L, 2L, 7L);
        File.ReadAllLines(Path.Combine(_dir, "XRPUSDT" + TradeRecorder.GapsSuffix)).Should().Equal(
            TradeRecorder.GapsHeader,
            "2024-01-01T22:59:60.5000000Z,2024-01-01T23:00:08.5000000Z,2,7,4,stream".Replace("22:59:60.5", "23:00:00.5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Record_UnwritableDirectory_ProblemAndLostCountedNeverThrows()
    {
        var blocked = Path.Combine(_dir, "not-a-directory");
        await File.WriteAllTextAsync(blocked, "a file where the recording directory should be");
        await using var recorder = new TradeRecorder(Path.Combine(blocked, "recordings"));

        recorder.Record(Trade(1, 0.5m, Evening)).Should().BeTrue();
        recorder.Record(Trade(2, 0.5m, Evening)).Should().BeTrue();

        await Wait.TryUntilAsync(() => recorder.Lost >= 2);

        recorder.Lost.Should().Be(2);
        recorder.Written.Should().Be(0);
        recorder.Problem.Should().Contain("cannot be written").And.Contain(recorder.Directory);
    }

    [Fact]
    public async Task Record_QueueFull_DropsCountedAndRecordedAsAGap()
    {
        var recorder = new TradeRecorder(_dir, capacity: 1);
        var accepted = 0;
        for (var id = 1; id <= 5000; id++)
        {
            accepted += recorder.Record(Trade(id, 0.5m, Evening.AddHours(-1).AddMilliseconds(id))) ? 1 : 0;
        }

        await recorder.DisposeAsync();

        (accepted + recorder.Dropped).Should().Be(5000);
        var recorded = TradeFileReader.Open([_dir]).Select(t => t.TradeId).ToArray();
        recorded.Length.Should().Be(accepted);
        var gaps = Path.Combine(_dir, "XRPUSDT" + TradeRecorder.GapsSuffix);
        var inGaps = File.Exists(gaps) ? File.ReadAllLines(gaps).Skip(1).Sum(l => long.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture)) : 0;
        (inGaps + (5000 - recorded[^1]) + (recorded[0] - 1)).Should().Be(recorder.Dropped, "every dropped trade is inside a recorded gap, or after the last trade written");
    }
}
