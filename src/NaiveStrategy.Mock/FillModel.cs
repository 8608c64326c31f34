namespace NaiveStrategy.Mock;

/// <summary>
/// How much of a trade an order takes (<see cref="InMemoryExchangeOptions.PartialFills"/>): with partial fills, at most
/// what the trade has left; without, the order's whole remaining quantity (the book's mock).
/// </summary>
internal sealed class FillModel(bool partialFills)
{
    public bool PartialFills { get; } = partialFills;

    public decimal Take(decimal remaining, decimal available) => PartialFills ? Math.Min(remaining, available) : remaining;
}
