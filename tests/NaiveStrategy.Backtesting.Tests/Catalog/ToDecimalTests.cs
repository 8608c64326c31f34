using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NaiveStrategy.Backtesting.Catalog;

namespace NaiveStrategy.Backtesting.Tests.Catalog;

public sealed class ToDecimalTests
{
    // The catalog's scaled integer is the CSV's decimal with its trailing zeros dropped, as decimal.Parse of the
    // digits without them gives it (same value, same scale: the reports print them).
    [Property(MaxTest = 1000)]
    public Property ToDecimal_AnyMantissaAndScale_IsTheParsedTextWithoutTrailingZeros(NonNegativeInt digits, PositiveInt zeros, byte scaleSeed)
    {
        var mantissa = (long)(digits.Get % 100_000) * (long)Math.Pow(10, zeros.Get % 14);
        var scale = scaleSeed % 19;
        var text = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var point = text.Length - scale;
        var literal = scale == 0 ? text : (text[..point] + "." + text[point..]).TrimEnd('0').TrimEnd('.');
        var expected = decimal.Parse(literal, CultureInfo.InvariantCulture);

        var actual = TradeCatalog.ToDecimal(mantissa, scale);

        return (actual.ToString(CultureInfo.InvariantCulture) == expected.ToString(CultureInfo.InvariantCulture) && actual == expected)
            .Label($"{mantissa} scale {scale}: {actual} against {expected}");
    }

    [Theory]
    [InlineData(1_000_000_000_000_000_000, 18, "1")]
    [InlineData(100_000_000, 5, "1000")]
    [InlineData(123_450_000, 8, "1.2345")]
    [InlineData(0, 8, "0")]
    [InlineData(70, 1, "7")]
    public void ToDecimal_Examples_DropTheZerosTheScaleAllows(long mantissa, int scale, string expected) =>
        TradeCatalog.ToDecimal(mantissa, scale).ToString(CultureInfo.InvariantCulture).Should().Be(expected);
}
