using System.Numerics;

namespace NaiveStrategy.Backtesting;

/// <summary>
/// Folds consecutive trades and <see cref="PriceSpan{T}"/>s, in order, into one <see cref="PriceSpan{T}"/>. A trade costs a
/// few comparisons: a drop or rise is recorded when the price passes the level that beats the largest so far (max − drop,
/// min + rise), and those levels move only when a new high or low is set. The arithmetic is exact when the prices have
/// a <see cref="TradeIndex.PriceBound"/> (decimals), or are scaled integers far from <c>long</c>'s limits.
/// </summary>
internal struct PriceSpanBuilder<T>
    where T : struct, INumber<T>
{
    private T _min, _max, _drop, _rise, _dropBelow, _riseAbove;
    private int _minAt, _maxAt, _dropFrom, _dropAt, _riseFrom, _riseAt;
    private bool _started;

    /// <summary>The trade at <paramref name="position"/>, after everything added so far.</summary>
    public void Add(T price, int position)
    {
        if (!_started)
        {
            Set(PriceSpan.Of(price, position));
            return;
        }

        if (price < _dropBelow)
        {
            (_drop, _dropFrom, _dropAt, _dropBelow) = (_max - price, _maxAt, position, price);
        }

        if (price > _riseAbove)
        {
            (_rise, _riseFrom, _riseAt, _riseAbove) = (price - _min, _minAt, position, price);
        }

        if (price < _min)
        {
            (_min, _minAt, _riseAbove) = (price, position, price + _rise);
        }

        if (price > _max)
        {
            (_max, _maxAt, _dropBelow) = (price, position, price - _drop);
        }
    }

    /// <summary>A run of trades right after everything added so far.</summary>
    public void Add(in PriceSpan<T> next) => Set(_started ? PriceSpan.Merge(Build(), next) : next);

    /// <summary>What was added.</summary>
    public readonly PriceSpan<T> Build() => new(_min, _minAt, _max, _maxAt, _drop, _dropFrom, _dropAt, _rise, _riseFrom, _riseAt);

    private void Set(in PriceSpan<T> span)
    {
        (_min, _minAt, _max, _maxAt) = (span.Min, span.MinAt, span.Max, span.MaxAt);
        (_drop, _dropFrom, _dropAt, _rise, _riseFrom, _riseAt) = (span.Drop, span.DropFrom, span.DropAt, span.Rise, span.RiseFrom, span.RiseAt);
        (_dropBelow, _riseAbove) = (span.Max - span.Drop, span.Min + span.Rise);
        _started = true;
    }
}
