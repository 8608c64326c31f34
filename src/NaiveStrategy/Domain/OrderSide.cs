namespace NaiveStrategy;

/// <summary>The side of an order.</summary>
public enum OrderSide
{
    /// <summary>Buy the base asset with the quote asset.</summary>
    Buy,

    /// <summary>Sell the base asset for the quote asset.</summary>
    Sell,
}
