using System.IO.Compression;
using System.Text;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.PublicData;

/// <summary>Every kind of bad input gets a <see cref="TradeFileFormatException"/> naming the file and line, or is counted by reason when skipping.</summary>
public sealed class TradeFileValidationTests : IDisposable
{
    private const string Name = "XRPUSDT-trades-2024-01-02.csv";
    private const string Good = "1,0.5,1,0.5,1704067200000,True,True\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-validation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string content, string name = Name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static List<TradeEvent> Read(string path, bool skip = false) => [.. TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = skip })];

    private TradeFileFormatException Fails(string content)
    {
        var path = Write(content);
        var act = () => Read(path);
        return act.Should().Throw<TradeFileFormatException>().Which;
    }

    [Theory]
    [InlineData("2,0.5,-13,0.5,1704067200001,True,True", "qty -13 is not positive")]
    [InlineData("2,0.5,0,0.5,1704067200001,True,True", "qty 0 is not positive")]
    [InlineData("2,0.5,0.00000000,0.5,1704067200001,True,True", "qty 0.00000000 is not positive")]
    [InlineData("2,0.5,1e25,0.5,1704067200001,True,True", "qty '1e25' is out of range (must be below 100,000,000,000,000)")]
    [InlineData("2,0.5,100000000000000,0.5,1704067200001,True,True", "qty '100000000000000' is out of range")]
    [InlineData("2,79228162514264337593543950335,1,0.5,1704067200001,True,True", "price '79228162514264337593543950335' is out of range")]
    [InlineData("2,-0.5,1,0.5,1704067200001,True,True", "price -0.5 is not positive")]
    [InlineData("2,0.5,abc,0.5,1704067200001,True,True", "qty 'abc' is not a decimal")]
    public void Open_BadAmount_ErrorNamesFileLineAndValue(string line, string expected)
    {
        var ex = Fails(Good + line + "\n");
        ex.Message.Should().StartWith($"{Name} line 2: {expected}");
        ex.LineNumber.Should().Be(2);
    }

    [Fact]
    public void Open_LargestAmountBelowBound_Accepted()
    {
        var trade = Read(Write("1,99999999999999.99999999,99999999999999,1,1704067200000,True,True\n")).Single();
        trade.Price.Should().Be(99999999999999.99999999m);
        (trade.Price * trade.Quantity).Should().BeLessThan(decimal.MaxValue, "the bound keeps a notional inside decimal's range");
    }

    [Theory]
    [InlineData("2,0.5,1,0.5,922337203685477581,True,True", "time 922337203685477581 is out of range (after 9999-12-31)")]
    [InlineData("2,0.5,1,0.5,99999999999999999999,True,True", "time '99999999999999999999' is out of range")]
    [InlineData("2,0.5,1,0.5,-5,True,True", "time '-5' is not an integer")]
    [InlineData("-2,0.5,1,0.5,1704067200001,True,True", "id '-2' is not an integer")]
    public void Open_BadTimeOrId_ErrorNamesFileAndLine(string line, string expected)
    {
        Fails(Good + line + "\n").Message.Should().StartWith($"{Name} line 2: {expected}");
    }

    [Fact]
    public void Open_LatestMicrosecond_Accepted()
    {
        Read(Write("1,0.5,1,0.5,253402300799999999,True,True\n")).Single().Time.Should().Be(DateTimeOffset.MaxValue.AddTicks(-9));
    }

    [Fact]
    public void Open_TimeGoingBackwards_ErrorNamesBothLines()
    {
        var ex = Fails("1,0.5,1,0.5,1704067200500,True,True\n\n2,0.5,1,0.5,1704067200400,True,True\n");
        ex.Message.Should().Be($"{Name} line 3: time 1704067200400 is before line 1's 1704067200500: trades must be in time order.");
    }

    [Fact]
    public void Open_EqualTimes_Accepted()
    {
        Read(Write("1,0.5,1,0.5,1704067200000,True,True\n2,0.5,1,0.5,1704067200000,True,True\n")).Should().HaveCount(2);
    }

