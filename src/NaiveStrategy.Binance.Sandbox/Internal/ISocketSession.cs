namespace NaiveStrategy.Binance.Sandbox.Internal;

/// <summary>What a <see cref="SocketConnection"/> hands each complete message to. Implementations answer bad input, never throw on it.</summary>
internal interface ISocketSession
{
    /// <summary>A text message.</summary>
    ValueTask OnTextAsync(string text, CancellationToken cancellationToken);

    /// <summary>A binary message (both Binance WebSocket faces take JSON in text frames only).</summary>
    void OnBinary();
}
