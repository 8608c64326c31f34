using NaiveStrategy.Backtesting.PublicData;

namespace NaiveStrategy.Backtesting.Tests.PublicData;

public sealed class TradeFileGeneratorTests
{
    private static string Generate(Action<TradeFileGeneratorOptions>? configure = null)
    {
        var options = new TradeFileGeneratorOptions { Count = 5_000 };
        configure?.Invoke(options);
        using var writer = new StringWriter();
        TradeFileGenerator.Write(writer, options);
        return writer.ToString();
    }

    [Fact]
    public void Write_SameSeed_ByteIdentical()
    {
        Generate().Should().Be(Generate());
        Generate(o => o.Seed = 7).Should().NotBe(Generate());
    }

    [Fact]
    public void Write_Output_IsReadableWithPricesOnTickAndSizesOnStep()
    {
        var text = Generate(o => { o.TickSize = 0.0001m; o.StepSize = 0.1m; });
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var trades = TradeFileReader.ReadStream(stream, "gen.csv", "XRPUSDT").ToList();

        trades.Should().HaveCount(5_000);
        trades.Should().OnlyContain(t => t.Price % 0.0001m == 0 && t.Quantity % 0.1m == 0 && t.Quantity > 0);
        trades.Select(t => t.TradeId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        trades.Select(t => t.Time).Should().BeInAscendingOrder();
        text.Split('\n')[0].Should().MatchRegex(@"^1,\d+\.\d{8},\d+\.\d{8},\d+\.\d{8},\d{13},(True|False),True$");
    }

    [Fact]
    public void Write_From2025_WritesMicroseconds()
    {
        var first = Generate(o => o.Start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)).Split('\n')[0];
        first.Split(',')[4].Should().HaveLength(16);
    }

    [Fact]
    public void Write_FallThenRiseDrifts_ShapesThePath()
    {
        var text = Generate(o => { o.Count = 20_000; o.Drifts.Add(-0.00005); o.Drifts.Add(0.00005); });
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var prices = TradeFileReader.ReadStream(stream, "gen.csv", "XRPUSDT").Select(t => t.Price).ToList();
        prices[10_000].Should().BeLessThan(prices[0]);
        prices[^1].Should().BeGreaterThan(prices[10_000]);
    }

    [Fact]
    public void Validate_AlphaPlusBetaOne_Throws()
    {
        var act = () => Generate(o => { o.Alpha = 0.5; o.Beta = 0.5; });
        act.Should().Throw<ArgumentException>().WithMessage("*alpha + beta < 1*");
    }
}