    [Fact]
    public void Open_DuplicateId_ErrorNamesBothLines()
    {
        var ex = Fails("7,0.5,1,0.5,1704067200000,True,True\n7,0.5,1,0.5,1704067200001,True,True\n");
        ex.Message.Should().Be($"{Name} line 2: duplicate trade id 7 (also on line 1).");
    }

    [Fact]
    public void Open_IdGoingBack_Error()
    {
        Fails("7,0.5,1,0.5,1704067200000,True,True\n6,0.5,1,0.5,1704067200001,True,True\n").Message
            .Should().Be($"{Name} line 2: trade id 6 is lower than line 1's 7: ids must increase.");
    }

    [Fact]
    public void Open_MixedMillisecondsAndMicroseconds_Error()
    {
        Fails("1,0.5,1,0.5,1735689600000,True,True\n2,0.5,1,0.5,1735689600000001,True,True\n").Message
            .Should().Be($"{Name} line 2: time 1735689600000001 is in microseconds but line 1's 1735689600000 is in milliseconds: one file must not mix units.");
    }

    [Fact]
    public void Open_ExtraColumn_Error()
    {
        Fails(Good + "2,0.5,1,0.5,1704067200001,True,True,junk\n").Message.Should().StartWith($"{Name} line 2: more than 7 columns");
    }

    [Fact]
    public void Open_MegabytesAfterLastColumn_ErrorNamesLineWithoutBufferingIt()
    {
        var junk = new string('x', 10 << 20);
        var ex = Fails(Good + "2,0.5,1,0.5,1704067200001,True,True" + junk + "\n3,0.5,1,0.5,1704067200002,True,True\n");
        ex.Message.Should().Be($"{Name} line 2: the line is longer than 1024 bytes (junk after the last column?).");
    }

