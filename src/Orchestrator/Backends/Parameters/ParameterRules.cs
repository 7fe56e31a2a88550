using System.Globalization;
using System.Text;

namespace ServerlessChaos.Orchestrator.Backends;

/// <summary>
/// What SSM Parameter Store accepts, checked before anything is written so a refusal names the parameter
/// and nothing is half done: names of <c>a-zA-Z0-9_.-</c> and <c>/</c>, not starting with <c>aws</c> or
/// <c>ssm</c>, at most 15 levels and 1011 characters with the ARN; values up to 4 KB (Standard) or 8 KB (Advanced).
/// </summary>
public static class ParameterRules
{
    /// <summary>The largest Standard-tier value, in bytes.</summary>
    public const int StandardMaxBytes = 4096;

    /// <summary>The largest Advanced-tier value, in bytes.</summary>
    public const int AdvancedMaxBytes = 8192;

    /// <summary>The deepest hierarchy AWS allows.</summary>
    public const int MaxLevels = 15;

    /// <summary>AWS's limit on a name together with its ARN (<c>arn:aws:ssm:region:account:parameter</c>).</summary>
    public const int MaxNameWithArnLength = 1011;

    // The longest ARN prefix in the commercial partition (a 14-character region such as ap-southeast-2).
    private static readonly int ArnPrefixLength = "arn:aws:ssm:ap-southeast-2:123456789012:parameter".Length;

    /// <summary>What is wrong with <paramref name="name"/>, or null when AWS accepts it.</summary>
    public static string? NameProblem(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the parameter name is empty";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/'))
            {
                return $"parameter name \"{name}\" may contain only a-z, A-Z, 0-9, '_', '.', '-' and '/' (found '{Printable(c)}')";
            }
        }

        var bare = name.TrimStart('/');
        if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            return $"parameter name \"{name}\" must not start with \"aws\" or \"ssm\" (reserved by AWS)";
        }

        var levels = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        if (levels > MaxLevels)
        {
            return string.Create(CultureInfo.InvariantCulture, $"parameter name \"{Shorten(name)}\" has {levels} levels; AWS allows at most {MaxLevels}");
        }

        var withArn = ArnPrefixLength + (name[0] == '/' ? 0 : 1) + name.Length;
        if (withArn > MaxNameWithArnLength)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"parameter name \"{Shorten(name)}\" is {name.Length} characters; with its ARN AWS allows at most {MaxNameWithArnLength} ({MaxNameWithArnLength - ArnPrefixLength} for a name starting with '/')");
        }

        return null;
    }

    /// <summary>What is wrong with writing <paramref name="parameter"/>, or null when AWS accepts it.</summary>
    public static string? Problem(StoredParameter parameter)
    {
        if (NameProblem(parameter.Name) is { } nameProblem)
        {
            return nameProblem;
        }

        if (!ParameterTypes.IsKnown(parameter.Type))
        {
            return $"parameter {parameter.Name} has type \"{parameter.Type}\"; it must be String, StringList or SecureString";
        }

        if (parameter.Tier is not (ParameterTiers.Standard or ParameterTiers.Advanced))
        {
            return $"parameter {parameter.Name} has tier \"{parameter.Tier}\"; it must be Standard or Advanced";
        }

        if (parameter.Value.Length == 0)
        {
            return $"parameter {parameter.Name} would be empty; AWS refuses empty values";
        }

        var bytes = Encoding.UTF8.GetByteCount(parameter.Value);
        var max = parameter.Tier == ParameterTiers.Advanced ? AdvancedMaxBytes : StandardMaxBytes;
        if (bytes > max)
        {
            return parameter.Tier == ParameterTiers.Advanced
                ? string.Create(CultureInfo.InvariantCulture, $"parameter {parameter.Name} would be {bytes} bytes; the Advanced tier holds at most {AdvancedMaxBytes}")
                : string.Create(CultureInfo.InvariantCulture, $"parameter {parameter.Name} would be {bytes} bytes; the Standard tier holds at most {StandardMaxBytes} (allow the Advanced tier, up to {AdvancedMaxBytes} bytes, or make it smaller)");
        }

        return null;
    }

    /// <summary>
    /// The tier to write <paramref name="value"/> in: Standard when it fits, Advanced when it does not and the
    /// user allowed it, and always Advanced over an Advanced parameter (AWS cannot downgrade one).
    /// </summary>
    public static string TierFor(string value, string? currentTier, bool allowAdvanced) =>
        currentTier == ParameterTiers.Advanced || (allowAdvanced && Encoding.UTF8.GetByteCount(value) > StandardMaxBytes)
            ? ParameterTiers.Advanced
            : ParameterTiers.Standard;

    /// <summary>Throws a permanent <see cref="BackendException"/> (<c>ParameterInvalid</c>) when AWS would refuse the write.</summary>
    public static void EnsureWritable(StoredParameter parameter)
    {
        if (Problem(parameter) is { } problem)
        {
            throw new BackendException("parameters", "Put", problem, errorCode: InvalidErrorCode, transient: false);
        }
    }

    /// <summary>The error name of a write these rules refuse.</summary>
    public const string InvalidErrorCode = "ParameterInvalid";

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();

    private static string Shorten(string name) => name.Length <= 80 ? name : name[..77] + "...";
}
