using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Runtime;

/// <summary>
/// The bootstrap's log: each event is one JSON line written with one call, because Lambda turns each line of a custom
/// runtime's output into one CloudWatch Logs event (a multi-line stack trace would be split into many).
/// </summary>
/// <param name="writer">Where the lines go.</param>
public sealed class RuntimeLog(TextWriter writer)
{
    /// <summary>Standard output, which Lambda sends to the function's log group.</summary>
    public static RuntimeLog Console { get; } = new(System.Console.Out);

    /// <summary>Logs an error: what failed, for which request, and the exception with its type, message and stack trace.</summary>
    public void Error(string? requestId, string message, Exception? error)
    {
        var line = new JsonObject
        {
            ["level"] = "ERROR",
            ["requestId"] = requestId,
            ["message"] = message,
        };
        if (error is not null)
        {
            line["errorType"] = error.GetType().FullName;
            line["errorMessage"] = error.Message;
            // ToString has the inner exceptions and every frame; one array element per line keeps the event one line.
            line["stackTrace"] = new JsonArray([.. error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => (JsonNode?)JsonValue.Create(l))]);
        }

        var text = line.ToJsonString() + "\n";
        lock (writer)
        {
            writer.Write(text);
            writer.Flush();
        }
    }
}
