namespace NaiveStrategy;

/// <summary>Something that happened to a symbol's traders, as published by the engine (for logs, reports, UIs and tests).</summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="Time">When, by the engine's <see cref="TimeProvider"/>.</param>
/// <param name="Event">What.</param>
public sealed record StrategyEvent(string Symbol, DateTimeOffset Time, TradingEvent Event);
