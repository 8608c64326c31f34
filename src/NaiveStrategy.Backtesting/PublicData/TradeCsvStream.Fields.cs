using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NaiveStrategy.Backtesting.PublicData;

/// <summary>The field parsers: ids, times, amounts and flags straight from UTF-8 bytes, each error naming the field.</summary>
internal sealed partial class TradeCsvStream
{
    // Ids and times: plain digits only (no sign: both are >= 0), up to long.MaxValue.
    private long Long(ReadOnlySpan<byte> field, string name)
    {
        if (field.Length is > 0 and <= 19)
        {
            ulong value = 0;
            foreach (var b in field)
            {
                var d = (uint)(b - '0');
                if (d > 9)
                {
                    throw NotAnInteger(field, name);
                }

                value = (value * 10) + d; // 19 digits fit in a ulong
            }

            if (value <= long.MaxValue)
            {
                return (long)value;
            }
        }

        throw NotAnInteger(field, name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException NotAnInteger(ReadOnlySpan<byte> field, string name) =>
        field.Length > 0 && field.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            ? Bad($"{name} out of range", $"{name} '{Text(field)}' is out of range")
            : Bad($"{name} not an integer", $"{name} '{Text(field)}' is not an integer");

    // A price or quantity: > 0 and < MaxAmount.
    private decimal Amount(ReadOnlySpan<byte> field, string name)
    {
        if (TryParsePlain(field, out var mantissa, out var scale))
        {
            if (mantissa == 0)
            {
                throw NotPositive(field, name);
            }

            if (scale < AmountLimits.Length && mantissa >= AmountLimits[scale])
            {
                throw OutOfRange(field, name);
            }

            return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)scale);
        }

        return ParseOtherAmount(field, name);
    }

    // Signs, exponents, more than 19 digits: the general parser, off the hot path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private decimal ParseOtherAmount(ReadOnlySpan<byte> field, string name)
    {
        if (!(Utf8Parser.TryParse(field, out decimal value, out var consumed) && consumed == field.Length && field.Length > 0))
        {
            throw Bad($"{name} not a decimal", $"{name} '{Text(field)}' is not a decimal");
        }

        return value <= 0 ? throw NotPositive(field, name)
            : value >= MaxAmount ? throw OutOfRange(field, name)
            : value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException NotPositive(ReadOnlySpan<byte> field, string name) =>
        Bad($"{name} not positive", $"{name} {Text(field)} is not positive");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException OutOfRange(ReadOnlySpan<byte> field, string name) =>
        Bad($"{name} out of range", string.Create(CultureInfo.InvariantCulture, $"{name} '{Text(field)}' is out of range (must be below {MaxAmount:N0})"));

    // The files write plain decimals ("0.43070000"): build the decimal from its digits directly, which is
    // several times faster than the general parser. Anything else (sign, exponent, > 19 digits) falls back.
    internal static bool TryParsePlainDecimal(ReadOnlySpan<byte> field, out decimal value)
    {
        if (TryParsePlain(field, out var mantissa, out var scale))
        {
            value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)scale);
            return true;
        }

        value = 0;
        return false;
    }

    private static bool TryParsePlain(ReadOnlySpan<byte> field, out ulong mantissa, out int scale)
    {
        // Drop trailing zeros of the fraction ("0.43070000" → 0.4307) before reading digits: prices then
        // share the tick's scale, and decimal comparisons between equal scales skip rescaling on the hot path.
        if (field.IndexOf((byte)'.') >= 0)
        {
            field = field.TrimEnd((byte)'0');
            if (field.Length > 0 && field[^1] == (byte)'.')
            {
                field = field[..^1];
            }
        }

        mantissa = 0;
        var digits = 0;
        scale = -1;
        foreach (var b in field)
        {
            var d = (uint)(b - '0');
            if (d <= 9)
            {
                if (++digits > 19)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + d;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (b == '.' && scale < 0)
            {
                scale = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || scale > 28)
        {
            return false;
        }

        scale = Math.Max(scale, 0);
        return true;
    }

    private bool Bool(ReadOnlySpan<byte> field, string name)
    {
        // "True"/"False" in any case as whole-word compares; t/f and errors off the hot path.
        if (field.Length == 4 && (BinaryPrimitives.ReadUInt32LittleEndian(field) | 0x20202020) == 0x65757274)
        {
            return true;
        }

        if (field.Length == 5 && (BinaryPrimitives.ReadUInt32LittleEndian(field) | 0x20202020) == 0x736C6166 && (field[4] | 0x20) == 'e')
        {
            return false;
        }

        return ShortBool(field, name);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ShortBool(ReadOnlySpan<byte> field, string name) =>
        field.Length == 1 && (field[0] | 0x20) is 't' or 'f' ? (field[0] | 0x20) == 't' : throw NotABoolean(field, name);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private TradeFileFormatException NotABoolean(ReadOnlySpan<byte> field, string name) =>
        name is "isBestMatch" or "is_best_match" && field.IndexOf((byte)',') >= 0
            ? Bad("too many columns", $"more than {(_aggregate ? 8 : 7)} columns (expected {Columns}), then '{Text(field[(field.IndexOf((byte)',') + 1)..])}'")
            : Bad($"{name} not a boolean", $"{name} '{Text(field)}' is not True or False");
}
