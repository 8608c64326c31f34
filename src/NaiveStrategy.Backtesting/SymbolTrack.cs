namespace NaiveStrategy.Backtesting;

/// <summary>
/// One symbol's replay figures: trades counted and timed, the cash and position its fills moved, equity marked at
/// every trade (peak, drawdown, the sampled curve) and the counts kept from the engine's events.
/// </summary>
internal sealed class SymbolTrack(string symbol, decimal budget, string baseAsset)
{
    // What each open order had executed by its last update. A finished order is forgotten (the in-memory exchange sends
    // nothing after an order's final update): kept, a run's thousands of orders grew it onto the large object heap
    // (~1.1 MB of large allocations per round of a 30-setting sweep of 5 M trades).
    private readonly Dictionary<long, (decimal Executed, decimal Commission, decimal Quote)> _fills = [];

    public string Symbol { get; } = symbol;

    public decimal Budget { get; } = budget;

    public string BaseAsset { get; } = baseAsset;

    public SymbolCounters Counters { get; } = new();

    public long Count { get; private set; }

    public decimal FirstPrice { get; private set; }

    public decimal LastPrice { get; private set; }

    public DateTimeOffset FirstTime { get; private set; }

    public DateTimeOffset LastTime { get; private set; }

    public decimal Cash { get; private set; }

    public decimal Position { get; private set; }

    public long FillVersion { get; private set; }

    public decimal Equity { get; private set; } = budget;

    public decimal MaxDrawdown { get; private set; }

    public decimal MaxDrawdownFraction { get; private set; }

    public List<EquityPoint>? Curve { get; private set; }

    private decimal _peak = budget;
    private long _markedVersion;
    private long _bucket = long.MinValue;

    public void Mark(in TradeEvent trade, TimeSpan? sampling)
    {
        if (Count++ == 0)
        {
            FirstPrice = trade.Price;
            FirstTime = trade.Time;
        }

        LastTime = trade.Time;
        var unchanged = trade.Price == LastPrice && FillVersion == _markedVersion && Count > 1;

        // Last price and equity are always this trade's, representation included (0.5 and 0.5000 are equal
        // decimals written differently): a skip marks only the last trade it jumps over, so it gives the same.
        LastPrice = trade.Price;
        Equity = EquityAt(trade.Price);
        if (unchanged)
        {
            // Same price, no fill since the last mark: the equity's peak and drawdown cannot have changed.
            Sample(trade, sampling);
            return;
        }

        _markedVersion = FillVersion;
        if (Equity > _peak)
        {
            _peak = Equity;
        }
        else if (_peak - Equity > MaxDrawdown)
        {
            MaxDrawdown = _peak - Equity;
            MaxDrawdownFraction = _peak > 0 ? Math.Round(MaxDrawdown / _peak, 8) : 0m;
        }

        Sample(trade, sampling);
    }

    // Cash and position move by what each update adds to the order's cumulative fill and commission.
    public void Apply(OrderUpdate update)
    {
        var finished = update.Status.IsTerminal();
        var before = finished ? _fills.Remove(update.OrderId, out var last) ? last : default : _fills.GetValueOrDefault(update.OrderId);
        var quantity = update.ExecutedQuantity - before.Executed;
        var commission = update.Commission - before.Commission;
        if (quantity == 0 && commission == 0)
        {
            return;
        }

        if (!finished)
        {
            _fills[update.OrderId] = (update.ExecutedQuantity, update.Commission, update.QuoteQuantity ?? 0m);
        }

        FillVersion++;
        var notional = update.QuoteQuantity is { } quote ? quote - before.Quote : quantity * update.Price;
        var baseFee = update.CommissionAsset == BaseAsset ? commission : 0m;
        var quoteFee = commission - baseFee;
        if (update.Side == OrderSide.Buy)
        {
            Cash -= notional + quoteFee;
            Position += quantity - baseFee;
        }
        else
        {
            Cash += notional - quoteFee;
            Position -= quantity + baseFee;
        }
    }

    // The first time of the next equity sample: trades before it add no point to the curve.
    public long NextSampleTicks(TimeSpan sampling) => _bucket == long.MinValue ? long.MinValue : (_bucket + 1) * sampling.Ticks;

