namespace NaiveStrategy;

/// <summary>An account balance.</summary>
/// <param name="Asset">Asset, e.g. <c>USDT</c>.</param>
/// <param name="Free">Available to trade.</param>
/// <param name="Locked">Held by open orders.</param>
public sealed record Balance(string Asset, decimal Free, decimal Locked);
