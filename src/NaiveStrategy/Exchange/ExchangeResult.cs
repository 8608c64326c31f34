using System.Diagnostics.CodeAnalysis;

namespace NaiveStrategy;

/// <summary>The outcome of an exchange call: a value or an <see cref="ExchangeError"/>. Rejections are values, not exceptions.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct ExchangeResult<T>
{
    private readonly T? _value;

    private ExchangeResult(T? value, ExchangeError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The error, when the call failed.</summary>
    public ExchangeError? Error { get; }

    /// <summary>True when the call succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value of a successful call.</summary>
    /// <exception cref="InvalidOperationException">The call failed.</exception>
    public T Value => Error is null ? _value! : throw new InvalidOperationException("The exchange call failed: " + Error);

    /// <summary>A successful result.</summary>
    public static ExchangeResult<T> Success(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static ExchangeResult<T> Failure(ExchangeError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Converts a value to a successful result.</summary>
    public static implicit operator ExchangeResult<T>(T value) => Success(value);

    /// <summary>Converts an error to a failed result.</summary>
    public static implicit operator ExchangeResult<T>(ExchangeError error) => Failure(error);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success({_value})" : $"Failure({Error})";
}
