namespace NaiveStrategy.Backtesting;

/// <summary>
/// What a run of consecutive trades did to the price, enough to mark equity over the run without visiting its trades
/// (equity is monotonic in the price while the holdings stay): the lowest and highest price, the largest drop
/// max(pᵢ − pⱼ, i &lt; j) and the largest rise max(pⱼ − pᵢ, i &lt; j), each with the positions (indices into the
/// indexed trades) of its first occurrence — the full replay's peak, trough and drawdown are set at first occurrences,
/// since a later equal value does not replace them. A drop or rise of 0 has no positions (-1).
/// </summary>
internal readonly record struct PriceSpan(
    decimal Min,
    int MinAt,
    decimal Max,
    int MaxAt,
    decimal Drop,
    int DropFrom,
    int DropAt,
    decimal Rise,
    int RiseFrom,
    int RiseAt)
{
    /// <summary>One trade at <paramref name="position"/>.</summary>
    public static PriceSpan Of(decimal price, int position) => new(price, position, price, position, 0m, -1, -1, 0m, -1, -1);

    /// <summary>
    /// <paramref name="left"/> followed by <paramref name="right"/>. A drop ending in the right run starts at the first
    /// occurrence of the highest price before its end: in the left run when the left's highest is not below the right's
    /// own start of that drop (ties go to the earlier position, as the full replay keeps the first equal peak).
    /// </summary>
    public static PriceSpan Merge(in PriceSpan left, in PriceSpan right)
    {
        var (min, minAt) = right.Min < left.Min ? (right.Min, right.MinAt) : (left.Min, left.MinAt);
        var (max, maxAt) = right.Max > left.Max ? (right.Max, right.MaxAt) : (left.Max, left.MaxAt);
        var (drop, dropFrom, dropAt) = Fall(left.Drop, left.DropFrom, left.DropAt, right.Drop, right.DropFrom, right.DropAt, left.Max - right.Min, left.MaxAt, right.MinAt);
        var (rise, riseFrom, riseAt) = Fall(left.Rise, left.RiseFrom, left.RiseAt, right.Rise, right.RiseFrom, right.RiseAt, right.Max - left.Min, left.MinAt, right.MaxAt);
        return new PriceSpan(min, minAt, max, maxAt, drop, dropFrom, dropAt, rise, riseFrom, riseAt);
    }

    // The larger of the left's move, the right's and the one across (from the left's extreme to the right's opposite
    // extreme), with the earliest end among the moves of that size. A move across ending at the same trade as the
    // right's own move of the same size starts in the left run: the left's extreme equals the right's there, and is first.
    private static (decimal Value, int From, int At) Fall(decimal left, int leftFrom, int leftAt, decimal right, int rightFrom, int rightAt, decimal across, int acrossFrom, int acrossAt)
    {
        var value = Math.Max(Math.Max(left, right), Math.Max(across, 0m));
        if (value == 0m)
        {
            return (0m, -1, -1);
        }

        if (left == value)
        {
            return (value, leftFrom, leftAt);
        }

        var acrossEnd = across == value ? acrossAt : int.MaxValue;
        var rightEnd = right == value ? rightAt : int.MaxValue;
        return acrossEnd <= rightEnd ? (value, acrossFrom, acrossAt) : (value, rightFrom, rightAt);
    }
}
