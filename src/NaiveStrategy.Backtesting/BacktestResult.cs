using System.Text.Json;
using System.Text.Json.Serialization;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// One order of a backtest's journal, at its final state, with the trader that placed it; or a placement
/// the exchange refused, with the exchange's error.
/// </summary>
/// <param name="Order">
/// The order's final state. For a refused placement: the order as sent, <see cref="OrderStatus.Rejected"/>,
/// nothing executed, order id 0 (the exchange gave it none) and the market time of the refusal.
/// </param>
/// <param name="TraderId">The trader that placed it.</param>
public sealed record JournalEntry(OrderUpdate Order, string TraderId)
{
    /// <summary>The exchange's answer to a refused placement (e.g. -2010 insufficient balance); null for an order the exchange accepted.</summary>
    public ExchangeError? Error { get; init; }

    /// <summary>
    /// The number of the market trade during which the order was placed, counting every trade the session was given
    /// from 1 (other symbols' trades too, also those a session limited to one symbol skipped); 0 before the first trade.
    /// Orders the engine did not announce carry the number of trades given by the end. <see cref="BacktestResult.Combine"/>
    /// orders the journals of per-symbol sessions by it.
    /// </summary>
    public long AtTrade { get; init; }
}

/// <summary>How the exchange filled orders during a backtest; the same strategy can be measured under both.</summary>
public enum FillModel
{
    /// <summary>A crossing order fills fully at the first market trade that crosses it (the book's mock).</summary>
    Full,

    /// <summary>Each market trade fills crossing orders only up to its own quantity, best price first.</summary>
    Partial,
}

/// <summary>A point of a symbol's equity curve.</summary>
/// <param name="Time">Market time.</param>
/// <param name="Price">Last market price.</param>
/// <param name="Equity">Budget + cash flow + position marked to <paramref name="Price"/>, in the quote asset.</param>
public readonly record struct EquityPoint(DateTimeOffset Time, decimal Price, decimal Equity);

/// <summary>Figures of one symbol over a backtest. Money is in the symbol's quote asset.</summary>
public sealed record SymbolReport
{
    /// <summary>The symbol.</summary>
    public required string Symbol { get; init; }

    /// <summary>Market trades replayed.</summary>
    public long TradesReplayed { get; init; }

    /// <summary>Time of the first trade replayed.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Time of the last trade replayed.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Orders accepted by the exchange.</summary>
    public int OrdersPlaced { get; init; }

    /// <summary>Orders fully filled.</summary>
    public int OrdersFilled { get; init; }

    /// <summary>Orders canceled or expired.</summary>
    public int OrdersCanceled { get; init; }

    /// <summary>Orders refused by the exchange, or not sent because they broke a filter.</summary>
    public int OrdersRejected { get; init; }

    /// <summary>Traders started.</summary>
    public int TradersStarted { get; init; }

    /// <summary>Most traders running at once.</summary>
    public int MaxConcurrentTraders { get; init; }

    /// <summary>
    /// Times a trader threw while handling an input (a bug or values out of range; the engine logs each with
    /// its exception). Written to JSON only when not zero, so the report of a normal run is unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int TradersCrashed { get; init; }

    /// <summary>Completed buy → sell cycles.</summary>
    public int CyclesCompleted { get; init; }

    /// <summary>The symbol's budget: the equity at the start.</summary>
    public decimal Budget { get; init; }

    /// <summary>Fees paid, valued in the quote asset (base-asset fees at their fill price).</summary>
    public decimal FeesPaid { get; init; }

    /// <summary>Fills of resting orders that a later market trade crossed (maker), each at the order's price.</summary>
    public int MakerFills { get; init; }

    /// <summary>Fills on arrival of orders that crossed the last trade's price (taker), each at that trade's price.</summary>
    public int TakerFills { get; init; }

    /// <summary>The part of <see cref="FeesPaid"/> paid on maker fills, valued in the quote asset.</summary>
    public decimal MakerFees { get; init; }

