namespace NaiveStrategy.Backtesting;

/// <summary>
/// The placements a backtest's engine announced, in order, with the trader and the trade number of each, and the ones
/// the exchange refused: with the exchange's orders at their final state they make the session's journal.
/// </summary>
internal sealed class OrderJournal
{
    private readonly Dictionary<string, (string TraderId, OrderRequest Request, long AtTrade)> _placed = new(StringComparer.Ordinal);
    private readonly List<string> _placementOrder = [];
    private readonly Dictionary<string, JournalEntry> _rejected = new(StringComparer.Ordinal);

    /// <summary>Keeps a placement or a refusal announced by the engine during trade number <paramref name="atTrade"/>.</summary>
    public void Record(StrategyEvent e, long atTrade)
    {
        switch (e.Event)
        {
            case OrderPlaced p:
                if (_placed.TryAdd(p.Request.ClientOrderId, (p.TraderId, p.Request, atTrade)))
                {
                    _placementOrder.Add(p.Request.ClientOrderId);
                }

                break;
            case OrderRejected r when _placed.TryGetValue(r.ClientOrderId, out var placed):
                // Nothing executed and the exchange gave it no id; the time is the market time of the refusal.
                var q = placed.Request;
                _rejected[r.ClientOrderId] = new JournalEntry(new OrderUpdate(q.Symbol, q.ClientOrderId, 0, q.Side, q.Price, q.Quantity, 0m, OrderStatus.Rejected, 0m, null, e.Time), placed.TraderId) { Error = r.Error, AtTrade = placed.AtTrade };
                break;
        }
    }

    /// <summary>
    /// The exchange's <paramref name="accepted"/> orders at their final state and the placements it refused, in
    /// placement order; orders the engine did not announce (none in a backtest) last, numbered <paramref name="given"/>.
    /// </summary>
    public JournalEntry[] Build(IReadOnlyList<OrderUpdate> accepted, long given)
    {
        var byClientId = new Dictionary<string, OrderUpdate>(accepted.Count, StringComparer.Ordinal);
        foreach (var order in accepted)
        {
            byClientId[order.ClientOrderId] = order;
        }

        var journal = new List<JournalEntry>(accepted.Count + _rejected.Count);
        foreach (var clientOrderId in _placementOrder)
        {
            if (byClientId.Remove(clientOrderId, out var order))
            {
                var placed = _placed[clientOrderId];
                journal.Add(new JournalEntry(order, placed.TraderId) { AtTrade = placed.AtTrade });
            }
            else if (_rejected.TryGetValue(clientOrderId, out var rejected))
            {
                journal.Add(rejected);
            }
        }

        journal.AddRange(accepted.Where(o => byClientId.ContainsKey(o.ClientOrderId)).Select(o => new JournalEntry(o, "") { AtTrade = given }));
        return [.. journal];
    }
}
