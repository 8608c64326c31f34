using System.IO.Compression;
using System.Text;
using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.PublicData;

public sealed class TradeFileReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-trades-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static List<TradeEvent> Read(params string[] paths) => [.. TradeFileReader.Open(paths)];

    [Fact]
    public void Open_MillisecondFile_ParsesEveryColumn()
    {
        var path = Write("XRPUSDT-trades-2024-01-01.csv", "100,0.62010000,25.00000000,15.50250000,1704067200229,True,True\n101,0.6202,3,1.8606,1704067200300,False,True\n");

        var trades = Read(path);

        trades.Should().Equal(
            new TradeEvent("XRPUSDT", 100, 0.6201m, 25m, DateTimeOffset.FromUnixTimeMilliseconds(1704067200229), true),
            new TradeEvent("XRPUSDT", 101, 0.6202m, 3m, DateTimeOffset.FromUnixTimeMilliseconds(1704067200300), false));
    }

    [Fact]
    public void Open_MicrosecondFile_From2025_KeepsMicroseconds()
    {
        var path = Write("BTCUSDT-trades-2025-01-01.csv", "1,93000.01,0.001,93.00001,1735689600123456,false,true\n");
        Read(path).Single().Time.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1735689600123).AddTicks(4560));
    }

    [Fact]
    public void Open_HeaderCrlfAndNoTrailingNewline_Handled()
    {
        var path = Write("XRPUSDT-trades-2024-01-01.csv", "id,price,qty,quote_qty,time,is_buyer_maker,is_best_match\r\n1,0.5,10,5,1704067200000,True,True\r\n2,0.6,10,6,1704067200001,False,True");
        Read(path).Select(t => t.Price).Should().Equal(0.5m, 0.6m);
    }

    [Fact]
    public void Open_EmptyFile_ErrorNamesFile()
    {
        var act = () => Read(Write("XRPUSDT-trades-2024-01-01.csv", ""));
        act.Should().Throw<TradeFileFormatException>().WithMessage("XRPUSDT-trades-2024-01-01.csv: no trades: the file is empty.");
    }

    [Fact]
    public void Open_BookFormat_ReadsNamedColumnsAndSymbol()
    {
        var path = Write("XRPUSDT-2019-06-03.csv",
            "id;event_type;event_time;symbol;trade_id;price;quantity;buyer_order_id;seller_order_id;trade_time;buyer_market_maker;inserted_at;updated_at\n" +
            "1;trade;1559520000123;XRPUSDT;44000001;0.44090000;310.00000000;1;2;1559520000120;t;2019-06-03;2019-06-03\n");

        var trade = Read(path).Single();

        trade.Should().Be(new TradeEvent("XRPUSDT", 44000001, 0.4409m, 310m, DateTimeOffset.FromUnixTimeMilliseconds(1559520000120), true));
    }

    [Fact]
    public void Open_ZipWithSeveralEntries_ReadsEntriesInNameOrder()
    {
        var zip = Path.Combine(_dir, "XRPUSDT-trades-2024-01.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var (name, id) in new[] { ("b.csv", 2), ("a.csv", 1) })
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write($"{id},0.5,1,0.5,170406720000{id},True,True\n");
            }
        }

        Read(zip).Select(t => t.TradeId).Should().Equal(1, 2);
    }

    [Fact]
    public void Open_DirectoryAndGlob_ReadFilesInDateOrder()
    {
        Write("XRPUSDT-trades-2024-01-02.csv", "3,0.5,1,0.5,1704153600000,True,True\n");
        Write("XRPUSDT-trades-2024-01-01.csv", "1,0.5,1,0.5,1704067200000,True,True\n");
        Write("notes.txt", "not trades");

        Read(_dir).Select(t => t.TradeId).Should().Equal(1, 3);
        Read(Path.Combine(_dir, "XRPUSDT-trades-2024-01-*.csv")).Select(t => t.TradeId).Should().Equal(1, 3);
    }

    [Fact]
    public void Open_SeveralSymbols_MergedByTimeThenSymbol()
    {
        var xrp = Write("XRPUSDT-trades-2024-01-01.csv", "1,0.5,1,0.5,1000,True,True\n2,0.5,1,0.5,3000,True,True\n");
        var btc = Write("BTCUSDT-trades-2024-01-01.csv", "7,42000,1,42000,2000,True,True\n8,42000,1,42000,3000,True,True\n");

        var set = TradeFileReader.Open([xrp, btc]);

        set.Symbols.Should().Equal("BTCUSDT", "XRPUSDT");
        set.Select(t => $"{t.Symbol}{t.TradeId}").Should().Equal("XRPUSDT1", "BTCUSDT7", "BTCUSDT8", "XRPUSDT2");
    }

    [Theory]
    [InlineData("1,abc,10,5,1704067200000,True,True", "line 2: price 'abc' is not a decimal")]
    [InlineData("1,0.5,10,5,17040672x0000,True,True", "line 2: time '17040672x0000' is not an integer")]
    [InlineData("1,0.5,10,5,1704067200000,Maybe,True", "line 2: isBuyerMaker 'Maybe' is not True or False")]
    [InlineData("1,0.5", "line 2: column qty is missing")]
    [InlineData("1,0,10,5,1704067200000,True,True", "line 2: price 0 is not positive")]
    public void Open_MalformedLine_ErrorNamesFileLineAndProblem(string bad, string expected)
    {
        var path = Write("XRPUSDT-trades-2024-01-01.csv", $"1,0.5,1,0.5,1704067200000,True,True\n{bad}\n");

        var act = () => Read(path);

        act.Should().Throw<TradeFileFormatException>().WithMessage($"XRPUSDT-trades-2024-01-01.csv {expected}*")
            .Which.LineNumber.Should().Be(2);
    }

    [Fact]
    public void Open_SkipBadLines_CountsAndKeepsGoing()
    {
        var path = Write("XRPUSDT-trades-2024-01-01.csv", "1,0.5,1,0.5,1000,True,True\n2,x,1,0.5,2000,True,True\n3,0.5,1,0.5,3000,True,True\n");
        var set = TradeFileReader.Open([path], new TradeFileReaderOptions { SkipBadLines = true });

        set.Select(t => t.TradeId).Should().Equal(1, 3);
        set.Diagnostics.SkippedLines.Should().Be(1);
        set.Diagnostics.Messages.Should().ContainSingle().Which.Should().Contain("line 2");
    }

    [Fact]
    public void Open_UnknownSymbol_ClearError()
    {
        var path = Write("trades.csv", "1,0.5,1,0.5,1000,True,True\n");
        var act = () => TradeFileReader.Open([path]);
        act.Should().Throw<TradeFileFormatException>().WithMessage("*symbol is unknown*");
    }

    [Fact]
    public void Open_MissingPath_FileNotFound()
    {
        var act = () => TradeFileReader.Open([Path.Combine(_dir, "nope.csv")]);
        act.Should().Throw<FileNotFoundException>().WithMessage("*nope.csv*");
    }

    [Theory]
    [InlineData("0.43070000", "0.4307")]
    [InlineData("10.00000000", "10")]
    [InlineData("0", "0")]
    [InlineData("0.00000000", "0")]
    [InlineData("100", "100")]
    [InlineData("12", "12")]
    [InlineData("93000.01", "93000.01")]
    [InlineData("0.00000001", "0.00000001")]
    public void TryParsePlainDecimal_PlainDigits_ExactValueWithoutTrailingZeros(string text, string expected)
    {
        TradeCsvStream.TryParsePlainDecimal(Encoding.ASCII.GetBytes(text), out var value).Should().BeTrue();
        value.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e5")]
    [InlineData("12345678901234567890")]
    [InlineData("1.2.3")]
    [InlineData("")]
    public void TryParsePlainDecimal_Other_FallsBack(string text)
    {
        TradeCsvStream.TryParsePlainDecimal(Encoding.ASCII.GetBytes(text), out _).Should().BeFalse();
    }

    [Fact]
    public void Enumerate_SteadyState_AllocatesNothingPerTrade()
    {
        var content = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            content.Append(i).Append(",0.6201,25.5,15.8,").Append(1704067200000 + i).Append(",True,True\n");
        }

        var path = Write("XRPUSDT-trades-2024-01-01.csv", content.ToString());
        var set = TradeFileReader.Open([path]);
        long count = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var _ in set)
        {
            count++;
        }

        var perTrade = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
        count.Should().Be(100_000);
        perTrade.Should().BeLessThan(1.0, "only the buffers of the file are allocated, not a string per line");
    }
}
