using System.Diagnostics.CodeAnalysis;

namespace NaiveStrategy.Backtesting.Catalog;

/// <summary>
/// Whether catalog parts can be read. A native (AOT) build turns it off
/// (<c>&lt;RuntimeHostConfigurationOption Include="NaiveStrategy.Backtesting.Catalog.IsSupported" Value="false" Trim="true" /&gt;</c>):
/// the compiler then drops the Parquet reader, whose library is not trimming-annotated, and a catalog path is refused
/// with a clear error.
/// </summary>
internal static class CatalogFeature
{
    private const string Switch = "NaiveStrategy.Backtesting.Catalog.IsSupported";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var on) || on;
}
