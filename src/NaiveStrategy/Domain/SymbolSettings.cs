using System.Globalization;

namespace NaiveStrategy;

/// <summary>Strategy settings for one symbol (the book's <c>settings</c> table). Defaults are the book's.</summary>
public sealed record SymbolSettings
{
    /// <summary>Upper-case symbol, e.g. <c>XRPUSDT</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary>Maximum number of traders running in parallel for the symbol.</summary>
    public int Chunks { get; init; } = 5;

    /// <summary>Total budget for the symbol in the quote asset; each trader gets <c>Budget / Chunks</c>.</summary>
    public decimal Budget { get; init; } = 100m;

    /// <summary>Buy this fraction below the price the trader first sees.</summary>
    public decimal BuyDownInterval { get; init; } = 0.0001m;

    /// <summary>Target profit per cycle net of fees (negative = sell at a small loss).</summary>
    public decimal ProfitInterval { get; init; } = -0.0012m;

    /// <summary>Price drop below the buy price that makes a trader ask the leader for another trader.</summary>
    public decimal RebuyInterval { get; init; } = 0.001m;

    /// <summary>Fee rate assumed when computing the sell price (the book's 1.001 is 0.001 here).</summary>
    public decimal FeeRate { get; init; } = 0.001m;

    /// <summary>
    /// Optional stale-BUY rule (off by default: the book's BUY waits for as long as it takes). A BUY that has
    /// waited this long (market time) without filling is canceled and placed again under the current price.
    /// </summary>
    public TimeSpan? MaxBuyWait { get; init; }

    /// <summary>
    /// Optional stale-BUY rule (off by default). A BUY is canceled and placed again under the current price
    /// once the market has risen this fraction above the price it saw when it placed the BUY (0.01 = 1 %).
    /// </summary>
    public decimal? MaxBuyDistance { get; init; }

    /// <summary>True when <see cref="MaxBuyWait"/> or <see cref="MaxBuyDistance"/> is set.</summary>
    public bool RepricesStaleBuys => MaxBuyWait is not null || MaxBuyDistance is not null;

    /// <summary>Optional risk guard (off by default): a market trade at or below this price fires it (<see cref="GuardAction"/>).</summary>
    public decimal? StopLossPrice { get; init; }

    /// <summary>Optional risk guard (off by default): a market trade at or above this price fires it (<see cref="GuardAction"/>).</summary>
    public decimal? TakeProfitPrice { get; init; }

    /// <summary>
    /// Optional risk guard (off by default): fires once the symbol's equity (budget plus realized and unrealized PnL,
    /// marked to market at each trade) is this fraction below its peak (0.05 = 5 %).
    /// </summary>
    public decimal? MaxDrawdown { get; init; }

    /// <summary>
    /// Optional risk guard (off by default): fires once the symbol has lost this much quote (realized and
    /// unrealized, marked to market) since 00:00 UTC of market time.
    /// </summary>
    public decimal? MaxDailyLoss { get; init; }

    /// <summary>What a fired guard does: <see cref="NaiveStrategy.GuardAction.Stop"/> (the default) or <see cref="NaiveStrategy.GuardAction.Exit"/>.</summary>
    public GuardAction GuardAction { get; init; } = GuardAction.Stop;

    /// <summary>True when any risk guard is set.</summary>
    public bool HasGuards => StopLossPrice is not null || TakeProfitPrice is not null || MaxDrawdown is not null || MaxDailyLoss is not null;

    /// <summary>
    /// Status at start: <see cref="SymbolStatus.On"/> symbols are started automatically. On by default, whatever
    /// the source (<c>AddSymbol</c>, <c>new SymbolSettings { … }</c> or configuration): a configured symbol
    /// trades unless it says <see cref="SymbolStatus.Off"/>.
    /// </summary>
    public SymbolStatus Status { get; init; } = SymbolStatus.On;

    /// <summary>Each trader's budget.</summary>
    public decimal TraderBudget => Budget / Chunks;

    /// <summary>Returns every problem with these settings, each naming the field and the offending value.</summary>
    public IReadOnlyList<string> FindErrors()
    {
        var errors = new List<string>();
        var name = string.IsNullOrWhiteSpace(Symbol) ? "(no symbol)" : Symbol;
        if (string.IsNullOrWhiteSpace(Symbol))
        {
            errors.Add("symbol is required.");
        }
        else if (!Symbol.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
        {
            errors.Add($"symbol '{Symbol}' must be upper-case letters and digits, e.g. XRPUSDT.");
        }

        if (Chunks < 1)
        {
            errors.Add($"{name}: chunks must be >= 1, got {Chunks.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Budget <= 0)
        {
            errors.Add($"{name}: budget must be > 0, got {Budget.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (BuyDownInterval < 0 || BuyDownInterval >= 1)
        {
            errors.Add($"{name}: buy_down_interval must be in [0, 1), got {BuyDownInterval.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (ProfitInterval <= -1 || ProfitInterval >= 1)
        {
            errors.Add($"{name}: profit_interval must be in (-1, 1), got {ProfitInterval.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (RebuyInterval < 0 || RebuyInterval >= 1)
        {
            errors.Add($"{name}: rebuy_interval must be in [0, 1), got {RebuyInterval.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (FeeRate < 0 || FeeRate >= 1)
        {
            errors.Add($"{name}: fee_rate must be in [0, 1), got {FeeRate.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MaxBuyWait is { } wait && wait <= TimeSpan.Zero)
        {
            errors.Add($"{name}: max_buy_wait must be > 0 when set, got {wait.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        if (MaxBuyDistance is { } distance && (distance <= 0 || distance >= 1))
        {
            errors.Add($"{name}: max_buy_distance must be in (0, 1) when set, got {distance.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (StopLossPrice is { } stop && stop <= 0)
        {
            errors.Add($"{name}: stop_loss_price must be > 0 when set, got {stop.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (TakeProfitPrice is { } take && take <= 0)
        {
            errors.Add($"{name}: take_profit_price must be > 0 when set, got {take.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (StopLossPrice is { } low && TakeProfitPrice is { } high && low >= high)
        {
            errors.Add($"{name}: stop_loss_price {low.ToString(CultureInfo.InvariantCulture)} must be below take_profit_price {high.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MaxDrawdown is { } drawdown && (drawdown <= 0 || drawdown >= 1))
        {
            errors.Add($"{name}: max_drawdown must be in (0, 1) when set, got {drawdown.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MaxDailyLoss is { } loss && loss <= 0)
        {
            errors.Add($"{name}: max_daily_loss must be > 0 when set, got {loss.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!Enum.IsDefined(GuardAction))
        {
            errors.Add($"{name}: guard_action must be stop or exit, got {GuardAction}.");
        }

        return errors;
    }

    /// <summary>Throws when the settings are invalid.</summary>
    /// <exception cref="ArgumentException">The message lists every invalid field with its value.</exception>
    public void Validate()
    {
        var errors = FindErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid symbol settings: " + string.Join(" ", errors));
        }
    }
}
