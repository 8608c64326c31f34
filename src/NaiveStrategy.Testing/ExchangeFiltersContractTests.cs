using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter contract, filters: How the adapter reports a symbol's filters: under our name, with the exchange's tick, step and minimums, and an unknown symbol as an error value. Derive it with the adapter's
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/>.
/// </summary>
public abstract class ExchangeFiltersContractTests : ExchangeContractTests
{
    /// <summary>
    /// The engine sizes and validates every order with these filters and routes everything by the
    /// symbol's name, so the adapter maps the exchange's name (e.g. Kraken's <c>XXRPZUSD</c>) to ours
    /// and its asset names to ours (the commission asset is compared with <see cref="SymbolFilters.BaseAsset"/>).
    /// </summary>
    [Fact]
    public async Task GetSymbolFiltersAsync_KnownSymbol_ReturnsItsFiltersUnderOurName()
    {
        var filters = Ok(await Exchange.GetSymbolFiltersAsync(Filters.Symbol), "GetSymbolFiltersAsync");

        Assert.Equal(Filters.Symbol, filters.Symbol);
        Assert.Equal(Filters.BaseAsset, filters.BaseAsset);
        Assert.Equal(Filters.QuoteAsset, filters.QuoteAsset);
        Assert.True(
            filters.Symbol.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)),
            $"Symbols are upper-case letters and digits in our naming, got '{filters.Symbol}'.");
        Assert.Equal(
            (Filters.TickSize, Filters.StepSize, Filters.MinPrice, Filters.MaxPrice, Filters.MinQuantity, Filters.MaxQuantity, Filters.MinNotional, Filters.MaxNotional),
            (filters.TickSize, filters.StepSize, filters.MinPrice, filters.MaxPrice, filters.MinQuantity, filters.MaxQuantity, filters.MinNotional, filters.MaxNotional));
        filters.Validate();
    }

    /// <summary>
    /// An unknown symbol is an error value, never an exception; and not <see cref="ExchangeErrorKind.Transient"/>
    /// or <see cref="ExchangeErrorKind.Unknown"/>, which would make the engine ask again for nothing.
    /// </summary>
    [Fact]
    public async Task GetSymbolFiltersAsync_UnknownSymbol_ReturnsErrorValue()
    {
        var result = await Exchange.GetSymbolFiltersAsync(UnknownSymbol);

        Assert.False(result.IsSuccess, $"GetSymbolFiltersAsync({UnknownSymbol}) succeeded: {result}.");
        Assert.Contains(result.Error.Kind, new[] { ExchangeErrorKind.Rejected, ExchangeErrorKind.NotFound });
    }
}
