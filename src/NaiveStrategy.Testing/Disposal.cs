namespace NaiveStrategy.Testing;

/// <summary>Disposes what a kit created, whichever dispose pattern it follows.</summary>
internal static class Disposal
{
    public static async ValueTask DisposeAsync(object? created)
    {
        switch (created)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
