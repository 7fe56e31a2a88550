using System.Text.RegularExpressions;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// A host pattern: a glob where <c>*</c> matches any run of characters (and a leading <c>*.</c> also matches the bare
/// domain), compared case-insensitively; or, for failure-lambda denylists, a time-limited regular expression.
/// </summary>
internal sealed class HostPattern
{
    private readonly Regex? _regex;

    private HostPattern(string text, Regex? regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Whether this pattern is a regular expression (failure-lambda layouts) rather than a glob.</summary>
    public bool IsRegex => _regex is not null;

    internal static HostPattern Glob(string text) => new(text, null);

    internal static HostPattern FromRegex(string text, Regex regex) => new(text, regex);

    /// <summary>Whether <paramref name="host"/> matches.</summary>
    public bool Matches(string host)
    {
        if (_regex is not null)
        {
            if (host.Length > Settings.EventMatch.MaxRegexInputLength)
            {
                return false;
            }

            try
            {
                return _regex.IsMatch(host);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        if (Text.StartsWith("*.", StringComparison.Ordinal) && GlobMatches(Text.AsSpan(2), host))
        {
            return true;
        }

        return GlobMatches(Text, host);
    }

    // Iterative glob match with one backtrack point: linear in practice, no regex engine needed.
    private static bool GlobMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
