using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Cli.Operator;

/// <summary>
/// Text that came from a server (error messages, parameter values and names, tags, execution causes), made safe
/// to print: a reply must not be able to colour the terminal, move the cursor or fake a line of our own output.
/// </summary>
internal static partial class ServerText
{
    /// <summary>The longest text printed; the rest is cut with an ellipsis.</summary>
    public const int MaxLength = 2000;

    /// <summary>
    /// Removes ANSI escape sequences and invisible formatting characters, turns line breaks and tabs into
    /// spaces and any other control character into <c>?</c>, and cuts the text at <see cref="MaxLength"/>.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var withoutEscapes = EscapeSequence().Replace(text, "");
        var clean = new StringBuilder(withoutEscapes.Length);
        foreach (var c in withoutEscapes)
        {
            if (c is '\r' or '\n' or '\t' or '\v' or '\f' or '\u2028' or '\u2029' or '\u0085')
            {
                clean.Append(' ');
            }
            else if (char.IsControl(c))
            {
                clean.Append('?');
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                // Bidirectional overrides and zero-width characters can make text read differently from what it is.
            }
            else
            {
                clean.Append(c);
            }

            if (clean.Length > MaxLength)
            {
                clean.Length = MaxLength;
                clean.Append('…');
                break;
            }
        }

        return clean.ToString();
    }

    // CSI (ESC [ ... final, or the one-byte C1 CSI), OSC (ESC ] ... BEL or ST), and two-character escapes.
    [GeneratedRegex(@"(?:\x1B\[|\x9B)[\x30-\x3F]*[\x20-\x2F]*[\x40-\x7E]?|(?:\x1B\]|\x9D)[^\x07\x1B\x9C]*(?:\x07|\x1B\\|\x9C)?|\x1B[\x20-\x2F]*[\x30-\x7E]?", RegexOptions.CultureInvariant)]
    private static partial Regex EscapeSequence();
}
