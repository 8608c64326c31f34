using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace NaiveStrategy.Orleans;

[GenerateSerializer]
internal sealed record SymbolDirectoryState
{
    [Id(0)]
    public IReadOnlyList<string> Symbols { get; init; } = [];
}

/// <summary>The one directory of started symbols (key 0), written through the same storage as the symbols.</summary>
internal sealed class SymbolDirectoryGrain(IOptions<NaiveStrategyOrleansOptions> options, IServiceProvider services) : Grain, ISymbolDirectoryGrain
{
    private const string StateName = "naive-symbols";
    private readonly IGrainStorage _storage = services.GetRequiredKeyedService<IGrainStorage>(options.Value.StorageName);
    private readonly GrainState<SymbolDirectoryState> _state = new(new SymbolDirectoryState());

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _storage.ReadStateAsync(StateName, this.GetGrainId(), _state, cancellationToken);

    public async Task AddAsync(string symbol)
    {
        if (Symbols.Contains(symbol, StringComparer.Ordinal))
        {
            return;
        }

        var before = _state.State;
        _state.State = new SymbolDirectoryState { Symbols = [.. Symbols, symbol] };
        try
        {
            await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
        }
        catch
        {
            _state.State = before;
            throw;
        }
    }

    public Task<IReadOnlyList<string>> GetSymbolsAsync() => Task.FromResult(Symbols);

    private IReadOnlyList<string> Symbols => _state.State?.Symbols ?? [];
}
