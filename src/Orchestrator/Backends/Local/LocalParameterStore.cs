namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>
/// An in-memory (optionally file-backed) parameter store standing in for SSM Parameter Store: it keeps each
/// parameter's type, key and tier, and refuses what AWS would refuse (<see cref="ParameterRules"/>).
/// </summary>
public sealed class LocalParameterStore : IParameterStore
{
    private readonly LocalStateFile<Dictionary<string, StoredParameter>> state;

    /// <summary>Creates the store; with <paramref name="file"/> its parameters live in that JSON file.</summary>
    public LocalParameterStore(string? file = null)
    {
        state = new(file, LocalJson.Default.DictionaryStringStoredParameter, () => new Dictionary<string, StoredParameter>(StringComparer.Ordinal));
    }

    /// <summary>Raised after a parameter is written or deleted (name, new value or null).</summary>
    public event Action<string, string?>? Changed;

    /// <inheritdoc />
    public Task<StoredParameter?> GetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(GetParameter(name));

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredParameter>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        return Task.FromResult<IReadOnlyList<StoredParameter>>(state.Update(
            s => s.Values.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            save: false));
    }

    /// <inheritdoc />
    public Task PutAsync(StoredParameter parameter, CancellationToken cancellationToken)
    {
        Put(parameter);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        Delete(name);
        return Task.CompletedTask;
    }

    /// <summary>The parameter, or null when it does not exist.</summary>
    public StoredParameter? GetParameter(string name) => state.Update(s => s.GetValueOrDefault(name), save: false);

    /// <summary>The value, or null when the parameter does not exist.</summary>
    public string? Get(string name) => GetParameter(name)?.Value;

    /// <summary>Creates or overwrites a <c>String</c> parameter.</summary>
    public void Put(string name, string value) => Put(new StoredParameter(name, value));

    /// <summary>Creates or overwrites a parameter with its type, key and tier.</summary>
    /// <exception cref="BackendException">AWS would refuse it (name, size or tier); nothing is written.</exception>
    public void Put(StoredParameter parameter)
    {
        ParameterRules.EnsureWritable(parameter);
        state.Update(
            s =>
            {
                if (s.TryGetValue(parameter.Name, out var current) && current.Tier == ParameterTiers.Advanced && parameter.Tier == ParameterTiers.Standard)
                {
                    // As on AWS: an Advanced parameter cannot be downgraded, only deleted and created again.
                    throw new BackendException("parameters", "Put", $"parameter {parameter.Name} is in the Advanced tier and cannot be changed to Standard", errorCode: "ValidationException", transient: false);
                }

                s[parameter.Name] = parameter;
                return true;
            },
            save: true);
        Changed?.Invoke(parameter.Name, parameter.Value);
    }

    /// <summary>Deletes a parameter (a missing one is fine).</summary>
    public void Delete(string name)
    {
        state.Update(s => s.Remove(name), save: true);
        Changed?.Invoke(name, null);
    }

    /// <summary>Every parameter and its value.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        state.Update(s => s.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal), save: false);
}
