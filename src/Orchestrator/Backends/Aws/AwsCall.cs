using System.Net.Sockets;
using Amazon.Runtime;
using ServerlessChaos.Aws;

namespace ServerlessChaos.Orchestrator.Backends.Aws;

/// <summary>
/// Turns AWS errors, from the SDK and from the project's own clients, into <see cref="BackendException"/>
/// with the service's error name and whether a retry can help (<see cref="AwsErrorKinds"/>).
/// </summary>
internal static class AwsCall
{
    public static async Task<T> RunAsync<T>(string backend, string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            var code = string.IsNullOrEmpty(e.ErrorCode) ? null : e.ErrorCode;
            throw new BackendException(backend, operation, Describe(code, e.Message), e, code, AwsErrorKinds.IsTransient(code, (int)e.StatusCode));
        }
        catch (AwsServiceException e)
        {
            throw new BackendException(backend, operation, e.Message, e, e.ErrorCode, AwsErrorKinds.IsTransient(e.ErrorCode, e.HttpStatus));
        }
        catch (AmazonClientException e) when (IsNetwork(e))
        {
            throw new BackendException(backend, operation, e.Message, e, AwsNetworkException.Code, transient: true);
        }
        catch (AmazonClientException e)
        {
            // Client-side: no credentials, no region, a bad configuration. Retrying cannot fix it.
            throw new BackendException(backend, operation, e.Message, e, "AwsClientError", transient: false);
        }
        catch (HttpRequestException e)
        {
            throw new BackendException(backend, operation, e.Message, e, AwsNetworkException.Code, transient: true);
        }
    }

    public static Task RunAsync(string backend, string operation, Func<Task> call) =>
        RunAsync(backend, operation, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });

    private static string Describe(string? code, string message) => code is null ? message : $"{code}: {message}";

    private static bool IsNetwork(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or SocketException or IOException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
