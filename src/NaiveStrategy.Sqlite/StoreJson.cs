using System.Text.Json;
using System.Text.Json.Serialization;

namespace NaiveStrategy.Sqlite;

/// <summary>
/// JSON of the stored records: the parts of a <see cref="StrategySnapshot"/> (never the reducers' own records). Decimals are written as strings with their exact scale (never a binary
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
[JsonSerializable(typeof(TraderSnapshot))]
[JsonSerializable(typeof(SymbolSettings))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(GuardSnapshot))]
[JsonSerializable(typeof(RunMark))]
internal sealed partial class StoreJson : JsonSerializerContext;
