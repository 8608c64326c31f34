using System.Reflection;
using System.Text.RegularExpressions;

namespace NaiveStrategy.Testing.Tests;

public sealed class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));

    // The README's example must keep up with the kit: it overrides every hook an author has to implement,
    // those of the adapter under test and the area classes' factory.
    [Fact]
    public void Readme_Example_OverridesEveryAbstractHook()
    {
        var example = Readme.Split("```csharp").Select(b => b.Split("```")[0]).Single(b => b.Contains(": ExchangeUnderTest", StringComparison.Ordinal));
        var hooks = typeof(ExchangeUnderTest).GetMembers(BindingFlags.Instance | BindingFlags.Public)
            .Concat(typeof(ExchangePlacementContractTests).GetMembers(BindingFlags.Instance | BindingFlags.NonPublic))
            .Where(m => m is MethodInfo { IsAbstract: true, IsSpecialName: false } or PropertyInfo { GetMethod.IsAbstract: true })
            .Select(m => m.Name)
            .ToArray();

        Assert.NotEmpty(hooks);
        Assert.All(hooks, name => Assert.Matches(new Regex(@"override [^\n(=]*\b" + name + @"\b"), example));
    }

    // Every optional hook the README names exists, so the prose does not drift either.
    [Theory]
    [InlineData("Patience")]
    [InlineData("UnknownSymbol")]
    [InlineData("FilterFailureCode")]
    [InlineData("InsufficientBalanceCode")]
    [InlineData("Time")]
    public void Readme_OptionalHook_IsAVirtualMemberOfTheKit(string name)
    {
        Assert.Contains("`" + name + "`", Readme, StringComparison.Ordinal);
        var property = typeof(ExchangeUnderTest).GetProperty(name, BindingFlags.Instance | BindingFlags.Public);
        Assert.True(property?.GetMethod is { IsVirtual: true, IsAbstract: false }, $"{name} is not a virtual hook of ExchangeUnderTest.");
    }
}
