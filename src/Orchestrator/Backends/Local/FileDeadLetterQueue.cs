using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>A dead-letter queue in a JSON-lines file: one line per message, <c>{"messageId","sentAt","body"}</c>.</summary>
public sealed class FileDeadLetterQueue(string file, TimeProvider time) : IDeadLetterQueue
{
    private readonly object gate = new();

    /// <summary>The file the messages are appended to.</summary>
    public string File { get; } = file;

    /// <inheritdoc />
    public Task<string> SendAsync(string body, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString();
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = body;
        }

        var line = new JsonObject { ["messageId"] = id, ["sentAt"] = time.GetUtcNow().ToString("O"), ["body"] = parsed }.ToJsonString();
        lock (gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
            System.IO.File.AppendAllText(File, line + "\n");
        }

        return Task.FromResult(id);
    }

    /// <summary>Every message body sent so far, oldest first.</summary>
    public IReadOnlyList<JsonNode> ReadAll()
    {
        lock (gate)
        {
            if (!System.IO.File.Exists(File))
            {
                return [];
            }

            return System.IO.File.ReadAllLines(File).Where(l => l.Length > 0)
                .Select(l => JsonNode.Parse(l)!["body"]!.DeepClone()).ToList();
        }
    }
}
