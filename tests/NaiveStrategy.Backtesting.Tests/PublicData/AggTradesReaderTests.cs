using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.PublicData;

public sealed class AggTradesReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("naive-agg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Open_AggTradesMilliseconds_ReadsTheirOwnColumns()
    {
        var path = Write("XRPUSDT-aggTrades-2024-01-01.csv", "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match\n7,0.62010000,25.00000000,100,104,1704067200229,True,True\n8,0.6202,3,105,105,1704067200300,False,True\n");

        var set = TradeFileReader.Open([path]);

        set.Kinds.Should().Equal(TradeFileKind.AggTrades);
        set.ToList().Should().Equal(
            new TradeEvent("XRPUSDT", 7, 0.6201m, 25m, DateTimeOffset.FromUnixTimeMilliseconds(1704067200229), true),
            new TradeEvent("XRPUSDT", 8, 0.6202m, 3m, DateTimeOffset.FromUnixTimeMilliseconds(1704067200300), false));
    }

    [Fact]
    public void Open_AggTradesMicrosecondsFrom2025_KeepsMicroseconds()
    {
        var path = Write("BTCUSDT-aggTrades-2025-01-01.csv", "1,93000.01,0.001,10,12,1735689600123456,false,true\n");
        TradeFileReader.Open([path]).Single().Time.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1735689600123).AddTicks(4560));
    }

    [Theory]
    [InlineData("1,0.5,10,12,11,1704067200000,True,True", "line 1: last_trade_id 11 is below first_trade_id 12.")]
    [InlineData("1,0.5,10,12,13,1704067200000,True,True,x", "line 1: more than 8 columns (expected agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match), then 'x'.")]
    [InlineData("1,0.5,10,12", "line 1: column last_trade_id is missing (expected agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match).")]
    [InlineData("1,0.5,10,abc,13,1704067200000,True,True", "line 1: first_trade_id 'abc' is not an integer.")]
    public void Open_BadAggTradesLine_NamesTheColumn(string line, string message)
    {
        var path = Write("XRPUSDT-aggTrades-2024-01-01.csv", line + "\n");
        var act = () => TradeFileReader.Open([path]).ToList();
        act.Should().Throw<TradeFileFormatException>().Which.Message.Should().EndWith(message);
    }

    [Fact]
    public void Open_TradesAndAggTradesOfOneSymbol_Refused()
    {
        var trades = Write("XRPUSDT-trades-2024-01-01.csv", "1,0.5,10,5,1704067200000,True,True\n");
        var agg = Write("XRPUSDT-aggTrades-2024-01-02.csv", "1,0.5,10,1,1,1704153600000,True,True\n");
        var act = () => TradeFileReader.Open([trades, agg]);
        act.Should().Throw<TradeFileFormatException>().Which.Message.Should().Contain("XRPUSDT has both trades and aggTrades files");
    }

    [Fact]
    public void Open_FromTo_SkipsFilesAndTradesOutside()
    {
        var month = Write("XRPUSDT-trades-2024-01.csv", "1,0.5,10,5,1704067200000,True,True\n2,0.5,10,5,1704153600000,True,True\n3,0.5,10,5,1704240000000,True,True\n");
        var other = Write("XRPUSDT-trades-2024-02-01.csv", "junk that is never opened\n");

        var trades = TradeFileReader.Open([month, other], new TradeFileReaderOptions { From = new DateOnly(2024, 1, 2), To = new DateOnly(2024, 1, 2) }).ToList();

        trades.Select(t => t.TradeId).Should().Equal(2);
    }
}
