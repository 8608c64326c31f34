namespace NaiveStrategy.Sqlite;

/// <summary>What is wrong with a store file, and what to do about it.</summary>
/// <param name="Diagnosis">Follows "The strategy store X", e.g. "is corrupt (integrity check: …)".</param>
/// <param name="Advice">What the user can do, a sentence; empty when nothing is to be said.</param>
internal sealed record StoreProblem(string Diagnosis, string Advice = "")
{
    /// <summary>The diagnosis, the advice and what happened to the file, as sentences.</summary>
    public string Message(string outcome) => string.Join(' ', new[] { Diagnosis + ".", Advice, outcome }.Where(part => part.Length > 0));
}
