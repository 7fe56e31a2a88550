using System.Globalization;
using System.Text.Json;

namespace ServerlessChaos.Wrapper.Settings.Parsing;

/// <summary>Reads typed fields from a JSON object and records one clear error per bad field.</summary>
internal sealed class FieldReader
{
    private readonly List<SettingsError> _errors = [];
    private readonly List<SettingsError> _warnings = [];

    public IReadOnlyList<SettingsError> Errors => _errors;

    /// <summary>Problems that switched off one part of the document (a legacy flag) while the rest stays valid.</summary>
    public IReadOnlyList<SettingsError> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    public void Error(string field, string problem) => _errors.Add(new SettingsError(field, problem));

    /// <summary>Records <paramref name="part"/>'s errors as warnings: that part is skipped, the document stays valid.</summary>
    public void Skip(FieldReader part, string field, string what)
    {
        _warnings.AddRange(part.Errors);
        _warnings.Add(new SettingsError(field, $"is skipped: {what}"));
    }

    public static string Describe(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Undefined => "missing",
            _ => value.GetRawText(),
        };
        return text.Length > 60 ? string.Concat(text.AsSpan(0, 57), "...") : text;
    }

    /// <summary>Reports every property of <paramref name="obj"/> not in <paramref name="known"/>.</summary>
    public void RejectUnknown(JsonElement obj, string path, string what, params string[] known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                Error($"{path}.{property.Name}", $"is not a known field of {what} (known: {string.Join(", ", known)})");
            }
        }
    }

    public bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public bool? Bool(JsonElement obj, string path, string name, bool? fallback, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                Error($"{path}.{name}", "is required (true or false)");
            }

            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Error($"{path}.{name}", $"must be true or false (was {Describe(value)})");
        return null;
    }

    public double? Number(JsonElement obj, string path, string name, double min, double max, double? fallback, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                Error($"{path}.{name}", $"is required (a number between {Format(min)} and {Format(max)})");
            }

            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Error($"{path}.{name}", $"must be a number (was {Describe(value)})");
            return null;
        }

        if (number < min || number > max)
        {
            Error($"{path}.{name}", $"must be between {Format(min)} and {Format(max)} (was {Describe(value)})");
            return null;
        }

        return number;
    }

    public int? Integer(JsonElement obj, string path, string name, int min, int max, int? fallback, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                Error($"{path}.{name}", $"is required (a whole number between {min} and {max})");
            }

            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number != Math.Floor(number) || !double.IsFinite(number))
        {
            Error($"{path}.{name}", $"must be a whole number (was {Describe(value)})");
            return null;
        }

        if (number < min || number > max)
        {
            Error($"{path}.{name}", $"must be between {min} and {max} (was {Describe(value)})");
            return null;
        }

        return (int)number;
    }

    /// <summary>A whole number beyond <see cref="int"/>'s range (exact up to 2^53, far past any bound used here).</summary>
    public long? WholeNumber(JsonElement obj, string path, string name, long min, long max, long? fallback)
    {
        if (!TryGet(obj, name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number) || number != Math.Floor(number))
        {
            Error($"{path}.{name}", $"must be a whole number (was {Describe(value)})");
            return null;
        }

        if (number < min || number > max)
        {
            Error($"{path}.{name}", $"must be between {min} and {max} (was {Describe(value)})");
            return null;
        }

        return (long)number;
    }

    public string? String(JsonElement obj, string path, string name, string? fallback, int maxLength, bool required = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                Error($"{path}.{name}", "is required (a string)");
            }

            return fallback;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error($"{path}.{name}", $"must be a string (was {Describe(value)})");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            Error($"{path}.{name}", $"must be at most {maxLength} characters (was {text.Length})");
            return null;
        }

        return text;
    }

    public DateTimeOffset? Timestamp(JsonElement obj, string path, string name)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        Error($"{path}.{name}", $"must be an ISO 8601 UTC timestamp such as \"2026-11-22T01:00:00Z\" (was {Describe(value)})");
        return null;
    }

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);
}
