using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NaiveStrategy;
using NaiveStrategy.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite strategy store.</summary>
public static class SqliteStoreBuilderExtensions
{
    /// <summary>
    /// Keeps the engine's state in the SQLite file at <paramref name="path"/>: registers a singleton
    /// <see cref="SqliteStrategyStore"/> as the <see cref="IStrategyStore"/> (TryAdd, so an earlier
    /// registration wins). The file is opened, checked and migrated when the store is first resolved,
    /// and locked against other writers until the provider disposes it.
    /// </summary>
    public static NaiveStrategyBuilder AddSqliteStore(this NaiveStrategyBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.TryAddSingleton(sp => new SqliteStrategyStore(path, sp.GetService<TimeProvider>(), sp.GetService<ILogger<SqliteStrategyStore>>()));
        builder.Services.TryAddSingleton<IStrategyStore>(sp => sp.GetRequiredService<SqliteStrategyStore>());
        builder.Services.TryAddSingleton<IRunJournal>(sp => sp.GetRequiredService<SqliteStrategyStore>());
        return builder;
    }
}
