using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>
/// Keeps one embedded backend's state in a JSON file, so several processes (the bootstrap run with
/// <c>SERVERLESS_CHAOS_BACKEND=local</c>, the CLI) see the same state. Without a path, state is in memory only.
/// </summary>
internal sealed class LocalStateFile<T>(string? path, JsonTypeInfo<T> typeInfo, Func<T> create)
    where T : class
{
    private readonly object gate = new();
    private T? memory;

    /// <summary>Runs <paramref name="action"/> on the current state under a lock and saves it when <paramref name="save"/>.</summary>
    public TResult Update<TResult>(Func<T, TResult> action, bool save)
    {
        lock (gate)
        {
            var state = Load();
            var result = action(state);
            if (save && path is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                var temp = path + ".tmp";
                File.WriteAllText(temp, JsonSerializer.Serialize(state, typeInfo));
                File.Move(temp, path, overwrite: true);
            }

            return result;
        }
    }

    private T Load()
    {
        if (path is null)
        {
            return memory ??= create();
        }

        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), typeInfo) ?? create() : create();
    }
}
