using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace ServerlessChaos.Orchestrator.Backends.Aws;

/// <summary>
/// SSM Parameter Store through the AWS SDK. Reads decrypt and look up the key and tier (GetParameter does not
/// return them; DescribeParameters does), and writes send the type, key and tier, so a SecureString stays one.
/// </summary>
public sealed class AwsParameterStore(IAmazonSimpleSystemsManagement ssm) : IParameterStore
{
    /// <inheritdoc />
    public Task<StoredParameter?> GetAsync(string name, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("parameters", "Get", async () =>
        {
            Parameter parameter;
            try
            {
                parameter = (await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken).ConfigureAwait(false)).Parameter;
            }
            catch (ParameterNotFoundException)
            {
                return null;
            }

            var metadata = await DescribeAsync(new ParameterStringFilter { Key = "Name", Option = "Equals", Values = [name] }, cancellationToken).ConfigureAwait(false);
            return ToStored(parameter, metadata.GetValueOrDefault(name));
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredParameter>> ListAsync(string path, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<StoredParameter>>("parameters", "List", async () =>
        {
            var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
            var values = new List<Parameter>();
            string? token = null;
            do
            {
                var page = await ssm.GetParametersByPathAsync(
                    new GetParametersByPathRequest { Path = trimmed, Recursive = true, WithDecryption = true, MaxResults = 10, NextToken = token },
                    cancellationToken).ConfigureAwait(false);
                values.AddRange(page.Parameters ?? []);
                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));

            var metadata = values.Count == 0
                ? new Dictionary<string, ParameterMetadata>()
                : await DescribeAsync(new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = [trimmed] }, cancellationToken).ConfigureAwait(false);
            return values.Select(p => ToStored(p, metadata.GetValueOrDefault(p.Name))).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        });

    /// <inheritdoc />
    public Task PutAsync(StoredParameter parameter, CancellationToken cancellationToken)
    {
        ParameterRules.EnsureWritable(parameter);
        return AwsCall.RunAsync("parameters", "Put", () => ssm.PutParameterAsync(
            new PutParameterRequest
            {
                Name = parameter.Name,
                Value = parameter.Value,
                Type = ParameterType.FindValue(parameter.Type),
                KeyId = parameter.Type == ParameterTypes.SecureString ? parameter.KeyId : null,
                Tier = ParameterTier.FindValue(parameter.Tier),
                Overwrite = true,
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("parameters", "Delete", async () =>
        {
            try
            {
                await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
            }
            catch (ParameterNotFoundException)
            {
                // Already gone: that is the goal.
            }

            return true;
        });

    private async Task<Dictionary<string, ParameterMetadata>> DescribeAsync(ParameterStringFilter filter, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ParameterMetadata>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await ssm.DescribeParametersAsync(
                new DescribeParametersRequest { ParameterFilters = [filter], MaxResults = 50, NextToken = token },
                cancellationToken).ConfigureAwait(false);
            foreach (var metadata in page.Parameters ?? [])
            {
                found[metadata.Name] = metadata;
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return found;
    }

    private static StoredParameter ToStored(Parameter parameter, ParameterMetadata? metadata) =>
        new(parameter.Name, parameter.Value)
        {
            Type = parameter.Type?.Value ?? ParameterTypes.String,
            KeyId = parameter.Type?.Value == ParameterTypes.SecureString ? metadata?.KeyId : null,
            Tier = metadata?.Tier?.Value == ParameterTiers.Advanced ? ParameterTiers.Advanced : ParameterTiers.Standard,
        };
}
