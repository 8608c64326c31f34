using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace NaiveStrategy.Tests;

public sealed class TradingMathTests
{
    [Fact]
    public void BuyPrice_BookExample_Is099()
    {
        TradingMath.BuyPrice(1.0m, 0.01m, 0.0001m).Should().Be(0.99m);
    }

    [Fact]
    public void Quantity_BookExample_Is10()
    {
        TradingMath.Quantity(10m, 0.99m, 1m).Should().Be(10m);
    }

    [Fact]
    public void SellPrice_BookExample_Is10120()
    {
        TradingMath.SellPrice(1.00m, 0.01m, 0.001m, 0.0001m).Should().Be(1.0120m);
    }

    [Theory]
    [InlineData("0.89", true)]
    [InlineData("0.9", false)]
    [InlineData("0.95", false)]
    public void IsRebuy_BookExample_StrictlyBelow(string current, bool expected)
    {
        TradingMath.IsRebuy(decimal.Parse(current, System.Globalization.CultureInfo.InvariantCulture), 1.00m, 0.1m).Should().Be(expected);
    }

    [Theory]
    [InlineData("0.00010000", 4)]
    [InlineData("1.00000000", 0)]
    [InlineData("0.01", 2)]
    [InlineData("10", 0)]
    public void DecimalPlaces_TickSizes_CountsSignificantDecimals(string tick, int expected)
    {
        TradingMath.DecimalPlaces(decimal.Parse(tick, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(expected);
    }

    [Fact]
    public void FloorTo_NonPositiveStep_Throws()
    {
        var act = () => TradingMath.FloorTo(0m, 1m);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("step");
    }

    [Property(MaxTest = 500)]
    public Property FloorTo_AnyValue_IsLargestMultipleNotAbove(PositiveInt stepExp, NonNegativeInt units, PositiveInt fraction)
    {
        var step = 1m / (decimal)Math.Pow(10, stepExp.Get % 9);
        var value = (units.Get * step) + (step * (fraction.Get % 1000) / 1000m);
        var floored = TradingMath.FloorTo(step, value);
        return (floored <= value && value - floored < step && floored % step == 0).ToProperty();
    }

    [Fact]
    public void SymbolFilters_FormatPrice_UsesTickPrecisionInvariantly()
    {
        var filters = TestData.Filters(tick: 0.00010000m, step: 0.10m);
        filters.FormatPrice(0.4307m).Should().Be("0.4307");
        filters.FormatQuantity(12m).Should().Be("12.0");
    }

    [Theory]
    [InlineData("0.43071", "10", "PRICE_FILTER")]
    [InlineData("0.4307", "10.5", "LOT_SIZE")]
    [InlineData("0.4307", "10", "NOTIONAL")]
    [InlineData("0.4307", "24", null)]
    public void FindFilterFailure_Order_NamesFailingFilter(string price, string quantity, string? expected)
    {
        var filters = TestData.Filters(minNotional: 10m);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        filters.FindFilterFailure(decimal.Parse(price, inv), decimal.Parse(quantity, inv)).Should().Be(expected);
    }

    [Fact]
    public void SymbolSettings_Validate_InvalidFields_NamesEachFieldAndValue()
    {
        var settings = TestData.Settings() with { Chunks = 0, Budget = -5m, RebuyInterval = 2m };
        var act = () => settings.Validate();
        act.Should().Throw<ArgumentException>()
            .WithMessage("*chunks must be >= 1, got 0*")
            .WithMessage("*budget must be > 0, got -5*")
            .WithMessage("*rebuy_interval*got 2*");
    }

    [Fact]
    public void SymbolSettings_FindErrors_LowerCaseSymbol_IsError()
    {
        (TestData.Settings() with { Symbol = "xrpusdt" }).FindErrors().Should().ContainSingle().Which.Should().Contain("xrpusdt");
    }
}
