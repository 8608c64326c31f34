using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NaiveStrategy.Sqlite;

/// <summary>
/// JSON of the stored records. Decimals are written as strings with their exact scale (never a binary
/// floating point on the way, and SQLite's json functions see TEXT, not REAL); enums by name, so the
/// file survives enum reordering; computed get-only properties are left out. A property this code does
/// not know (state written by a newer version) is an error on read: dropping it silently and saving the
/// state back without it could lose part of a trader's position.
/// </summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(DecimalStringConverter)])]
[JsonSerializable(typeof(TraderState))]
[JsonSerializable(typeof(SymbolSettings))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StoreJson : JsonSerializerContext;

/// <summary>Writes a decimal as an invariant string that keeps its scale; reads a string or a number.</summary>
internal sealed class DecimalStringConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDecimal();
        }

        var text = reader.GetString();
        return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a decimal.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
