using System.Globalization;

namespace NaiveStrategy.Sqlite;

/// <summary>How values are written to and read from columns: exact, invariant, readable.</summary>
internal static class SqliteValues
{
    /// <summary>A decimal as invariant TEXT; keeps its scale (<c>0.43070000</c> stays so).</summary>
    public static string Decimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);

    /// <summary>An instant as ISO-8601 UTC with 100 ns precision; sorts as text.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    public static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: false, out value) && Enum.IsDefined(value);
}