    /// <summary>The part of <see cref="FeesPaid"/> paid on taker fills, valued in the quote asset.</summary>
    public decimal TakerFees { get; init; }

    /// <summary>Profit of what was sold, net of every fee, at the average cost of what was bought.</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>Base asset still held at the end.</summary>
    public decimal OpenPosition { get; init; }

    /// <summary>
    /// The part of <see cref="OpenPosition"/> outside the running traders at the end: the dust the Leader keeps,
    /// always below one <see cref="StepSize"/> (a later SELL takes it as soon as it makes a whole step).
    /// </summary>
    public decimal Dust { get; init; }

    /// <summary>The symbol's LOT_SIZE step, the unit <see cref="Dust"/> stays under.</summary>
    public decimal StepSize { get; init; }

    /// <summary>Times the symbol began to wait for funds (the free quote did not cover a trader's share). Written to JSON only when not zero.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int FundsWaits { get; init; }

    /// <summary>
    /// Why the settings were refused before an order (e.g. <c>XRPUSDT: budget/chunks 10.5 gives a SELL notional 9.006, below NOTIONAL 10</c>),
    /// or null. Written to JSON only when set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Refusal { get; init; }

    /// <summary>The risk guards that fired (<see cref="GuardTriggered"/>), in order, with what their exits sold; null when none did. Written to JSON only when set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GuardFiring>? Guards { get; init; }

    /// <summary>The open position's gain or loss against its average cost, marked to the last price.</summary>
    public decimal UnrealizedPnl { get; init; }

    /// <summary>Realized plus unrealized: the change of equity over the run.</summary>
    public decimal TotalPnl { get; init; }

    /// <summary>Largest fall of equity from a previous peak, in the quote asset (equity marked at every trade).</summary>
    public decimal MaxDrawdown { get; init; }

    /// <summary><see cref="MaxDrawdown"/> as a fraction of the peak it fell from.</summary>
    public decimal MaxDrawdownFraction { get; init; }

    /// <summary>First market price replayed.</summary>
    public decimal FirstPrice { get; init; }

    /// <summary>Last market price replayed.</summary>
    public decimal LastPrice { get; init; }

    /// <summary>Return of buying the budget at the first price and holding to the last (fees ignored), as a fraction.</summary>
    public decimal BuyAndHoldReturn { get; init; }

    /// <summary>The strategy's return over the budget, as a fraction.</summary>
    public decimal StrategyReturn { get; init; }
}

/// <summary>The outcome of a backtest. Deterministic: the same inputs give the same result, byte for byte in <see cref="ToJson"/>.</summary>
/// <param name="Symbols">Figures per symbol, ordered by symbol.</param>
/// <param name="Journal">Every order in placement order, at its final state, with the placements the exchange refused.</param>
/// <param name="EquityCurves">Equity curve per symbol when sampling was on, else empty.</param>
public sealed record BacktestResult(IReadOnlyList<SymbolReport> Symbols, IReadOnlyList<JournalEntry> Journal, IReadOnlyDictionary<string, IReadOnlyList<EquityPoint>> EquityCurves)
{
    /// <summary>How the exchange filled orders during the run.</summary>
    public FillModel FillModel { get; init; }

    /// <summary>Market trades replayed, all symbols.</summary>
    public long TradesReplayed => Symbols.Sum(s => s.TradesReplayed);

    /// <summary>Trader crashes, all symbols: a run with crashes is not a result to trust.</summary>
    public int TradersCrashed => Symbols.Sum(s => s.TradersCrashed);

    /// <summary>The refusals of settings, by symbol: a run whose settings could not trade.</summary>
    public IReadOnlyList<string> Refusals => Symbols.Select(s => s.Refusal).OfType<string>().ToArray();

    /// <summary>The fill model (<c>"full"</c> or <c>"partial"</c>) and the per-symbol figures as indented JSON (no timing, so it is reproducible).</summary>
    public string ToJson() => JsonSerializer.Serialize(new ReportDocument(FillModel, Symbols), ReportJson.Default.ReportDocument);

