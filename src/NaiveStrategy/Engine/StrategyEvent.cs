namespace NaiveStrategy;

/// <summary>Something the strategy decided or that happened to it, as published by the engine (for reports, UIs and tests).</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Time">When, by the engine's <see cref="TimeProvider"/>.</param>
/// <param name="Command">What.</param>
public sealed record StrategyEvent(string Symbol, DateTimeOffset Time, TradingCommand Command);
