namespace NaiveStrategy.Mock;

/// <summary>Which asset the in-memory exchange takes its fee in.</summary>
public enum FeeAsset
{
    /// <summary>The asset received, as Binance does without BNB: base asset on a buy, quote asset on a sell.</summary>
    Received,

    /// <summary>Always the quote asset (like paying fees from another balance): the base quantity bought is whole.</summary>
    Quote,
}

/// <summary>Options of <see cref="InMemoryExchange"/>.</summary>
public sealed class InMemoryExchangeOptions
{
    /// <summary>Tradable symbols and their filters.</summary>
    public IList<SymbolFilters> Symbols { get; } = new List<SymbolFilters>();

    /// <summary>Starting free balances by asset (an asset not listed has 0).</summary>
    public IDictionary<string, decimal> Balances { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>
    /// Sets both <see cref="MakerFeeRate"/> and <see cref="TakerFeeRate"/> (reads the maker rate): one rate for every fill.
    /// </summary>
    public decimal FeeRate
    {
        get => MakerFeeRate;
        set => (MakerFeeRate, TakerFeeRate) = (value, value);
    }

    /// <summary>Fee rate of a fill of a resting order that a later market trade crossed (0.1 % by default, Binance's base rate).</summary>
    public decimal MakerFeeRate { get; set; } = 0.001m;

    /// <summary>Fee rate of a fill on arrival, of an order that crossed the last trade's price (0.1 % by default, Binance's base rate).</summary>
    public decimal TakerFeeRate { get; set; } = 0.001m;

    /// <summary>Which asset pays the fee.</summary>
    public FeeAsset FeeAsset { get; set; } = FeeAsset.Received;

    /// <summary>
    /// When true, a market trade fills crossing orders only up to its own quantity (best price first);
    /// when false (the book's mock), a crossing order fills fully.
    /// </summary>
    public bool PartialFills { get; set; }

    /// <summary>
    /// How many finished (filled or canceled) orders the exchange keeps for <see cref="InMemoryExchange.Orders"/>
    /// and for queries; older ones are forgotten first, open orders are always kept. Null (the default) keeps
    /// every order, which a backtest's journal needs; a paper run that lasts weeks sets a bound, so its
    /// memory stays flat (Binance, too, answers "order does not exist" for old finished orders).
    /// </summary>
    public int? FinishedOrdersKept { get; set; }

    /// <summary>
    /// The self-trade prevention mode of an order placed without one (Binance's <c>defaultSelfTradePreventionMode</c>):
    /// <see cref="SelfTradePreventionMode.None"/> by default, so the account's crossing orders trade with each other.
    /// </summary>
    public SelfTradePreventionMode DefaultSelfTradePreventionMode { get; set; } = SelfTradePreventionMode.None;

    /// <summary>
    /// The modes an order may ask for (Binance's <c>allowedSelfTradePreventionModes</c>); any other is -1013. All five by default.
    /// </summary>
    public ISet<SelfTradePreventionMode> AllowedSelfTradePreventionModes { get; } = new HashSet<SelfTradePreventionMode>(Enum.GetValues<SelfTradePreventionMode>());

    /// <summary>The exchange clock's time before the first market trade.</summary>
    public DateTimeOffset StartTime { get; set; } = DateTimeOffset.UnixEpoch;

    /// <summary>Throws when the options cannot work.</summary>
    /// <exception cref="ArgumentException">The message names the invalid option.</exception>
    public void Validate()
    {
        if (MakerFeeRate < 0 || MakerFeeRate >= 1)
        {
            throw new ArgumentException($"InMemoryExchangeOptions.MakerFeeRate must be in [0, 1), got {MakerFeeRate}.");
        }

        if (TakerFeeRate < 0 || TakerFeeRate >= 1)
        {
            throw new ArgumentException($"InMemoryExchangeOptions.TakerFeeRate must be in [0, 1), got {TakerFeeRate}.");
        }

        if (FinishedOrdersKept < 0)
        {
            throw new ArgumentException($"InMemoryExchangeOptions.FinishedOrdersKept must be >= 0 (or null: keep every order), got {FinishedOrdersKept}.");
        }

        if (!AllowedSelfTradePreventionModes.Contains(DefaultSelfTradePreventionMode))
        {
            throw new ArgumentException($"InMemoryExchangeOptions.DefaultSelfTradePreventionMode {DefaultSelfTradePreventionMode} must be one of AllowedSelfTradePreventionModes ({string.Join(", ", AllowedSelfTradePreventionModes)}).");
        }

        foreach (var (asset, amount) in Balances)
        {
            if (amount < 0)
            {
                throw new ArgumentException($"InMemoryExchangeOptions.Balances[{asset}] must be >= 0, got {amount}.");
            }
        }

        foreach (var filters in Symbols)
        {
            filters.Validate();
        }
    }
}
