namespace NaiveStrategy.Binance.Tests;

public sealed class BinanceOrderRejectionTests
{
    [Theory]
    [InlineData("Duplicate order sent.", ExchangeErrorKind.Duplicate)]
    [InlineData("Account has insufficient balance for requested action.", ExchangeErrorKind.InsufficientFunds)]
    [InlineData("Market is closed.", ExchangeErrorKind.MarketClosed)]
    [InlineData("Rest API trading is not enabled.", ExchangeErrorKind.MarketClosed)]
    [InlineData("WebSocket API trading is not enabled.", ExchangeErrorKind.MarketClosed)]
    [InlineData("This action is disabled on this account.", ExchangeErrorKind.MarketClosed)]
    [InlineData("Order would immediately match and take.", ExchangeErrorKind.Rejected)]
    [InlineData("", ExchangeErrorKind.Rejected)]
    public void Kind_NewOrderRejectedMessage_TellsTheRefusalsApart(string message, ExchangeErrorKind expected) =>
        BinanceOrderRejection.Kind(message).Should().Be(expected);
}
