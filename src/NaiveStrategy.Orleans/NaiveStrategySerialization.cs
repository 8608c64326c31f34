using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace NaiveStrategy.Orleans;

/// <summary>
/// The core's records (settings, trader states, intents) cross the wire and reach grain storage as JSON: enums by
/// name, decimals as exact JSON numbers (never a binary floating point), computed properties left out, and a property
/// this version does not know is an error (saving a state back without it could lose part of a position).
/// </summary>
internal static class NaiveStrategySerialization
{
    public static void Add(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return;
        }

        services.AddSingleton<Marker>();
        var core = typeof(SymbolSettings).Assembly;
        services.AddSerializer(serializer => serializer.AddJsonSerializer(type => IsDeclaredIn(type, core), Json));
    }

    /// <summary>
    /// A type of <paramref name="assembly"/> declared in a NaiveStrategy namespace: not the compiler's own types there
    /// (a collection expression's <c>&lt;&gt;z__ReadOnlyArray&lt;T&gt;</c>, which JSON cannot rebuild; Orleans copies those as lists).
    /// </summary>
    public static bool IsDeclaredIn(Type type, System.Reflection.Assembly assembly) =>
        type.Assembly == assembly && type.Namespace?.StartsWith("NaiveStrategy", StringComparison.Ordinal) == true;

    /// <summary>The JSON of the core's records, on the wire and in grain storage (see <see cref="SymbolStateDocument"/>).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        IgnoreReadOnlyProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    private sealed class Marker;
}
