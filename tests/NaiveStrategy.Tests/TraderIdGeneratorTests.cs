namespace NaiveStrategy.Tests;

public sealed class TraderIdGeneratorTests
{
    [Fact]
    public void PrefixFor_ShortSymbol_RunDashSymbol()
    {
        Assert.Equal("m3k9x2ab-XRPUSDT", new TraderIdGenerator("m3k9x2ab").PrefixFor("XRPUSDT"));
    }

    [Fact]
    public void PrefixFor_LongRunAndSymbol_ClientOrderIdWithinBinanceLimit()
    {
        var ids = new TraderIdGenerator("abcdefghijklmnop");

        var prefix = ids.PrefixFor("1000SATSFDUSDLONGER");
        var longestClientOrderId = prefix + "-999999" + Trader.BuySuffix + "999";

        Assert.Equal(TraderIdGenerator.MaxPrefixLength, prefix.Length);
        Assert.StartsWith("abcdefghijklmnop-1", prefix, StringComparison.Ordinal);
        Assert.True(longestClientOrderId.Length <= 36, longestClientOrderId);
    }

    [Fact]
    public void PrefixFor_LongSymbolsWithTheSameStart_Differ()
    {
        var ids = new TraderIdGenerator("abcdefghijklmnop");

        Assert.NotEqual(ids.PrefixFor("AAAAAAAAAAAAXUSDT"), ids.PrefixFor("AAAAAAAAAAAAYUSDT"));
        Assert.Equal(ids.PrefixFor("AAAAAAAAAAAAXUSDT"), new TraderIdGenerator("abcdefghijklmnop").PrefixFor("AAAAAAAAAAAAXUSDT"));
    }
}
