// Stand-ins for the Amazon.Lambda types, with exactly the real member names (those packages are absent here).
// They live in the test project only: the wrapper itself never sees these types, only their shape.
#pragma warning disable CA1819, CA2227
namespace Amazon.Lambda.Core
{
    public interface ILambdaLogger
    {
        void Log(string message);

        void LogLine(string message);
    }

    public interface IClientContext;

    public interface ICognitoIdentity;

    public interface ILambdaContext
    {
        string AwsRequestId { get; }

        IClientContext ClientContext { get; }

        string FunctionName { get; }

        string FunctionVersion { get; }

        ICognitoIdentity Identity { get; }

        string InvokedFunctionArn { get; }

        ILambdaLogger Logger { get; }

        string LogGroupName { get; }

        string LogStreamName { get; }

        int MemoryLimitInMB { get; }

        TimeSpan RemainingTime { get; }
    }
}

namespace Amazon.Lambda.APIGatewayEvents
{
    public class APIGatewayProxyResponse
    {
        public int StatusCode { get; set; }

        public IDictionary<string, string> Headers { get; set; } = null!;

        public IDictionary<string, IList<string>> MultiValueHeaders { get; set; } = null!;

        public string Body { get; set; } = null!;

        public bool IsBase64Encoded { get; set; }
    }

    public class APIGatewayHttpApiV2ProxyResponse
    {
        public int StatusCode { get; set; }

        public IDictionary<string, string> Headers { get; set; } = null!;

        public string[] Cookies { get; set; } = null!;

        public string Body { get; set; } = null!;

        public bool IsBase64Encoded { get; set; }
    }

    public class APIGatewayHttpApiV2ProxyRequest
    {
        public string RawPath { get; set; } = "/";

        public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

        public ProxyRequestContext RequestContext { get; set; } = new();

        public class ProxyRequestContext
        {
            public HttpDescription Http { get; set; } = new();
        }

        public class HttpDescription
        {
            public string Method { get; set; } = "GET";

            public string Path { get; set; } = "/";
        }
    }
}

namespace Amazon.Lambda.ApplicationLoadBalancerEvents
{
    public class ApplicationLoadBalancerResponse
    {
        public int StatusCode { get; set; }

        public string StatusDescription { get; set; } = null!;

        public IDictionary<string, string> Headers { get; set; } = null!;

        public IDictionary<string, IList<string>> MultiValueHeaders { get; set; } = null!;

        public string Body { get; set; } = null!;

        public bool IsBase64Encoded { get; set; }
    }
}

namespace Amazon.Lambda.SQSEvents
{
    public class SQSEvent
    {
        public List<SQSMessage> Records { get; set; } = [];

        public class SQSMessage
        {
            public string MessageId { get; set; } = null!;

            public string Body { get; set; } = null!;
        }
    }

    public class SQSBatchResponse
    {
        public SQSBatchResponse() : this([])
        {
        }

        public SQSBatchResponse(List<BatchItemFailure> batchItemFailures) => BatchItemFailures = batchItemFailures;

        public List<BatchItemFailure> BatchItemFailures { get; set; }

        public class BatchItemFailure
        {
            public string ItemIdentifier { get; set; } = null!;
        }
    }
}

namespace Amazon.Lambda.Annotations
{
    // Amazon.Lambda.Annotations' attribute, by its shape (the real package is not in the registry).
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class LambdaFunctionAttribute : Attribute
    {
        public string? Name { get; set; }

        public int MemorySize { get; set; }

        public int Timeout { get; set; }
    }
}
