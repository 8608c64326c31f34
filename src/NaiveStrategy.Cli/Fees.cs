namespace NaiveStrategy.Cli;

/// <summary>
/// The exchange's fee rates on the command line: <c>--fee</c> is the maker and taker rate (and the strategy's own
/// fee setting), <c>--taker-fee</c> the taker rate alone (an order that crosses the last trade's price on arrival).
/// </summary>
internal static class Fees
{
    public const string TakerFeeOption = "taker-fee";

    /// <summary>A fee rate: from 0 up to 0.99.</summary>
    public static readonly CommandLine.Bounds Rate = new(0m, true, 0.99m);

    /// <summary>The <c>--taker-fee</c> rate, or null when not given (the taker pays <c>--fee</c>).</summary>
    public static decimal? TakerFee(CommandLine cl) => cl.Has(TakerFeeOption) ? cl.Decimal(TakerFeeOption, 0m, Rate) : null;
}