    /// <summary>
    /// Narrows [low, high] to prices at which marking changes neither the equity's peak nor its drawdown
    /// (equity is monotonic in the price while the holdings stay): false when no skip is safe.
    /// </summary>
    public bool EquityBand(ref decimal low, ref decimal high)
    {
        if (FillVersion != _markedVersion || Position < 0)
        {
            return false;
        }

        if (Position == 0)
        {
            return true;
        }

        try
        {
            // The largest price keeping equity <= peak and the smallest keeping peak - equity <= drawdown, each
            // checked with the very expression Mark uses: a quotient rounded the wrong way is pulled inward.
            var top = (_peak - Budget - Cash) / Position;
            var bottom = (_peak - MaxDrawdown - Budget - Cash) / Position;
            for (var tries = 0; EquityAt(top) > _peak; tries++)
            {
                if (tries == 4)
                {
                    return false;
                }

                top -= Hair(top);
            }

            for (var tries = 0; _peak - EquityAt(bottom) > MaxDrawdown; tries++)
            {
                if (tries == 4)
                {
                    return false;
                }

                bottom += Hair(bottom);
            }

            high = Math.Min(high, top);
            low = Math.Max(low, bottom);
            return low <= LastPrice && LastPrice <= high;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether equity over trades priced within <paramref name="priceBound"/> (<see cref="TradeIndex.PriceBound"/>) is
    /// computed without rounding — every product, sum and difference Mark makes fits a decimal exactly — so it is
    /// strictly monotonic in the price and a run's peak and drawdown follow from its <see cref="PriceSpan{T}"/>
    /// (<see cref="SkipSpan"/>). False while a fill is not yet marked, and when nothing is held (equity does not move).
    /// </summary>
    public bool MarksExactly(decimal? priceBound)
    {
        if (priceBound is not { } bound || FillVersion != _markedVersion || Position == 0)
        {
            return false;
        }

        try
        {
            var size = Math.Abs(Position);
            var product = size * bound;
            if (product.Scale != size.Scale + bound.Scale)
            {
                return false;
            }

            var fixedPart = Budget + Cash;
            var equity = Math.Abs(fixedPart) + product;
            var peak = Math.Abs(_peak) + equity;
            return equity.Scale == Math.Max(fixedPart.Scale, product.Scale)
                && (equity + equity).Scale == equity.Scale
                && peak.Scale == Math.Max(_peak.Scale, equity.Scale);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// Marks the equity's peak and drawdown over a run of trades of the same holdings, as marking each of them would:
    /// the highest equity is at the first best price; the largest drawdown is either from the peak held before the run
    /// to the first worst price, or the run's own largest fall (drop when long, rise when short), whichever is larger,
    /// and the earlier when equal. Only when <see cref="MarksExactly"/> (monotonic, unrounded equity).
    /// </summary>
    public void SkipSpan(TradeIndex trades, in PriceSpan<decimal> run)
    {
        if (Position == 0)
        {
            return;
        }

        var (bestAt, worstAt, fall, fallFrom, fallAt) = Position > 0
            ? (run.MaxAt, run.MinAt, run.Drop, run.DropFrom, run.DropAt)
            : (run.MinAt, run.MaxAt, run.Rise, run.RiseFrom, run.RiseAt);
        var fromPeak = _peak - EquityAt(trades.PriceAt(worstAt));
        var within = fall > 0 ? EquityAt(trades.PriceAt(fallFrom)) - EquityAt(trades.PriceAt(fallAt)) : 0m;
        if (fromPeak > MaxDrawdown || within > MaxDrawdown)
        {
            // Drawn from the peak before the run, that peak is the one in place there; a fall within the run outdoes
            // that peak, so the run's own high (first occurrence) is.
            var before = fromPeak > within || (fromPeak == within && worstAt <= fallAt);
            var peak = before ? _peak : EquityAt(trades.PriceAt(fallFrom));
            MaxDrawdown = before ? fromPeak : within;
            MaxDrawdownFraction = peak > 0 ? Math.Round(MaxDrawdown / peak, 8) : 0m;
        }

        var best = EquityAt(trades.PriceAt(bestAt));
        if (best > _peak)
        {
            _peak = best;
        }
    }

    /// <summary>Trades that crossed nothing and changed nothing: counted, the last one marked (same holdings).</summary>
    public void Skip(int count, in TradeEvent last)
    {
        Count += count;
        LastTime = last.Time;
        LastPrice = last.Price;
        Equity = EquityAt(last.Price);
    }

    private static decimal Hair(decimal price) => Math.Max(Math.Abs(price) * 0.000000000001m, 0.0000000000000000000001m);

    private decimal EquityAt(decimal price) => Budget + Cash + (Position * price);

    private void Sample(in TradeEvent trade, TimeSpan? sampling)
    {
        if (sampling is { } interval)
        {
            var bucket = trade.Time.UtcTicks / interval.Ticks;
            if (bucket != _bucket)
            {
                _bucket = bucket;
                (Curve ??= []).Add(new EquityPoint(trade.Time, trade.Price, Equity));
            }
        }
    }
}
