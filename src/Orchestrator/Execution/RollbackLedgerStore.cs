using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Execution;

/// <summary>
/// Keeps one execution's rollback ledger in the parameter store, whatever its size. A ledger that fits one
/// Standard parameter (4 KB) is that parameter; a larger one is split into chunks named <c>{ledger}/{i}</c>,
/// written first, and the ledger parameter (written last, so a reader never sees half a ledger) says
/// <c>{"chunks":N}</c>. A ledger holding a <c>SecureString</c>'s prior value is itself a <c>SecureString</c>.
/// </summary>
public sealed class RollbackLedgerStore(IParameterStore parameters, string prefix)
{
    private const string ChunksField = "chunks";

    /// <summary>The ledger parameter of an execution.</summary>
    public string NameFor(string executionName) => prefix + executionName;

    /// <summary>The execution's ledger, or null when there is none.</summary>
    /// <exception cref="ControlFunctionException"><c>InvalidState</c> when the ledger cannot be read back.</exception>
    public async Task<RollbackLedger?> ReadAsync(string executionName, CancellationToken ct)
    {
        var name = NameFor(executionName);
        var head = await parameters.GetAsync(name, ct).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        var text = head.Value;
        if (ChunkCount(text) is { } chunks)
        {
            var joined = new StringBuilder();
            for (var i = 0; i < chunks; i++)
            {
                var chunk = await parameters.GetAsync(ChunkName(name, i), ct).ConfigureAwait(false)
                    ?? throw new ControlFunctionException(ErrorTypes.InvalidState, $"the rollback ledger {name} is missing chunk {ChunkName(name, i)} of {chunks}");
                joined.Append(chunk.Value);
            }

            text = joined.ToString();
        }

        try
        {
            return JsonSerializer.Deserialize(text, OrchestratorJson.Default.RollbackLedger);
        }
        catch (JsonException e)
        {
            throw new ControlFunctionException(ErrorTypes.InvalidState, $"the rollback ledger {name} is not readable: {e.Message}", e);
        }
    }

    /// <summary>Writes the ledger: chunks first, then the ledger parameter that points at them.</summary>
    public async Task WriteAsync(string executionName, RollbackLedger ledger, CancellationToken ct)
    {
        var name = NameFor(executionName);
        var type = ledger.Parameters.Any(p => p.Type == ParameterTypes.SecureString) ? ParameterTypes.SecureString : ParameterTypes.String;
        var text = JsonSerializer.Serialize(ledger, OrchestratorJson.Default.RollbackLedger);
        var chunks = Split(text, ParameterRules.StandardMaxBytes);
        if (chunks.Count > 1)
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                await parameters.PutAsync(new StoredParameter(ChunkName(name, i), chunks[i]) { Type = type }, ct).ConfigureAwait(false);
            }

            text = new JsonObject { [ChunksField] = chunks.Count }.ToJsonString();
        }

        await parameters.PutAsync(new StoredParameter(name, text) { Type = type }, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the ledger parameter first (so no reader sees a partial ledger), then its chunks.</summary>
    public async Task DeleteAsync(string executionName, CancellationToken ct)
    {
        var name = NameFor(executionName);
        await parameters.DeleteAsync(name, ct).ConfigureAwait(false);
        foreach (var chunk in await parameters.ListAsync(name + "/", ct).ConfigureAwait(false))
        {
            await parameters.DeleteAsync(chunk.Name, ct).ConfigureAwait(false);
        }
    }

    private static string ChunkName(string ledgerName, int index) => ledgerName + "/" + index.ToString(CultureInfo.InvariantCulture);

    private static int? ChunkCount(string text)
    {
        if (!text.StartsWith("{\"" + ChunksField + "\"", StringComparison.Ordinal))
        {
            return null;
        }

        return JsonNode.Parse(text)?[ChunksField]?.GetValue<int>();
    }

    /// <summary>Splits text into pieces of at most <paramref name="maxBytes"/> UTF-8 bytes, never inside a surrogate pair.</summary>
    internal static List<string> Split(string text, int maxBytes)
    {
        var pieces = new List<string>();
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(i, width));
            if (bytes + size > maxBytes)
            {
                pieces.Add(text[start..i]);
                start = i;
                bytes = 0;
            }

            bytes += size;
            i += width - 1;
        }

        pieces.Add(text[start..]);
        return pieces;
    }
}
