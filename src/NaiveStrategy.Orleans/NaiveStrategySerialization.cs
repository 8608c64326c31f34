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
        var json = new JsonSerializerOptions
        {
            IgnoreReadOnlyProperties = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            Converters = { new JsonStringEnumConverter() },
        };
        var core = typeof(SymbolSettings).Assembly;
        services.AddSerializer(serializer => serializer.AddJsonSerializer(type => type.Assembly == core, json));
    }

    private sealed class Marker;
}