    /// <summary>
    /// Joins the results of sessions that replayed the same trades, each limited to its own symbols (e.g. one
    /// <see cref="BacktestSession"/> per symbol, each with its own engine and exchange): the reports ordered by
    /// symbol, the journals merged in the order one shared session would have placed them (by
    /// <see cref="JournalEntry.AtTrade"/>, then the order of <paramref name="results"/>, then each result's own order),
    /// the equity curves united.
    /// </summary>
    /// <remarks>
    /// The combined result equals the result of one session trading every symbol on one shared account only when
    /// no symbol's run depends on the others: each per-symbol exchange must hold the balance the shared account
    /// would hold (the same free quote at the start, so every Leader starts from the same state), and each quote
    /// asset's balance must be at least the sum of the budgets of the symbols quoted in it, so funds never bind
    /// (a symbol never commits more than its budget). With less, the symbols of a shared account compete for the
    /// quote and the runs differ. The caller is responsible for that condition; it is not checked here.
    /// </remarks>
    /// <exception cref="ArgumentException">No result, results of different fill models, or a symbol in two results.</exception>
    public static BacktestResult Combine(IEnumerable<BacktestResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var all = results.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("Combine needs at least one result.", nameof(results));
        }

        if (all.Select(r => r.FillModel).Distinct().Skip(1).Any())
        {
            throw new ArgumentException($"Cannot combine results of different fill models ({string.Join(", ", all.Select(r => r.FillModel).Distinct())}).", nameof(results));
        }

        var reports = all.SelectMany(r => r.Symbols).ToArray();
        if (reports.GroupBy(s => s.Symbol, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"{twice.Key} is reported by more than one result.", nameof(results));
        }

        var curves = new SortedDictionary<string, IReadOnlyList<EquityPoint>>(StringComparer.Ordinal);
        foreach (var (symbol, curve) in all.SelectMany(r => r.EquityCurves))
        {
            curves.Add(symbol, curve);
        }

        // OrderBy is stable: entries placed during the same trade keep each result's order, then the results' order.
        var journal = all.SelectMany(r => r.Journal).OrderBy(j => j.AtTrade).ToArray();
        return new BacktestResult([.. reports.OrderBy(s => s.Symbol, StringComparer.Ordinal)], journal, curves) { FillModel = all[0].FillModel };
    }
}

// The report's JSON, generated at build time: no reflection, so the package works trimmed and compiled native (AOT).
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(CamelCaseEnumConverter<FillModel>), typeof(CamelCaseEnumConverter<GuardKind>), typeof(CamelCaseEnumConverter<GuardAction>)])]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class ReportJson : JsonSerializerContext;

/// <summary>A risk guard that fired during a run, and what its exit sold.</summary>
/// <param name="Time">Market time of the trade that fired it.</param>
/// <param name="Guard">Which guard.</param>
/// <param name="Action">What it did.</param>
/// <param name="Price">That trade's price.</param>
/// <param name="Figure">The figure that crossed the threshold: the price, the drawdown (a fraction) or the day's loss (quote).</param>
/// <param name="Threshold">The setting it crossed.</param>
public sealed record GuardFiring(DateTimeOffset Time, GuardKind Guard, GuardAction Action, decimal Price, decimal Figure, decimal Threshold)
{
    /// <summary>Base the exit's MARKET SELLs sold (0 for a Stop).</summary>
    public decimal Sold { get; init; }

    /// <summary>Quote they got, net of a fee taken in the quote asset.</summary>
    public decimal Proceeds { get; init; }

    /// <summary>Why the exit left base unsold (a filter, or a refusal), or null. Written to JSON only when set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExitProblem { get; init; }
}

internal sealed record ReportDocument(FillModel FillModel, IReadOnlyList<SymbolReport> Symbols);

internal sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase)
    where T : struct, Enum;
