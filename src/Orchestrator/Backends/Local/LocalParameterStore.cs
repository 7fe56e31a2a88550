namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>An in-memory (optionally file-backed) parameter store standing in for SSM Parameter Store.</summary>
public sealed class LocalParameterStore : IParameterStore
{
    private readonly LocalStateFile<Dictionary<string, string>> state;

    /// <summary>Creates the store; with <paramref name="file"/> its values live in that JSON file.</summary>
    public LocalParameterStore(string? file = null)
    {
        state = new(file, LocalJson.Default.DictionaryStringString, () => new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>Raised after a parameter is written or deleted (name, new value or null).</summary>
    public event Action<string, string?>? Changed;

    /// <inheritdoc />
    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Get(name));

    /// <inheritdoc />
    public Task PutAsync(string name, string value, CancellationToken cancellationToken)
    {
        Put(name, value);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        Delete(name);
        return Task.CompletedTask;
    }

    /// <summary>The value, or null when the parameter does not exist.</summary>
    public string? Get(string name) => state.Update(s => s.GetValueOrDefault(name), save: false);

    /// <summary>Creates or overwrites a parameter.</summary>
    public void Put(string name, string value)
    {
        state.Update(s => s[name] = value, save: true);
        Changed?.Invoke(name, value);
    }

    /// <summary>Deletes a parameter (a missing one is fine).</summary>
    public void Delete(string name)
    {
        state.Update(s => s.Remove(name), save: true);
        Changed?.Invoke(name, null);
    }

    /// <summary>Every parameter and its value.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        state.Update(s => new Dictionary<string, string>(s, StringComparer.Ordinal), save: false);
}
