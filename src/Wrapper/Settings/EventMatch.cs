using System.Text.RegularExpressions;

namespace ServerlessChaos.Wrapper.Settings;

/// <summary>The comparison an <see cref="EventMatch"/> makes.</summary>
internal enum MatchOperator
{
    /// <summary>The value at the path equals <see cref="EventMatch.Value"/> (ordinal).</summary>
    Eq,

    /// <summary>The value at the path starts with <see cref="EventMatch.Value"/> (ordinal).</summary>
    StartsWith,

    /// <summary>Something non-null is at the path.</summary>
    Exists,

    /// <summary>The value at the path matches the regular expression <see cref="EventMatch.Value"/> (time-limited).</summary>
    Regex,
}

/// <summary>
/// A condition on the incoming event: a dot-separated path (<c>requestContext.http.method</c>), an operator and a value.
/// A fault with conditions fires only when all of them hold.
/// </summary>
internal sealed class EventMatch
{
    /// <summary>
    /// Safety net on one regular-expression evaluation; past it the evaluation counts as "no match". The engine is the
    /// linear-time one and inputs are capped at <see cref="MaxRegexInputLength"/>, so this only trips on a starved CPU.
    /// </summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Longest text a regular expression is evaluated against; longer text counts as "no match".</summary>
    public const int MaxRegexInputLength = 4096;

    /// <summary>Longest accepted regular expression.</summary>
    public const int MaxRegexLength = 512;

    internal EventMatch(string path, MatchOperator op, string? value, Regex? regex)
    {
        Path = path;
        Segments = path.Split('.');
        Operator = op;
        Value = value;
        CompiledRegex = regex;
    }

    /// <summary>The dot-separated path into the event; segments match member names case-insensitively.</summary>
    public string Path { get; }

    /// <summary>
    /// Whether path segments must match names exactly (failure-lambda 1.x's rule); otherwise they match case-insensitively.
    /// </summary>
    public bool CaseSensitive { get; internal init; }

    /// <summary>The comparison made.</summary>
    public MatchOperator Operator { get; }

    /// <summary>The value compared with (absent for <see cref="MatchOperator.Exists"/>).</summary>
    public string? Value { get; }

    internal string[] Segments { get; }

    internal Regex? CompiledRegex { get; }

    /// <summary>Whether <paramref name="found"/> (the text at <see cref="Path"/>, or null when absent) satisfies this condition.</summary>
    internal bool Accepts(string? found)
    {
        if (found is null)
        {
            return false;
        }

        switch (Operator)
        {
            case MatchOperator.Exists:
                return true;
            case MatchOperator.Eq:
                return string.Equals(found, Value, StringComparison.Ordinal);
            case MatchOperator.StartsWith:
                return found.StartsWith(Value!, StringComparison.Ordinal);
            default:
                if (found.Length > MaxRegexInputLength)
                {
                    return false;
                }

                try
                {
                    return CompiledRegex!.IsMatch(found);
                }
                catch (RegexMatchTimeoutException)
                {
                    // A pattern that runs too long counts as no match: chaos must never slow the function unbounded.
                    return false;
                }
        }
    }

    /// <summary>Builds the regular expression for a regex condition: linear-time engine plus a timeout.</summary>
    internal static Regex CreateRegex(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, RegexTimeout);

        // Warm the engine when the settings load, so the first invocation's match is not the one paying for it.
        regex.IsMatch("warm-up");
        return regex;
    }
}
