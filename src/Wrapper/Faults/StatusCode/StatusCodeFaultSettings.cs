using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>Answer with an HTTP response carrying a chosen status code, body and headers.</summary>
internal sealed class StatusCodeFaultSettings : FaultSettings
{
    internal StatusCodeFaultSettings(
        double rate, IReadOnlyList<EventMatch> match, int statusCode, string? body,
        IReadOnlyDictionary<string, string> headers, bool runHandler)
        : base(rate, match)
    {
        StatusCode = statusCode;
        Body = body;
        Headers = headers;
        RunHandler = runHandler;
    }

    /// <inheritdoc />
    public override string Type => FaultTypes.StatusCode;

    /// <summary>The status code, 100–599.</summary>
    public int StatusCode { get; }

    /// <summary>Default body of a response the wrapper makes itself.</summary>
    public const string DefaultBody = "{\"message\":\"Injected by ServerlessChaos\"}";

    /// <summary>
    /// The response body. When absent: <see cref="DefaultBody"/> if the handler does not run, the handler's own body if
    /// it does (chaos_lambda's behaviour).
    /// </summary>
    public string? Body { get; }

    /// <summary>Extra response headers. Defaults to none.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>
    /// When <see langword="true"/> the handler runs (once) and its result is then replaced;
    /// when <see langword="false"/> (the default) the handler does not run at all.
    /// </summary>
    public bool RunHandler { get; }
}
