using System.Text;
using BenchmarkDotNet.Attributes;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Signing;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// SigV4 cost per request: what every SSM read of the wrapper pays on top of the network.
/// A GetParameter-shaped request (JSON body, target header, session token), and a presigned URL.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token");
    private static readonly Uri SsmEndpoint = new("https://ssm.us-east-1.amazonaws.com/");
    private static readonly Uri StsUrl = new("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
    private static readonly DateTimeOffset SigningTime = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"Name\":\"/serverless-chaos/functions/checkout\",\"WithDecryption\":false}");

    /// <summary>Signs a GetParameter request in headers.</summary>
    [Benchmark(Description = "Sign an SSM GetParameter request (headers)")]
    public string SignGetParameter()
    {
        var request = new SigningRequest("POST", SsmEndpoint, Body);
        request.SetHeader("content-type", "application/x-amz-json-1.1");
        request.SetHeader("content-length", "69");
        request.SetHeader("x-amz-target", "AmazonSSM.GetParameter");
        SigV4Signer.Sign(request, Credentials, "us-east-1", "ssm", SigningTime);
        return request.GetHeader("authorization")!;
    }

    /// <summary>Presigns a URL (signature in the query).</summary>
    [Benchmark(Description = "Presign an STS URL (query)")]
    public Uri PresignUrl() =>
        SigV4Signer.Presign("GET", StsUrl, Credentials, "us-east-1", "sts", SigningTime, TimeSpan.FromMinutes(15));
}
