using Xunit;

namespace NaiveStrategy.Testing;

/// <summary>
/// The adapter contract, open orders and balances: The account: open orders listed exactly, balances under our asset names. Derive it with the adapter's
/// <see cref="ExchangeContractTests.CreateExchangeUnderTest"/>.
/// </summary>
public abstract class ExchangeAccountContractTests : ExchangeContractTests
{
    /// <summary>A fresh account has no open order: an empty list, not an error.</summary>
    [Fact]
    public async Task GetOpenOrdersAsync_NoOrders_ReturnsEmpty()
    {
        var open = Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync");

        Assert.Empty(open);
    }

    /// <summary>Open orders are exactly the symbol's orders still open: not the canceled one, not the filled one.</summary>
    [Fact]
    public async Task GetOpenOrdersAsync_OpenCanceledAndFilledOrders_ListsExactlyTheOpenOnes()
    {
        var low = RestingBuyPrice - (5 * Filters.TickSize);
        var open1 = Buy(low);
        var open2 = Buy(low - Filters.TickSize);
        var canceled = Buy(low);
        var filled = Buy(RestingBuyPrice);
        foreach (var request in new[] { open1, open2, canceled, filled })
        {
            await PlaceAsync(request);
        }

        Ok(await Exchange.CancelOrderAsync(Filters.Symbol, canceled.ClientOrderId), "CancelOrderAsync");
        await TradeAsync(RestingBuyPrice - Filters.TickSize, filled.Quantity); // above the others: only `filled` crosses
        await EventuallyAsync(
            $"GetOrderAsync({filled.ClientOrderId}) reports the order Filled",
            async () => await QueryAsync(filled.ClientOrderId) is { Status: OrderStatus.Filled } u ? u : null);

        var expected = new[] { open1.ClientOrderId, open2.ClientOrderId }.Order(StringComparer.Ordinal).ToArray();
        var open = await EventuallyAsync(
            $"GetOpenOrdersAsync lists exactly {string.Join(", ", expected)}",
            async () => Ok(await Exchange.GetOpenOrdersAsync(Filters.Symbol), "GetOpenOrdersAsync") is var list
                && list.Select(o => o.ClientOrderId).Order(StringComparer.Ordinal).SequenceEqual(expected) ? list : null);
        AssertIsOrder(open1, open.Single(o => o.ClientOrderId == open1.ClientOrderId));
        AssertIsOrder(open2, open.Single(o => o.ClientOrderId == open2.ClientOrderId));
    }

    /// <summary>Balances name assets the way the filters do (the engine matches them by name), and show the funded quote.</summary>
    [Fact]
    public async Task GetBalancesAsync_FundedAccount_ReportsQuoteAssetUnderOurName()
    {
        var balances = Ok(await Exchange.GetBalancesAsync(), "GetBalancesAsync");

        var quote = Assert.Single(balances, b => b.Asset == Filters.QuoteAsset);
        Assert.True(quote.Free > 0, $"CreateExchangeAsync must fund the account with {Filters.QuoteAsset}; got {quote}.");
        Assert.All(balances, b => Assert.True(b.Free >= 0 && b.Locked >= 0, $"Negative balance {b}."));
    }
}