    [Fact]
    public void Open_MegabytesOfJunkSkipped_NextLinesRead()
    {
        var junk = new string('x', 10 << 20);
        var path = Write(Good + "2,0.5,1,0.5,1704067200001,True,True" + junk + "\n3,0.5,1,0.5,1704067200002,True,True\n");
        var set = TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = true });

        set.Select(t => t.TradeId).Should().Equal(1, 3);
        set.Diagnostics.SkippedSummary.Should().Be("skipped lines: 1 (line too long 1)");
    }

    [Fact]
    public void Enumerate_JunkLine_MemoryDoesNotGrowWithTheJunk()
    {
        var path = Write(Good + new string('x', 20 << 20) + "\n" + "3,0.5,1,0.5,1704067200002,True,True\n");
        var set = TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = true });
        var before = GC.GetAllocatedBytesForCurrentThread();

        set.Count().Should().Be(2);

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20, "the 20 MB line is streamed over, not buffered");
    }

    [Theory]
    [InlineData("", "no trades: the file is empty")]
    [InlineData("\n\n\r\n\n", "no trades: the file holds only blank lines")]
    [InlineData("id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n", "no trades: the file holds only a header")]
    public void Open_NoTrades_ErrorNamesFile(string content, string expected)
    {
        var ex = Fails(content);
        ex.Message.Should().Be($"{Name}: {expected}.");
        ex.LineNumber.Should().Be(0);
    }

    [Fact]
    public void Open_NoTradesWithSkipBadLines_StillAnError()
    {
        var path = Write("\n\n");
        var act = () => Read(path, skip: true);
        act.Should().Throw<TradeFileFormatException>().WithMessage("*no trades*");
    }

    [Fact]
    public void Open_BomWithoutHeader_FirstLineRead()
    {
        var path = Path.Combine(_dir, Name);
        File.WriteAllText(path, Good, new UTF8Encoding(true));
        Read(path).Single().TradeId.Should().Be(1);
    }

    [Fact]
    public void Open_BomThenHeader_HeaderSkipped()
    {
        var path = Path.Combine(_dir, Name);
        File.WriteAllText(path, "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\n" + Good, new UTF8Encoding(true));
        Read(path).Single().TradeId.Should().Be(1);
    }

    [Fact]
    public void Open_BomOnLaterLine_Error()
    {
        Fails(Good + "\uFEFF2,0.5,1,0.5,1704067200001,True,True\n").Message.Should().StartWith($"{Name} line 2: id '\uFEFF2' is not an integer");
    }

    [Fact]
    public void Open_SkipBadLines_CountsByReason()
    {
        var path = Write(
            "1,0.5,1,0.5,1000,True,True\n" +
            "2,0,1,0.5,2000,True,True\n" +
            "2,0.5,1,0.5,2000,True,True\n" +
            "3,-1,1,0.5,3000,True,True\n" +
            "3,0.5,1,0.5,3000,True,True\n" +
            "3,0.5,1,0.5,3001,True,True\n");
        var set = TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = true });

        set.Select(t => t.TradeId).Should().Equal(1, 2, 3);
        set.Diagnostics.SkippedSummary.Should().Be("skipped lines: 3 (price not positive 2, duplicate id 1)");
    }

    [Fact]
    public void Open_SkipBadLines_BadLineDoesNotMoveTheOrderChecks()
    {
        // Line 2 is bad after its time was read; line 3 must be compared with line 1, not line 2.
        var path = Write("1,0.5,1,0.5,1000,True,True\n2,0.5,1,0.5,9000,Maybe,True\n3,0.5,1,0.5,2000,True,True\n");
        var set = TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = true });

        set.Select(t => t.TradeId).Should().Equal(1, 3);
    }

    [Fact]
    public void Open_DamagedZipData_ErrorNamesArchive()
    {
        var zip = Path.Combine(_dir, "XRPUSDT-trades-2024-01.zip");
        var content = new StringBuilder();
        for (var i = 1; i <= 20_000; i++)
        {
            content.Append(i).Append(",0.5,1,0.5,").Append(1704067200000 + i).Append(",True,True\n");
        }

        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("XRPUSDT-trades-2024-01.csv").Open());
            writer.Write(content.ToString());
        }

        var bytes = File.ReadAllBytes(zip);
        for (var i = 200; i < 260; i++)
        {
            bytes[i] ^= 0x5A; // inside the compressed data, after the local header
        }

        File.WriteAllBytes(zip, bytes);

        var act = () => Read(zip, skip: true);

        act.Should().Throw<TradeFileFormatException>().WithMessage("XRPUSDT-trades-2024-01.zip!XRPUSDT-trades-2024-01.csv: the zip archive is damaged (*).")
            .Which.LineNumber.Should().Be(0);
    }

    [Fact]
    public void Open_TruncatedZip_ErrorNamesArchive()
    {
        var zip = Path.Combine(_dir, "XRPUSDT-trades-2024-01.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("a.csv").Open());
            writer.Write(Good);
        }

        var bytes = File.ReadAllBytes(zip);
        File.WriteAllBytes(zip, bytes[..(bytes.Length / 2)]);

        var act = () => Read(zip);

        act.Should().Throw<TradeFileFormatException>().WithMessage("XRPUSDT-trades-2024-01.zip: the zip archive is damaged (*).");
    }

    [Fact]
    public void Open_BookFormatExtraColumn_Error()
    {
        var path = Write(
            "id;symbol;trade_id;price;quantity;trade_time\n" +
            "1;XRPUSDT;5;0.5;1;1559520000120\n" +
            "2;XRPUSDT;6;0.5;1;1559520000121;junk\n", "XRPUSDT-2019-06-03.csv");
        var act = () => Read(path);
        act.Should().Throw<TradeFileFormatException>().WithMessage("XRPUSDT-2019-06-03.csv line 3: expected 6 ';'-separated columns, found 7.");
    }

    [Fact]
    public void Open_BookFormatBadHeaderWithSkip_StillAnError()
    {
        var path = Write("id;symbol;price\n1;XRPUSDT;0.5\n", "XRPUSDT-2019-06-03.csv");
        var act = () => Read(path, skip: true);
        act.Should().Throw<TradeFileFormatException>().WithMessage("*header has no 'trade_id' column*");
    }
}
