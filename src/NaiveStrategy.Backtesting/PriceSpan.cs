using System.Numerics;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// What a run of consecutive trades did to the price, enough to mark equity over the run without visiting its trades
/// (equity is monotonic in the price while the holdings stay): the lowest and highest price, the largest drop
/// max(pᵢ − pⱼ, i &lt; j) and the largest rise max(pⱼ − pᵢ, i &lt; j), each with the positions (indices into the
/// indexed trades) of its first occurrence — the full replay's peak, trough and drawdown are set at first occurrences,
/// since a later equal value does not replace them. A drop or rise of 0 has no positions (-1). Prices are decimals, or
/// a catalog's scaled integers (<c>long</c>) while an index is built from its columns.
/// </summary>
internal readonly record struct PriceSpan<T>(
    T Min,
    int MinAt,
    T Max,
    int MaxAt,
    T Drop,
    int DropFrom,
    int DropAt,
    T Rise,
    int RiseFrom,
    int RiseAt)
    where T : struct, INumber<T>;

/// <summary>Builds and joins <see cref="PriceSpan{T}"/>s.</summary>
internal static class PriceSpan
{
    /// <summary>One trade at <paramref name="position"/>.</summary>
    public static PriceSpan<T> Of<T>(T price, int position)
        where T : struct, INumber<T> => new(price, position, price, position, T.Zero, -1, -1, T.Zero, -1, -1);

    /// <summary>
    /// <paramref name="left"/> followed by <paramref name="right"/>. A drop ending in the right run starts at the first
    /// occurrence of the highest price before its end: in the left run when the left's highest is not below the right's
    /// own start of that drop (ties go to the earlier position, as the full replay keeps the first equal peak).
    /// </summary>
    public static PriceSpan<T> Merge<T>(in PriceSpan<T> left, in PriceSpan<T> right)
        where T : struct, INumber<T>
    {
        var (min, minAt) = right.Min < left.Min ? (right.Min, right.MinAt) : (left.Min, left.MinAt);
        var (max, maxAt) = right.Max > left.Max ? (right.Max, right.MaxAt) : (left.Max, left.MaxAt);
        var (drop, dropFrom, dropAt) = Fall(left.Drop, left.DropFrom, left.DropAt, right.Drop, right.DropFrom, right.DropAt, left.Max - right.Min, left.MaxAt, right.MinAt);
        var (rise, riseFrom, riseAt) = Fall(left.Rise, left.RiseFrom, left.RiseAt, right.Rise, right.RiseFrom, right.RiseAt, right.Max - left.Min, left.MinAt, right.MaxAt);
        return new PriceSpan<T>(min, minAt, max, maxAt, drop, dropFrom, dropAt, rise, riseFrom, riseAt);
    }

    // The larger of the left's move, the right's and the one across (from the left's extreme to the right's opposite
    // extreme), with the earliest end among the moves of that size. A move across ending at the same trade as the
    // right's own move of the same size starts in the left run: the left's extreme equals the right's there, and is first.
    private static (T Value, int From, int At) Fall<T>(T left, int leftFrom, int leftAt, T right, int rightFrom, int rightAt, T across, int acrossFrom, int acrossAt)
        where T : struct, INumber<T>
    {
        var value = T.Max(T.Max(left, right), T.Max(across, T.Zero));
        if (value == T.Zero)
        {
            return (T.Zero, -1, -1);
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
